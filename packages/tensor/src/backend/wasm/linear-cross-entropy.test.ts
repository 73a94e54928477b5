import { afterAll, describe, expect, it } from 'vitest';
import { makeLinearCrossEntropy } from '../cpu/linear-cross-entropy.js';
import { matmulRef } from '../cpu/matmul.js';
import type { LinearCrossEntropyArgs } from '../types.js';
import { linearCrossEntropyF32 } from './linear-cross-entropy.js';
import { getMatmulThreads, setMatmulThreads, setWasmSimd, wasmSimdLevel } from './matmul.js';
import { threadsSupported } from './thread-pool.js';

// Seeded LCG (Numerical Recipes constants), values in [-1, 1).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

const reference = makeLinearCrossEntropy(matmulRef);

interface Case { rows: number; vocab: number; d: number; bias: boolean; grads: 'all' | 'none' | 'x' | 'bias'; chunkRows: number; smoothing: number }

/** The case's inputs (a third of the targets ignored, id 0) and zeroed outputs in the given precision. */
function setup(c: Case, seed: number, f64: boolean): LinearCrossEntropyArgs {
  const random = lcg(seed);
  const F = f64 ? Float64Array : Float32Array;
  const make = (n: number, f: () => number): Float32Array | Float64Array => (f64 ? Float64Array.from({ length: n }, f) : Float32Array.from({ length: n }, f));
  const x = make(c.rows * c.d, () => 2 * random());
  const weight = make(c.vocab * c.d, () => 0.5 * random());
  // Values seen in float32 first, so both precisions start from the same numbers.
  const round = (a: Float32Array | Float64Array) => (f64 ? Float64Array.from(Float32Array.from(a)) : a);
  const bias = c.bias ? make(c.vocab, () => random()) : null;
  const targets = Int32Array.from({ length: c.rows }, (_, r) => (r % 3 === 1 ? 0 : 1 + Math.floor(((random() + 1) / 2) * (c.vocab - 1))));
  const out = (n: number, on: boolean) => (on ? new F(n).fill(NaN) : null);   // must be overwritten
  return {
    x: round(x), weight: round(weight), bias: bias && round(bias), targets, rows: c.rows, vocab: c.vocab, inFeatures: c.d, ignoreIndex: 0,
    smoothing: c.smoothing, scale: 0.37, chunkRows: c.chunkRows, loss: new F(c.rows), lse: new F(c.rows), targetLogit: new Float64Array(c.rows),
    dx: out(c.rows * c.d, c.grads === 'all' || c.grads === 'x'), dweight: out(c.vocab * c.d, c.grads === 'all'),
    dbias: out(c.vocab, c.bias && (c.grads === 'all' || c.grads === 'bias')),
  };
}

function expectNear(got: ArrayLike<number> | null, want: ArrayLike<number> | null, atol: number, rtol: number, what: string): void {
  expect(got === null, what).toBe(want === null);
  if (!got || !want) return;
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

/** Runs the WebAssembly kernel on case c (asserting it ran) against the float64 reference. */
function check(c: Case, seed: number): LinearCrossEntropyArgs {
  const got = setup(c, seed, false);
  const want = setup(c, seed, true);
  expect(linearCrossEntropyF32(got)).toBe(true);
  reference(want);
  const tag = JSON.stringify(c);
  expectNear(got.loss, want.loss, 2e-5, 2e-6, `${tag} loss`);
  expectNear(got.lse, want.lse, 2e-5, 2e-6, `${tag} lse`);
  expectNear(got.targetLogit, want.targetLogit, 2e-5, 2e-6, `${tag} targetLogit`);
  const gradTol = 2e-6 * Math.sqrt(c.vocab);
  expectNear(got.dx, want.dx, gradTol, 1e-4, `${tag} dx`);
  expectNear(got.dweight, want.dweight, gradTol, 1e-4, `${tag} dweight`);
  expectNear(got.dbias, want.dbias, gradTol, 1e-4, `${tag} dbias`);
  return got;
}

const base: Case = { rows: 37, vocab: 203, d: 20, bias: true, grads: 'all', chunkRows: 1 << 20, smoothing: 0.1 };

describe.skipIf(wasmSimdLevel() === 'none')(`linearCrossEntropyF32 (WebAssembly ${wasmSimdLevel()} SIMD)`, () => {
  const threads = getMatmulThreads();
  afterAll(() => { setMatmulThreads(threads); setWasmSimd('auto'); });

  it.each([200, 201, 202, 203, 2, 3, 8])('equals the float64 reference: loss, lse, target logit, dx, dW, db (vocab %i)', (vocab) => {
    check({ ...base, vocab }, vocab);
  });

  it('equals the reference in chunks (dW summed over them; rows not a multiple of the chunk or the tile)', () => {
    for (const chunkRows of [1, 6, 7, 12, 36]) check({ ...base, rows: 41, chunkRows }, chunkRows);
  });

  it('computes only the gradients asked for, and none without them (loss alone)', () => {
    for (const grads of ['none', 'x', 'bias'] as const) check({ ...base, grads }, 5);
    check({ ...base, bias: false }, 6);
    check({ ...base, bias: false, grads: 'none', smoothing: 0 }, 7);
  });

  it('gives loss 0, lse 0 and zero gradient rows for ignored targets, and zero dW for an all-ignored batch', () => {
    const c = { ...base, rows: 4 };
    const a = setup(c, 8, false);
    a.targets.fill(0);
    expect(linearCrossEntropyF32(a)).toBe(true);
    expect([...a.loss, ...a.lse]).toEqual(new Array(8).fill(0));
    expect(a.dx!.every((v) => v === 0) && a.dweight!.every((v) => v === 0) && a.dbias!.every((v) => v === 0)).toBe(true);
  });

  it('handles training-size rows and vocabulary (several chunks of hundreds of rows)', () => {
    check({ rows: 700, vocab: 1003, d: 64, bias: true, grads: 'all', chunkRows: 256, smoothing: 0.1 }, 9);
  });

  it.skipIf(!threadsSupported())('gives bit-identical results on 1 and 2 threads', () => {
    const c: Case = { rows: 300, vocab: 2000, d: 48, bias: true, grads: 'all', chunkRows: 128, smoothing: 0.1 };
    setMatmulThreads(1);
    const one = setup(c, 10, false);
    expect(linearCrossEntropyF32(one)).toBe(true);
    setMatmulThreads(2);
    const two = setup(c, 10, false);
    expect(linearCrossEntropyF32(two)).toBe(true);
    for (const k of ['loss', 'lse', 'dx', 'dweight', 'dbias'] as const) expect(two[k], k).toEqual(one[k]);
  });

  it('runs on the plain SIMD kernels too, equal to the reference', () => {
    setWasmSimd('simd');
    expect(wasmSimdLevel()).toBe('simd');
    check({ ...base, vocab: 202 }, 11);
    check({ ...base, rows: 41, chunkRows: 12 }, 12);
    setWasmSimd('auto');
  });

  it('declines float64 (the caller runs the reference)', () => {
    expect(linearCrossEntropyF32(setup(base, 13, true))).toBe(false);
  });
});
