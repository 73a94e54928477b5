// Fused scaled dot-product attention as WebAssembly SIMD functions, generated at load time into the
// same module as the GEMM (FlashAttention-2's loops, Dao 2023): per (batch·head) and block of BR
// queries, key tiles of BC: S = Q·Kᵀ into a small tile, scale + masks + online softmax with a
// vectorized exp (simd-exp.ts), O += P·V; backward recomputes P from the saved log-sum-exp. Key tiles
// past the causal limit or the last unpadded key are never touched. Every product is one register-tiled
// micro-kernel, C[r, c] (+)= Σ_p A(r, p)·B(p, c) with A read at any strides (so Pᵀ and dSᵀ need no copy).
import { Ctrl } from './gemm-module.js';
import { emitExp, emitExp2 } from './simd-exp.js';
import { F32, FunctionBuilder, I32, type ModuleBuilder, Op, Simd, V128 } from './wasm-emitter.js';

/** Attention job header: Int32 words of the control block (a job of kind ATTENTION_*; GEMM uses the same words otherwise). */
export const Att = {
  /** Byte addresses of the group's q, k, v, out (forward output / backward input), dout, dq, dk, dv. */
  Q: 16, K: 17, V: 18, O: 19, DO: 20, DQ: 21, DK: 22, DV: 23,
  /** Per row (bh, i): forward writes the running max m and sum l there; backward reads lse (+∞ = nothing to attend). */
  STAT_M: 24, STAT_L: 25,
  /** Additive key-padding bias [batch, tk] (0 = none), additive mask (0 = none) read at b·MS0 + h·MS1 + i·MS2 + j. */
  PAD: 26, MASK: 27, MS0: 28, MS1: 29, MS2: 30,
  /** Int32 [batch]: keys at or past it are all padding (0 = use TK). */
  EFF_TK: 31,
  /** SCALE multiplies q·kᵀ (float32 bits); SCALE2 = SCALE·log2(e), which turns the softmax's exps into exp2s. */
  HEADS: 32, TQ: 33, TK: 34, DH: 35, CAUSAL: 36, SHIFT: 37, SCALE: 38, BR: 39, BC: 40,
  /** Per-thread scratch: slot s at SLOT_BASE + s·SLOT_BYTES, with Kᵀ, Vᵀ [DH, TKP], S and dP [BR, BC], D [BR] at these offsets. */
  SLOT_BASE: 41, SLOT_BYTES: 42, TKP: 43, SLOT_KT: 44, SLOT_VT: 45, SLOT_S: 46, SLOT_DP: 47, SLOT_D: 48,
  /** Index in batch·heads of the group's first head (the arrays above start there). */
  BH_BASE: 49, SCALE2: 50,
} as const;

/** Values of Ctrl.KIND. */
export const JobKind = { GEMM: 0, ATTENTION_FORWARD: 1, ATTENTION_BACKWARD: 2 } as const;

/** Register tile rows of the attention micro-kernels (columns are 4·nrv, nrv ≤ 4). */
const MR = 2;
const NRV = 4;

/** d0 for a product with no causal skipping. */
const FULL = 1 << 30;

const word = (f: FunctionBuilder, w: number): FunctionBuilder => f.i32(0).mem(Op.i32Load, 2, w * 4);

/** Emits `for (i = start; i < end; i += step)` where start/end/step are pushers. */
function loop(f: FunctionBuilder, i: number, start: () => void, end: () => void, step: number | (() => void), body: () => void): void {
  start();
  f.set(i).op(Op.block, 0x40, Op.loop, 0x40);
  f.get(i);
  end();
  f.op(Op.i32GeS, Op.brIf, 1);
  body();
  f.inc(i, step);
  f.op(Op.br, 0, Op.end, Op.end);
}

/** Pushes the sum / max of the four lanes of v128 local v. */
function horizontal(f: FunctionBuilder, v: number, op: number): void {
  f.get(v).lane(0);
  for (let l = 1; l < 4; l++) f.get(v).lane(l).op(op);
}

/**
 * panel(aP, ars, aps, bP, ldb, cP, ldc, rows, k, accumulate): C[rows, 4·nrv] (=|+=) Σ_{p<k} A(r, p)·B(p, ·),
 * A(r, p) at aP + r·ars + p·aps, B row p at bP + p·ldb, C row r at cP + r·ldc (all bytes). Rows go
 * MR at a time through an MR×4·nrv register tile, then one at a time.
 */
