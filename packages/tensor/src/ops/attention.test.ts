import { afterEach, describe, expect, it } from 'vitest';
import { cpuBackend, referenceBackend, setBackend } from '../backend/backend.js';
import { DTypeError, ShapeError } from '../errors.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { expectClose } from '../testing/expect-close.js';
import { attention, attentionBackward, attentionDropoutMask, type AttentionOptions } from './attention.js';
import { ones, tensor, zeros } from './creation.js';
import { add, logicalAnd, logicalNot, mul, sub, where } from './elementwise.js';
import { matmul } from './matmul.js';
import { randn } from './random.js';
import { sum } from './reduce.js';
import { softmax } from './softmax.js';
import { tril } from './triangle.js';

afterEach(() => setBackend(cpuBackend));

/** The composed definition: scores [B,H,tq,tk] materialized, masks as −∞, an all-masked row → zeros. */
function naive(q: Tensor, k: Tensor, v: Tensor, { scale, causal = false, keyPaddingMask = null, attnMask = null }: AttentionOptions = {}): Tensor {
  const [b, h, tq, d] = q.shape;
  const tk = k.shape[2];
  let s = mul(matmul(q, k, { transB: true }), scale ?? 1 / Math.sqrt(d));
  let allowed = ones([b, h, tq, tk], 'bool');
  if (causal) allowed = logicalAnd(allowed, tril(ones([tq, tk], 'bool'), tk - tq));
  if (keyPaddingMask) allowed = logicalAnd(allowed, logicalNot(keyPaddingMask.reshape([b, 1, 1, tk])));
  if (attnMask && attnMask.dtype === 'bool') allowed = logicalAnd(allowed, attnMask);
  if (attnMask && attnMask.dtype !== 'bool') s = add(s, attnMask);
  s = where(allowed, s, -Infinity);
  const p = softmax(s);
  const clean = where(sub(p, p).eq(0), p, 0); // NaN rows (nothing to attend) → 0
  return matmul(clean, v);
}

const gen = (seed: number, shape: number[], dtype: 'float32' | 'float64' = 'float64') => randn(shape, { generator: new Generator(seed), dtype });

function inputs(b: number, h: number, tq: number, tk: number, d: number, dtype: 'float32' | 'float64' = 'float64') {
  return { q: gen(1, [b, h, tq, d], dtype), k: gen(2, [b, h, tk, d], dtype), v: gen(3, [b, h, tk, d], dtype) };
}

const padding = tensor([[false, false, false, true, true], [false, false, false, false, false]]);
const maskCases: [string, AttentionOptions, number, number][] = [
  ['no mask', {}, 4, 5],
  ['causal', { causal: true }, 5, 5],
  ['causal with tq < tk (bottom-right aligned)', { causal: true }, 2, 5],
  ['key padding', { keyPaddingMask: padding }, 4, 5],
  ['bool mask broadcast over batch and heads', { attnMask: tensor([[true, false, true, true, false]]).reshape([1, 1, 1, 5]) }, 3, 5],
  ['float mask', { attnMask: gen(7, [2, 1, 4, 5]) }, 4, 5],
  ['causal + padding + custom scale', { causal: true, keyPaddingMask: padding, scale: 0.3 }, 5, 5],
];

