// Python string semantics the reference metrics depend on: whitespace set, code points, '.Nf' rounding.
// Expected values are what CPython 3.11 prints for the same expressions.
import { describe, expect, it } from 'vitest';
import { codePoints, pyFixed, pyLength, pyRemoveWhitespace, pyRstrip, pySplit } from './python-text.js';

describe('pySplit (Python str.split())', () => {
  it('splits on runs of whitespace and drops empty ends', () => {
    expect(pySplit('  a  b\tc\n')).toEqual(['a', 'b', 'c']);
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \t ')).toEqual([]);
    expect(pySplit('one')).toEqual(['one']);
  });

  it("splits on U+001C–U+001F and U+0085 like Python ('a\\x1cb\\x85c'.split() == ['a', 'b', 'c'])", () => {
    expect(pySplit('a\x1cb\x1dc\x1ed\x1fe\x85f')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it("keeps U+FEFF and U+200B inside words, unlike JavaScript's \\s ('a\\ufeffb'.split() == ['a\\ufeffb'])", () => {
    expect(pySplit('a\ufeffb c\u200bd')).toEqual(['a\ufeffb', 'c\u200bd']);
    expect('a\ufeffb'.split(/\s+/)).toHaveLength(2); // the JavaScript behaviour it must not have
  });

  it('splits on no-break, ideographic and thin spaces (all Zs)', () => {
    expect(pySplit('a\u00a0b\u3000c\u2009d\u202fe')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('pyRstrip and pyRemoveWhitespace', () => {
  it('strip the same set on the right only / everywhere', () => {
    expect(pyRstrip('  a b \x85\x1c\n')).toBe('  a b');
    expect(pyRstrip('a\ufeff')).toBe('a\ufeff');
    expect(pyRemoveWhitespace(' a b\tc\x1fd\ufeff ')).toBe('abcd\ufeff');
  });
});

describe('codePoints / pyLength (Python len and indexing)', () => {
  it('count an astral character (two UTF-16 units) as one', () => {
    expect(codePoints('a😀b')).toEqual(['a', '😀', 'b']);
    expect(pyLength('a😀b')).toBe(3);
    expect('a😀b'.length).toBe(4);
    expect(codePoints('abc')).toEqual(['a', 'b', 'c']);
  });
});

describe("pyFixed (Python f'{x:.Nf}')", () => {
  it.each([
    [0.125, 2, '0.12'], // exact tie: half to even (toFixed gives 0.13)
    [0.375, 2, '0.38'],
    [12.25, 1, '12.2'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [-0.125, 2, '-0.12'],
    [2.675, 2, '2.67'], // not a tie: 2.675 is 2.67499999… in binary
    [48.530827009929865, 2, '48.53'],
    [0.9428731438548749, 3, '0.943'],
    [100, 1, '100.0'],
    [0, 2, '0.00'],
  ])('formats %f with %i decimals as %s', (x, digits, expected) => {
    expect(pyFixed(x, digits)).toBe(expected);
  });
});