function panelKernel(nrv: number): FunctionBuilder {
  const f = new FunctionBuilder(new Array(10).fill(I32), []);
  const [aP, ars, aps, bP, ldb, cP, ldc, rows, k, accumulate] = Array.from({ length: 10 }, (_, i) => i);
  const [a0, a1, b, kk, r, c] = Array.from({ length: 6 }, () => f.local(I32));
  const acc: number[] = [];
  for (let i = 0; i < MR * nrv; i++) acc.push(f.local(V128));
  const bv: number[] = [];
  for (let v = 0; v < nrv; v++) bv.push(f.local(V128));
  const a = f.local(V128);
  const tile = (mr: number): void => {
    for (let i = 0; i < mr * nrv; i++) f.v128Zero().set(acc[i]);
    f.get(aP).set(a0);
    f.get(aP).get(ars).op(Op.i32Add).set(a1);
    f.get(bP).set(b);
    f.get(k).set(kk);
    f.op(Op.block, 0x40, Op.loop, 0x40);
    f.get(kk).i32(1).op(Op.i32LtS, Op.brIf, 1);
    for (let v = 0; v < nrv; v++) f.get(b).simdMem(Simd.v128Load, 4, 16 * v).set(bv[v]);
    for (let q = 0; q < mr; q++) {
      f.get(q === 0 ? a0 : a1).simdMem(Simd.v128Load32Splat, 2, 0).set(a);
      for (let v = 0; v < nrv; v++) {
        const x = acc[q * nrv + v];
        f.get(x).get(a).get(bv[v]).simd(Simd.f32x4Mul).simd(Simd.f32x4Add).set(x);
      }
    }
    f.inc(a0, () => f.get(aps));
    if (mr > 1) f.inc(a1, () => f.get(aps));
    f.inc(b, () => f.get(ldb)).inc(kk, -1);
    f.op(Op.br, 0, Op.end, Op.end);
    const store = (add: boolean): void => {
      f.get(cP).set(c);
      for (let q = 0; q < mr; q++) {
        if (q > 0) f.inc(c, () => f.get(ldc));
        for (let v = 0; v < nrv; v++) {
          f.get(c);
          if (add) f.get(c).simdMem(Simd.v128Load, 4, 16 * v);
          f.get(acc[q * nrv + v]);
          if (add) f.simd(Simd.f32x4Add);
          f.simdMem(Simd.v128Store, 4, 16 * v);
        }
      }
    };
    f.get(accumulate).ifElse(() => store(true), () => store(false));
    f.inc(aP, () => f.get(ars).i32(mr === 2 ? 1 : 0).op(Op.i32Shl)).inc(cP, () => f.get(ldc).i32(mr === 2 ? 1 : 0).op(Op.i32Shl));
  };
  loop(f, r, () => f.i32(MR), () => f.get(rows).i32(1).op(Op.i32Add), MR, () => tile(MR));
  f.get(rows).i32(1).op(Op.i32And).ifElse(() => tile(1));
  return f;
}

/**
 * mm(aP, ars, aps, bP, ldb, cP, ldc, rows, cols, k, accumulate, d0): C[rows, cols] (+)= A·B, one panel
 * call per 16 columns; cols must be a multiple of 4. Row r only needs columns c < r + d0 (a causal
 * tile: keys past a query's limit are masked anyway), so a panel starting at c0 skips rows r ≤ c0 − d0,
 * leaving them unwritten; pass a huge d0 for a full product. panels[nrv − 1] are function indices.
 */
function tiledProduct(panels: number[]): FunctionBuilder {
  const f = new FunctionBuilder(new Array(12).fill(I32), []);
  const [aP, ars, aps, bP, ldb, cP, ldc, rows, cols, k, accumulate, d0] = Array.from({ length: 12 }, (_, i) => i);
  const [c0, nv, r0] = [f.local(I32), f.local(I32), f.local(I32)];
  loop(f, c0, () => f.i32(0), () => f.get(cols), 4 * NRV, () => {
    // nv = min(NRV, (cols − c0) / 4) vectors in this column panel
    f.get(cols).get(c0).op(Op.i32Sub).i32(2).op(Op.i32ShrS).set(nv);
    f.i32(NRV).get(nv).get(nv).i32(NRV).op(Op.i32GtS, Op.select).set(nv);
    // r0 = max(0, c0 − d0 + 1): the first row that sees any of these columns
    f.get(c0).get(d0).op(Op.i32Sub).i32(1).op(Op.i32Add).set(r0);
    f.get(r0).i32(0).get(r0).i32(0).op(Op.i32GtS, Op.select).set(r0);
    f.get(r0).get(rows).op(Op.i32LtS).ifElse(() => {
      const call = (v: number): void => {
        f.get(aP).get(r0).get(ars).op(Op.i32Mul, Op.i32Add).get(ars).get(aps).get(bP).get(c0).i32(2).op(Op.i32Shl, Op.i32Add).get(ldb);
        f.get(cP).get(r0).get(ldc).op(Op.i32Mul, Op.i32Add).get(c0).i32(2).op(Op.i32Shl, Op.i32Add).get(ldc);
        f.get(rows).get(r0).op(Op.i32Sub).get(k).get(accumulate).call(panels[v - 1]);
      };
      const branch = (v: number): void => {
        if (v === 1) { call(1); return; }
        f.get(nv).i32(v).op(Op.i32Eq).ifElse(() => call(v), () => branch(v - 1));
      };
      branch(NRV);
    });
  });
  return f;
}

