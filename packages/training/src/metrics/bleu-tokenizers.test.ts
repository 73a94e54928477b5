// BLEU tokenizers: the rules of mteval-v13a / mteval-v14 one at a time (hand-checked against the regexes in
// sacreBLEU's tokenizer_re.py and tokenizer_intl.py); exhaustive parity lives in sacrebleu-parity.test.ts.
import { ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { BLEU_TOKENIZERS, bleuTokenizer, preprocessForBleu, tokenize13a, tokenizeChar, tokenizeIntl } from './bleu-tokenizers.js';

describe('tokenize13a', () => {
  it('separates punctuation and symbols but not apostrophes or inner hyphens', () => {
    expect(tokenize13a("It wasn't well-known (really)!")).toBe("It wasn't well-known ( really ) !");
  });

  it('keeps periods and commas inside numbers and splits a final period, even after a digit', () => {
    expect(tokenize13a('Pay $3,000.50 in 2005.')).toBe('Pay $ 3,000.50 in 2005 .');
    expect(tokenize13a('a.b,c')).toBe('a . b , c');
  });

  it('splits a dash that follows a digit only', () => {
    expect(tokenize13a('1990-1995 and well-known')).toBe('1990 - 1995 and well-known');
  });

  it('unescapes &quot; &amp; &lt; &gt; (not &apos;), drops <skipped>, joins "-\\n" breaks', () => {
    expect(tokenize13a('&quot;a&quot; &amp; &lt;b&gt; &apos;')).toBe('" a " & < b > & apos ;');
    expect(tokenize13a('x<skipped>y')).toBe('xy');
    expect(tokenize13a('hyphen-\nated\nline')).toBe('hyphenated line');
  });

  it('collapses whitespace as Python split(), including U+0085, and keeps U+FEFF', () => {
    expect(tokenize13a('a\x85b  c\ufeffd')).toBe('a b c\ufeffd');
  });
});

describe('tokenizeIntl', () => {
  it('separates Unicode punctuation next to non-digits and every symbol', () => {
    expect(tokenizeIntl('„Größe“: 5 €!')).toBe('„ Größe “ : 5 € !');
    // ² is a number (No), not a symbol, so '²!' stays whole: no non-number precedes the '!'.
    expect(tokenizeIntl('5 m²!')).toBe('5 m²!');
    expect(tokenizeIntl('¿qué? ¡sí!')).toBe('¿ qué ? ¡ sí !');
  });

  it('keeps punctuation between digits and, as mteval-v14, a number\'s final period', () => {
    expect(tokenizeIntl('3,000.50 in 2005.')).toBe('3,000.50 in 2005.');
  });
});

describe('tokenizeChar and preprocessForBleu', () => {
  it("'char' makes each code point a token (an emoji is one)", () => {
    expect(tokenizeChar('ab😀')).toBe('a b 😀');
  });

  it('lowercases as Python str.lower (final sigma) and strips trailing whitespace first', () => {
    expect(preprocessForBleu('ΟΔΟΣ.  \n', { lowercase: true })).toBe('οδος .');
    expect(preprocessForBleu('x  ', { tokenize: 'none' })).toBe('x');
  });

  it('throws ValueError listing the tokenizers for an unknown name', () => {
    expect(BLEU_TOKENIZERS).toEqual(['13a', 'intl', 'char', 'none']);
    expect(() => bleuTokenizer('ja-mecab' as never)).toThrow(ValueError);
    expect(() => preprocessForBleu('x', { tokenize: 'zh' as never })).toThrow(/preprocessForBleu: unknown tokenize "zh"/);
  });
});
