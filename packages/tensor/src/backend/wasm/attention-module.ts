// Fused scaled dot-product attention as WebAssembly SIMD functions, generated at load time into the
// same module as the GEMM (FlashAttention-2's loops, Dao 2023): per (batch·head) and block of BR
// queries, key tiles of BC: S = Q·Kᵀ into a small tile, scale + masks + online softmax with a
// vectorized exp2 (attention-softmax.ts), O += P·V (attention-products.ts); backward recomputes P from
// the saved log-sum-exp. Key tiles past the causal limit or the last unpadded key are never touched.
// Dropout (attention-dropout.ts) scales P after the softmax and is regenerated from its seed in the backward.
// On relaxed SIMD (simd-level.ts) the products', scores', exp2's and dropout's multiply-adds are fused
// (f32x4.relaxed_madd); on plain SIMD they stay mul then add.
// This file holds the job header, the chunk runners the thread pool calls, and the assembly.
import { dropoutTile, dScoresDropout } from './attention-dropout.js';
import { FULL, panelKernel, rowDot, tiledProduct, transpose, zero } from './attention-products.js';
import { dScores, exp2Array, exp2v, expArray, finishRows, initStats, probsBackward, softmaxForward } from './attention-softmax.js';
import { loop } from './emit-helpers.js';
import { Ctrl } from './gemm-module.js';
import { F32, FunctionBuilder, I32, type ModuleBuilder, Op } from './wasm-emitter.js';

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
  /** Dropout: DROP ≠ 0 turns it on; its seed words, threshold (unsigned) and keep scale (float32 bits). */
  DROP: 51, DROP_SEED0: 52, DROP_SEED1: 53, DROP_THRESHOLD: 54, DROP_SCALE: 55,
  /** Sliding window: WIN ≠ 0 turns it on; keys before / after the query's position, and the global prefix length. */
  WIN: 56, WIN_BEFORE: 57, WIN_AFTER: 58, WIN_GLOBAL: 59,
  /**
   * Block-sparse layout: byte address of Int32 cells [query blocks, LAYOUT_NKB] (0 = none), 0 = the tile is skipped.
   * The host sets BR = BC = its block size, so tile (i0, j0) is cell (i0 / BR, j0 / BC).
   */
  LAYOUT: 60, LAYOUT_NKB: 61,
} as const;

/** Values of Ctrl.KIND. */
export const JobKind = { GEMM: 0, ATTENTION_FORWARD: 1, ATTENTION_BACKWARD: 2, CROSS_ENTROPY: 3 } as const;

const word = (f: FunctionBuilder, w: number): FunctionBuilder => f.i32(0).mem(Op.i32Load, 2, w * 4);

interface Fns {
  mm: number; transpose: number; zero: number; rowDot: number; finishRows: number; initStats: number; dScores: number;
  softmax: number[]; probs: number[]; dropoutTile: number; dScoresDropout: number;
}