describe('attention (fused)', () => {
  for (const [name, options, tq, tk] of maskCases) {
    it(`equals the composed definition: ${name}`, () => {
      const { q, k, v } = inputs(2, 3, tq, tk, 4);
      expectClose(attention(q, k, v, options).out, naive(q, k, v, options), { atol: 1e-12 });
    });

    it(`backward matches finite differences: ${name}`, () => {
      const { q, k, v } = inputs(2, 3, tq, tk, 4);
      const r = gen(9, [2, 3, tq, 4]);
      const { out, lse } = attention(q, k, v, options);
      const grads = attentionBackward(r, q, k, v, out, lse, options);
      const L = () => sum(mul(attention(q, k, v, options).out, r)).item();
      for (const [x, g] of [[q, grads.dq], [k, grads.dk], [v, grads.dv]] as const) {
        const data = x.data as Float64Array;
        for (const j of [0, 7, data.length - 1, Math.floor(data.length / 2)]) {
          const orig = data[j];
          data[j] = orig + 1e-6; const plus = L();
          data[j] = orig - 1e-6; const minus = L();
          data[j] = orig;
          expect(Math.abs(g.data[j] - (plus - minus) / 2e-6)).toBeLessThan(1e-6 + 1e-5 * Math.abs(g.data[j]));
        }
      }
    });
  }

  it('gives zeros, lse −∞ and zero gradients for a row with nothing to attend', () => {
    const { q, k, v } = inputs(1, 1, 2, 3, 4);
    const attnMask = tensor([[true, true, true], [false, false, false]]).reshape([1, 1, 2, 3]);
    const { out, lse } = attention(q, k, v, { attnMask });
    expect(Array.from(out.data.slice(4, 8))).toEqual([0, 0, 0, 0]);
    expect(lse.data[1]).toBe(-Infinity);
    const g = attentionBackward(ones([1, 1, 2, 4], 'float64'), q, k, v, out, lse, { attnMask });
    expect(Array.from(g.dq.data.slice(4, 8))).toEqual([0, 0, 0, 0]);
    for (const t of [out, g.dq, g.dk, g.dv]) expect(Array.from(t.data).every(Number.isFinite)).toBe(true);
  });

  it('agrees between the reference and cpu (WebAssembly) backends in float32', () => {
    const { q, k, v } = inputs(2, 4, 37, 41, 16, 'float32');
    const dout = gen(5, [2, 4, 37, 16], 'float32');
    const options = { causal: true, keyPaddingMask: zeros([2, 41], 'bool') };
    const fast = attention(q, k, v, options);
    const fastGrads = attentionBackward(dout, q, k, v, fast.out, fast.lse, options);
    setBackend(referenceBackend);
    const ref = attention(q, k, v, options);
    const refGrads = attentionBackward(dout, q, k, v, ref.out, ref.lse, options);
    expectClose(fast.out, ref.out, { atol: 1e-5, rtol: 1e-4 });
    expectClose(fastGrads.dq, refGrads.dq, { atol: 1e-5, rtol: 1e-4 });
    expectClose(fastGrads.dk, refGrads.dk, { atol: 1e-5, rtol: 1e-4 });
    expectClose(fastGrads.dv, refGrads.dv, { atol: 1e-5, rtol: 1e-4 });
  });

  it('runs T = 4096 in bounded memory (no [batch, heads, T, T] buffer) and stays exact', () => {
    const t = 4096;
    const { q, k, v } = inputs(1, 1, t, t, 8, 'float32');
    const before = process.memoryUsage().arrayBuffers;
    const { out } = attention(q, k, v, { causal: true });
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(24 * 2 ** 20); // the full scores alone would be 64 MiB
    // Row i of a causal attention only sees keys 0..i: check a few rows against a direct computation.
    for (const i of [0, 1, 2047, 4095]) {
      const qi = Array.from(q.data.slice(i * 8, i * 8 + 8));
      const s = Array.from({ length: i + 1 }, (_, j) => qi.reduce((acc, x, c) => acc + x * k.data[j * 8 + c], 0) / Math.sqrt(8));
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      const expected = Array.from({ length: 8 }, (_, c) => e.reduce((acc, w, j) => acc + w * v.data[j * 8 + c], 0) / z);
      expectClose(out.data.slice(i * 8, i * 8 + 8), expected, { atol: 1e-5, rtol: 1e-4 });
    }
  });

  it('refuses bad shapes, dtypes and masks, naming them', () => {
    const { q, k, v } = inputs(2, 3, 4, 5, 4);
    expect(() => attention(q.reshape([6, 4, 4]), k, v)).toThrow('attention: q must be [batch, heads, len, headDim], got [6, 4, 4]');
    expect(() => attention(q, gen(1, [2, 3, 5, 8]), v)).toThrow('attention: q is [2, 3, 4, 4] but k is [2, 3, 5, 8] (batch, heads and headDim must match)');
    expect(() => attention(q, k, v, { keyPaddingMask: zeros([2, 7], 'bool') })).toThrow(
      'attention: keyPaddingMask is [2, 7] but keys are [2, 3, 5, 4] (expected [2, 5])');
    expect(() => attention(q, k, v, { keyPaddingMask: zeros([2, 5]) })).toThrow(DTypeError);
    expect(() => attention(q, k, v, { attnMask: zeros([4, 4], 'bool') })).toThrow(ShapeError);
    expect(() => attention(q, k.astype('float32'), v)).toThrow('attention: q, k and v must share a dtype');
    expect(() => attention(q, k, v, { dropout: { p: -0.1, seed: [1, 2] } })).toThrow('attention: dropout.p must be in [0, 1], got -0.1');
    expect(() => attention(q, k, v, { dropout: { p: 0.1, seed: [1, 2 ** 32] } })).toThrow('attention: dropout.seed must be two unsigned 32-bit integers');
  });

  it('with dropout equals the composed definition times attentionDropoutMask, forward and backward (float64)', () => {
    const { q, k, v } = inputs(2, 3, 6, 7, 4);
    const dropout = { p: 0.3, seed: [5, 6] as [number, number] };
    const options: AttentionOptions = { causal: true, dropout };
    const { out, lse } = attention(q, k, v, options);
    const z = attentionDropoutMask([2, 3, 6, 7], dropout, 'float64');
    const scores = where(tril(ones([6, 7], 'bool'), 1), mul(matmul(q, k.transpose(-1, -2)), 0.5), -Infinity);
    const weights = softmax(scores, -1);
    expectClose(out, matmul(mul(weights, z), v), { atol: 1e-12 });
    const dout = randn(q.shape, { generator: new Generator(8), dtype: 'float64' });
    const { dv } = attentionBackward(dout, q, k, v, out, lse, options);
    expectClose(dv, matmul(mul(weights, z).transpose(-1, -2), dout), { atol: 1e-12 });
    expect(Array.from(z.data).some((x) => x === 0)).toBe(true);
  });
});
