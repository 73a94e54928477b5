// The corpus metrics on a realistic evaluation set of 2,000 segments (bench/metrics-corpus.ts): scores in the range
// 5 substitutions in 5–44 words leave, and totals that count every token. What they cost, and that it grows
// linearly with the corpus, is bench/metrics.bench.ts's (npm run bench -w @gloss/training): a wall-clock limit here
// would fail on a loaded CI machine.
import { describe, expect, it } from 'vitest';
import { syntheticCorpus } from '../../bench/metrics-corpus.js';
import { corpusBleu } from './bleu.js';
import { corpusChrF } from './chrf.js';
import { rouge } from './rouge.js';

describe('corpus metrics on 2,000 segments', () => {
  const { hyps, refs } = syntheticCorpus(3, 2000);

  it('corpusBleu, corpusChrF and rouge give a good but imperfect score', () => {
    const bleu = corpusBleu(hyps, refs);
    const chrf = corpusChrF(hyps, refs);
    const r = rouge(hyps, refs);
    expect(bleu.score).toBeGreaterThan(30);
    expect(bleu.score).toBeLessThan(100);
    expect(bleu.totals[0]).toBe(bleu.sysLen);
    expect(chrf.score).toBeGreaterThan(50);
    expect(r.rougeL.f1).toBeGreaterThan(0.5);
  });
});