/** The per-(bh) setup both passes share: locals filled from the header and the chunk row. */
function chunkSetup(f: FunctionBuilder) {
  const L = (): number => f.local(I32);
  const v = {
    bh: L(), bh1: L(), q0: L(), q1: L(), gbh: L(), b: L(), h: L(), qP: L(), kP: L(), vP: L(), oP: L(),
    effTk: L(), kT: L(), vT: L(), sBuf: L(), dpBuf: L(), dBuf: L(), i0: L(), rows: L(), kEnd: L(), j0: L(), kc: L(), kcPad: L(),
    padRow: L(), maskBase: L(), ms2B: L(), dh: L(), dhB: L(), tq: L(), tk: L(), causal: L(), shift: L(), br: L(), bc: L(),
    win: L(), winB: L(), winA: L(), winG: L(), kStart: L(), gEnd: L(), notFirst: L(), layout: L(), layoutRow: L(),
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
  word(f, Att.WIN).set(v.win);
  word(f, Att.WIN_BEFORE).set(v.winB);
  word(f, Att.WIN_AFTER).set(v.winA);
  word(f, Att.WIN_GLOBAL).set(v.winG);
  word(f, Att.LAYOUT).set(v.layout);
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
  // variant = 4·hasWindow + 2·hasPad + hasMask selects the masking specialization.
  f.get(v.win).op(Op.i32Eqz, Op.i32Eqz).i32(2).op(Op.i32Shl);
  word(f, Att.PAD).op(Op.i32Eqz, Op.i32Eqz).i32(1).op(Op.i32Shl, Op.i32Or);
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

/**
 * rows = min(BR, end − i0); the block's keys as two ranges, [0, gEnd) and [kStart, kEnd): kEnd = keys any row
 * may see (causal limit and window end of its last row, effTk). Without a window, gEnd = kStart = 0. With one,
 * a block holding no global query starts at its first row's window start (rounded down to 16, the tiles'
 * column granularity) and adds the global keys before it as [0, gEnd): tiles outside the band are never visited.
 */
function blockSetup(f: FunctionBuilder, v: Vars, end: number): void {
  f.get(end).get(v.i0).op(Op.i32Sub).set(v.rows);
  f.min(v.rows, v.br).set(v.rows);
  f.get(v.effTk).set(v.kEnd);
  f.get(v.causal).ifElse(() => {
    f.get(v.i0).get(v.rows).op(Op.i32Add).get(v.shift).op(Op.i32Add).set(v.kc);
    f.min(v.kc, v.kEnd).set(v.kEnd);
  });
  f.i32(0).set(v.kStart);
  f.i32(0).set(v.gEnd);
  // A window, and no global query in the block (first position i0 + shift ≥ globalTokens).
  f.get(v.win).get(v.i0).get(v.shift).op(Op.i32Add).get(v.winG).op(Op.i32GeS, Op.i32And).ifElse(() => {
    // kEnd = min(kEnd, last position + after + 1)
    f.get(v.i0).get(v.rows).op(Op.i32Add).get(v.shift).op(Op.i32Add).get(v.winA).op(Op.i32Add).set(v.kc);
    f.min(v.kc, v.kEnd).set(v.kEnd);
    // kStart = max(0, i0 + shift − before) rounded down to 16; gEnd = min(globalTokens rounded up to 16, kStart, kEnd)
    f.get(v.i0).get(v.shift).op(Op.i32Add).get(v.winB).op(Op.i32Sub).tee(v.kStart).i32(0).get(v.kStart).i32(0).op(Op.i32GtS, Op.select);
    f.i32(-16).op(Op.i32And).set(v.kStart);
    f.get(v.winG).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(v.gEnd);
    f.min(v.gEnd, v.kStart).set(v.gEnd);
    f.min(v.gEnd, v.kEnd).set(v.gEnd);
  });
  f.i32(0).set(v.notFirst);
  // The block's row of the layout: LAYOUT + (i0 / BR)·LAYOUT_NKB·4.
  f.get(v.layout).get(v.i0).get(v.br).op(Op.i32DivU);
  word(f, Att.LAYOUT_NKB);
  f.op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(v.layoutRow);
}

/** Loops key tiles start ≤ j0 < end: kc keys, kcPad = kc rounded up to 16; notFirst = 1 after the block's first tile. */
function keyTiles(f: FunctionBuilder, v: Vars, start: () => void, end: number, body: () => void): void {
  loop(f, v.j0, start, () => f.get(end), () => f.get(v.bc), () => {
    f.get(end).get(v.j0).op(Op.i32Sub).set(v.kc);
    f.min(v.kc, v.bc).set(v.kc);
    f.get(v.kc).i32(15).op(Op.i32Add).i32(-16).op(Op.i32And).set(v.kcPad);
    // Causal: tile row r sees tile columns c < r + d0 (d0 = i0 + shift + 1 − j0); otherwise all.
    f.get(v.causal).ifElse(() => {
      f.get(v.i0).get(v.shift).op(Op.i32Add).i32(1).op(Op.i32Add).get(v.j0).op(Op.i32Sub).set(v.d0);
    }, () => { f.i32(FULL).set(v.d0); });
    // With a layout, a tile whose cell is off is skipped.
    f.get(v.layout).op(Op.i32Eqz);
    f.get(v.layoutRow).get(v.j0).get(v.bc).op(Op.i32DivU).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.i32Load, 2);
    f.op(Op.i32Or).ifElse(() => {
      body();
      f.i32(1).set(v.notFirst);
    });
  });
}

/** The block's key tiles: the global prefix [0, gEnd), then the band [kStart, kEnd). */
function blockTiles(f: FunctionBuilder, v: Vars, body: () => void): void {
  keyTiles(f, v, () => f.i32(0), v.gEnd, body);
  keyTiles(f, v, () => f.get(v.kStart), v.kEnd, body);
}

/** Pushes the row-function arguments shared by softmaxForward and probsBackward. */
function rowArgs(f: FunctionBuilder, v: Vars): void {
  f.get(v.sBuf).get(v.bcB).get(v.rows).get(v.i0).get(v.j0).get(v.kcPad).get(v.padRow).get(v.maskBase).get(v.ms2B)
    .get(v.effTk).get(v.causal).get(v.shift).get(v.winB).get(v.winA).get(v.winG);
}

/** Calls fns[variant] with the arguments pushed by `args` (pushed once per branch). */
function callVariant(f: FunctionBuilder, v: Vars, fns: number[], args: () => void): void {
  const branch = (i: number): void => {
    if (i === fns.length - 1) { args(); f.call(fns[i]); return; }
    f.get(v.variant).i32(i).op(Op.i32Eq).ifElse(() => { args(); f.call(fns[i]); }, () => branch(i + 1));
  };
  branch(0);
}

/** Pushes the dropout arguments after a tile's own: gbh, i0, j0, seed words, threshold, keep scale. */
function dropArgs(f: FunctionBuilder, v: Vars): void {
  f.get(v.gbh).get(v.i0).get(v.j0);
  word(f, Att.DROP_SEED0);
  word(f, Att.DROP_SEED1);
  word(f, Att.DROP_THRESHOLD);
  f.i32(0).mem(Op.f32Load, 2, Att.DROP_SCALE * 4);
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
      blockTiles(f, v, () => {
        // S = Q_blk · Kᵀ_tile   [rows, kcPad]
        rowAt(f, v, v.qP, v.i0).get(v.dhB).i32(4).get(v.kT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.sBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).i32(-FULL).i32(FULL).call(fns.mm);
        callVariant(f, v, fns.softmax, () => {
          rowArgs(f, v);
          rowAt(f, v, v.oP, v.i0).get(v.statRow).get(v.lRow).get(v.dh).get(v.scale2);
        });
        // Dropout after the softmax: the running sum l above is of the undropped weights.
        word(f, Att.DROP).ifElse(() => {
          f.get(v.sBuf).get(v.bcB).get(v.rows).get(v.kcPad);
          dropArgs(f, v);
          f.call(fns.dropoutTile);
        });
        // O_blk (= on the first tile, += after) P · V_tile   [rows, dh]
        f.get(v.sBuf).get(v.bcB).i32(4);
        rowAt(f, v, v.vP, v.j0).get(v.dhB);
        rowAt(f, v, v.oP, v.i0).get(v.dhB).get(v.rows).get(v.dh).get(v.kc).get(v.notFirst).i32(FULL).i32(-FULL).get(v.d0).call(fns.mm);
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
      // D_r = Σ_c dO·O for the block's rows
      rowAt(f, v, v.doP, v.i0);
      rowAt(f, v, v.oP, v.i0).get(v.rows).get(v.dh).get(v.dBuf).call(fns.rowDot);
      word(f, Att.STAT_M); f.get(v.bh).get(v.tq).op(Op.i32Mul).get(v.i0).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(v.statRow);
      blockTiles(f, v, () => {
        // S = Q_blk·Kᵀ, then P = exp(S·scale + masks − lse), as a power of 2
        rowAt(f, v, v.qP, v.i0).get(v.dhB).i32(4).get(v.kT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.sBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).i32(-FULL).i32(FULL).call(fns.mm);
        callVariant(f, v, fns.probs, () => { rowArgs(f, v); f.get(v.statRow).get(v.scale2); });
        // dP = dO_blk·Vᵀ, then dS = P ⊙ (dP − D)·scale; with dropout Z, dS = P ⊙ (Z ⊙ dP − D)·scale and P ← Z ⊙ P
        // (D = rowsum(dO ⊙ O) still, as O = (Z ⊙ P)·V)
        rowAt(f, v, v.doP, v.i0).get(v.dhB).i32(4).get(v.vT).get(v.j0).i32(2).op(Op.i32Shl, Op.i32Add).get(v.tkpB)
          .get(v.dpBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dh).i32(0).get(v.d0).i32(-FULL).i32(FULL).call(fns.mm);
        const dsArgs = (): void => { f.get(v.sBuf).get(v.dpBuf).get(v.bcB).get(v.rows).get(v.kcPad).get(v.dBuf).get(v.scale); };
        word(f, Att.DROP).ifElse(() => { dsArgs(); dropArgs(f, v); f.call(fns.dScoresDropout); }, () => { dsArgs(); f.call(fns.dScores); });
        // dV_tile += Pᵀ·dO_blk; dK_tile += dSᵀ·Q_blk   (A read down the tile's columns: ars = 4, aps = BC·4)
        f.get(v.sBuf).i32(4).get(v.bcB);
        rowAt(f, v, v.doP, v.i0).get(v.dhB);
        rowAt(f, v, v.dvP, v.j0).get(v.dhB).get(v.kc).get(v.dh).get(v.rows).i32(1).i32(FULL).i32(1).get(v.d0).op(Op.i32Sub).i32(FULL).call(fns.mm);
        f.get(v.dpBuf).i32(4).get(v.bcB);
        rowAt(f, v, v.qP, v.i0).get(v.dhB);
        rowAt(f, v, v.dkP, v.j0).get(v.dhB).get(v.kc).get(v.dh).get(v.rows).i32(1).i32(FULL).i32(1).get(v.d0).op(Op.i32Sub).i32(FULL).call(fns.mm);
        // dQ_blk (= on the first tile, += after) dS·K_tile
        f.get(v.dpBuf).get(v.bcB).i32(4);
        rowAt(f, v, v.kP, v.j0).get(v.dhB);
        rowAt(f, v, v.dqP, v.i0).get(v.dhB).get(v.rows).get(v.dh).get(v.kc).get(v.notFirst).i32(FULL).i32(-FULL).get(v.d0).call(fns.mm);
      });
      // dQ rows are overwritten by the first key tile; a block with no key to attend gets zeros.
      f.get(v.notFirst).op(Op.i32Eqz).ifElse(() => { rowAt(f, v, v.dqP, v.i0).get(v.rows).get(v.dh).op(Op.i32Mul).call(fns.zero); });
    });
  });
  return f;
}

