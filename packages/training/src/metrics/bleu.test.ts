// BLEU: worked examples from sacreBLEU's own tests (test/test_bleu.py, test/test_sentence_bleu.py and the
// README's API example, mjpost/sacrebleu), hand-computed cases, invariants and bad-input errors.
import { GlossError, ShapeError, ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { bleuStatistics, computeBleu, corpusBleu, formatBleu, mergeBleuStatistics, sentenceBleu, type BleuOptions } from './bleu.js';

// sacrebleu's raw_corpus_bleu: no tokenization, 'floor' smoothing, effective order.
const raw = (smoothValue: number): BleuOptions => ({ tokenize: 'none', smoothMethod: 'floor', smoothValue, effectiveOrder: true });

// README corpus (also test_bleu.py's _hyps/_refs): two reference streams.
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];

describe('corpusBleu: sacreBLEU test_bleu.py and README values', () => {
  it.each([
    [{}, 48.530827],
    [{ tokenize: 'none' }, 49.1919566],
    [{ tokenize: '13a' }, 48.530827],
    [{ tokenize: 'intl' }, 43.91623493],
    [{ smoothMethod: 'none' }, 48.530827],
  ] as [BleuOptions, number][])('README corpus with %j scores %f (test_corpus_bleu)', (options, expected) => {
    expect(corpusBleu(HYPS, REFS, options).score).toBeCloseTo(expected, 6);
  });

  it('reports the README line and signature: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 …), nrefs:2', () => {
    const bleu = corpusBleu(HYPS, REFS);
    expect(formatBleu(bleu)).toBe('BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)');
    expect(bleu.signature).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 (gloss)');
    expect([bleu.counts, bleu.totals]).toEqual([[14, 7, 5, 3], [17, 14, 11, 8]]);
  });

  it('keeps empty hypotheses: three empty strings score 0 (test_corpus_bleu)', () => {
    const bleu = corpusBleu(['', '', ''], REFS);
    expect(bleu.score).toBe(0);
    expect(bleu.bp).toBe(0); // sysLen 0 < refLen
  });

  it('a missing (null) reference makes nrefs:var and uses only the others (README: 29.44, ref_len 19)', () => {
    const bleu = corpusBleu(HYPS, [[null, ...REFS[0].slice(1)], REFS[1]]);
    expect(formatBleu(bleu)).toBe('BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)');
    expect(bleu.signature.startsWith('nrefs:var|')).toBe(true);
  });

  it.each([[1, '77.65'], [2, '60.50'], [3, '53.93'], [4, '48.53'], [5, '46.14'], [6, '43.28']])(
    'maxNgramOrder %i gives %s (test_max_ngram_order)', (order, expected) => {
      expect(corpusBleu(HYPS, REFS, { maxNgramOrder: order }).score.toFixed(2)).toBe(expected);
    });

  it.each([
    [['this is a test', 'another test'], [['ref1', 'ref2']], 0.0], // no match at all: 0, not a smoothed score (#141)
    [['this is a test'], [['this is a test']], 1.0],
    [['this is a fest'], [['this is a test']], 0.223606797749979],
    [['test'], [['a test']], 0.3678794411714425], // effective order 1, BP = e^(1 - 2/1)
    [['a test'], [['a test']], 1.0],
    [['a little test'], [['a test']], 0.03218297948685433],
  ])('raw_corpus_bleu(%j, %j, 0.01) = %f (test_raw_bleu, test_effective_order)', (hyps, refs, expected) => {
    expect(corpusBleu(hyps, refs, raw(0.01)).score / 100).toBeCloseTo(expected, 10);
  });

  it('counts clipped matches as test_statistics: [4, 2, 1, 0] of [6, 5, 4, 3]', () => {
    const bleu = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], raw(0.01));
    expect([bleu.counts, bleu.totals]).toEqual([[4, 2, 1, 0], [6, 5, 4, 3]]);
  });

  it('floors a zero 4-gram count at smoothValue (test_offset: 0.1555722182 with 0.1, 0 with 0)', () => {
    const hyp = ['am I am a character sequence'];
    const ref = [['I am a symbol string sequence a a']];
    expect(corpusBleu(hyp, ref, raw(0.1)).score / 100).toBeCloseTo(0.1555722182, 9);
    expect(corpusBleu(hyp, ref, { tokenize: 'none', smoothMethod: 'floor', effectiveOrder: true }).score / 100).toBeCloseTo(0.1555722182, 9);
    expect(corpusBleu(hyp, ref, raw(0)).score).toBe(0);
  });
});

