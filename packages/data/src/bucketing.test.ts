import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { paddedLength, planBatches, type ExampleLength } from './bucketing.js';

/** 500 examples with lengths 1..60, from a fixed generator. */
function randomLengths(seed = 3): ExampleLength[] {
  const g = new Generator(seed);
  return Array.from({ length: 500 }, () => ({ srcLen: 1 + g.int(60), tgtLen: g.int(60) }));
}

function expectEachIndexOnce(batches: number[][], n: number): void {
  expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('planBatches', () => {
  it('keeps every batch within the padded-token budget and each example exactly once', () => {
    const lengths = randomLengths();
    const batches = planBatches(lengths, { maxTokens: 300 }, new Generator(1));
    expectEachIndexOnce(batches, lengths.length);
    for (const batch of batches) {
      const longest = Math.max(...batch.map((i) => paddedLength(lengths[i])));
      expect(batch.length * longest).toBeLessThanOrEqual(300);
    }
  });

  it('groups similar lengths, so padding stays small', () => {
    const lengths = randomLengths();
    const batches = planBatches(lengths, { maxTokens: 300 }, new Generator(1));
    let padded = 0;
    let real = 0;
    for (const batch of batches) {
      padded += batch.length * Math.max(...batch.map((i) => paddedLength(lengths[i])));
      real += batch.reduce((sum, i) => sum + paddedLength(lengths[i]), 0);
    }
    expect(real / padded).toBeGreaterThan(0.85);
  });

  it('cuts by sentence count with batchSize, and by both limits together', () => {
    const lengths = randomLengths();
    const bySize = planBatches(lengths, { batchSize: 32 }, new Generator(1));
    expectEachIndexOnce(bySize, lengths.length);
    expect(bySize.filter((b) => b.length !== 32)).toHaveLength(1); // 500 = 15 × 32 + 20
    const both = planBatches(lengths, { batchSize: 4, maxTokens: 200 }, new Generator(1));
    expect(Math.max(...both.map((b) => b.length))).toBeLessThanOrEqual(4);
  });

  it('works a small case by hand: sorted by max(srcLen, tgtLen + 1), then srcLen, then tgtLen', () => {
    const lengths = [{ srcLen: 5, tgtLen: 1 }, { srcLen: 2, tgtLen: 2 }, { srcLen: 2, tgtLen: 9 }, { srcLen: 3, tgtLen: 3 }, { srcLen: 4, tgtLen: 2 }];
    // Padded sizes 5, 3, 10, 4, 4 → order 1 (3), 3 (4, src 3), 4 (4, src 4), 0 (5), 2 (10). Budget 15:
    // [1, 3, 4] costs 3 × 4 = 12, adding 0 would cost 4 × 5 = 20 → cut; [0] + 2 would cost 2 × 10 → cut.
    expect(planBatches(lengths, { maxTokens: 15, shuffle: false }, new Generator(0))).toEqual([[1, 3, 4], [0], [2]]);
  });

  it('depends only on the generator: same seed, same plan; another seed, another order', () => {
    const lengths = randomLengths();
    const a = planBatches(lengths, { maxTokens: 300 }, new Generator(7));
    expect(planBatches(lengths, { maxTokens: 300 }, new Generator(7))).toEqual(a);
    expect(planBatches(lengths, { maxTokens: 300 }, new Generator(8))).not.toEqual(a);
  });

  it('refuses an example larger than maxTokens, and missing or bad limits', () => {
    const g = new Generator(0);
    expect(() => planBatches([{ srcLen: 3, tgtLen: 40 }], { maxTokens: 32 }, g)).toThrow(/example 0 needs 41 padded tokens \(srcLen 3, tgtLen 40 \+ 1\) but maxTokens is 32/);
    expect(() => planBatches([], {}, g)).toThrow(/give maxTokens, batchSize or both/);
    expect(() => planBatches([], { batchSize: 0 }, g)).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => planBatches([], { maxTokens: 2.5 }, g)).toThrow(/maxTokens must be a positive integer, got 2.5/);
  });
});
