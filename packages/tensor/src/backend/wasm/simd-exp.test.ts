// The vectorized exp of the attention kernels against Math.exp, in float32 ulps, over its whole range, on
// relaxed SIMD (fused multiply-adds) and plain SIMD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ctrl } from './gemm-module.js';
import { setWasmSimd, wasmSimdLevel } from './matmul.js';
import { ensureBytes, getRuntime } from './runtime.js';
import { EXP2_HI, EXP2_LO, EXP_HI, EXP_LO } from './simd-exp.js';

/** exp (or 2^x) of each input through the kernel module's expArray (exp2Array) export (inputs padded to a multiple of 4). */
function simdExp(xs: ArrayLike<number>, which: 'expArray' | 'exp2Array' = 'expArray'): Float32Array {
  const rt = getRuntime();
  if (rt === null) throw new Error('WebAssembly SIMD unavailable');
  const n = Math.ceil(xs.length / 4) * 4;
  const src = Ctrl.BYTES;
  const dst = src + 4 * n;
  ensureBytes(rt, dst + 4 * n);
  rt.heapF32.fill(0, src / 4, src / 4 + n);
  rt.heapF32.set(Float32Array.from(xs), src / 4);
  (rt.exports[which] as (s: number, d: number, n: number) => void)(src, dst, n);
  return rt.heapF32.slice(dst / 4, dst / 4 + xs.length);
}

/** Distance in float32 units in the last place of `want`. */
function ulps(got: number, want: number): number {
  const ulp = 2 ** (Math.floor(Math.log2(want)) - 23);
  return Math.abs(got - want) / ulp;
}

/** Checks f against the exact function over xs within `bound` ulp; returns the worst ulp seen. */
function within(xs: number[], got: Float32Array, exact: (x: number) => number, bound: number): number {
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = exact(xs[i]);
    const u = ulps(got[i], want);
    if (u > worst) worst = u;
    if (!(u <= bound)) throw new Error(`f(${xs[i]}) = ${got[i]}, exactly ${want} (${u.toFixed(2)} ulp)`);
  }
  return worst;
}

for (const level of ['simd', 'relaxed'] as const) describe(`on ${level} SIMD`, () => {
  beforeAll(() => setWasmSimd(level));
  afterAll(() => setWasmSimd('auto'));

  it(`runs the ${level} kernels where the engine has them`, () => {
    // Node 20 turns relaxed SIMD on through a V8 flag; other engines may lack it.
    if (level === 'simd' || typeof process?.getBuiltinModule === 'function') expect(wasmSimdLevel()).toBe(level);
  });

  describe('SIMD exp2 (Cephes exp2f in f32x4), the attention kernels\' form', () => {
    it('is within 2 ulp of 2^x on [−126, 127], dense near 0', () => {
      const xs: number[] = [];
      for (let i = 0; i <= 100_000; i++) xs.push(Math.fround(EXP2_LO + (EXP2_HI - EXP2_LO) * i / 100_000));
      for (let i = -20_000; i <= 20_000; i++) xs.push(Math.fround(i * 1e-4));
      expect(within(xs, simdExp(xs, 'exp2Array'), (x) => 2 ** x, 2)).toBeGreaterThan(0);
    });

    it('is exact at integers, 0 below −126 and at −∞, keeps NaN, saturates above 127', () => {
      const got = simdExp([0, 1, -3, 10, -126, -126.5, -1000, -Infinity, NaN, 500], 'exp2Array');
      expect(Array.from(got.slice(0, 8))).toEqual([1, 2, 0.125, 1024, 2 ** -126, 0, 0, 0]);
      expect(Number.isNaN(got[8])).toBe(true);
      expect(got[9]).toBe(Math.fround(2 ** 127));
    });
  });

  describe('SIMD exp (Cephes expf in f32x4)', () => {
    it('is within 1 ulp of Math.exp on [−87.3, 88], dense near 0', () => {
      const xs: number[] = [];
      for (let i = 0; i <= 100_000; i++) xs.push(Math.fround(EXP_LO + 0.001 + (EXP_HI - EXP_LO - 0.001) * i / 100_000));
      for (let i = -20_000; i <= 20_000; i++) xs.push(Math.fround(i * 1e-4));
      const got = simdExp(xs);
      let worst = 0;
      for (let i = 0; i < xs.length; i++) {
        const want = Math.exp(xs[i]);
        const u = ulps(got[i], want);
        if (u > worst) worst = u;
        if (!(u <= 1)) throw new Error(`exp(${xs[i]}) = ${got[i]}, Math.exp gives ${want} (${u.toFixed(2)} ulp)`);
      }
      expect(worst).toBeGreaterThan(0);   // a real comparison, not an identity
    });

    it('is exactly 1 at ±0, exactly 0 below −87.34 and at −∞, and keeps NaN', () => {
      const got = simdExp([0, -0, -87.34, -88, -100, -1e30, -Infinity, NaN]);
      expect(Array.from(got.slice(0, 7))).toEqual([1, 1, 0, 0, 0, 0, 0]);
      expect(Number.isNaN(got[7])).toBe(true);
    });

    it('saturates at e^88 above its range instead of overflowing to garbage', () => {
      const got = simdExp([88, 89, 1e6, Infinity]);
      for (const g of got) expect(ulps(g, Math.exp(88))).toBeLessThanOrEqual(2);
    });
  });
});