describe('computeBleu from statistics (test_scoring, test_degenerate_statistics)', () => {
  const stats = (correct: number[], total: number[], sysLen: number, refLen: number) => ({ correct, total, sysLen, refLen, numRefs: 1 });

  it('scores [9, 7, 5, 3] / [10, 8, 6, 4] at length 11 as 0.8375922397 with no smoothing', () => {
    expect(computeBleu(stats([9, 7, 5, 3], [10, 8, 6, 4], 11, 11), { smoothMethod: 'none' }).score / 100).toBeCloseTo(0.8375922397, 10);
  });

  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('correct %j of %j (sys %i, ref %i) with floor %f scores exactly 0', (c, t, s, r, floor) => {
    expect(computeBleu(stats(c, t, s, r), { smoothMethod: 'floor', smoothValue: floor }).score).toBe(0);
  });

  it('exp smoothing halves each further zero order: 100/(2·total), then 100/(4·total)', () => {
    // correct [2, 0, 0, 0] of [4, 3, 2, 1]: p = 50, 100/(2·3), 100/(4·2), 100/(8·1); BP 1.
    const bleu = computeBleu(stats([2, 0, 0, 0], [4, 3, 2, 1], 4, 4));
    expect(bleu.precisions).toEqual([50, 100 / 6, 100 / 8, 100 / 8]);
    expect(bleu.score).toBeCloseTo(Math.exp((Math.log(50) + Math.log(100 / 6) + 2 * Math.log(12.5)) / 4), 12);
  });

  it('add-k adds k to counts and totals from order 2 on, and reports the raw counts', () => {
    // correct [3, 1, 0, 0] of [4, 3, 2, 1], k = 1: p = 3/4, 2/4, 1/3, 1/2.
    const bleu = computeBleu(stats([3, 1, 0, 0], [4, 3, 2, 1], 4, 4), { smoothMethod: 'add-k' });
    expect(bleu.score / 100).toBeCloseTo(Math.pow((3 / 4) * (2 / 4) * (1 / 3) * (1 / 2), 1 / 4), 12);
    expect(bleu.counts).toEqual([3, 1, 0, 0]);
    expect(bleu.signature).toContain('smooth:add-k[1.00]');
  });

  it('throws ShapeError when maxNgramOrder disagrees with the statistics', () => {
    expect(() => computeBleu(stats([1, 1], [2, 2], 2, 2), { maxNgramOrder: 4 })).toThrow(ShapeError);
  });
});