/**
 * Adds the attention functions to m, their multiply-adds as relaxed_madd when `relaxed` (the engine
 * must validate relaxed SIMD); returns the indices of the two chunk runners.
 */
export function addAttention(m: ModuleBuilder, relaxed: boolean): { forward: number; backward: number } {
  const add = (fn: FunctionBuilder, name: string, exportName?: string): number => {
    fn.debugName = `attention.${name}`;
    return m.add(fn, exportName);
  };
  const panels = [1, 2, 3, 4].map((nrv) => add(panelKernel(nrv, relaxed), `panel${4 * nrv}`));
  add(expArray(relaxed), 'expArray', 'expArray');
  const exp2Fn = add(exp2v(relaxed), 'exp2');
  add(exp2Array(relaxed), 'exp2Array', 'exp2Array');
  // Indexed by variant = 4·window + 2·pad + mask.
  const variants = [false, true].flatMap((win) => [false, true].flatMap((pad) => [false, true].map((mask) => [win, pad, mask] as const)));
  const suffix = (win: boolean, pad: boolean, mask: boolean): string => `${win ? 'Window' : ''}${pad ? 'Pad' : ''}${mask ? 'Mask' : ''}`;
  const fns: Fns = {
    mm: add(tiledProduct(panels), 'product'),
    transpose: add(transpose(), 'transpose'),
    zero: add(zero(), 'zero'),
    rowDot: add(rowDot(relaxed), 'rowDot'),
    finishRows: add(finishRows(), 'finishRows'),
    initStats: add(initStats(), 'initStats'),
    dScores: add(dScores(), 'dScores'),
    softmax: variants.map(([win, pad, mask]) => add(softmaxForward(pad, mask, win, exp2Fn, relaxed), `softmaxForward${suffix(win, pad, mask)}`)),
    probs: variants.map(([win, pad, mask]) => add(probsBackward(pad, mask, win, relaxed), `probsBackward${suffix(win, pad, mask)}`)),
    dropoutTile: add(dropoutTile(), 'dropoutTile'),
    dScoresDropout: add(dScoresDropout(relaxed), 'dScoresDropout'),
  };
  return { forward: add(forwardChunk(fns), 'forwardChunk'), backward: add(backwardChunk(fns), 'backwardChunk') };
}
