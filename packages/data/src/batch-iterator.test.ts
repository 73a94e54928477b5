import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { BatchIterator } from './batch-iterator.js';
import type { Batch, Example } from './collate.js';

/** 200 examples; example i's source starts with id 4 + i so batches show which examples they hold. */
function examples(seed = 5): Example[] {
  const g = new Generator(seed);
  return Array.from({ length: 200 }, (_, i) => ({
    src: [4 + i, ...Array.from({ length: g.int(20) }, () => 4 + g.int(50))],
    tgt: Array.from({ length: 1 + g.int(20) }, () => 4 + g.int(50)),
  }));
}
const summary = (batch: Batch) => JSON.stringify([batch.indices, batch.src.toArray(), batch.tgtOut.toArray()]);

describe('BatchIterator', () => {
  it('yields every example exactly once per epoch, within the budget', () => {
    const data = examples();
    const it = new BatchIterator(data, { maxTokens: 128, seed: 1 });
    for (let epoch = 0; epoch < 2; epoch++) {
      const seen: number[] = [];
      for (const batch of it) {
        seen.push(...batch.indices);
        expect(batch.src.shape[0] * Math.max(batch.src.shape[1], batch.tgtIn.shape[1])).toBeLessThanOrEqual(128);
        batch.indices.forEach((index, row) => expect(batch.src.data[row * batch.src.shape[1]]).toBe(4 + index));
      }
      expect(seen.sort((a, b) => a - b)).toEqual(data.map((_, i) => i));
      expect(it.epoch).toBe(epoch);
    }
  });

  it('reshuffles each epoch, and gives the same batches for the same seed', () => {
    const data = examples();
    const a = new BatchIterator(data, { maxTokens: 128, seed: 1 });
    const b = new BatchIterator(data, { maxTokens: 128, seed: 1 });
    const first = [...a].map(summary);
    expect([...b].map(summary)).toEqual(first);
    expect([...a].map(summary)).not.toEqual(first);
  });

  it('resumes from a saved JSON state with exactly the same remaining batches, across epochs', () => {
    const data = examples();
    const original = new BatchIterator(data, { maxTokens: 128, seed: 42 });
    const perEpoch = original.batchesInEpoch;
    for (let i = 0; i < perEpoch + 3; i++) original.next(); // into epoch 1
    const state = JSON.parse(JSON.stringify(original.getState()));
    expect(state).toMatchObject({ epoch: 1, index: 3 });
    const expected = Array.from({ length: 2 * perEpoch }, () => summary(original.next()));

    const restored = new BatchIterator(data, { maxTokens: 128, seed: 999 }); // the seed is overridden
    restored.setState(state);
    expect(Array.from({ length: 2 * perEpoch }, () => summary(restored.next()))).toEqual(expected);
  });

  it('resumes from a state saved at the very end of an epoch', () => {
    const data = examples();
    const original = new BatchIterator(data, { batchSize: 16, seed: 3 });
    [...original];
    const state = original.getState();
    const restored = new BatchIterator(data, { batchSize: 16, seed: 3 });
    restored.setState(state);
    expect(summary(restored.next())).toBe(summary(original.next()));
    expect(restored.epoch).toBe(1);
  });

  it('refuses a state from other examples or with a bad index', () => {
    const it = new BatchIterator(examples(), { maxTokens: 128 });
    const other = new BatchIterator(examples(6), { maxTokens: 128 });
    expect(() => it.setState(other.getState())).toThrow(/the state was saved for 200 examples with lengths hash \d+, but this iterator has 200 with hash \d+/);
    expect(() => it.setState({ ...it.getState(), index: 10_000 })).toThrow(/index 10000 is out of range for an epoch of \d+ batches/);
    expect(() => new BatchIterator([], { maxTokens: 1 })).toThrow(/expected at least one example/);
  });
});
