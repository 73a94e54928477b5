import { Generator, concat, randn, slice, tensor, type Tensor } from '@gloss/tensor';
import { noGrad } from '@gloss/autograd';
import { expectClose } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { KVCache } from './kv-cache.js';
import { paddingMask } from './masks.js';
import { MultiHeadAttention } from './multi-head-attention.js';

const D = 8;
const seq = (shape: number[], seed: number): Tensor => randn(shape, { generator: new Generator(seed) });

/** One decoder-like block: masked self-attention, then cross-attention over the memory (with its padding). */
function makeBlock(seed: number) {
  const selfAttn = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(seed) });
  const crossAttn = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(seed + 1) });
  return (x: Tensor, memory: Tensor, srcPadding: Tensor, caches?: { self: KVCache; cross: KVCache }) => noGrad(() => {
    const h = selfAttn.forward(x, x, x, { causal: true, cache: caches?.self }).output;
    return crossAttn.forward(h, memory, memory, { keyPaddingMask: srcPadding, cache: caches?.cross }).output.value;
  });
}

describe('KVCache', () => {
  it('decoding step by step equals full recomputation with the causal mask, at every step', () => {
    const block = makeBlock(1);
    const tgt = seq([2, 6, D], 2);
    const memory = seq([2, 5, D], 3);
    const srcPadding = paddingMask([5, 3], 5);
    const caches = { self: new KVCache('self'), cross: new KVCache('memory') };
    for (let t = 0; t < 6; t++) {
      const step = block(slice(tgt, 1, t, t + 1), memory, srcPadding, caches);   // [2, 1, D]
      const full = block(slice(tgt, 1, 0, t + 1), memory, srcPadding);           // [2, t + 1, D]
      expectClose(step, slice(full, 1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
      expect(caches.self.length).toBe(t + 1);
      expect(caches.cross.length).toBe(5);
    }
  });

  it('projects the encoder memory once and reuses it', () => {
    const crossAttn = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(4) });
    const memory = seq([1, 3, D], 5);
    const cache = new KVCache('memory');
    crossAttn.forward(seq([1, 1, D], 6), memory, memory, { cache });
    const key = cache.key;
    crossAttn.forward(seq([1, 1, D], 7), memory, memory, { cache });
    expect(cache.key).toBe(key);
    cache.clear();
    expect(cache.filled).toBe(false);
  });

  it('accepts a multi-token prefill, then single steps (causal is bottom-right aligned)', () => {
    const block = makeBlock(8);
    const tgt = seq([1, 5, D], 9);
    const memory = seq([1, 4, D], 10);
    const srcPadding = paddingMask([4], 4);
    const caches = { self: new KVCache(), cross: new KVCache('memory') };
    const full = block(tgt, memory, srcPadding);
    expectClose(block(slice(tgt, 1, 0, 3), memory, srcPadding, caches), slice(full, 1, 0, 3), { atol: 1e-5, rtol: 1e-4 });
    for (let t = 3; t < 5; t++) {
      expectClose(block(slice(tgt, 1, t, t + 1), memory, srcPadding, caches), slice(full, 1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
    }
  });

  it('reorders batch rows for beam search', () => {
    const block = makeBlock(11);
    const tgt = seq([2, 4, D], 12);
    const memory = seq([2, 5, D], 13);
    const srcPadding = paddingMask([5, 2], 5);
    const caches = { self: new KVCache(), cross: new KVCache('memory') };
    for (let t = 0; t < 3; t++) block(slice(tgt, 1, t, t + 1), memory, srcPadding, caches);
    // Three beams: hypotheses from rows 1, 0, 1. The memory and its padding follow the same rows.
    const rows = tensor([1, 0, 1], undefined, 'int32');
    caches.self.reorder(rows);
    caches.cross.reorder([1, 0, 1]);
    const next = seq([3, 1, D], 14);
    const step = block(next, memory.indexSelect(rows), srcPadding.indexSelect(rows), caches);        // [3, 1, D]
    const prefix = slice(tgt, 1, 0, 3).indexSelect(rows);                                           // [3, 3, D]
    const full = block(concat([prefix, next], 1), memory.indexSelect(rows), srcPadding.indexSelect(rows));
    expectClose(step, slice(full, 1, 3, 4), { atol: 1e-5, rtol: 1e-4 });
    expect(caches.self.key!.shape).toEqual([3, 2, 4, 4]);
  });

  it('rejects bad reorder indices and a batch that does not match the cache', () => {
    const attn = new MultiHeadAttention({ dModel: D, numHeads: 2 });
    const cache = new KVCache();
    const x = seq([2, 1, D], 15);
    attn.forward(x, x, x, { cache });
    expect(() => cache.reorder([0, 2])).toThrow('KVCache.reorder: index 2 is out of range for a cache of batch 2');
    expect(() => cache.reorder(tensor([0, 1]))).toThrow('KVCache.reorder: indices must be int32, got float32');
    const y = seq([3, 1, D], 16);
    expect(() => attn.forward(y, y, y, { cache })).toThrow('KVCache: new keys are [3, 2, 1, 4] but the cached keys are [2, 2, 1, 4]');
    const memoryCache = new KVCache('memory');
    attn.forward(x, x, x, { cache: memoryCache });
    expect(() => attn.forward(y, x, x, { cache: memoryCache })).toThrow('MultiHeadAttention: query is [3, 1, 8] but the cached memory keys are [2, 2, 1, 4] (batch must match)');
  });

  it('writes each step in place within the reserved capacity, and grows past it keeping what it held', () => {
    const block = makeBlock(17);
    const tgt = seq([2, 5, D], 18);
    const memory = seq([2, 3, D], 19);
    const srcPadding = paddingMask([3, 2], 3);
    const caches = { self: new KVCache(), cross: new KVCache('memory') };
    caches.self.reserve(3);
    block(slice(tgt, 1, 0, 1), memory, srcPadding, caches);
    const buffer = caches.self.keyData;
    expect(caches.self.capacity).toBe(3);
    for (let t = 1; t < 3; t++) block(slice(tgt, 1, t, t + 1), memory, srcPadding, caches);
    expect(caches.self.keyData).toBe(buffer);                                // no new buffer while it fits
    for (let t = 3; t < 5; t++) {
      const step = block(slice(tgt, 1, t, t + 1), memory, srcPadding, caches);
      expectClose(step, slice(block(slice(tgt, 1, 0, t + 1), memory, srcPadding), 1, t, t + 1), { atol: 1e-5, rtol: 1e-4 });
    }
    expect(caches.self.capacity).toBe(6);                                   // doubled once
  });

  it('points beams of one sentence at one copy of the memory keys and values', () => {
    const block = makeBlock(20);
    const memory = seq([2, 4, D], 21);
    const srcPadding = paddingMask([4, 3], 4);
    const caches = { self: new KVCache(), cross: new KVCache('memory') };
    block(seq([2, 1, D], 22), memory, srcPadding, caches);
    const stored = caches.cross.keyData;
    const rows = [0, 0, 1, 1, 1];
    caches.self.reorder(rows);
    caches.cross.reorder(rows);
    expect(caches.cross.keyData).toBe(stored);
    expect(rows.map((_, r) => caches.cross.entryOf(r))).toEqual(rows);
    expect(caches.cross.key!.shape).toEqual([5, 2, 4, 4]);                   // materialized per row on request
    const index = tensor(rows, undefined, 'int32');
    const next = seq([5, 1, D], 23);
    const step = block(next, memory, srcPadding.indexSelect(index), caches);
    const selfOnly = { self: new KVCache(), cross: new KVCache('memory') };   // the same rows decoded on copies
    const prev = seq([2, 1, D], 22).indexSelect(index);
    block(prev, memory.indexSelect(index), srcPadding.indexSelect(index), selfOnly);
    expectClose(step, block(next, memory.indexSelect(index), srcPadding.indexSelect(index), selfOnly), { atol: 1e-5, rtol: 1e-4 });
  });

  it('the cached step returns the attention weights of the full computation, per head and averaged', () => {
    const attn = new MultiHeadAttention({ dModel: D, numHeads: 2, generator: new Generator(24) });
    const memory = seq([2, 5, D], 25);
    const srcPadding = paddingMask([5, 2], 5);
    const query = seq([2, 1, D], 26);
    for (const averageWeights of [false, true]) {
      const cache = new KVCache('memory');
      noGrad(() => {
        const cached = attn.forward(query, memory, memory, { keyPaddingMask: srcPadding, cache, needWeights: true, averageWeights });
        const full = attn.forward(query, memory, memory, { keyPaddingMask: srcPadding, needWeights: true, averageWeights });
        expect(cached.weights!.shape).toEqual(full.weights!.shape);
        expectClose(cached.weights!.value, full.weights!.value, { atol: 1e-6, rtol: 1e-5 });
        expectClose(cached.output.value, full.output.value, { atol: 1e-5, rtol: 1e-4 });
      });
    }
  });
});
