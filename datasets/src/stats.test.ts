import { describe, expect, it } from 'vitest';
import { rougeL, rougeN, sentencesOf, wordTokens } from './stats.js';

describe('corpus statistics', () => {
  it('computes ROUGE-1, ROUGE-2 and ROUGE-L F1 as worked out by hand', () => {
    // candidate "the cat sat", reference "The cat ran.": unigrams 2/3 both ways, bigrams 1/2, LCS "the cat" = 2
    expect(rougeN('the cat sat', 'The cat ran.', 1)).toBeCloseTo(2 / 3, 12);
    expect(rougeN('the cat sat', 'The cat ran.', 2)).toBeCloseTo(1 / 2, 12);
    expect(rougeL('the cat sat', 'The cat ran.')).toBeCloseTo(2 / 3, 12);
    // clipped counts: "the the the" vs "the cat": overlap 1, P = 1/3, R = 1/2, F = 0.4
    expect(rougeN('the the the', 'the cat', 1)).toBeCloseTo(0.4, 12);
    // LCS of "a b c d" and "a c b d" is 3: P = R = 3/4
    expect(rougeL('a b c d', 'a c b d')).toBeCloseTo(0.75, 12);
    expect(rougeN('x y', 'z w', 1)).toBe(0);
  });

  it('splits words like @gloss/data\'s word tokenizer and articles into sentences', () => {
    expect(wordTokens("L'eau est-elle froide ?")).toEqual(["L'eau", 'est', '-', 'elle', 'froide', '?']);
    expect(wordTokens('It ended 2-1.')).toEqual(['It', 'ended', '2', '-', '1', '.']);
    expect(sentencesOf('A crowd of 1,200 came. It rained. Who won?')).toEqual(['A crowd of 1,200 came.', 'It rained.', 'Who won?']);
  });
});
