// The gpu.js attention kernels against the reference (referenceBackend in float64), forward and all
// three gradients, for every masking kind, in gpu.js's 'cpu' (JavaScript) and 'webasm' modes.
import { afterAll, describe, expect, it } from 'vitest';
import { referenceBackend, type AttentionDims, type AttentionMasking } from '@gloss/tensor';
import { createGpuBackend, type GpuBackend } from './index.js';

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
}
const randomArray = (n: number): Float32Array => Float32Array.from({ length: n }, () => random() * 2);

/**
 * Per element, |actual − expected| ≤ atol + rtol·|expected| (exact match for ±∞), and no NaN anywhere: a small
 * entry must be right on its own scale, not the array's largest (float32 kernels against a float64 reference).
 */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Number.isNaN(actual[i]), `${what}[${i}] is NaN`).toBe(false);
    if (!Number.isFinite(expected[i])) expect(actual[i], `${what}[${i}]`).toBe(expected[i]);
    else if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      expect.fail(`${what}[${i}] is ${actual[i]}, expected ${expected[i]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

interface Case {
  name: string;
  dims: AttentionDims;
  masking: (d: AttentionDims) => AttentionMasking;
  /** Row indices (b·heads + h)·tq + i expected to have nothing to attend. */
  emptyRows?: number[];
}

const none = (): AttentionMasking => ({ causal: false, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] });
const dims = (batch: number, heads: number, tq: number, tk: number, headDim: number): AttentionDims => ({ batch, heads, tq, tk, headDim });

const cases: Case[] = [
  { name: 'no mask', dims: dims(2, 2, 5, 7, 4), masking: none },
  { name: 'causal tq = tk', dims: dims(2, 2, 6, 6, 4), masking: () => ({ ...none(), causal: true }) },
  { name: 'causal tq < tk (bottom-right)', dims: dims(1, 2, 3, 7, 4), masking: () => ({ ...none(), causal: true }) },
  {
    name: 'causal tq > tk (first rows empty)', dims: dims(1, 2, 6, 4, 3), masking: () => ({ ...none(), causal: true }),
    emptyRows: [0, 1, 6, 7],
  },
  {
    name: 'keyPadding, batch 1 all padding', dims: dims(2, 2, 4, 5, 4),
    masking: (d) => {
      const pad = new Uint8Array(d.batch * d.tk);
      pad[3] = 1; pad[4] = 1;                 // batch 0: last two keys are padding
      pad.fill(1, d.tk);                      // batch 1: everything is padding
      return { ...none(), keyPadding: pad };
    },
    emptyRows: [8, 9, 10, 11, 12, 13, 14, 15],
  },
  {
    name: 'bool mask [batch, 1, tq, tk] broadcast over heads, one empty row', dims: dims(2, 3, 4, 6, 4),
    masking: (d) => {
      const m = Uint8Array.from({ length: d.batch * d.tq * d.tk }, () => (random() > -0.2 ? 1 : 0));
      m.fill(0, 2 * d.tk, 3 * d.tk);           // batch 0, row 2: nothing allowed
      return { ...none(), mask: m, maskStrides: [d.tq * d.tk, 0, d.tk, 1] };
    },
    emptyRows: [2, 6, 10],
  },
  {
    name: 'float mask [tq, tk] with −∞ and one empty row', dims: dims(2, 2, 5, 6, 4),
    masking: (d) => {
      const m = Float32Array.from({ length: d.tq * d.tk }, () => (random() > 0.3 ? -Infinity : random() * 3));
      m.fill(-Infinity, 4 * d.tk, 5 * d.tk);   // row 4: all −∞
      return { ...none(), mask: m, maskStrides: [0, 0, d.tk, 1] };
    },
    emptyRows: [4, 9, 14, 19],
  },
  {
    name: 'causal + keyPadding + float64 float mask', dims: dims(2, 2, 4, 6, 5),
    masking: (d) => {
      const pad = new Uint8Array(d.batch * d.tk);
      pad[0] = 1; pad[d.tk + 5] = 1;
      const m = Float64Array.from({ length: d.batch * d.heads * d.tq * d.tk }, () => random());
      return { causal: true, keyPadding: pad, mask: m, maskStrides: [d.heads * d.tq * d.tk, d.tq * d.tk, d.tk, 1] };
    },
  },
];

/** The reference on float64 copies: forward out/lse and backward dq/dk/dv for a random dO. */
function reference(q: Float32Array, k: Float32Array, v: Float32Array, dout: Float32Array, d: AttentionDims, scale: number,
  masking: AttentionMasking) {
  const f64 = (x: Float32Array): Float64Array => Float64Array.from(x);
  const [q64, k64, v64, do64] = [f64(q), f64(k), f64(v), f64(dout)];
  const out = new Float64Array(q.length);
  const lse = new Float64Array(d.batch * d.heads * d.tq);
  referenceBackend.attentionForward(q64, k64, v64, d, scale, masking, out, lse);
  const dq = new Float64Array(q.length);
  const dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  referenceBackend.attentionBackward(q64, k64, v64, out, lse, do64, d, scale, masking, dq, dk, dv);
  return { out, lse, dq, dk, dv };
}

describe.each(['cpu', 'webasm'] as const)('gpu.js mode %s', (mode) => {
  const backend: GpuBackend = createGpuBackend({ mode });
  afterAll(() => backend.dispose());

  it.each(cases)('$name: forward and gradients match the reference', ({ dims: d, masking: makeMasking, emptyRows }) => {
    const masking = makeMasking(d);
    const q = randomArray(d.batch * d.heads * d.tq * d.headDim);
    const k = randomArray(d.batch * d.heads * d.tk * d.headDim);
    const v = randomArray(d.batch * d.heads * d.tk * d.headDim);
    const dout = randomArray(q.length);
    const scale = 1 / Math.sqrt(d.headDim);
    const ref = reference(q, k, v, dout, d, scale, masking);

    const out = new Float32Array(q.length).fill(NaN);
    const lse = new Float32Array(d.batch * d.heads * d.tq).fill(NaN);
    backend.attentionForward(q, k, v, d, scale, masking, out, lse);
    expect(backend.lastFallbackReason).toBeNull();
    expectClose(out, ref.out, 'out');
    expectClose(lse, ref.lse, 'lse');

    const dq = new Float32Array(q.length).fill(NaN);
    const dk = new Float32Array(k.length).fill(NaN);
    const dv = new Float32Array(v.length).fill(NaN);
    backend.attentionBackward(q, k, v, out, lse, dout, d, scale, masking, dq, dk, dv);
    expect(backend.lastFallbackReason).toBeNull();
    expectClose(dq, ref.dq, 'dq');
    expectClose(dk, ref.dk, 'dk');
    expectClose(dv, ref.dv, 'dv');
    expect(backend.kernelKind).toBe(mode === 'cpu' ? 'CPUKernel' : 'WebAssemblyKernel');

    for (const row of emptyRows ?? []) {
      expect(lse[row], `lse of empty row ${row}`).toBe(-Infinity);
      for (let c = 0; c < d.headDim; c++) {
        expect(out[row * d.headDim + c]).toBe(0);
        expect(dq[row * d.headDim + c]).toBe(0);
      }
    }
  });

  it('runs several chunks of heads when the workspace is small', () => {
    const small = createGpuBackend({ mode, maxScores: 2 * 5 * 6 });   // two heads per kernel call
    const d = dims(3, 2, 5, 6, 4);
    const masking: AttentionMasking = { ...none(), causal: true };
    const q = randomArray(d.batch * d.heads * d.tq * d.headDim);
    const k = randomArray(d.batch * d.heads * d.tk * d.headDim);
    const v = randomArray(k.length);
    const dout = randomArray(q.length);
    const ref = reference(q, k, v, dout, d, 0.5, masking);
    const out = new Float32Array(q.length);
    const lse = new Float32Array(d.batch * d.heads * d.tq);
    small.attentionForward(q, k, v, d, 0.5, masking, out, lse);
    const [dq, dk, dv] = [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)];
    small.attentionBackward(q, k, v, out, lse, dout, d, 0.5, masking, dq, dk, dv);
    expect(small.lastFallbackReason).toBeNull();
    expectClose(out, ref.out, 'out');
    expectClose(dk, ref.dk, 'dk');
    expectClose(dv, ref.dv, 'dv');
    expectClose(dq, ref.dq, 'dq');
    return small.dispose();
  });
});
