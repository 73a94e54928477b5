// The attention kernels' softmax in WebAssembly SIMD, in base 2 (scores carry a factor log2(e), so
// every exp is an exp2): masking and scaling a tile row, the forward's online softmax (running max
// and sum, rescaled output), the backward's probabilities from the saved log-sum-exp and dS, and the
// per-row bookkeeping around them. With `relaxed` the scores' and exp2's multiply-adds are
// f32x4.relaxed_madd (fused where the hardware has FMA).
import { horizontal, loop, madd, scaleRow, zeroTail } from './emit-helpers.js';
import { emitExp, emitExp2 } from './simd-exp.js';
import { F32, FunctionBuilder, I32, Op, Simd, V128 } from './wasm-emitter.js';

/** exp2v(x: v128) → v128 (2^x, saturating above 127). */
export function exp2v(relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([V128], [V128]);
  const [t, n] = [f.local(V128), f.local(V128)];
  emitExp2(f, 0, t, n, true, relaxed);
  return f;
}

/** A test export dst = op(src) over n floats (a multiple of 4); `emit(f, x, t, m)` leaves op(x) on the stack. */
function mapArray(emit: (f: FunctionBuilder, x: number, t: number, m: number) => void): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32], []);
  const [src, dst, n] = [0, 1, 2];
  const [i, x, t, m] = [f.local(I32), f.local(V128), f.local(V128), f.local(V128)];
  loop(f, i, () => f.i32(0), () => f.get(n).i32(2).op(Op.i32Shl), 16, () => {
    f.get(src).get(i).op(Op.i32Add).simdMem(Simd.v128Load, 4).set(x);
    f.get(dst).get(i).op(Op.i32Add);
    emit(f, x, t, m);
    f.simdMem(Simd.v128Store, 4);
  });
  return f;
}

/** exp2Array(src, dst, n): dst = 2^src; for tests. */
export const exp2Array = (relaxed: boolean): FunctionBuilder => mapArray((f, x, t, m) => emitExp2(f, x, t, m, true, relaxed));

/** expArray(src, dst, n): dst = exp(src); for tests. */
export const expArray = (relaxed: boolean): FunctionBuilder => mapArray((f, x, t, m) => emitExp(f, x, t, m, relaxed));

/**
 * The masked, scaled scores of one tile row, in base 2, into x (v128 local) for lanes at column c of
 * row r: x = (s·scale + mask bias)·log2(e) (+ pad bias, 0 or −∞), −∞ where j ≥ rowEnd; scaleV holds
 * scale·log2(e). Shared by forward and backward.
 */
interface RowCtx {
  sRow: number; c: number; j0: number; padRow: number; maskRow: number; idx: number; lim: number; scaleV: number; x: number;
  /** Window only: lanes with idx < loLim are outside the band, unless idx < gLim (a global key). */
  loLim: number; gLim: number;
}
function emitScores(f: FunctionBuilder, ctx: RowCtx, pad: boolean, mask: boolean, win: boolean, relaxed: boolean): void {
  const { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x, loLim, gLim } = ctx;
  const s = (): void => { f.get(sRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4); };
  if (pad) madd(f, relaxed, s, scaleV, () => f.get(padRow).get(j0).i32(2).op(Op.i32Shl, Op.i32Add).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 2));
  else {
    s();
    f.get(scaleV).simd(Simd.f32x4Mul);
  }
  if (mask) {
    f.set(x);
    madd(f, relaxed, () => f.get(maskRow).get(j0).i32(2).op(Op.i32Shl, Op.i32Add).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 2),
      () => f.v128F32(Math.LOG2E), x);
  }
  f.v128F32(-Infinity).get(idx).get(lim).simd(Simd.i32x4LtS);
  // keep = (idx < lim) ∧ ¬(idx < loLim ∧ ¬(idx < gLim))
  if (win) f.get(idx).get(loLim).simd(Simd.i32x4LtS).get(idx).get(gLim).simd(Simd.i32x4LtS).simd(Simd.v128AndNot).simd(Simd.v128AndNot);
  f.simd(Simd.v128Bitselect).set(x);
  f.get(idx).v128I32(4, 4, 4, 4).simd(Simd.i32x4Add).set(idx);
}