describe('sentenceBleu: sacreBLEU test_sentence_bleu.py (issue #98 example)', () => {
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  it.each([
    [{}, 8.493],
    [{ smoothMethod: 'none' }, 0.0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' }, 7.347],
    [{ tokenize: 'intl' }, 8.493],
    [{ tokenize: 'char' }, 40.8759],
    [{ tokenize: 'char', lowercase: true }, 42.0267],
  ] as [BleuOptions, number][])('%j scores %f', (options, expected) => {
    expect(Math.abs(sentenceBleu(SYS, [REF], options).score - expected)).toBeLessThan(1e-3);
  });

  it.each(['exp', 'none', 'floor', 'add-k'] as const)('no shared word (issue #141) scores 0 with %s smoothing', (smoothMethod) => {
    expect(sentenceBleu('this is a cat', 'okay thanks', { smoothMethod }).score).toBe(0);
  });

  it('defaults to effective order (eff:yes) and takes one reference as a string', () => {
    const bleu = sentenceBleu('a test', 'this is a test');
    expect(bleu.score).toBeCloseTo(100 * Math.exp(1 - 4 / 2), 12); // both precisions 100 %, BP e^(1 − 4/2)
    expect(bleu.signature).toBe('nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0 (gloss)');
  });
});

describe('corpusBleu: hand-computed cases', () => {
  it("'the cat sat on the mat' vs 'the cat is on the mat' is (5/6 · 3/5 · 1/4 · 1/6)^(1/4) = (1/48)^(1/4)", () => {
    // 1-grams 5 of 6 (the ×2, cat, on, mat); 2-grams 3 of 5 (the cat, on the, the mat); 3-grams 1 of 4
    // (on the mat); 4-grams 0 of 3 → exp smoothing 100/(2·3) %; equal lengths, so BP = 1.
    const bleu = corpusBleu(['the cat sat on the mat'], ['the cat is on the mat']);
    expect(bleu.counts).toEqual([5, 3, 1, 0]);
    expect(bleu.score).toBeCloseTo(100 * Math.pow(1 / 48, 1 / 4), 12);
  });

  it('takes the closest reference length, the shorter on a tie, and max counts across references', () => {
    // Hypothesis 5 tokens; references 4 and 6 tokens are equally close → refLen 4, BP 1.
    const stats = bleuStatistics(['a b c d e'], [['a b c d'], ['a b c d e f']], { tokenize: 'none' });
    expect([stats.sysLen, stats.refLen]).toEqual([5, 4]);
    // 'x x' clipped at 2 by the second reference's count, not 1 from the first: correct[0] = 2.
    const clipped = bleuStatistics(['x x x'], [['x y'], ['x x']], { tokenize: 'none', maxNgramOrder: 1 });
    expect(clipped.correct).toEqual([2]);
  });

  it('lowercase matches across case and says case:lc', () => {
    const bleu = corpusBleu(['THE DOG'], ['the dog'], { lowercase: true, effectiveOrder: true });
    expect(bleu.score).toBeCloseTo(100, 12);
    expect(bleu.signature).toBe('nrefs:1|case:lc|eff:yes|tok:13a|smooth:exp|version:2.6.0 (gloss)');
    expect(corpusBleu(['THE DOG'], ['the dog']).score).toBe(0);
  });

  it('without effective order a corpus of short segments scores 0: orders it lacks count as zero precision', () => {
    expect(corpusBleu(['a b'], ['a b']).score).toBe(0);
    expect(corpusBleu(['a b'], ['a b'], { effectiveOrder: true }).score).toBeCloseTo(100, 12);
  });

  it('floor signature carries its value: smooth:floor[0.10]', () => {
    expect(corpusBleu(HYPS, REFS, { smoothMethod: 'floor' }).signature).toContain('|smooth:floor[0.10]|');
  });

  it('statistics of two halves merge to the statistics of the whole corpus', () => {
    const all = bleuStatistics(HYPS, REFS);
    const merged = mergeBleuStatistics(bleuStatistics(HYPS.slice(0, 1), REFS.map((s) => s.slice(0, 1))), bleuStatistics(HYPS.slice(1), REFS.map((s) => s.slice(1))));
    expect(merged).toEqual(all);
    expect(computeBleu(merged).score).toBe(corpusBleu(HYPS, REFS).score);
  });

  it('is 100 for a perfect corpus and never above it; BP only falls for short output', () => {
    expect(corpusBleu(REFS[0], REFS[0]).score).toBeCloseTo(100, 12);
    const short = corpusBleu(['The dog bit.'], ['The dog bit the man.']);
    expect(short.bp).toBeCloseTo(Math.exp(1 - 6 / 4), 12);
    const long = corpusBleu(['The dog bit the man and more.'], ['The dog bit the man.']);
    expect(long.bp).toBe(1);
  });
});

describe('corpusBleu: bad input', () => {
  it('throws ShapeError naming the layout when a reference stream has the wrong length', () => {
    // Per-hypothesis lists passed as streams: 3 streams of 1 entry for 3 hypotheses.
    const perHypothesis = [[REFS[0][0]], [REFS[0][1]], [REFS[0][2]]];
    expect(() => corpusBleu(HYPS, perHypothesis)).toThrow(ShapeError);
    expect(() => corpusBleu(HYPS, perHypothesis)).toThrow(/references\[0\] has 1 entries but there are 3 hypotheses.*transposeReferences/);
    expect(() => corpusBleu(HYPS, ['only one'])).toThrow(/references has 1 entries but there are 3 hypotheses/);
  });

  it('throws ValueError for empty or non-string input and unknown options', () => {
    expect(() => corpusBleu([], [])).toThrow(ValueError);
    expect(() => corpusBleu(['a', 3 as unknown as string], ['a', 'b'])).toThrow(/corpusBleu: hypotheses\[1\] must be a string, got number/);
    expect(() => corpusBleu(['a'], [[null]])).toThrow(/hypothesis 0 has no reference/);
    expect(() => corpusBleu(['a'], ['a'], { tokenize: 'zh' as never })).toThrow(/unknown tokenize "zh" \(expected one of 13a, intl, char, none\)/);
    expect(() => corpusBleu(['a'], ['a'], { smoothMethod: 'laplace' as never })).toThrow(/unknown smoothMethod "laplace"/);
    expect(() => corpusBleu(['a'], ['a'], { maxNgramOrder: 0 })).toThrow(/maxNgramOrder must be an integer ≥ 1, got 0/);
    expect(() => corpusBleu(['a'], ['a'], { smoothMethod: 'floor', smoothValue: -1 })).toThrow(/smoothValue must be a finite number ≥ 0, got -1/);
    expect(() => sentenceBleu('a', [])).toThrow(ValueError);
  });

  it('every error is a GlossError', () => {
    expect(() => corpusBleu(HYPS, [['x']])).toThrow(GlossError);
  });
});
