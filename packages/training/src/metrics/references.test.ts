// Corpus arguments in sacreBLEU's layout: one string per hypothesis or reference streams; conversions and errors.
import { ShapeError, ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { referencesBySegment, transposeReferences } from './references.js';

describe('referencesBySegment', () => {
  it('treats an array of strings as one reference per hypothesis', () => {
    expect(referencesBySegment('op', ['h0', 'h1'], ['r0', 'r1'])).toEqual({ segments: [['r0'], ['r1']], numRefs: 1 });
  });

  it('regroups streams by segment, dropping nulls and reporting var when counts differ', () => {
    const out = referencesBySegment('op', ['h0', 'h1'], [['a0', 'a1'], [null, 'b1']]);
    expect(out).toEqual({ segments: [['a0'], ['a1', 'b1']], numRefs: 'var' });
    // An empty string is a reference (of no tokens), as in sacreBLEU 2.6.0; only null is missing.
    expect(referencesBySegment('op', ['h'], [[''], ['x']]).numRefs).toBe(2);
  });

  it('throws errors naming the op, the argument and what came', () => {
    expect(() => referencesBySegment('corpusX', ['a'], [['a'], ['b', 'c']])).toThrow(ShapeError);
    expect(() => referencesBySegment('corpusX', ['a'], [['a'], ['b', 'c']])).toThrow(/^corpusX: references\[1\] has 2 entries but there are 1 hypotheses/);
    expect(() => referencesBySegment('corpusX', ['a'], [['a'], 'b' as never])).toThrow(/references\[1\] must be an array like references\[0\], got "b"/);
    expect(() => referencesBySegment('corpusX', ['a'], [null as never])).toThrow(/references\[0\] must be a string, got null/);
    expect(() => referencesBySegment('corpusX', ['a'], [[7 as never]])).toThrow(/references\[0\]\[0\] must be a string or null, got number/);
    expect(() => referencesBySegment('corpusX', ['a'], [])).toThrow(ValueError);
    expect(() => referencesBySegment('corpusX', 'abc' as never, ['a'])).toThrow(/hypotheses must be an array of strings, got "abc"/);
  });
});

describe('transposeReferences', () => {
  it('turns per-hypothesis lists into streams, padding with null', () => {
    expect(transposeReferences([['a', 'b'], ['c']])).toEqual([['a', 'c'], ['b', null]]);
    expect(transposeReferences([['x'], ['y'], ['z']])).toEqual([['x', 'y', 'z']]);
  });

  it('throws ValueError for a non-array entry', () => {
    expect(() => transposeReferences(['a'] as never)).toThrow(/perHypothesis\[0\] must be an array of strings, got "a"/);
  });
});