/** Per-row setup shared by the softmax passes: rowEnd (exclusive key limit), lane limits, row pointers. */
interface RowSetup {
  r: number; i0: number; j0: number; effTk: number; causal: number; shift: number; sP: number; ldsB: number; maskBase: number;
  ms2B: number; rowEnd: number; lim: number; idx: number; sRow: number; maskRow: number; tmp: number; cols: number; activeB: number;
  winB: number; winA: number; winG: number; loLim: number; gLim: number;
}
function emitRowSetup(f: FunctionBuilder, a: RowSetup, mask: boolean, win: boolean): void {
  const { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB } = a;
  f.get(effTk).set(rowEnd);
  f.get(causal).ifElse(() => {
    // bottom-right aligned: key j allowed for query i when j < i + shift + 1
    f.get(i0).get(r).op(Op.i32Add).get(shift).op(Op.i32Add).i32(1).op(Op.i32Add).set(tmp);
    f.min(tmp, rowEnd).set(rowEnd);
  });
  if (win) {
    // Position p = i0 + r + shift. A global query (p < globalTokens) keeps every key: loLim ≤ 0.
    // Otherwise keys j in [p − before, p + after] and j < globalTokens: rowEnd = min(rowEnd, p + after + 1).
    const { winB, winA, winG, loLim, gLim } = a;
    f.get(i0).get(r).op(Op.i32Add).get(shift).op(Op.i32Add).set(tmp);
    f.get(tmp).get(winG).op(Op.i32LtS).ifElse(() => {
      f.i32(0).get(j0).op(Op.i32Sub).simd(Simd.i32x4Splat).set(loLim);
    }, () => {
      f.get(tmp).get(winB).op(Op.i32Sub).get(j0).op(Op.i32Sub).simd(Simd.i32x4Splat).set(loLim);
      f.get(tmp).get(winA).op(Op.i32Add).i32(1).op(Op.i32Add).set(tmp);
      f.min(tmp, rowEnd).set(rowEnd);
    });
    f.get(winG).get(j0).op(Op.i32Sub).simd(Simd.i32x4Splat).set(gLim);
  }
  f.get(rowEnd).get(j0).op(Op.i32Sub).tee(tmp).simd(Simd.i32x4Splat).set(lim);
  // activeB: bytes of the row holding any allowed key (valid columns rounded up to a vector); past it, P = 0.
  f.get(tmp).i32(0).get(tmp).i32(0).op(Op.i32GtS, Op.select).set(tmp);
  f.min(tmp, cols).i32(3).op(Op.i32Add).i32(-4).op(Op.i32And).i32(2).op(Op.i32Shl).set(activeB);
  f.v128I32(0, 1, 2, 3).set(idx);
  f.get(sP).get(r).get(ldsB).op(Op.i32Mul, Op.i32Add).set(sRow);
  if (mask) f.get(maskBase).get(i0).get(r).op(Op.i32Add).get(ms2B).op(Op.i32Mul, Op.i32Add).set(maskRow);
}

const ROW_PARAMS = 15; // sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, winB, winA, winG

/**
 * softmaxForward(sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, winB, winA, winG, oP, mP, lP, dh, scale2):
 * turns the raw q·kᵀ tile into 2^(x − m_new) in place (x in base 2), updates each row's running max m
 * and sum l, and rescales the row's output accumulator by 2^(m_old − m_new) (online softmax).
 */
export function softmaxForward(pad: boolean, mask: boolean, win: boolean, exp2Fn: number, relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([...new Array(ROW_PARAMS).fill(I32), I32, I32, I32, I32, F32], []);
  const [sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, winB, winA, winG, oP, mP, lP, dh, scale] =
    Array.from({ length: 20 }, (_, i) => i);
  const [r, c, rowEnd, sRow, maskRow, ptr, end, colsB, tmp, activeB] = Array.from({ length: 10 }, () => f.local(I32));
  const [x, idx, lim, scaleV, maxv, sumv, mv, t, n, loLim, gLim] = Array.from({ length: 11 }, () => f.local(V128));
  const [mOld, mNew, mUse, alpha] = [f.local(F32), f.local(F32), f.local(F32), f.local(F32)];
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    emitRowSetup(f, { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB,
      winB, winA, winG, loLim, gLim }, mask, win);
    // Pass 1: masked scaled scores back into the tile, and their max.
    f.v128F32(-Infinity).set(maxv);
    loop(f, c, () => f.i32(0), () => f.get(activeB), 16, () => {
      emitScores(f, { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x, loLim, gLim }, pad, mask, win, relaxed);
      f.get(sRow).get(c).op(Op.i32Add).get(x).simdMem(Simd.v128Store, 4);
      f.get(maxv).get(x).simd(Simd.f32x4Pmax).set(maxv);
    });
    f.get(mP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.f32Load, 2).tee(mOld);
    horizontal(f, maxv, Op.f32Max);
    f.op(Op.f32Max).set(mNew);
    // Nothing attended yet (m = −∞): subtract 0 instead, so exp(−∞ − 0) = 0 rather than NaN.
    f.f32(0).get(mNew).get(mNew).f32(-Infinity).op(Op.f32Eq, Op.select).tee(mUse).simd(Simd.f32x4Splat).set(mv);
    // Pass 2: p = 2^(x − m), row sum.
    f.v128Zero().set(sumv);
    loop(f, c, () => f.i32(0), () => f.get(activeB), 16, () => {
      f.get(sRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).get(mv).simd(Simd.f32x4Sub).set(x);
      f.get(sRow).get(c).op(Op.i32Add);
      emitExp2(f, x, t, n, false, relaxed);
      f.tee(x).simdMem(Simd.v128Store, 4);
      f.get(sumv).get(x).simd(Simd.f32x4Add).set(sumv);
    });
    zeroTail(f, sRow, activeB, colsB, c);
    // alpha = 2^(m_old − m_new); l = l·alpha + Σp; m = m_new; O row ·= alpha.
    f.get(mOld).get(mUse).op(Op.f32Sub).simd(Simd.f32x4Splat).call(exp2Fn).lane(0).set(alpha);
    f.get(lP).get(r).i32(2).op(Op.i32Shl, Op.i32Add);
    f.get(lP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.f32Load, 2).get(alpha).op(Op.f32Mul);
    horizontal(f, sumv, Op.f32Add);
    f.op(Op.f32Add).mem(Op.f32Store, 2);
    f.get(mP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).get(mNew).mem(Op.f32Store, 2);
    // The first tile a row attends overwrites its accumulator (m_old = −∞): nothing to rescale.
    f.get(alpha).f32(1).op(Op.f32Ne).get(mOld).f32(-Infinity).op(Op.f32Ne, Op.i32And).ifElse(() => {
      f.get(oP).get(r).get(dh).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(ptr);
      scaleRow(f, ptr, dh, () => f.get(alpha), ptr, end, t);
    });
  });
  return f;
}

