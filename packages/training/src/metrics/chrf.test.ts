// chrF / chrF++: worked examples from sacreBLEU's test/test_chrf.py (tolerance 1e-4 as there) and from the
// Hugging Face `chrf` metric's documented examples (huggingface/evaluate metrics/chrf/chrf.py, which call
// sacreBLEU's CHRF), hand-computed cases and bad-input errors.
import { ShapeError, ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { chrFStatistics, corpusChrF, formatChrF, sentenceChrF, type ChrFOptions } from './chrf.js';
import { transposeReferences } from './references.js';

const chrf = (hyps: string[], refs: string[], options: ChrFOptions) => corpusChrF(hyps, refs, options).score;

describe('corpusChrF: sacreBLEU test_chrf.py', () => {
  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [[' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'], 63.361730],
    [[' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 64.1302698],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
  ])('eps smoothing, β = 3: %j vs %j ≈ %f (test_chrf)', (hyps, refs, expected) => {
    expect(Math.abs(chrf(hyps, refs, { beta: 3, epsSmoothing: true }) - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ])('effective order (default), β = 3: %j vs %j = %f (test_chrf_eff_order)', (hyps, refs, expected) => {
    expect(Math.abs(chrf(hyps, refs, { beta: 3 }) - expected)).toBeLessThan(1e-4);
  });

  it.each([
    [['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 67.3481606],
    [['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'], 65.2414427],
  ])('whitespace kept, β = 3: %j ≈ %f (test_chrf_keep_whitespace)', (hyps, refs, expected) => {
    expect(Math.abs(chrf(hyps, refs, { beta: 3, whitespace: true }) - expected)).toBeLessThan(1e-4);
  });

  it.each([
    ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.', 39.14078509],
    ['Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.', 31.22557079],
    ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.', 57.15704367],
  ])('sentenceChrF with eps smoothing: %s ≈ %f (test_chrf_sentence_level)', (hyp, ref, expected) => {
    expect(Math.abs(sentenceChrF(hyp, [ref], { epsSmoothing: true }).score - expected)).toBeLessThan(1e-4);
  });
});

describe('corpusChrF: Hugging Face chrf examples (per-prediction reference lists, transposed)', () => {
  const predictions = ['The relationship between cats and dogs is not exactly friendly.', 'a good bookshop is just a genteel black hole that knows how to read.'];
  const references = transposeReferences([['The relationship between dogs and cats is not exactly friendly.'], ['A good bookshop is just a genteel Black Hole that knows how to read.']]);
  it.each([
    [{}, 84.64214891738334, 'chrF2'],
    [{ wordOrder: 2 }, 82.87263732906315, 'chrF2++'],
    [{ wordOrder: 2, lowercase: true }, 92.12853119829202, 'chrF2++'],
  ] as [ChrFOptions, number, string][])('%j scores %f as %s', (options, expected, name) => {
    const score = corpusChrF(predictions, references, options);
    expect(score.score).toBeCloseTo(expected, 10);
    expect(score.name).toBe(name);
  });
});

describe('corpusChrF: hand-computed cases and behaviour', () => {
  it("'ab' vs 'abc' with charOrder 2, β = 1 is 14/19: P = (1 + 1)/2, R = (2/3 + 1/2)/2", () => {
    // order 1: hyp {a, b}, ref {a, b, c}: 2 matches → P 1, R 2/3; order 2: hyp {ab}, ref {ab, bc} → P 1, R 1/2.
    // F1 = 2·1·(7/12) / (1 + 7/12) = 14/19.
    expect(chrf(['ab'], ['abc'], { charOrder: 2, beta: 1 })).toBeCloseTo((100 * 14) / 19, 12);
  });

  it('sums statistics over the corpus before the F-score (not a mean of sentence scores)', () => {
    // Segment statistics for orders 1–2, [hyp, ref, match]: 'ab'/'ab' → [2,2,2, 1,1,1]; 'a'/'b' → [1,1,0, 0,0,0].
    const { stats } = chrFStatistics(['ab', 'a'], ['ab', 'b'], { charOrder: 2 });
    expect(stats).toEqual([3, 3, 2, 1, 1, 1]);
    // P = R = (2/3 + 1)/2 = 5/6 → F = 5/6; the mean of sentence scores would be (100 + 0)/2.
    expect(chrf(['ab', 'a'], ['ab', 'b'], { charOrder: 2 })).toBeCloseTo((100 * 5) / 6, 12);
  });

  it('ignores whitespace by default and counts an emoji as one character', () => {
    expect(chrf(['a b c'], ['abc'], {})).toBe(100);
    // '😀' is one code point: 1-gram matches 1 of 1; 'x😀' vs 'y😀' → order 1: P = R = 1/2, order 2: 0 matches.
    expect(chrf(['x😀'], ['y😀'], { charOrder: 2, beta: 1 })).toBeCloseTo(100 * (0.5 / 2), 12);
  });

  it('chrF++ splits one ASCII punctuation mark off a word\'s end, else its start: "(hi)" → "(hi", ")"', () => {
    // charOrder 0: word unigrams only. Hyp '(hi)' → ['(hi', ')'] (sacreBLEU issue #124); ref '(hi )' → ['(', 'hi', ')'].
    // One match (')'): P = 1/2, R = 1/3, F1 = 2/5.
    expect(chrf(['(hi)'], ['(hi )'], { charOrder: 0, wordOrder: 1, beta: 1 })).toBeCloseTo(40, 12);
    expect(chrf(['hi!'], ['hi'], { charOrder: 0, wordOrder: 1, beta: 1 })).toBeCloseTo(100 * (2 * 0.5 * 1) / 1.5, 12);
  });

  it('with several references each segment takes the reference of best F', () => {
    const best = corpusChrF(['the cat'], [['a dog'], ['the cat']]);
    expect(best.score).toBe(100);
    expect(best.signature).toBe('nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 (gloss)');
  });

  it('reports sacreBLEU names, signatures and lines', () => {
    const s = corpusChrF(['a'], ['a'], { wordOrder: 2, lowercase: true, whitespace: true, epsSmoothing: true });
    expect(s.signature).toBe('nrefs:1|case:lc|eff:no|nc:6|nw:2|space:yes|version:2.6.0 (gloss)');
    expect(formatChrF(corpusChrF(['a b c'], ['abc']))).toBe('chrF2 = 100.00');
  });
});

describe('corpusChrF: bad input', () => {
  it('throws ShapeError for a stream of the wrong length and ValueError for bad options', () => {
    expect(() => corpusChrF(['a', 'b'], ['a'])).toThrow(ShapeError);
    expect(() => corpusChrF(['a'], ['a'], { charOrder: -1 })).toThrow(/corpusChrF: charOrder must be an integer ≥ 0, got -1/);
    expect(() => corpusChrF(['a'], ['a'], { charOrder: 0, wordOrder: 0 })).toThrow(/charOrder \+ wordOrder must be at least 1/);
    expect(() => corpusChrF(['a'], ['a'], { beta: 0 })).toThrow(/beta must be a finite number > 0, got 0/);
    expect(() => sentenceChrF('a', [])).toThrow(ValueError);
    expect(() => corpusChrF([], [])).toThrow(/corpusChrF: hypotheses is empty/);
  });
});