/**
 * transpose(src, n, dh, dst, ld): dst[d·ld + j] = src[j·dh + d] for j < n, d < dh (dh a multiple of 4),
 * in 4×4 blocks of shuffles; zeros for n ≤ j < ⌈n/16⌉·16.
 */
function transpose(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32], []);
  const [src, n, dh, dst, ld] = [0, 1, 2, 3, 4];
  const [j, d, s, t, ldB, dhB, end] = Array.from({ length: 7 }, () => f.local(I32));
  const v = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const u = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.get(ld).i32(2).op(Op.i32Shl).set(ldB);
  f.get(dh).i32(2).op(Op.i32Shl).set(dhB);
  f.get(n).i32(-4).op(Op.i32And).set(end);
  loop(f, j, () => f.i32(0), () => f.get(end), 4, () => {
    loop(f, d, () => f.i32(0), () => f.get(dh), 4, () => {
      // rows j..j+3, columns d..d+3 of src
      f.get(src).get(j).get(dh).op(Op.i32Mul).get(d).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(s);
      for (let a = 0; a < 4; a++) {
        f.get(s).simdMem(Simd.v128Load, 2).set(v[a]);
        if (a < 3) f.inc(s, () => f.get(dhB));
      }
      f.get(v[0]).get(v[1]).shuffle32(0, 4, 1, 5).set(u[0]);
      f.get(v[0]).get(v[1]).shuffle32(2, 6, 3, 7).set(u[1]);
      f.get(v[2]).get(v[3]).shuffle32(0, 4, 1, 5).set(u[2]);
      f.get(v[2]).get(v[3]).shuffle32(2, 6, 3, 7).set(u[3]);
      f.get(dst).get(d).get(ld).op(Op.i32Mul).get(j).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(t);
      const halves: [number, number, [number, number, number, number]][] = [[0, 2, [0, 1, 4, 5]], [0, 2, [2, 3, 6, 7]], [1, 3, [0, 1, 4, 5]], [1, 3, [2, 3, 6, 7]]];
      halves.forEach(([x, y, lanes], a) => {
        f.get(t).get(u[x]).get(u[y]).shuffle32(...lanes).simdMem(Simd.v128Store, 2);
        if (a < 3) f.inc(t, () => f.get(ldB));
      });
    });
  });
  loop(f, j, () => f.get(end), () => f.get(n), 1, () => {
    f.get(src).get(j).get(dhB).op(Op.i32Mul, Op.i32Add).set(s);
    f.get(dst).get(j).i32(2).op(Op.i32Shl, Op.i32Add).set(t);
    loop(f, d, () => f.i32(0), () => f.get(dh), 1, () => {
      f.get(t).get(s).mem(Op.f32Load, 2).mem(Op.f32Store, 2);
      f.inc(s, 4).inc(t, () => f.get(ldB));
    });
  });
  f.get(n).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(end);
  loop(f, d, () => f.i32(0), () => f.get(dh), 1, () => {
    loop(f, j, () => f.get(n), () => f.get(end), 1, () => {
      f.get(dst).get(d).get(ld).op(Op.i32Mul).get(j).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).f32(0).mem(Op.f32Store, 2);
    });
  });
  return f;
}

/** zero(p, n): n floats (a multiple of 4) at p set to 0. */
function zero(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const [p, n] = [0, 1];
  const end = f.local(I32);
  f.get(p).get(n).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
  loop(f, p, () => f.get(p), () => f.get(end), 16, () => { f.get(p).v128Zero().simdMem(Simd.v128Store, 4); });
  return f;
}

/** exp2v(x: v128) → v128 (2^x, saturating above 127). */
function exp2v(): FunctionBuilder {
  const f = new FunctionBuilder([V128], [V128]);
  const [t, n] = [f.local(V128), f.local(V128)];
  emitExp2(f, 0, t, n, true);
  return f;
}

/** exp2Array(src, dst, n): dst = 2^src over n floats (a multiple of 4); for tests. */
function exp2Array(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32], []);
  const [src, dst, n] = [0, 1, 2];
  const [i, x, t, m] = [f.local(I32), f.local(V128), f.local(V128), f.local(V128)];
  loop(f, i, () => f.i32(0), () => f.get(n).i32(2).op(Op.i32Shl), 16, () => {
    f.get(src).get(i).op(Op.i32Add).simdMem(Simd.v128Load, 4).set(x);
    f.get(dst).get(i).op(Op.i32Add);
    emitExp2(f, x, t, m, true);
    f.simdMem(Simd.v128Store, 4);
  });
  return f;
}

/** expArray(src, dst, n): dst = exp(src) over n floats (a multiple of 4); for tests. */
function expArray(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32], []);
  const [src, dst, n] = [0, 1, 2];
  const [i, x, t, m] = [f.local(I32), f.local(V128), f.local(V128), f.local(V128)];
  loop(f, i, () => f.i32(0), () => f.get(n).i32(2).op(Op.i32Shl), 16, () => {
    f.get(src).get(i).op(Op.i32Add).simdMem(Simd.v128Load, 4).set(x);
    f.get(dst).get(i).op(Op.i32Add);
    emitExp(f, x, t, m);
    f.simdMem(Simd.v128Store, 4);
  });
  return f;
}

