import { Generator, bernoulli, logicalNot, randn, tensor, zeros, type FloatDType, type Tensor } from '@gloss/tensor';
import { matmul, variable, type Variable } from '@gloss/autograd';
import { expectClose, gradcheck } from '@gloss/autograd/testing';
import { describe, expect, it } from 'vitest';
import { paddingMask } from './masks.js';
import {
  composedAttention, fusedAttention, scaledDotProductAttention, type ScaledDotProductAttentionOptions,
} from './scaled-dot-product-attention.js';

const leaf = (shape: number[], seed: number, dtype: FloatDType = 'float64'): Variable =>
  variable(randn(shape, { generator: new Generator(seed), dtype }), { requiresGrad: true });

/** A float mask with −∞ where a seeded coin says so, finite values elsewhere. */
function floatMask(shape: number[], seed: number, dtype: FloatDType): Tensor {
  const keep = bernoulli(shape, 0.75, { generator: new Generator(seed) });
  return randn(shape, { generator: new Generator(seed + 1), dtype }).maskedFill(logicalNot(keep), -Infinity);
}

interface MaskCase { name: string; tq: number; tk: number; options: (dtype: FloatDType) => ScaledDotProductAttentionOptions }
const B = 2;
const H = 2;
const MASK_CASES: MaskCase[] = [
  { name: 'no mask', tq: 3, tk: 4, options: () => ({}) },
  { name: 'causal (square)', tq: 4, tk: 4, options: () => ({ causal: true }) },
  { name: 'causal (bottom-right, tq < tk)', tq: 2, tk: 5, options: () => ({ causal: true }) },
  { name: 'keyPaddingMask', tq: 3, tk: 4, options: () => ({ keyPaddingMask: paddingMask([4, 2], 4) }) },
  { name: 'bool attnMask [tq, tk]', tq: 3, tk: 4, options: () => ({ attnMask: bernoulli([3, 4], 0.7, { generator: new Generator(5) }) }) },
  { name: 'bool attnMask [batch, 1, tq, tk]', tq: 3, tk: 4, options: () => ({ attnMask: bernoulli([B, 1, 3, 4], 0.7, { generator: new Generator(6) }) }) },
  { name: 'float attnMask [batch, heads, tq, tk] with −∞', tq: 3, tk: 4, options: (dtype) => ({ attnMask: floatMask([B, H, 3, 4], 7, dtype) }) },
  {
    name: 'causal + keyPaddingMask + bool attnMask + scale', tq: 4, tk: 4,
    options: () => ({ causal: true, keyPaddingMask: paddingMask([3, 4], 4), attnMask: bernoulli([4, 4], 0.8, { generator: new Generator(8) }), scale: 0.7 }),
  },
  {
    name: 'fully masked rows (a padded-out batch row, a false attnMask row)', tq: 3, tk: 4,
    options: () => ({ keyPaddingMask: paddingMask([4, 0], 4), attnMask: tensor([[true, true, false, true], [false, false, false, false], [true, false, true, true]]) }),
  },
];

type Path = (q: Variable, k: Variable, v: Variable, o: ScaledDotProductAttentionOptions) => Variable;
const PATHS: [string, Path][] = [
  ['fused', (q, k, v, o) => fusedAttention(q, k, v, o)],
  ['composed', (q, k, v, o) => composedAttention(q, k, v, o).output],
];

/** Output and the gradients of Σ out ⊙ r with respect to q, k, v. */
function run(path: Path, c: MaskCase, dtype: FloatDType, seed = 1) {
  const q = leaf([B, H, c.tq, 5], seed, dtype);
  const k = leaf([B, H, c.tk, 5], seed + 1, dtype);
  const v = leaf([B, H, c.tk, 5], seed + 2, dtype);
  const out = path(q, k, v, c.options(dtype));
  out.backward(randn(out.shape, { generator: new Generator(99), dtype }));
  return { out: out.value, dq: q.grad!, dk: k.grad!, dv: v.grad! };
}