/**
 * probsBackward(sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, winB, winA, winG, lse2P, scale2):
 * P = 2^(x − lse·log2(e)) in place (lse2P holds lse·log2(e); +∞ gives an all-zero row).
 */
export function probsBackward(pad: boolean, mask: boolean, win: boolean, relaxed: boolean): FunctionBuilder {
  const f = new FunctionBuilder([...new Array(ROW_PARAMS).fill(I32), I32, F32], []);
  const [sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, winB, winA, winG, lseP, scale] =
    Array.from({ length: 17 }, (_, i) => i);
  const [r, c, rowEnd, sRow, maskRow, colsB, tmp, activeB] = Array.from({ length: 8 }, () => f.local(I32));
  const [x, idx, lim, scaleV, lv, t, n, loLim, gLim] = Array.from({ length: 9 }, () => f.local(V128));
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    emitRowSetup(f, { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB,
      winB, winA, winG, loLim, gLim }, mask, win);
    f.get(lseP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).simdMem(Simd.v128Load32Splat, 2).set(lv);
    loop(f, c, () => f.i32(0), () => f.get(activeB), 16, () => {
      emitScores(f, { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x, loLim, gLim }, pad, mask, win, relaxed);
      f.get(x).get(lv).simd(Simd.f32x4Sub).set(x);
      f.get(sRow).get(c).op(Op.i32Add);
      emitExp2(f, x, t, n, false, relaxed);
      f.simdMem(Simd.v128Store, 4);
    });
    zeroTail(f, sRow, activeB, colsB, c);
  });
  return f;
}

/**
 * dScores(pP, dpP, ldB, rows, cols, dP, scale): dS = P ⊙ (dP − D_r)·scale into dpP, exactly 0 where P = 0
 * (masked keys, whose dP a causal tile may have skipped computing).
 */
export function dScores(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, F32], []);
  const [pP, dpP, ldB, rows, cols, dP, scale] = [0, 1, 2, 3, 4, 5, 6];
  const [r, c, pRow, dRow, colsB] = Array.from({ length: 5 }, () => f.local(I32));
  const [dv, scaleV] = [f.local(V128), f.local(V128)];
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.get(pP).get(r).get(ldB).op(Op.i32Mul, Op.i32Add).set(pRow);
    f.get(dpP).get(r).get(ldB).op(Op.i32Mul, Op.i32Add).set(dRow);
    f.get(dP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).simdMem(Simd.v128Load32Splat, 2).set(dv);
    loop(f, c, () => f.i32(0), () => f.get(colsB), 16, () => {
      f.get(dRow).get(c).op(Op.i32Add);
      f.get(pRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4);
      f.get(dRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).get(dv).simd(Simd.f32x4Sub);
      f.simd(Simd.f32x4Mul).get(scaleV).simd(Simd.f32x4Mul);
      f.get(pRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).v128Zero().simd(Simd.f32x4Eq).simd(Simd.v128AndNot);
      f.simdMem(Simd.v128Store, 4);
    });
  });
  return f;
}

/** finishRows(oP, rows, dh, lP): O row ·= 1/l, or 0 where l = 0 (nothing attended). */
export function finishRows(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32], []);
  const [oP, rows, dh, lP] = [0, 1, 2, 3];
  const [r, ptr, end, c, from, dhB] = Array.from({ length: 6 }, () => f.local(I32));
  const l = f.local(F32);
  const fv = f.local(V128);
  f.get(dh).i32(2).op(Op.i32Shl).set(dhB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.get(oP).get(r).get(dh).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(ptr);
    f.get(lP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.f32Load, 2).set(l);
    f.get(l).f32(0).op(Op.f32Eq).ifElse(
      () => zeroTail(f, ptr, from, dhB, c),
      () => scaleRow(f, ptr, dh, () => f.f32(1).get(l).op(Op.f32Div), ptr, end, fv));
  });
  return f;
}

/** initStats(mP, lP, rows): m = −∞, l = 0. */
export function initStats(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32], []);
  const [mP, lP, rows] = [0, 1, 2];
  const r = f.local(I32);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.get(mP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).f32(-Infinity).mem(Op.f32Store, 2);
    f.get(lP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).f32(0).mem(Op.f32Store, 2);
  });
  return f;
}
