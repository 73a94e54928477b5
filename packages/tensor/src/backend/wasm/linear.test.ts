import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend, referenceBackend } from '../backend.js';
import { getMatmulThreads, matmulEpilogueF32, setMatmulThreads, setWasmSimd, wasmSimdLevel } from './matmul.js';
import { threadsSupported } from './thread-pool.js';

// Seeded LCG (Numerical Recipes constants), values in [-1, 1).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

/** act(x·Wᵀ + b) in float64, the definition. */
function want(x: Float32Array, w: Float32Array, b: Float32Array | null, rows: number, n: number, k: number, relu: boolean): Float64Array {
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += x[i * k + q] * w[j * k + q];
      s += b ? b[j] : 0;
      out[i * n + j] = relu ? (Number.isNaN(s) ? s : Math.max(s, 0)) : s;
    }
  }
  return out;
}

function check(rows: number, n: number, k: number, bias: boolean, relu: boolean, seed: number): Float32Array {
  const r = lcg(seed);
  const x = Float32Array.from({ length: rows * k }, r);
  const w = Float32Array.from({ length: n * k }, r);
  const b = bias ? Float32Array.from({ length: n }, r) : null;
  const out = new Float32Array(rows * n).fill(NaN);
  cpuBackend.linear({ x, weight: w, bias: b, out, rows, inFeatures: k, outFeatures: n, relu });
  const ref = want(x, w, b, rows, n, k, relu);
  for (let i = 0; i < out.length; i++) {
    if (!(Math.abs(out[i] - ref[i]) <= 1e-5 * Math.sqrt(k) + 1e-6)) throw new Error(`[${i}] of ${rows}×${n}×${k} bias ${bias} relu ${relu}: got ${out[i]}, want ${ref[i]}`);
  }
  return out;
}

describe.skipIf(wasmSimdLevel() === 'none')(`Backend.linear with the GEMM's epilogue (WebAssembly ${wasmSimdLevel()} SIMD)`, () => {
  const threads = getMatmulThreads();
  afterAll(() => { setMatmulThreads(threads); setWasmSimd('auto'); });

  it('runs in the kernels (the epilogue is taken, not declined)', () => {
    const out = new Float32Array(6);
    expect(matmulEpilogueF32(Float32Array.of(1, 2), Float32Array.of(1, 0, 0, 1, 1, 1), out, 1, 3, 2, false, true,
      new Int32Array(1), new Int32Array(1), { bias: Float32Array.of(0.5, -5, 0), relu: true })).toBe(true);
    expect([...out.subarray(0, 3)]).toEqual([1.5, 0, 3]);                 // [1, 2, 3] + [0.5, −5, 0], then ReLU
  });

  it.each([[1, 1, 1], [5, 3, 7], [13, 17, 9], [64, 130, 33], [300, 512, 128], [7, 4, 0]])(
    'equals act(x·Wᵀ + b) for %i×%i×%i with and without bias and ReLU', (rows, n, k) => {
      for (const bias of [false, true]) for (const relu of [false, true]) check(rows, n, k, bias, relu, rows + n + k);
    });

  it('gives ReLU PyTorch\'s values at the edges: NaN stays NaN, −0 and −∞ become +0', () => {
    const x = Float32Array.of(1);
    const w = Float32Array.of(NaN, -0, -Infinity, Infinity, -2);
    const out = new Float32Array(5);
    cpuBackend.linear({ x, weight: w, bias: null, out, rows: 1, inFeatures: 1, outFeatures: 5, relu: true });
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Object.is(out[1], 0)).toBe(true);
    expect([...out.subarray(2)]).toEqual([0, Infinity, 0]);
    const ref = new Float32Array(5);
    referenceBackend.linear({ x, weight: w, bias: null, out: ref, rows: 1, inFeatures: 1, outFeatures: 5, relu: true });
    expect(Object.is(ref[1], 0) && Number.isNaN(ref[0])).toBe(true);
    expect([...ref.subarray(2)]).toEqual([0, Infinity, 0]);
  });

  it.skipIf(!threadsSupported())('gives bit-identical results on 1 and 2 threads', () => {
    setMatmulThreads(1);
    const one = check(300, 256, 128, true, true, 3);
    setMatmulThreads(2);
    const two = check(300, 256, 128, true, true, 3);
    expect(two).toEqual(one);
  });

  it('runs on the plain SIMD kernels too', () => {
    setWasmSimd('simd');
    expect(wasmSimdLevel()).toBe('simd');
    check(37, 51, 19, true, true, 4);
    setWasmSimd('auto');
  });

  it('float64 runs the reference loop, equal to it', () => {
    const r = lcg(5);
    const x = Float64Array.from({ length: 12 }, r);
    const w = Float64Array.from({ length: 8 }, r);
    const b = Float64Array.of(0.1, -0.2);
    const a = new Float64Array(6);
    const c = new Float64Array(6);
    cpuBackend.linear({ x, weight: w, bias: b, out: a, rows: 3, inFeatures: 4, outFeatures: 2, relu: true });
    referenceBackend.linear({ x, weight: w, bias: b, out: c, rows: 3, inFeatures: 4, outFeatures: 2, relu: true });
    expect(a).toEqual(c);
  });
});