/** Zeros bytes [from, to) of the row at p (multiples of 16); c is a scratch local. */
function zeroTail(f: FunctionBuilder, p: number, from: number, to: number, c: number): void {
  loop(f, c, () => f.get(from), () => f.get(to), 16, () => { f.get(p).get(c).op(Op.i32Add).v128Zero().simdMem(Simd.v128Store, 4); });
}

/** Multiplies n floats (a multiple of 4) at p by the f32 `factor`. */
function scaleRow(f: FunctionBuilder, p: number, n: number, factor: () => void, ptr: number, end: number, fv: number): void {
  factor();
  f.simd(Simd.f32x4Splat).set(fv);
  f.get(p).get(n).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
  loop(f, ptr, () => f.get(p), () => f.get(end), 16, () => {
    f.get(ptr).get(ptr).simdMem(Simd.v128Load, 4).get(fv).simd(Simd.f32x4Mul).simdMem(Simd.v128Store, 4);
  });
}

/**
 * The masked, scaled scores of one tile row, in base 2, into x (v128 local) for lanes at column c of
 * row r: x = (s·scale + mask bias)·log2(e) (+ pad bias, 0 or −∞), −∞ where j ≥ rowEnd; scaleV holds
 * scale·log2(e). Shared by forward and backward.
 */
interface RowCtx { sRow: number; c: number; j0: number; padRow: number; maskRow: number; idx: number; lim: number; scaleV: number; x: number }
function emitScores(f: FunctionBuilder, ctx: RowCtx, pad: boolean, mask: boolean): void {
  const { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x } = ctx;
  f.get(sRow).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).get(scaleV).simd(Simd.f32x4Mul);
  if (pad) f.get(padRow).get(j0).i32(2).op(Op.i32Shl, Op.i32Add).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 2).simd(Simd.f32x4Add);
  if (mask) {
    f.get(maskRow).get(j0).i32(2).op(Op.i32Shl, Op.i32Add).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 2);
    f.v128F32(Math.LOG2E).simd(Simd.f32x4Mul).simd(Simd.f32x4Add);
  }
  f.v128F32(-Infinity).get(idx).get(lim).simd(Simd.i32x4LtS).simd(Simd.v128Bitselect).set(x);
  f.get(idx).v128I32(4, 4, 4, 4).simd(Simd.i32x4Add).set(idx);
}

/** Per-row setup shared by the softmax passes: rowEnd (exclusive key limit), lane limits, row pointers. */
function emitRowSetup(f: FunctionBuilder, a: { r: number; i0: number; j0: number; effTk: number; causal: number; shift: number;
  sP: number; ldsB: number; maskBase: number; ms2B: number; rowEnd: number; lim: number; idx: number; sRow: number; maskRow: number;
  tmp: number; cols: number; activeB: number }, mask: boolean): void {
  const { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB } = a;
  f.get(effTk).set(rowEnd);
  f.get(causal).ifElse(() => {
    // bottom-right aligned: key j allowed for query i when j < i + shift + 1
    f.get(i0).get(r).op(Op.i32Add).get(shift).op(Op.i32Add).i32(1).op(Op.i32Add).set(tmp);
    f.min(tmp, rowEnd).set(rowEnd);
  });
  f.get(rowEnd).get(j0).op(Op.i32Sub).tee(tmp).simd(Simd.i32x4Splat).set(lim);
  // activeB: bytes of the row holding any allowed key (valid columns rounded up to a vector); past it, P = 0.
  f.get(tmp).i32(0).get(tmp).i32(0).op(Op.i32GtS, Op.select).set(tmp);
  f.min(tmp, cols).i32(3).op(Op.i32Add).i32(-4).op(Op.i32And).i32(2).op(Op.i32Shl).set(activeB);
  f.v128I32(0, 1, 2, 3).set(idx);
  f.get(sP).get(r).get(ldsB).op(Op.i32Mul, Op.i32Add).set(sRow);
  if (mask) f.get(maskBase).get(i0).get(r).op(Op.i32Add).get(ms2B).op(Op.i32Mul, Op.i32Add).set(maskRow);
}

const ROW_PARAMS = 12; // sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift

/**
 * softmaxForward(sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, oP, mP, lP, dh, scale2):
 * turns the raw q·kᵀ tile into 2^(x − m_new) in place (x in base 2), updates each row's running max m
 * and sum l, and rescales the row's output accumulator by 2^(m_old − m_new) (online softmax).
 */
