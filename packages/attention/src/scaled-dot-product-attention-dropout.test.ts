// Attention dropout: the fused path (WebAssembly kernels in float32, the blocked TypeScript attention in
// float64) and the composed reference drop the same weights for the same generator state, so outputs and
// gradients agree; the seed comes from the generator (reproducible, resumable); eval and p = 0 drop nothing.
import { Generator, bernoulli, cpuBackend, logicalNot, randn, setBackend, type AttentionMasking, type Backend, type FloatDType } from '@gloss/tensor';
import { variable, type Variable } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { paddingMask } from './masks.js';
import {
  composedAttention, fusedAttention, scaledDotProductAttention, whyNotFused, type ScaledDotProductAttentionOptions,
} from './scaled-dot-product-attention.js';

const leaf = (shape: number[], seed: number, dtype: FloatDType): Variable =>
  variable(randn(shape, { generator: new Generator(seed), dtype }), { requiresGrad: true });

interface Case { name: string; batch: number; heads: number; tq: number; tk: number; headDim: number; options: () => ScaledDotProductAttentionOptions }
const CASES: Case[] = [
  { name: 'no mask, odd sizes', batch: 2, heads: 3, tq: 5, tk: 7, headDim: 8, options: () => ({}) },
  { name: 'causal, T = 33', batch: 2, heads: 2, tq: 33, tk: 33, headDim: 16, options: () => ({ causal: true }) },
  { name: 'causal + key padding (an all-padding batch row)', batch: 3, heads: 2, tq: 9, tk: 9, headDim: 8,
    options: () => ({ causal: true, keyPaddingMask: paddingMask([9, 4, 0], 9) }) },
  { name: 'bool attnMask, headDim 6 (the TypeScript path in float32 too)', batch: 2, heads: 2, tq: 6, tk: 11, headDim: 6,
    options: () => ({ attnMask: bernoulli([6, 11], 0.7, { generator: new Generator(5) }) }) },
  { name: 'float attnMask with −∞ and a fully masked row, scale', batch: 1, heads: 2, tq: 4, tk: 5, headDim: 4,
    options: () => ({ attnMask: randn([4, 5], { generator: new Generator(6) }).maskedFill(logicalNot(bernoulli([4, 5], 0.8, { generator: new Generator(7) })), -Infinity), scale: 0.6 }) },
];

/** Output and the gradients of Σ out ⊙ r, with dropout p seeded by Generator(genSeed). */
function run(path: 'fused' | 'composed', c: Case, dtype: FloatDType, p: number, genSeed = 3) {
  const q = leaf([c.batch, c.heads, c.tq, c.headDim], 1, dtype);
  const k = leaf([c.batch, c.heads, c.tk, c.headDim], 2, dtype);
  const v = leaf([c.batch, c.heads, c.tk, c.headDim], 3, dtype);
  const options = { ...c.options(), dropout: p, generator: new Generator(genSeed) };
  const out = path === 'fused' ? fusedAttention(q, k, v, options) : composedAttention(q, k, v, options).output;
  out.backward(randn(out.shape, { generator: new Generator(99), dtype }));
  return { out: out.value, dq: q.grad!, dk: k.grad!, dv: v.grad! };
}

afterEach(() => { setBackend(cpuBackend); });

describe('scaledDotProductAttention with dropout', () => {
  describe.each(CASES)('$name', (c) => {
    it.each([['float32', 2e-5, 1e-4], ['float64', 1e-12, 1e-10]] as const)('fused equals composed with the same mask in %s (output and gradients)',
      (dtype, atol, rtol) => {
        const fused = run('fused', c, dtype, 0.3);
        const composed = run('composed', c, dtype, 0.3);
        for (const key of ['out', 'dq', 'dk', 'dv'] as const) {
          expectClose(fused[key], composed[key], { atol, rtol });
          expect(Array.from(fused[key].data).every(Number.isFinite), `${key} finite`).toBe(true);
        }
        // The mask matters: without dropout the output differs.
        expect(run('fused', c, dtype, 0).out.data).not.toEqual(fused.out.data);
      });
  });

  it.each(['fused', 'composed'] as const)('passes gradcheck in float64 with a fixed mask (%s path)', (path) => {
    const [q, k, v] = [leaf([2, 2, 4, 3], 11, 'float64'), leaf([2, 2, 5, 3], 12, 'float64'), leaf([2, 2, 5, 3], 13, 'float64')];
    // A fresh Generator(4) per call: every evaluation draws the same seed, so the same weights are dropped.
    const options = () => ({ causal: true, keyPaddingMask: paddingMask([5, 3], 5), dropout: 0.4, generator: new Generator(4) });
    const f = (q: Variable, k: Variable, v: Variable) =>
      path === 'fused' ? fusedAttention(q, k, v, options()) : composedAttention(q, k, v, options()).output;
    expect(gradcheck(f, [q, k, v])).toBe(true);
  });

  it('is reproducible from the generator state (resume) and changes with it', () => {
    const [q, k, v] = [leaf([2, 2, 8, 8], 21, 'float32'), leaf([2, 2, 8, 8], 22, 'float32'), leaf([2, 2, 8, 8], 23, 'float32')];
    const g = new Generator(5);
    g.normal();
    const saved = g.getState();
    const first = scaledDotProductAttention(q, k, v, { dropout: 0.1, generator: g }).value;
    const afterOne = g.getState();
    const second = scaledDotProductAttention(q, k, v, { dropout: 0.1, generator: g }).value;
    const resumed = scaledDotProductAttention(q, k, v, { dropout: 0.1, generator: Generator.fromState(saved) }).value;
    expect(resumed.data).toEqual(first.data);
    expect(second.data).not.toEqual(first.data);
    // One call draws exactly two 32-bit words.
    const replay = Generator.fromState(saved);
    replay.uint32();
    replay.uint32();
    expect(replay.getState()).toEqual(afterOne);
  });

  it('drops nothing and draws nothing in evaluation or with p = 0: exactly the path without dropout', () => {
    const [q, k, v] = [leaf([1, 2, 6, 8], 31, 'float32'), leaf([1, 2, 6, 8], 32, 'float32'), leaf([1, 2, 6, 8], 33, 'float32')];
    const plain = scaledDotProductAttention(q, k, v, { causal: true }).value;
    const g = new Generator(6);
    const before = g.getState();
    for (const options of [{ dropout: 0.5, training: false }, { dropout: 0 }]) {
      expect(scaledDotProductAttention(q, k, v, { causal: true, generator: g, ...options }).value.data).toEqual(plain.data);
    }
    expect(g.getState()).toEqual(before);
  });

  it('takes the fused path while training with dropout, and says why not when weights are requested', () => {
    const calls: (AttentionMasking['dropout'] | undefined)[] = [];
    const counting: Backend = {
      ...cpuBackend,
      attentionForward(...args) { calls.push(args[5].dropout); cpuBackend.attentionForward(...args); },
    };
    setBackend(counting);
    const [q, k, v] = [leaf([1, 2, 6, 8], 41, 'float32'), leaf([1, 2, 6, 8], 42, 'float32'), leaf([1, 2, 6, 8], 43, 'float32')];
    expect(whyNotFused({ dropout: 0.1 })).toBeNull();
    scaledDotProductAttention(q, k, v, { dropout: 0.1, generator: new Generator(1) });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.p).toBe(0.1);
    const options = { dropout: 0.1, returnWeights: true } as const;
    expect(whyNotFused(options)).toMatch(/^returnWeights: only the composed path/);
    scaledDotProductAttention(q, k, v, options);
    expect(calls).toHaveLength(1);
  });
});
