// Speed on a realistic evaluation set: 2,000 segments (~49k tokens a side, seeded synthetic text). Measured on
// the 2-core dev machine: corpusBleu ≈ 130 ms, corpusChrF ≈ 220 ms, rouge ≈ 70 ms (README). The bound here is
// loose (2 s each) so a busy shared machine does not fail it; quadratic work in the corpus size would.
import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { corpusBleu } from './bleu.js';
import { corpusChrF } from './chrf.js';
import { rouge } from './rouge.js';

function corpus(seed: number, size: number): { hyps: string[]; refs: string[] } {
  const gen = new Generator(seed);
  const vocab = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
  const hyps: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < size; i++) {
    // Zipf-like word choice (squared uniform), 5–44 words, then 5 random substitutions for the hypothesis.
    const words = Array.from({ length: 5 + gen.int(40) }, () => vocab[Math.floor(gen.random() ** 2 * vocab.length)]);
    refs.push(`${words.join(' ')}.`);
    for (let k = 0; k < 5; k++) words[gen.int(words.length)] = vocab[gen.int(vocab.length)];
    hyps.push(`${words.join(' ')}.`);
  }
  return { hyps, refs };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
}

describe('corpus metrics on 2,000 segments', () => {
  const { hyps, refs } = corpus(3, 2000);

  it('corpusBleu, corpusChrF and rouge each finish well within 2 s', () => {
    const [bleu, bleuMs] = timed(() => corpusBleu(hyps, refs));
    const [chrf, chrfMs] = timed(() => corpusChrF(hyps, refs));
    const [r, rougeMs] = timed(() => rouge(hyps, refs));
    // Sanity: 5 substitutions in 5–44 words leave a good but imperfect score; totals count every token.
    expect(bleu.score).toBeGreaterThan(30);
    expect(bleu.score).toBeLessThan(100);
    expect(bleu.totals[0]).toBe(bleu.sysLen);
    expect(chrf.score).toBeGreaterThan(50);
    expect(r.rougeL.f1).toBeGreaterThan(0.5);
    for (const ms of [bleuMs, chrfMs, rougeMs]) expect(ms).toBeLessThan(2000);
  });
});
