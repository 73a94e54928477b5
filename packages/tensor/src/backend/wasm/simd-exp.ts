// exp and exp2 on four float32 lanes in WebAssembly SIMD (no transcendental instructions there): Cephes expf's
// range reduction x = n·ln2 + r, |r| ≤ ln2/2, with ln2 split in two constants so n·ln2 is exact, a
// degree-5 polynomial for e^r, and 2^n built in the exponent bits. Error < 1 float32 ulp on
// [−87.3, 88] (checked against Math.exp in simd-exp.test.ts); below −87.3 (incl. −∞) it gives exactly 0,
// NaN stays NaN. Inputs above 88 saturate at e^88. exp2 (Cephes exp2f) is the attention kernels' form.
// With `relaxed` the polynomials' multiply-adds are f32x4.relaxed_madd (fused where the hardware has FMA).
import { madd, nmadd, ON_STACK } from './emit-helpers.js';
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
 * About 25 SIMD instructions (fewer on relaxed SIMD); no calls, no tables.
 */
export function emitExp(f: FunctionBuilder, x: number, t: number, n: number, relaxed = false): void {
  // r0 = clamp(x, LO, HI); n = nearest(r0·log2e). pmax/pmin keep a NaN input (it fails both compares).
  f.get(x).v128F32(EXP_LO).simd(Simd.f32x4Pmax).v128F32(EXP_HI).simd(Simd.f32x4Pmin).tee(t);
  f.v128F32(LOG2E).simd(Simd.f32x4Mul).simd(Simd.f32x4Nearest).set(n);
  // r = r0 − n·C1 − n·C2, |r| ≤ ln2/2
  nmadd(f, relaxed, n, () => f.v128F32(C1), t);
  f.set(t);
  nmadd(f, relaxed, n, () => f.v128F32(C2), t);
  f.set(t);
  // e^r ≈ 1 + r + r²·(P5 + r·(P4 + r·(P3 + r·(P2 + r·(P1 + r·P0)))))   (Horner)
  f.v128F32(P[0]);
  for (let i = 1; i < P.length; i++) madd(f, relaxed, ON_STACK, t, () => f.v128F32(P[i]));
  madd(f, relaxed, ON_STACK, () => f.get(t).get(t).simd(Simd.f32x4Mul), t);
  f.v128F32(1).simd(Simd.f32x4Add);
  // × 2^n: (n + 127) << 23 is 2^n's bit pattern for −126 ≤ n ≤ 127. Adding 1.5·2^23 + 127 (exact for
  // integer n) puts n + 127 in the low mantissa bits; the shift drops everything above them.
  f.get(n).v128F32(MAGIC).simd(Simd.f32x4Add).i32(23).simd(Simd.i32x4Shl);
  f.simd(Simd.f32x4Mul);
  // Exactly 0 below LO (and for −∞): clear the lanes where x < LO.
  f.get(x).v128F32(EXP_LO).simd(Simd.f32x4Lt).simd(Simd.v128AndNot);
}

/** Inputs below this give 0 from emitExp2: 2^−126 is the smallest normal float32. */
export const EXP2_LO = -126;
/** Inputs above this are clamped to it (when clamped at all). */
export const EXP2_HI = 127;

// Cephes exp2f: 2^r ≈ 1 + r·P(r) on |r| ≤ 1/2 (peak relative error 1.7e-7).
const Q = [1.535336188319500e-4, 1.339887440266574e-3, 9.618437357674640e-3, 5.550332471162809e-2, 2.402264791363012e-1, 6.931472028550421e-1];

/**
 * Emits code leaving 2^(local x) on the stack (f32x4): n = nearest(x), r = x − n exactly, so the range
 * reduction costs two instructions (the attention kernels fold log2(e) into their score scale and use
 * this instead of emitExp). Exactly 0 below −126 (and for −∞), NaN stays NaN; with `clampHigh` inputs
 * above 127 saturate at 2^127, without it they must not occur (attention passes x ≤ 0).
 */
export function emitExp2(f: FunctionBuilder, x: number, t: number, n: number, clampHigh: boolean, relaxed = false): void {
  f.get(x).v128F32(EXP2_LO).simd(Simd.f32x4Pmax);
  if (clampHigh) f.v128F32(EXP2_HI).simd(Simd.f32x4Pmin);
  f.tee(t).simd(Simd.f32x4Nearest).set(n);
  f.get(t).get(n).simd(Simd.f32x4Sub).set(t);
  // 1 + r·(Q5 + r·(Q4 + r·(Q3 + r·(Q2 + r·(Q1 + r·Q0)))))
  f.v128F32(Q[0]);
  for (let i = 1; i < Q.length; i++) madd(f, relaxed, ON_STACK, t, () => f.v128F32(Q[i]));
  madd(f, relaxed, ON_STACK, t, () => f.v128F32(1));
  f.get(n).v128F32(MAGIC).simd(Simd.f32x4Add).i32(23).simd(Simd.i32x4Shl).simd(Simd.f32x4Mul);
  f.get(x).v128F32(EXP2_LO).simd(Simd.f32x4Lt).simd(Simd.v128AndNot);
}
