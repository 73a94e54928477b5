import { describe, expect, it } from 'vitest';
import { learnBpe, mergePair } from './bpe-train.js';

const options = { maxTokens: 1000, minFrequency: 2, minCharFrequency: 1 };

describe('learnBpe', () => {
  it('learns the merges of the Sennrich et al. example, worked by hand', () => {
    // low:5 lower:2 newest:6 widest:3. Pair counts: es 9, st 9 → tie, 'e' < 's' → (e,s); then (es,t) 9;
    // then lo 7, ow 7 → (l,o), (lo,w); then at 6, ne/ew/west: 'e' < 'n' < 'w' → (e,w), then (ew,est) 6,
    // (n,ewest) 6; then widest at 3: (d,est), (i,dest), (w,idest); then lower at 2: er < lowe → (e,r), (low,er).
    const model = learnBpe(new Map([['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]]), options);
    expect(model.merges).toEqual([
      ['e', 's'], ['es', 't'], ['l', 'o'], ['lo', 'w'], ['e', 'w'], ['ew', 'est'], ['n', 'ewest'],
      ['d', 'est'], ['i', 'dest'], ['w', 'idest'], ['e', 'r'], ['low', 'er'],
    ]);
    expect(model.alphabet).toEqual(['e', 'w', 's', 't', 'l', 'o', 'n', 'd', 'i', 'r']);
    expect(model.counts.slice(model.alphabet.length)).toEqual([9, 9, 7, 7, 6, 6, 6, 3, 3, 3, 2, 2]);
  });

  it('stops at minFrequency and at maxTokens', () => {
    const counts = new Map([['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]]);
    expect(learnBpe(counts, { ...options, minFrequency: 7 }).merges).toHaveLength(4);
    expect(learnBpe(counts, { ...options, maxTokens: 12 }).merges).toEqual([['e', 's'], ['es', 't']]);
  });

  it('merges repeated symbols left to right without overlap', () => {
    // aaaa:1 → pair (a,a) counted 3 times; merged to aa aa, then (aa,aa).
    const model = learnBpe(new Map([['aaaa', 1]]), { ...options, minFrequency: 1 });
    expect(model.merges).toEqual([['a', 'a'], ['aa', 'aa']]);
  });

  it('keeps rare characters out of the alphabet and never merges across them', () => {
    // x occurs once: without it axb would add 1 to (a,b) and reach minFrequency 2.
    const model = learnBpe(new Map([['axb', 1], ['ab', 1], ['ba', 2]]), { ...options, minCharFrequency: 2 });
    expect(model.alphabet).toEqual(['a', 'b']);
    expect(model.merges).toEqual([['b', 'a']]);
  });

  it('does not depend on the order of the counts', () => {
    const entries: [string, number][] = [['the', 9], ['then', 4], ['there', 4], ['other', 3], ['hen', 3]];
    const forward = learnBpe(new Map(entries), options);
    const backward = learnBpe(new Map([...entries].reverse()), options);
    expect(backward).toEqual(forward);
  });

  it('refuses an alphabet larger than maxTokens', () => {
    expect(() => learnBpe(new Map([['abc', 1]]), { ...options, maxTokens: 2 })).toThrow(/3 characters .* only 2 tokens fit/);
  });
});

describe('mergePair', () => {
  it('replaces every non-overlapping occurrence and returns the same array when there is none', () => {
    expect(mergePair([1, 2, 1, 2, 3], 1, 2, 9)).toEqual([9, 9, 3]);
    expect(mergePair([1, 1, 1], 1, 1, 9)).toEqual([9, 1]);
    const symbols = [1, 3];
    expect(mergePair(symbols, 1, 2, 9)).toBe(symbols);
  });
});