describe('scaledDotProductAttention', () => {
  it('matches a hand-computed case on both paths', () => {
    // scores [1, 0] → softmax [e/(e+1), 1/(e+1)] = [0.7310586, 0.2689414]; out = that · [[1, 2], [3, 4]]
    const q = tensor([[[[1, 0]]]]);
    const k = tensor([[[[1, 0], [0, 1]]]]);
    const v = tensor([[[[1, 2], [3, 4]]]]);
    for (const out of [fusedAttention(q, k, v, { scale: 1 }), composedAttention(q, k, v, { scale: 1 }).output]) {
      expectClose(out, [[[[1.5378828, 2.5378828]]]], { atol: 1e-6 });
    }
    expect(scaledDotProductAttention(q, k, v, { scale: 1 }).shape).toEqual([1, 1, 1, 2]);
  });

  describe.each(MASK_CASES)('$name', (c) => {
    it('fused equals composed in float32 (forward and gradients)', () => {
      const fused = run(PATHS[0][1], c, 'float32');
      const composed = run(PATHS[1][1], c, 'float32');
      for (const key of ['out', 'dq', 'dk', 'dv'] as const) {
        expect(fused[key].shape).toEqual(composed[key].shape);
        expectClose(fused[key], composed[key], { atol: 2e-5, rtol: 1e-4 });
        expect(Array.from(fused[key].data).every(Number.isFinite), `${key} finite`).toBe(true);
      }
    });

    it.each(PATHS)('passes gradcheck in float64 (%s path)', (_, path) => {
      const q = leaf([B, H, c.tq, 3], 11);
      const k = leaf([B, H, c.tk, 3], 12);
      const v = leaf([B, H, c.tk, 3], 13);
      const options = c.options('float64');
      expect(gradcheck((q, k, v) => path(q, k, v, options), [q, k, v])).toBe(true);
    });
  });

  describe.each(PATHS)('%s path', (_, path) => {
    it('gives zeros and zero gradients for fully masked rows, never NaN', () => {
      const q = leaf([2, 1, 2, 3], 21);
      const k = leaf([2, 1, 3, 3], 22);
      const v = leaf([2, 1, 3, 3], 23);
      const keyPaddingMask = paddingMask([3, 0], 3);                             // batch 1: all padding
      const attnMask = tensor([[-Infinity, -Infinity, -Infinity], [0, 0, 0]]);  // query 0: nothing allowed
      const out = path(q, k, v, { keyPaddingMask, attnMask });
      out.backward(randn(out.shape, { generator: new Generator(3), dtype: 'float64' }));
      const o = out.value.toArray() as number[][][][];
      expect(o[0][0][0]).toEqual([0, 0, 0]);
      expect(o[1][0]).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(o[0][0][1].some((x) => x !== 0)).toBe(true);
      const dq = q.grad!.toArray() as number[][][][];
      expect(dq[0][0][0]).toEqual([0, 0, 0]);
      expect(dq[1][0]).toEqual([[0, 0, 0], [0, 0, 0]]);
      for (const g of [q.grad!, k.grad!, v.grad!]) expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
      expect(Array.from(k.grad!.data.slice(9)).every((x) => x === 0)).toBe(true);   // batch 1 keys: no gradient
    });

    it('with a causal mask, keys and values after position t do not change output t (nor get its gradient)', () => {
      const T = 5;
      const t = 2;
      const q = leaf([1, 2, T, 4], 31);
      const k = leaf([1, 2, T, 4], 32);
      const v = leaf([1, 2, T, 4], 33);
      const before = path(q, k, v, { causal: true });
      const k2 = variable(k.value.clone());
      const v2 = variable(v.value.clone());
      for (const x of [k2, v2]) for (let h = 0; h < 2; h++) for (let j = t + 1; j < T; j++) for (let d = 0; d < 4; d++) x.value.data[(h * T + j) * 4 + d] += 10;
      const after = path(q, k2, v2, { causal: true });
      for (let h = 0; h < 2; h++) {
        for (let i = 0; i <= t; i++) expect(after.value.slice(1, h, h + 1).slice(2, i, i + 1).toArray()).toEqual(before.value.slice(1, h, h + 1).slice(2, i, i + 1).toArray());
      }
      expect(after.value.toArray()).not.toEqual(before.value.toArray());
      // The gradient of output row t reaches no key or value after t.
      const upstream = zeros([1, 2, T, 4], 'float64');
      for (let h = 0; h < 2; h++) for (let d = 0; d < 4; d++) upstream.data[(h * T + t) * 4 + d] = 1 + d;
      before.backward(upstream);
      for (const g of [k.grad!, v.grad!]) {
        for (let h = 0; h < 2; h++) for (let j = 0; j < T; j++) {
          const row = Array.from(g.data.slice((h * T + j) * 4, (h * T + j + 1) * 4));
          if (j > t) expect(row).toEqual([0, 0, 0, 0]);
          else expect(row.some((x) => x !== 0)).toBe(true);
        }
      }
    });

    it('padding keys and values never change the outputs', () => {
      const q = leaf([2, 2, 3, 4], 41, 'float32');
      const k = leaf([2, 2, 5, 4], 42, 'float32');
      const v = leaf([2, 2, 5, 4], 43, 'float32');
      const keyPaddingMask = paddingMask([5, 3], 5);
      const before = path(q, k, v, { keyPaddingMask });
      const k2 = variable(k.value.clone());
      const v2 = variable(v.value.clone());
      // batch 1, every head, positions 3 and 4 are padding: overwrite them with garbage (huge, not NaN).
      for (const x of [k2, v2]) for (let h = 0; h < 2; h++) for (let j = 3; j < 5; j++) for (let d = 0; d < 4; d++) x.value.data[((2 + h) * 5 + j) * 4 + d] = 1e6 * (d - 1.5);
      expect(path(q, k2, v2, { keyPaddingMask }).value.toArray()).toEqual(before.value.toArray());
    });
  });

  it('returns weights that reproduce the output, rows summing to 1 (0 when fully masked)', () => {
    const q = leaf([2, 2, 3, 4], 51);
    const k = leaf([2, 2, 4, 4], 52);
    const v = leaf([2, 2, 4, 4], 53);
    const { output, weights } = scaledDotProductAttention(q, k, v, { keyPaddingMask: paddingMask([4, 0], 4), returnWeights: true });
    expect(weights.shape).toEqual([2, 2, 3, 4]);
    expectClose(weights.value.sum(-1), [[[1, 1, 1], [1, 1, 1]], [[0, 0, 0], [0, 0, 0]]], { atol: 1e-12 });
    expectClose(output, matmul(weights.value, v.value), { atol: 1e-12 });
    expectClose(output, fusedAttention(q, k, v, { keyPaddingMask: paddingMask([4, 0], 4) }), { atol: 1e-12 });
  });

  it('applies seeded dropout to the weights while training only', () => {
    const q = leaf([1, 2, 6, 4], 61, 'float32');
    const k = leaf([1, 2, 6, 4], 62, 'float32');
    const v = leaf([1, 2, 6, 4], 63, 'float32');
    const drop = (seed: number) => scaledDotProductAttention(q, k, v, { dropout: 0.5, generator: new Generator(seed), returnWeights: true });
    const a = drop(1);
    expect(a.weights.value.toArray()).toEqual(drop(1).weights.value.toArray());
    expect(a.weights.value.toArray()).not.toEqual(drop(2).weights.value.toArray());
    const clean = composedAttention(q, k, v).weights.value;
    a.weights.value.data.forEach((w, i) => { if (w !== 0) expect(w).toBeCloseTo(clean.data[i] * 2, 6); });
    expect(a.weights.value.data.some((w) => w === 0)).toBe(true);
    expectClose(a.output, matmul(a.weights.value, v.value), { atol: 1e-6 });
    const evalOut = scaledDotProductAttention(q, k, v, { dropout: 0.5, training: false });
    expectClose(evalOut, fusedAttention(q, k, v), { atol: 0, rtol: 0 });
  });

  it('takes plain Tensors and returns a Variable without a graph', () => {
    const q = randn([1, 1, 2, 3], { generator: new Generator(1) });
    const out = scaledDotProductAttention(q, q, q, { causal: true });
    expect(out.shape).toEqual([1, 1, 2, 3]);
    expect(out.node).toBeNull();
  });

  it('throws errors naming the argument and both shapes', () => {
    const q = zeros([2, 4, 5, 16]);
    const k = zeros([2, 4, 9, 16]);
    expect(() => scaledDotProductAttention(q, k, k, { keyPaddingMask: zeros([2, 7], 'bool') }))
      .toThrow('attention: keyPaddingMask is [2, 7] but keys are [2, 4, 9, 16] (expected [2, 9])');
    expect(() => scaledDotProductAttention(q, k, k, { attnMask: zeros([5, 7], 'bool') }))
      .toThrow('attention: attnMask is [5, 7] but the scores are [2, 4, 5, 9]');
    expect(() => scaledDotProductAttention(q, zeros([2, 4, 9, 8]), zeros([2, 4, 9, 8])))
      .toThrow('attention: q is [2, 4, 5, 16] but k is [2, 4, 9, 8] (batch, numHeads and headDim must match)');
    expect(() => scaledDotProductAttention(zeros([2, 5, 16]), k, k)).toThrow('attention: q must be [batch, numHeads, tgtLen, headDim], got [2, 5, 16]');
    expect(() => scaledDotProductAttention(q, k, zeros([2, 4, 8, 16]))).toThrow('attention: v is [2, 4, 8, 16] but k is [2, 4, 9, 16]');
    expect(() => scaledDotProductAttention(q, k, k, { dropout: 1.5 })).toThrow('attention: dropout must be in [0, 1], got 1.5');
    expect(() => scaledDotProductAttention(q, k.astype('float64'), k)).toThrow('attention: q, k and v must share a dtype');
  });
});
