// The attention kernels' dropout in WebAssembly SIMD: the mask of cpu/attention-dropout.ts (the
// definition) recomputed lane for lane from the seed and each weight's (bh, i, j), with i32x4 mul, xor
// and shifts, so forward and backward agree with the TypeScript paths bit for bit in the mask and the
// backward needs no stored mask. Applied to a tile of probabilities after the online softmax. With
// `relaxed` the backward's Z ⊙ dP − D is one f32x4.relaxed_madd.
import { COLUMN_MULTIPLIER, MIX_MULTIPLIERS, ROW_MULTIPLIER } from '../cpu/attention-dropout.js';
import { loop, madd } from './emit-helpers.js';
import { F32, FunctionBuilder, I32, Op, Simd, V128, type ValType } from './wasm-emitter.js';

const SHIFTS = [16, 15, 16] as const;

/** mix32 on the i32 local x, in place. */
function mixScalar(f: FunctionBuilder, x: number): void {
  for (let s = 0; s < 3; s++) {
    f.get(x).get(x).i32(SHIFTS[s]).op(Op.i32ShrU, Op.i32Xor).set(x);
    if (s < 2) f.get(x).i32(MIX_MULTIPLIERS[s] | 0).op(Op.i32Mul).set(x);
  }
}

/** mix32 on each i32 lane of the v128 local x, in place. */
function mixVector(f: FunctionBuilder, x: number): void {
  for (let s = 0; s < 3; s++) {
    f.get(x).get(x).i32(SHIFTS[s]).simd(Simd.i32x4ShrU).simd(Simd.v128Xor).set(x);
    if (s < 2) f.get(x).v128I32(...new Array(4).fill(MIX_MULTIPLIERS[s] | 0)).simd(Simd.i32x4Mul).set(x);
  }
}

/** The locals and per-row set-up both dropout functions share; `row(r)` leaves rk (row key, splat) and jc ready. */
function dropoutContext(f: FunctionBuilder, a: { gbh: number; i0: number; j0: number; seed0: number; seed1: number; threshold: number; keepScale: number }) {
  const [head, key] = [f.local(I32), f.local(I32)];
  const [rk, jc, x, thrV, scaleV] = Array.from({ length: 5 }, () => f.local(V128));
  // head = mix32(seed0 ^ mix32(seed1 + bh)), once per call
  f.get(a.seed1).get(a.gbh).op(Op.i32Add).set(head);
  mixScalar(f, head);
  f.get(a.seed0).get(head).op(Op.i32Xor).set(head);
  mixScalar(f, head);
  f.get(a.threshold).simd(Simd.i32x4Splat).set(thrV);
  f.get(a.keepScale).simd(Simd.f32x4Splat).set(scaleV);
  return {
    /** rk = splat(mix32(head ^ (i0 + r)·ROW_MULTIPLIER)); jc = (j0 + 0…3)·COLUMN_MULTIPLIER. */
    row(r: number): void {
      f.get(head).get(a.i0).get(r).op(Op.i32Add).i32(ROW_MULTIPLIER | 0).op(Op.i32Mul, Op.i32Xor).set(key);
      mixScalar(f, key);
      f.get(key).simd(Simd.i32x4Splat).set(rk);
      f.get(a.j0).simd(Simd.i32x4Splat).v128I32(0, 1, 2, 3).simd(Simd.i32x4Add);
      f.v128I32(...new Array(4).fill(COLUMN_MULTIPLIER | 0)).simd(Simd.i32x4Mul).set(jc);
    },
    /** Pushes the next four factors (keepScale where kept, else 0) and advances jc by four columns. */
    factors(): void {
      f.get(rk).get(jc).simd(Simd.v128Xor).set(x);
      f.get(jc).v128I32(...new Array(4).fill(Math.imul(4, COLUMN_MULTIPLIER))).simd(Simd.i32x4Add).set(jc);
      mixVector(f, x);
      f.get(x).get(thrV).simd(Simd.i32x4GeU).get(scaleV).simd(Simd.v128And);
    },
  };
}

/** gbh, i0, j0, seed0, seed1, threshold, keepScale: the parameters after each function's own. */
const DROP_PARAMS: ValType[] = [I32, I32, I32, I32, I32, I32, F32];

/**
 * dropoutTile(sP, ldsB, rows, cols, gbh, i0, j0, seed0, seed1, threshold, keepScale): P[r, c] ·= factor of
 * (gbh, i0 + r, j0 + c) for c < cols (a multiple of 4): the forward's dropped weights, after the softmax.
 */
export function dropoutTile(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, ...DROP_PARAMS], []);
  const [sP, ldsB, rows, cols, gbh, i0, j0, seed0, seed1, threshold, keepScale] = Array.from({ length: 11 }, (_, i) => i);
  const [r, c, sRow, colsB] = Array.from({ length: 4 }, () => f.local(I32));
  const ctx = dropoutContext(f, { gbh, i0, j0, seed0, seed1, threshold, keepScale });
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    ctx.row(r);
    f.get(sP).get(r).get(ldsB).op(Op.i32Mul, Op.i32Add).set(sRow);
    loop(f, c, () => f.i32(0), () => f.get(colsB), 16, () => {
      f.get(sRow).get(c).op(Op.i32Add);
      f.get(sRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4);
      ctx.factors();
      f.simd(Simd.f32x4Mul).simdMem(Simd.v128Store, 4);
    });
  });
  return f;
}

/**
 * dScoresDropout(pP, dpP, ldB, rows, cols, dP, scale, gbh, i0, j0, seed0, seed1, threshold, keepScale): with
 * Z the factors, dS = P ⊙ (Z ⊙ dP̃ − D_r)·scale into dpP (dP̃ = dO·vᵀ, the gradient of the dropped weights;
 * exactly 0 where P = 0, as dScores), then P ← Z ⊙ P in place for dV.
 */
export function dScoresDropout(relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, F32, ...DROP_PARAMS], []);
  const [pP, dpP, ldB, rows, cols, dP, scale, gbh, i0, j0, seed0, seed1, threshold, keepScale] = Array.from({ length: 14 }, (_, i) => i);
  const [r, c, pRow, dRow, colsB] = Array.from({ length: 5 }, () => f.local(I32));
  const [negD, scaleV, pv, z] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const ctx = dropoutContext(f, { gbh, i0, j0, seed0, seed1, threshold, keepScale });
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    ctx.row(r);
    f.get(pP).get(r).get(ldB).op(Op.i32Mul, Op.i32Add).set(pRow);
    f.get(dpP).get(r).get(ldB).op(Op.i32Mul, Op.i32Add).set(dRow);
    f.get(dP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).simdMem(Simd.v128Load32Splat, 2).simd(Simd.f32x4Neg).set(negD);
    loop(f, c, () => f.i32(0), () => f.get(colsB), 16, () => {
      ctx.factors();
      f.set(z);
      f.get(pRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).set(pv);
      f.get(dRow).get(c).op(Op.i32Add);
      f.get(pv);
      madd(f, relaxed, () => f.get(dRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4), z, negD);
      f.simd(Simd.f32x4Mul).get(scaleV).simd(Simd.f32x4Mul);
      f.get(pv).v128Zero().simd(Simd.f32x4Eq).simd(Simd.v128AndNot);
      f.simdMem(Simd.v128Store, 4);
      f.get(pRow).get(c).op(Op.i32Add).get(pv).get(z).simd(Simd.f32x4Mul).simdMem(Simd.v128Store, 4);
    });
  });
  return f;
}
