// ROUGE: worked examples from rouge-score's rouge_scorer_test.py (google-research/google-research, rouge/),
// including its ground truth from manual runs of ROUGE-1.5.5 on rouge/testdata/target.txt and prediction.txt
// (lines 0 and 1, copied below), hand-computed cases, a brute-force LCS check and bad-input errors.
// rouge-score's score(target, prediction) becomes sentenceRouge(prediction, target) here.
import { Generator, ShapeError, ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeTokenize, sentenceRouge } from './rouge.js';

// rouge/testdata/target.txt and prediction.txt, lines 0 and 1 (random strings built for the comparison).
const TARGETS = [
  "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
  "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n",
];
const PREDICTIONS = [
  "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
  "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n",
];

describe('sentenceRouge: rouge_scorer_test.py', () => {
  it('rouge1: "testing" against "testing one two" has P 1, R 1/3, F1 1/2', () => {
    const { rouge1 } = sentenceRouge('testing', 'testing one two');
    expect(rouge1.precision).toBeCloseTo(1, 12);
    expect(rouge1.recall).toBeCloseTo(1 / 3, 12);
    expect(rouge1.f1).toBeCloseTo(1 / 2, 12);
  });

  it('rouge2: "testing one" against "testing one two" has P 1, R 1/2, F1 2/3', () => {
    const { rouge2 } = sentenceRouge('testing one', 'testing one two');
    expect([rouge2.precision, rouge2.recall, rouge2.f1].map((x) => x.toFixed(12))).toEqual([1, 1 / 2, 2 / 3].map((x) => x.toFixed(12)));
  });

  it('rougeL: consecutive ("testing one") and non-consecutive ("testing two") both have P 1, R 2/3, F1 4/5', () => {
    for (const hyp of ['testing one', 'testing two']) {
      const { rougeL } = sentenceRouge(hyp, 'testing one two');
      expect([rougeL.precision, rougeL.recall, rougeL.f1].map((x) => x.toFixed(12))).toEqual([1, 2 / 3, 4 / 5].map((x) => x.toFixed(12)));
    }
  });

  it('an empty prediction scores 0 on every variant', () => {
    const r = sentenceRouge('', 'testing one two');
    for (const k of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) expect(r[k]).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it.each([
    [0, 'rouge1', 0.6875, 0.40741, 0.51163],
    [1, 'rouge1', 0.65385, 0.40476, 0.5],
    [0, 'rouge2', 0.53333, 0.30769, 0.39024],
    [1, 'rouge2', 0.48, 0.29268, 0.36364],
    [0, 'rougeL', 0.6875, 0.40741, 0.51163],
    [1, 'rougeL', 0.65385, 0.40476, 0.5],
  ] as const)('testdata line %i %s agrees with ROUGE-1.5.5 to 5 places (P %f, R %f, F %f)', (line, key, p, r, f) => {
    const score = sentenceRouge(PREDICTIONS[line], TARGETS[line])[key];
    expect(score.precision).toBeCloseTo(p, 5);
    expect(score.recall).toBeCloseTo(r, 5);
    expect(score.f1).toBeCloseTo(f, 5);
  });

  it('rougeLsum: union LCS over lines, "w1 w2 w6 w7 w8\\nw1 w3 w8 w9 w5" vs "w1 w2 w3 w4 w5" has R 4/5, P 4/10', () => {
    // Section 3.2 of Lin (2004): LCS with line 1 is w1 w2, with line 2 w1 w3 w5; union {w1, w2, w3, w5} = 4 hits.
    const { rougeLsum } = sentenceRouge('w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5', 'w1 w2 w3 w4 w5');
    expect(rougeLsum.recall).toBeCloseTo(0.8, 12);
    expect(rougeLsum.precision).toBeCloseTo(0.4, 12);
    expect(rougeLsum.f1).toBeCloseTo((2 * 0.4 * 0.8) / 1.2, 12);
  });

  it('rougeLsum is 0 for an empty side or a prediction of only non-word characters', () => {
    expect(sentenceRouge('', 'w1 w2 w3 w4 w5').rougeLsum.f1).toBe(0);
    expect(sentenceRouge('w1', '').rougeLsum.f1).toBe(0);
    expect(sentenceRouge('/', 'w1 w2 w3 w4 w5').rougeLsum.f1).toBe(0);
  });

  it('lcsLength of [1 2 3 4 5] and [2 5 3 4] is 3, of disjoint sequences 0 (testLcsTable)', () => {
    expect(lcsLength(['1', '2', '3', '4', '5'], ['2', '5', '3', '4'])).toBe(3);
    expect(lcsLength(['1', '2', '3', '4', '5'], ['8', '9'])).toBe(0);
  });
});

describe('rougeTokenize (rouge-score tokenize.py, no stemmer)', () => {
  it('lowercases and keeps runs of a–z and 0–9; everything else separates and is dropped', () => {
    expect(rougeTokenize("The cat's 2 HATS, e.g. 3.5!")).toEqual(['the', 'cat', 's', '2', 'hats', 'e', 'g', '3', '5']);
    expect(rougeTokenize('Größe café Москва')).toEqual(['gr', 'e', 'caf']);
    expect(rougeTokenize(' ,;! ')).toEqual([]);
  });
});

/** LCS length by trying every subsequence of `a` (2^|a| of them), for short sequences. */
function bruteForceLcs(a: string[], b: string[]): number {
  const isSubsequence = (s: string[]): boolean => {
    let j = 0;
    for (const t of b) if (j < s.length && s[j] === t) j++;
    return j === s.length;
  };
  let best = 0;
  for (let mask = 0; mask < 1 << a.length; mask++) {
    const s = a.filter((_, i) => mask & (1 << i));
    if (s.length > best && isSubsequence(s)) best = s.length;
  }
  return best;
}

describe('LCS and ROUGE invariants on seeded random token sequences', () => {
  const gen = new Generator(7);
  const words = ['a', 'b', 'c', 'd'];
  const randomTokens = (maxLen: number): string[] => Array.from({ length: gen.int(maxLen + 1) }, () => words[gen.int(words.length)]);

  it('lcsLength equals the brute-force LCS on 200 pairs of up to 9 tokens', () => {
    for (let trial = 0; trial < 200; trial++) {
      const a = randomTokens(9);
      const b = randomTokens(9);
      expect(lcsLength(a, b), `${a.join('')} / ${b.join('')}`).toBe(bruteForceLcs(a, b));
    }
  });

  it('rougeLsum equals rougeL on one-line texts; all scores lie in [0, 1]; identical texts score 1', () => {
    for (let trial = 0; trial < 100; trial++) {
      const hyp = randomTokens(12).join(' ');
      const ref = randomTokens(12).join(' ');
      const r = sentenceRouge(hyp, ref);
      expect(r.rougeLsum.f1).toBeCloseTo(r.rougeL.f1, 12);
      for (const s of [r.rouge1, r.rouge2, r.rougeL, r.rougeLsum]) for (const v of [s.precision, s.recall, s.f1]) expect(v >= 0 && v <= 1).toBe(true);
      if (ref.length > 0) expect(sentenceRouge(ref, ref).rougeL.f1).toBeCloseTo(1, 12);
    }
  });
});

describe('rouge (corpus mean)', () => {
  it('is the mean of per-pair precision, recall and F1', () => {
    // 'the cat sat' vs 'the cat sat down': P 1, R 3/4, F1 6/7. 'a dog' vs 'the dog': P = R = F1 = 1/2.
    const r = rouge(['the cat sat', 'a dog'], ['the cat sat down', 'the dog']);
    expect(r.rouge1.precision).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(r.rouge1.recall).toBeCloseTo((0.75 + 0.5) / 2, 12);
    expect(r.rouge1.f1).toBeCloseTo((6 / 7 + 0.5) / 2, 12);
    // Bigrams: 'the cat', 'cat sat' both match (P 1, R 2/3, F1 4/5); 'a dog' vs 'the dog' share none.
    expect(r.rouge2.f1).toBeCloseTo((4 / 5 + 0) / 2, 12);
  });

  it('accepts a custom tokenizer (e.g. for text outside a–z)', () => {
    const byChar = (text: string) => Array.from(text.replace(/\s+/g, ''));
    expect(rouge(['東京'], ['東京都'], { tokenize: byChar }).rouge1.recall).toBeCloseTo(2 / 3, 12);
    expect(rouge(['東京'], ['東京都']).rouge1.f1).toBe(0); // the default tokenizer sees no tokens
  });

  it('throws ShapeError for a count mismatch and ValueError for non-strings or an empty corpus', () => {
    expect(() => rouge(['a', 'b'], ['a'])).toThrow(ShapeError);
    expect(() => rouge(['a', 'b'], ['a'])).toThrow(/rouge: 2 hypotheses but 1 references/);
    expect(() => rouge(['a'], [['a'] as unknown as string])).toThrow(/references\[0\] must be a string, got an array/);
    expect(() => rouge([], [])).toThrow(ValueError);
  });
});