function softmaxForward(pad: boolean, mask: boolean, exp2Fn: number): FunctionBuilder {
  const f = new FunctionBuilder([...new Array(ROW_PARAMS).fill(I32), I32, I32, I32, I32, F32], []);
  const [sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, oP, mP, lP, dh, scale] =
    Array.from({ length: 17 }, (_, i) => i);
  const [r, c, rowEnd, sRow, maskRow, ptr, end, colsB, tmp, activeB] = Array.from({ length: 10 }, () => f.local(I32));
  const [x, idx, lim, scaleV, maxv, sumv, mv, t, n] = Array.from({ length: 9 }, () => f.local(V128));
  const [mOld, mNew, mUse, alpha] = [f.local(F32), f.local(F32), f.local(F32), f.local(F32)];
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    emitRowSetup(f, { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB }, mask);
    // Pass 1: masked scaled scores back into the tile, and their max.
    f.v128F32(-Infinity).set(maxv);
    loop(f, c, () => f.i32(0), () => f.get(activeB), 16, () => {
      emitScores(f, { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x }, pad, mask);
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
      emitExp2(f, x, t, n, false);
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
 * probsBackward(sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, lse2P, scale2):
 * P = 2^(x − lse·log2(e)) in place (lse2P holds lse·log2(e); +∞ gives an all-zero row).
 */
function probsBackward(pad: boolean, mask: boolean): FunctionBuilder {
  const f = new FunctionBuilder([...new Array(ROW_PARAMS).fill(I32), I32, F32], []);
  const [sP, ldsB, rows, i0, j0, cols, padRow, maskBase, ms2B, effTk, causal, shift, lseP, scale] =
    Array.from({ length: 14 }, (_, i) => i);
  const [r, c, rowEnd, sRow, maskRow, colsB, tmp, activeB] = Array.from({ length: 8 }, () => f.local(I32));
  const [x, idx, lim, scaleV, lv, t, n] = Array.from({ length: 7 }, () => f.local(V128));
  f.get(scale).simd(Simd.f32x4Splat).set(scaleV);
  f.get(cols).i32(2).op(Op.i32Shl).set(colsB);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    emitRowSetup(f, { r, i0, j0, effTk, causal, shift, sP, ldsB, maskBase, ms2B, rowEnd, lim, idx, sRow, maskRow, tmp, cols, activeB }, mask);
    f.get(lseP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).simdMem(Simd.v128Load32Splat, 2).set(lv);
    loop(f, c, () => f.i32(0), () => f.get(activeB), 16, () => {
      emitScores(f, { sRow, c, j0, padRow, maskRow, idx, lim, scaleV, x }, pad, mask);
      f.get(x).get(lv).simd(Simd.f32x4Sub).set(x);
      f.get(sRow).get(c).op(Op.i32Add);
      emitExp2(f, x, t, n, false);
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
function dScores(): FunctionBuilder {
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

/** rowDot(aP, bP, rows, dh, outP): out[r] = Σ_c a[r·dh + c]·b[r·dh + c] (dh a multiple of 4). */
function rowDot(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32], []);
  const [aP, bP, rows, dh, outP] = [0, 1, 2, 3, 4];
  const [r, c, end] = [f.local(I32), f.local(I32), f.local(I32)];
  const acc = f.local(V128);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.v128Zero().set(acc);
    f.get(aP).get(dh).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
    loop(f, c, () => f.i32(0), () => f.get(dh).i32(2).op(Op.i32Shl), 16, () => {
      f.get(acc).get(aP).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4).get(bP).get(c).op(Op.i32Add).simdMem(Simd.v128Load, 4);
      f.simd(Simd.f32x4Mul).simd(Simd.f32x4Add).set(acc);
    });
    f.get(outP).get(r).i32(2).op(Op.i32Shl, Op.i32Add);
    horizontal(f, acc, Op.f32Add);
    f.mem(Op.f32Store, 2);
    f.get(end).set(aP).inc(bP, () => f.get(dh).i32(2).op(Op.i32Shl));
  });
  return f;
}

/** finishRows(oP, rows, dh, lP): O row ·= 1/l, or 0 where l = 0 (nothing attended). */
function finishRows(): FunctionBuilder {
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
function initStats(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32], []);
  const [mP, lP, rows] = [0, 1, 2];
  const r = f.local(I32);
  loop(f, r, () => f.i32(0), () => f.get(rows), 1, () => {
    f.get(mP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).f32(-Infinity).mem(Op.f32Store, 2);
    f.get(lP).get(r).i32(2).op(Op.i32Shl, Op.i32Add).f32(0).mem(Op.f32Store, 2);
  });
  return f;
}

interface Fns {
  mm: number; transpose: number; zero: number; rowDot: number; finishRows: number; initStats: number; dScores: number;
  softmax: number[]; probs: number[];
}

/** The per-(bh) setup both passes share: locals filled from the header and the chunk row. */
function chunkSetup(f: FunctionBuilder) {
  const L = (): number => f.local(I32);
  const v = {
    bh: L(), bh1: L(), q0: L(), q1: L(), gbh: L(), b: L(), h: L(), qP: L(), kP: L(), vP: L(), oP: L(),
    effTk: L(), kT: L(), vT: L(), sBuf: L(), dpBuf: L(), dBuf: L(), i0: L(), rows: L(), kEnd: L(), j0: L(), kc: L(), kcPad: L(),
    padRow: L(), maskBase: L(), ms2B: L(), dh: L(), dhB: L(), tq: L(), tk: L(), causal: L(), shift: L(), br: L(), bc: L(),
    bcB: L(), tkpB: L(), d0: L(), slotBase: L(), row: L(), variant: L(), statRow: L(), lRow: L(), doP: L(), dqP: L(), dkP: L(), dvP: L(),
    scale: f.local(F32), scale2: f.local(F32),
  };
  const [chunk, slot] = [0, 1];
  f.get(chunk).i32(Ctrl.CHUNK_WORDS * 4).op(Op.i32Mul).i32(Ctrl.CHUNKS * 4).op(Op.i32Add).set(v.row);
  f.get(v.row).mem(Op.i32Load, 2, 0).set(v.bh);
  f.get(v.row).mem(Op.i32Load, 2, 4).set(v.bh1);
  f.get(v.row).mem(Op.i32Load, 2, 8).set(v.q0);
  f.get(v.row).mem(Op.i32Load, 2, 12).set(v.q1);
  word(f, Att.DH).tee(v.dh).i32(2).op(Op.i32Shl).set(v.dhB);
  word(f, Att.TQ).set(v.tq);
  word(f, Att.TK).set(v.tk);
  word(f, Att.CAUSAL).set(v.causal);
  word(f, Att.SHIFT).set(v.shift);
  word(f, Att.BR).set(v.br);
  word(f, Att.BC).tee(v.bc).i32(2).op(Op.i32Shl).set(v.bcB);
  word(f, Att.TKP).i32(2).op(Op.i32Shl).set(v.tkpB);
  word(f, Att.MS2).i32(2).op(Op.i32Shl).set(v.ms2B);
  f.i32(0).mem(Op.f32Load, 2, Att.SCALE * 4).set(v.scale);
  f.i32(0).mem(Op.f32Load, 2, Att.SCALE2 * 4).set(v.scale2);
  word(f, Att.SLOT_BASE).get(slot);
  word(f, Att.SLOT_BYTES);
  f.op(Op.i32Mul, Op.i32Add).set(v.slotBase);
  for (const [local, w] of [[v.kT, Att.SLOT_KT], [v.vT, Att.SLOT_VT], [v.sBuf, Att.SLOT_S], [v.dpBuf, Att.SLOT_DP], [v.dBuf, Att.SLOT_D]] as const) {
    f.get(v.slotBase); word(f, w); f.op(Op.i32Add).set(local);
  }
  // variant = 2·hasPad + hasMask selects the masking specialization.
  word(f, Att.PAD).op(Op.i32Eqz, Op.i32Eqz).i32(1).op(Op.i32Shl);
  word(f, Att.MASK).op(Op.i32Eqz, Op.i32Eqz).op(Op.i32Or).set(v.variant);
  return v;
}

type Vars = ReturnType<typeof chunkSetup>;

/** Per-head pointers: b, h, the masks' rows, effective key count, q/k/v/out at this head. */
function headSetup(f: FunctionBuilder, v: Vars): void {
  word(f, Att.BH_BASE).get(v.bh).op(Op.i32Add).tee(v.gbh);
  word(f, Att.HEADS);
  f.op(Op.i32DivU).tee(v.b);
  word(f, Att.HEADS);
  f.op(Op.i32Mul).set(v.h);
  f.get(v.gbh).get(v.h).op(Op.i32Sub).set(v.h);
  const at = (base: number, rowsLocal: number, out: number): void => {
    word(f, base); f.get(v.bh).get(rowsLocal).op(Op.i32Mul).get(v.dhB).op(Op.i32Mul, Op.i32Add).set(out);
  };
  at(Att.Q, v.tq, v.qP); at(Att.K, v.tk, v.kP); at(Att.V, v.tk, v.vP); at(Att.O, v.tq, v.oP);
  at(Att.DO, v.tq, v.doP); at(Att.DQ, v.tq, v.dqP); at(Att.DK, v.tk, v.dkP); at(Att.DV, v.tk, v.dvP);
  word(f, Att.EFF_TK).ifElse(() => {
    word(f, Att.EFF_TK).get(v.b).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.i32Load, 2).set(v.effTk);
  }, () => { f.get(v.tk).set(v.effTk); });
  word(f, Att.PAD).get(v.b).get(v.tk).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(v.padRow);
  word(f, Att.MASK).get(v.b);
  word(f, Att.MS0);
  f.op(Op.i32Mul).get(v.h);
  word(f, Att.MS1);
  f.op(Op.i32Mul, Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(v.maskBase);
}

/** rows = min(BR, end − i0); kEnd = keys any row of the block may see (causal limit of its last row, effTk). */
function blockSetup(f: FunctionBuilder, v: Vars, end: number): void {
  f.get(end).get(v.i0).op(Op.i32Sub).set(v.rows);
  f.min(v.rows, v.br).set(v.rows);
  f.get(v.effTk).set(v.kEnd);
  f.get(v.causal).ifElse(() => {
    f.get(v.i0).get(v.rows).op(Op.i32Add).get(v.shift).op(Op.i32Add).set(v.kc);
    f.min(v.kc, v.kEnd).set(v.kEnd);
  });
}

/** Loops key tiles j0 < kEnd: kc keys, kcPad = kc rounded up to 16. */
function keyTiles(f: FunctionBuilder, v: Vars, body: () => void): void {
  loop(f, v.j0, () => f.i32(0), () => f.get(v.kEnd), () => f.get(v.bc), () => {
    f.get(v.kEnd).get(v.j0).op(Op.i32Sub).set(v.kc);
    f.min(v.kc, v.bc).set(v.kc);
    f.get(v.kc).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(v.kcPad);
    // Causal: tile row r sees tile columns c < r + d0 (d0 = i0 + shift + 1 − j0); otherwise all.
    f.get(v.causal).ifElse(() => {
      f.get(v.i0).get(v.shift).op(Op.i32Add).i32(1).op(Op.i32Add).get(v.j0).op(Op.i32Sub).set(v.d0);
    }, () => { f.i32(FULL).set(v.d0); });
    body();
  });
}

/** Pushes the row-function arguments shared by softmaxForward and probsBackward. */
function rowArgs(f: FunctionBuilder, v: Vars): void {
  f.get(v.sBuf).get(v.bcB).get(v.rows).get(v.i0).get(v.j0).get(v.kcPad).get(v.padRow).get(v.maskBase).get(v.ms2B)
    .get(v.effTk).get(v.causal).get(v.shift);
}

/** Calls fns[variant] with the arguments pushed by `args` (pushed once per branch). */
function callVariant(f: FunctionBuilder, v: Vars, fns: number[], args: () => void): void {
  const branch = (i: number): void => {
    if (i === fns.length - 1) { args(); f.call(fns[i]); return; }
    f.get(v.variant).i32(i).op(Op.i32Eq).ifElse(() => { args(); f.call(fns[i]); }, () => branch(i + 1));
  };
  branch(0);
}

/** at(base, row) = base + row·dh·4 */
const rowAt = (f: FunctionBuilder, v: Vars, base: number, row: number): FunctionBuilder =>
  f.get(base).get(row).get(v.dhB).op(Op.i32Mul, Op.i32Add);

/** attentionForwardChunk(chunk, slot): heads [bh, bh1) × queries [q0, q1). */
function forwardChunk(fns: Fns): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const v = chunkSetup(f);
  loop(f, v.bh, () => f.get(v.bh), () => f.get(v.bh1), 1, () => {
    headSetup(f, v);
    f.get(v.kP).get(v.effTk).get(v.dh).get(v.kT).get(v.tkpB).i32(2).op(Op.i32ShrU).call(fns.transpose);
    loop(f, v.i0, () => f.get(v.q0), () => f.get(v.q1), () => f.get(v.br), () => {
      blockSetup(f, v, v.q1);
      word(f, Att.STAT_M); f.get(v.bh).get(v.tq).op(Op.i32Mul).get(v.i0).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(v.statRow);
      word(f, Att.STAT_L); f.get(v.statRow); word(f, Att.STAT_M); f.op(Op.i32Sub, Op.i32Add).set(v.lRow);
      f.get(v.statRow).get(v.lRow).get(v.rows).call(fns.initStats);
      keyTiles(f, v, () => {
        // S = Q_blk · Kᵀ_tile   [rows, kcPad]
        rowAt(f, v, v.qP, v.i0).get(v.dhB).i32(4).get(v.kT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.sBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).call(fns.mm);
        callVariant(f, v, fns.softmax, () => {
          rowArgs(f, v);
          rowAt(f, v, v.oP, v.i0).get(v.statRow).get(v.lRow).get(v.dh).get(v.scale2);
        });
        // O_blk (= on the first tile, += after) P · V_tile   [rows, dh]
        f.get(v.sBuf).get(v.bcB).i32(4);
        rowAt(f, v, v.vP, v.j0).get(v.dhB);
        rowAt(f, v, v.oP, v.i0).get(v.dhB).get(v.rows).get(v.dh).get(v.kc).get(v.j0).op(Op.i32Eqz, Op.i32Eqz).i32(FULL).call(fns.mm);
      });
      rowAt(f, v, v.oP, v.i0).get(v.rows).get(v.dh).get(v.lRow).call(fns.finishRows);
    });
  });
  return f;
}

