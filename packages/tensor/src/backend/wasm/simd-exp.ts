// exp on four float32 lanes in WebAssembly SIMD (no transcendental instructions there): Cephes expf's
// range reduction x = n·ln2 + r, |r| ≤ ln2/2, with ln2 split in two constants so n·ln2 is exact, a
// degree-5 polynomial for e^r, and 2^n built in the exponent bits. Error < 1 float32 ulp on
// [−87.3, 88] (checked against Math.exp in simd-exp.test.ts); below −87.3 (incl. −∞) it gives exactly 0,
// NaN stays NaN. Inputs above 88 saturate at e^88 (attention only ever passes x ≤ 0).
import { type FunctionBuilder, Simd } from './wasm-emitter.js';

/** Inputs below this give 0: ln(2^−126), the smallest normal float32's log. */
export const EXP_LO = -87.33654;
/** Inputs above this are clamped to it. */
export const EXP_HI = 88;

const LOG2E = 1.4426950408889634;
const C1 = 0.693359375;        // ln2's high part: few mantissa bits, so n·C1 is exact for |n| ≤ 128
const C2 = -2.12194440e-4;     // ln2 − C1
const MAGIC = 1.5 * 2 ** 23 + 127;
const P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/**
 * Emits code leaving exp(local x) on the stack (f32x4). `t` and `n` are scratch v128 locals.
 * About 25 SIMD instructions; no calls, no tables.
 */
export function emitExp(f: FunctionBuilder, x: number, t: number, n: number): void {
  // r0 = clamp(x, LO, HI); n = nearest(r0·log2e). pmax/pmin keep a NaN input (it fails both compares).
  f.get(x).v128F32(EXP_LO).simd(Simd.f32x4Pmax).v128F32(EXP_HI).simd(Simd.f32x4Pmin).tee(t);
  f.v128F32(LOG2E).simd(Simd.f32x4Mul).simd(Simd.f32x4Nearest).set(n);
  // r = r0 − n·C1 − n·C2, |r| ≤ ln2/2
  f.get(t).get(n).v128F32(C1).simd(Simd.f32x4Mul).simd(Simd.f32x4Sub);
  f.get(n).v128F32(C2).simd(Simd.f32x4Mul).simd(Simd.f32x4Sub).set(t);
  // e^r ≈ 1 + r + r²·(P5 + r·(P4 + r·(P3 + r·(P2 + r·(P1 + r·P0)))))   (Horner)
  f.v128F32(P[0]).get(t).simd(Simd.f32x4Mul);
  for (let i = 1; i < P.length; i++) {
    f.v128F32(P[i]).simd(Simd.f32x4Add);
    if (i < P.length - 1) f.get(t).simd(Simd.f32x4Mul);
  }
  f.get(t).get(t).simd(Simd.f32x4Mul).simd(Simd.f32x4Mul);
  f.get(t).simd(Simd.f32x4Add).v128F32(1).simd(Simd.f32x4Add);
  // × 2^n: (n + 127) << 23 is 2^n's bit pattern for −126 ≤ n ≤ 127. Adding 1.5·2^23 + 127 (exact for
  // integer n) puts n + 127 in the low mantissa bits; the shift drops everything above them.
  f.get(n).v128F32(MAGIC).simd(Simd.f32x4Add).i32(23).simd(Simd.i32x4Shl);
  f.simd(Simd.f32x4Mul);
  // Exactly 0 below LO (and for −∞): clear the lanes where x < LO.
  f.get(x).v128F32(EXP_LO).simd(Simd.f32x4Lt).simd(Simd.v128AndNot);
}