/** attentionBackwardChunk(chunk, slot): heads [bh, bh1), all queries; dq, dk, dv of those heads written whole. */
function backwardChunk(fns: Fns): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const v = chunkSetup(f);
  loop(f, v.bh, () => f.get(v.bh), () => f.get(v.bh1), 1, () => {
    headSetup(f, v);
    f.get(v.kP).get(v.effTk).get(v.dh).get(v.kT).get(v.tkpB).i32(2).op(Op.i32ShrU).call(fns.transpose);
    f.get(v.vP).get(v.effTk).get(v.dh).get(v.vT).get(v.tkpB).i32(2).op(Op.i32ShrU).call(fns.transpose);
    f.get(v.dkP).get(v.tk).get(v.dh).op(Op.i32Mul).call(fns.zero);
    f.get(v.dvP).get(v.tk).get(v.dh).op(Op.i32Mul).call(fns.zero);
    loop(f, v.i0, () => f.i32(0), () => f.get(v.tq), () => f.get(v.br), () => {
      blockSetup(f, v, v.tq);
      // dQ rows are overwritten by the first key tile; a block with no key to attend gets zeros.
      f.get(v.kEnd).i32(0).op(Op.i32LeS).ifElse(() => { rowAt(f, v, v.dqP, v.i0).get(v.rows).get(v.dh).op(Op.i32Mul).call(fns.zero); });
      // D_r = Σ_c dO·O for the block's rows
      rowAt(f, v, v.doP, v.i0);
      rowAt(f, v, v.oP, v.i0).get(v.rows).get(v.dh).get(v.dBuf).call(fns.rowDot);
      word(f, Att.STAT_M); f.get(v.bh).get(v.tq).op(Op.i32Mul).get(v.i0).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(v.statRow);
      keyTiles(f, v, () => {
        // S = Q_blk·Kᵀ, then P = exp(S·scale + masks − lse), as a power of 2
        rowAt(f, v, v.qP, v.i0).get(v.dhB).i32(4).get(v.kT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.sBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).call(fns.mm);
        callVariant(f, v, fns.probs, () => { rowArgs(f, v); f.get(v.statRow).get(v.scale2); });
        // dP = dO_blk·Vᵀ, then dS = P ⊙ (dP − D)·scale
        rowAt(f, v, v.doP, v.i0).get(v.dhB).i32(4).get(v.vT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.dpBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).call(fns.mm);
        f.get(v.sBuf).get(v.dpBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dBuf).get(v.scale).call(fns.dScores);
        // dV_tile += Pᵀ·dO_blk; dK_tile += dSᵀ·Q_blk   (A read down the tile's columns: ars = 4, aps = BC·4)
        f.get(v.sBuf).i32(4).get(v.bcB);
        rowAt(f, v, v.doP, v.i0).get(v.dhB);
        rowAt(f, v, v.dvP, v.j0).get(v.dhB).get(v.kc).get(v.dh).get(v.rows).i32(1).i32(FULL).call(fns.mm);
        f.get(v.dpBuf).i32(4).get(v.bcB);
        rowAt(f, v, v.qP, v.i0).get(v.dhB);
        rowAt(f, v, v.dkP, v.j0).get(v.dhB).get(v.kc).get(v.dh).get(v.rows).i32(1).i32(FULL).call(fns.mm);
        // dQ_blk (= on the first tile, += after) dS·K_tile
        f.get(v.dpBuf).get(v.bcB).i32(4);
        rowAt(f, v, v.kP, v.j0).get(v.dhB);
        rowAt(f, v, v.dqP, v.i0).get(v.dhB).get(v.rows).get(v.dh).get(v.kc).get(v.j0).op(Op.i32Eqz, Op.i32Eqz).i32(FULL).call(fns.mm);
      });
    });
  });
  return f;
}

/** Adds the attention functions to m; returns the indices of the two chunk runners. */
export function addAttention(m: ModuleBuilder): { forward: number; backward: number } {
  const add = (fn: FunctionBuilder, name: string, exportName?: string): number => {
    fn.debugName = `attention.${name}`;
    return m.add(fn, exportName);
  };
  const panels = [1, 2, 3, 4].map((nrv) => add(panelKernel(nrv), `panel${4 * nrv}`));
  add(expArray(), 'expArray', 'expArray');
  const exp2Fn = add(exp2v(), 'exp2');
  add(exp2Array(), 'exp2Array', 'exp2Array');
  const variants = [[false, false], [false, true], [true, false], [true, true]] as const;
  const suffix = (pad: boolean, mask: boolean): string => `${pad ? 'Pad' : ''}${mask ? 'Mask' : ''}`;
  const fns: Fns = {
    mm: add(tiledProduct(panels), 'product'),
    transpose: add(transpose(), 'transpose'),
    zero: add(zero(), 'zero'),
    rowDot: add(rowDot(), 'rowDot'),
    finishRows: add(finishRows(), 'finishRows'),
    initStats: add(initStats(), 'initStats'),
    dScores: add(dScores(), 'dScores'),
    softmax: variants.map(([pad, mask]) => add(softmaxForward(pad, mask, exp2Fn), `softmaxForward${suffix(pad, mask)}`)),
    probs: variants.map(([pad, mask]) => add(probsBackward(pad, mask), `probsBackward${suffix(pad, mask)}`)),
  };
  return { forward: add(forwardChunk(fns), 'forwardChunk'), backward: add(backwardChunk(fns), 'backwardChunk') };
}
