// The float32 GEMM as a WebAssembly SIMD module, generated at load time (GotoBLAS structure:
// Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008): B is packed into
// NR-column panels and A into MR-row panels, contiguous along k, per KC×NC / MC×KC block, and an
// MR×NR register tile of f32x4 accumulators does C += A·B (f32x4.relaxed_madd on relaxed SIMD, else
// mul + add). Transposes are absorbed by the packers.
import { madd } from './emit-helpers.js';
import { FunctionBuilder, I32, type ModuleBuilder, Op, Simd, V128 } from './wasm-emitter.js';

/** Compile-time tile shape: MR rows × (4·NRV) columns of C held in MR·NRV f32x4 registers. */
export interface TileConfig { mr: number; nrv: number; unroll: number }
/**
 * Default tile per instruction set, measured on the bench's transformer shapes (x86-64, 16 vector
 * registers): 6×8 (12 accumulators) with fused multiply-add; 2×16 without, as mul + add needs a
 * temporary register per product and 6×8 then spills.
 */
export const DEFAULT_TILES: Readonly<Record<'relaxed' | 'simd', TileConfig>> = {
  relaxed: { mr: 6, nrv: 2, unroll: 1 },
  simd: { mr: 2, nrv: 4, unroll: 1 },
};
/** The tile for products of few rows (a decoding step at batch 1): a taller tile would compute mostly padding. */
export const THIN_TILE: TileConfig = { mr: 1, nrv: 4, unroll: 1 };

/**
 * Control block layout in the shared memory, as Int32 word indices. The main thread writes a job
 * (header + chunk table), bumps GEN and notifies; every thread then claims chunks by Atomics.add
 * on NEXT, runs `run(chunk, slot)` and counts them in DONE.
 */
export const Ctrl = {
  GEN: 0, NEXT: 1, DONE: 2, NCHUNKS: 3,
  /** Which kernel the job runs (JobKind in attention-module.ts); header words from 16 belong to that kind. */
  KIND: 4,
  A_BASE: 16, B_BASE: 17, C_BASE: 18, K: 19, A_RS: 20, A_CS: 21, B_RS: 22, B_CS: 23, LDC: 24,
  C_BATCH_BYTES: 25, A_OFF_PTR: 26, B_OFF_PTR: 27, MC: 28, KC: 29, NC: 30,
  PACK_BASE: 31, PACK_SLOT_BYTES: 32, A_PACK_BYTES: 33,
  /** Index of the tile (in the list addGemm was given) the job runs on. */
  TILE: 34,
  /** Byte address of B already packed over its whole k (panels of NR columns, k·NR floats each), 0 = pack per block. */
  B_PACKED: 35,
  /** 1: C += op(A)·op(B) (C holds a partial result, e.g. a gradient summed over chunks); 0: C = op(A)·op(B). */
  ACCUMULATE: 36,
  /**
   * Epilogue on each chunk's C once its product is done (a linear layer's): EPI_BIAS ≠ 0 adds the row vector
   * there (LDC floats, zero-padded) to every row; EPI_RELU ≠ 0 then takes max(c, 0) (NaN stays NaN, −0 → +0).
   */
  EPI_BIAS: 37, EPI_RELU: 38,
  /** Chunk table: CHUNK_WORDS words (pBegin, pEnd, i0, i1, j0, j1) per chunk from CHUNKS. */
  CHUNKS: 64, CHUNK_WORDS: 6, MAX_CHUNKS: 160,
  /** Bytes reserved for the control block at address 0. */
  BYTES: 4096,
} as const;

/** Emits the MR×NR micro-kernel: C[MR, NR] (=|+=) Apanel[kc, MR]ᵀ · Bpanel[kc, NR]. */
function microKernel({ mr, nrv, unroll }: TileConfig, relaxed: boolean): FunctionBuilder {
  const nr = 4 * nrv;
  // (aP, bP, cP, kc, ldcBytes, accumulate)
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32], []);
  const [aP, bP, cP, kc, ldcBytes, accumulate] = [0, 1, 2, 3, 4, 5];
  const acc: number[] = [];
  for (let i = 0; i < mr * nrv; i++) acc.push(f.local(V128));
  const b: number[] = [];
  for (let v = 0; v < nrv; v++) b.push(f.local(V128));
  const a = f.local(V128);
  for (const x of acc) f.v128Zero().set(x);

  // One k step at panel offset u: load the NRV B vectors once, then one broadcast per A row.
  const step = (u: number): void => {
    for (let v = 0; v < nrv; v++) f.get(bP).simdMem(Simd.v128Load, 4, (u * nr + 4 * v) * 4).set(b[v]);
    for (let r = 0; r < mr; r++) {
      f.get(aP).simdMem(Simd.v128Load32Splat, 2, (u * mr + r) * 4).set(a);
      for (let v = 0; v < nrv; v++) {
        const x = acc[r * nrv + v];
        madd(f, relaxed, a, b[v], x);
        f.set(x);
      }
    }
  };
  const kLoop = (u: number): void => {
    f.op(Op.block, 0x40, Op.loop, 0x40);
    f.get(kc).i32(u).op(Op.i32LtS, Op.brIf, 1);
    for (let s = 0; s < u; s++) step(s);
    f.inc(aP, u * mr * 4).inc(bP, u * nr * 4).inc(kc, -u);
    f.op(Op.br, 0, Op.end, Op.end);
  };
  kLoop(unroll);
  if (unroll > 1) kLoop(1);

  const store = (add: boolean): void => {
    for (let r = 0; r < mr; r++) {
      if (r > 0) f.inc(cP, () => f.get(ldcBytes));
      for (let v = 0; v < nrv; v++) {
        f.get(cP);
        if (add) f.get(cP).simdMem(Simd.v128Load, 4, 16 * v);
        f.get(acc[r * nrv + v]);
        if (add) f.simd(Simd.f32x4Add);
        f.simdMem(Simd.v128Store, 4, 16 * v);
      }
    }
  };
  f.get(accumulate).ifElse(() => store(true), () => store(false));
  return f;
}

/**
 * Emits a packer for panels of W along x, contiguous along k: element (x, p) of the source is
 * src[x·xs + p·ps] (floats), panel q holds x in [qW, qW+W) as dst[q·W·kc + p·W + (x - qW)],
 * zero-padded past xlen. Used for B (x = column) and for A (x = row). Full panels take a vector
 * path: x contiguous (xs = 1) copies W floats per k; k contiguous (ps = 1, a transposed operand)
 * loads 4 k of each row and transposes 4×4 blocks in registers. The ragged last panel is scalar.
 */
function packer(w: number): FunctionBuilder {
  // (dst, src, xs, ps, x0, xlen, p0, kc)
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [dst, src, xs, ps, x0, xlen, p0, kc] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [xr, s, d, p, c, psBytes, xsBytes, off] = Array.from({ length: 8 }, () => f.local(I32));
  const v = Array.from({ length: 4 }, () => f.local(V128));
  const t = Array.from({ length: 4 }, () => f.local(V128));
  f.get(ps).i32(2).op(Op.i32Shl).set(psBytes);
  f.get(xs).i32(2).op(Op.i32Shl).set(xsBytes);
  // s = src + ((x0 + xr + c)·xs + p0·ps)·4
  const source = (col: () => void): void => {
    f.get(src).get(x0).get(xr).op(Op.i32Add);
    col();
    f.op(Op.i32Add).get(xs).op(Op.i32Mul).get(p0).get(ps).op(Op.i32Mul, Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(s);
  };
  // Column c of the panel, k from `from` to kc, one float at a time (zeros past xlen).
  const scalarColumn = (from: () => void): void => {
    f.get(dst).get(xr).get(kc).op(Op.i32Mul).get(c).op(Op.i32Add);
    from();
    f.i32(w).op(Op.i32Mul, Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(d);
    f.get(xr).get(c).op(Op.i32Add).get(xlen).op(Op.i32LtS).ifElse(() => {
      source(() => f.get(c));
      from();
      f.get(psBytes).op(Op.i32Mul).get(s).op(Op.i32Add).set(s);
      f.forLoop(p, from, { local: kc }, 1, () => {
        f.get(d).get(s).mem(Op.f32Load, 2).mem(Op.f32Store, 2);
        f.inc(s, () => f.get(psBytes)).inc(d, w * 4);
      });
    }, () => {
      f.forLoop(p, from, { local: kc }, 1, () => {
        f.get(d).i32(0).mem(Op.i32Store, 2);
        f.inc(d, w * 4);
      });
    });
  };
  const scalarPanel = (): void => { f.forLoop(c, () => f.i32(0), w, 1, () => scalarColumn(() => f.i32(0))); };
  // x contiguous: W floats per k as 16-, 8- and 4-byte copies.
  const contiguousPanel = (): void => {
    source(() => f.i32(0));
    f.get(dst).get(xr).get(kc).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(d);
    f.forLoop(p, () => f.i32(0), { local: kc }, 1, () => {
      let x = 0;
      for (; x + 4 <= w; x += 4) f.get(d).get(s).simdMem(Simd.v128Load, 2, 4 * x).simdMem(Simd.v128Store, 4, 4 * x);
      if (x + 2 <= w) { f.get(d).get(s).mem(Op.i64Load, 2, 4 * x).mem(Op.i64Store, 3, 4 * x); x += 2; }
      if (x < w) f.get(d).get(s).mem(Op.f32Load, 2, 4 * x).mem(Op.f32Store, 2, 4 * x);
      f.inc(s, () => f.get(psBytes)).inc(d, w * 4);
    });
  };
  // k contiguous: per 4 k, rows 4g..4g+3 of the panel as one 4×4 transpose (pairs of rows for W % 4 = 2).
  const transposedPanel = (): void => {
    source(() => f.i32(0));
    f.get(dst).get(xr).get(kc).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add).set(d);
    f.i32(0).set(off);
    f.op(Op.block, 0x40, Op.loop, 0x40);
    f.get(off).i32(16).op(Op.i32Add).get(kc).i32(2).op(Op.i32Shl, Op.i32GtS, Op.brIf, 1);
    const load = (row: number, into: number): void => {
      f.get(s).get(off).op(Op.i32Add);
      if (row > 0) f.get(xsBytes).i32(row).op(Op.i32Mul, Op.i32Add);
      f.simdMem(Simd.v128Load, 2).set(into);
    };
    const shuffle = (x: number, y: number, lanes: [number, number, number, number], into: number): void => {
      f.get(x).get(y).shuffle32(...lanes).set(into);
    };
    for (let g = 0; 4 * g + 4 <= w; g++) {
      for (let i = 0; i < 4; i++) load(4 * g + i, v[i]);
      shuffle(v[0], v[1], [0, 4, 1, 5], t[0]); shuffle(v[2], v[3], [0, 4, 1, 5], t[1]);
      shuffle(v[0], v[1], [2, 6, 3, 7], t[2]); shuffle(v[2], v[3], [2, 6, 3, 7], t[3]);
      shuffle(t[0], t[1], [0, 1, 4, 5], v[0]); shuffle(t[0], t[1], [2, 3, 6, 7], v[1]);
      shuffle(t[2], t[3], [0, 1, 4, 5], v[2]); shuffle(t[2], t[3], [2, 3, 6, 7], v[3]);
      for (let j = 0; j < 4; j++) f.get(d).get(v[j]).simdMem(Simd.v128Store, 2, (j * w + 4 * g) * 4);
    }
    if (w % 4 === 2) {
      const x = w - 2;
      load(x, v[0]); load(x + 1, v[1]);
      shuffle(v[0], v[1], [0, 4, 1, 5], t[0]); shuffle(v[0], v[1], [2, 6, 3, 7], t[1]);
      for (let j = 0; j < 4; j++) {
        f.get(d).get(t[j >> 1]).simdMem(Simd.v128Store64Lane, 3, (j * w + x) * 4);
        f.op(j & 1);
      }
    }
    f.inc(off, 16).inc(d, 4 * w * 4);
    f.op(Op.br, 0, Op.end, Op.end);
    // k tail (kc % 4) one float at a time.
    f.forLoop(c, () => f.i32(0), w, 1, () => scalarColumn(() => f.get(off).i32(2).op(Op.i32ShrU)));
  };
  f.forLoop(xr, () => f.i32(0), { local: xlen }, w, () => {
    // full panel?
    f.get(xr).i32(w).op(Op.i32Add).get(xlen).op(Op.i32LeS).ifElse(() => {
      f.get(xs).i32(1).op(Op.i32Eq).ifElse(contiguousPanel, () => {
        if (w % 4 === 0 || w % 4 === 2) f.get(ps).i32(1).op(Op.i32Eq).ifElse(transposedPanel, scalarPanel);
        else scalarPanel();
      });
    }, scalarPanel);
  });
  return f;
}

/**
 * Emits gemm(aPtr, bPtr, cPtr, k, aRs, aCs, bRs, bCs, ldc, i0, i1, j0, j1, aPack, bPack, MC, KC, NC, bPre, acc).
 * With bPre ≠ 0, B's panels are read from there (packed over the whole k) instead of packed per block; with
 * acc ≠ 0 the first k block adds to C too (every later block always does).
 */
function gemm(tile: TileConfig, fns: { micro: number; packA: number; packB: number }): FunctionBuilder {
  const mr = tile.mr;
  const nr = 4 * tile.nrv;
  const f = new FunctionBuilder(new Array(20).fill(I32), []);
  const [aPtr, bPtr, cPtr, k, aRs, aCs, bRs, bCs, ldc, i0, i1, j0, j1, aPack, bPack, MC, KC, NC, bPre, acc] =
    Array.from({ length: 20 }, (_, i) => i);
  const [jc, nc, pc, kc, ic, mc, jr, ir, t, bBlock, colStride] = Array.from({ length: 11 }, () => f.local(I32));
  f.forLoop(jc, () => f.get(j0), { local: j1 }, { local: NC }, () => {
    f.get(j1).get(jc).op(Op.i32Sub).set(t).min(NC, t).set(nc);
    f.forLoop(pc, () => f.i32(0), { local: k }, { local: KC }, () => {
      f.get(k).get(pc).op(Op.i32Sub).set(t).min(KC, t).set(kc);
      // Panel jr of this block starts at bBlock + jr·colStride floats.
      f.get(bPre).op(Op.i32Eqz).ifElse(() => {
        f.get(bPack).get(bPtr).get(bCs).get(bRs).get(jc).get(nc).get(pc).get(kc).call(fns.packB);
        f.get(bPack).set(bBlock);
        f.get(kc).set(colStride);
      }, () => {
        f.get(bPre).get(jc).get(k).op(Op.i32Mul).get(pc).i32(nr).op(Op.i32Mul, Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(bBlock);
        f.get(k).set(colStride);
      });
      f.forLoop(ic, () => f.get(i0), { local: i1 }, { local: MC }, () => {
        f.get(i1).get(ic).op(Op.i32Sub).set(t).min(MC, t).set(mc);
        f.get(aPack).get(aPtr).get(aRs).get(aCs).get(ic).get(mc).get(pc).get(kc).call(fns.packA);
        f.forLoop(jr, () => f.i32(0), { local: nc }, nr, () => {
          f.forLoop(ir, () => f.i32(0), { local: mc }, mr, () => {
            f.get(aPack).get(ir).get(kc).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add);
            f.get(bBlock).get(jr).get(colStride).op(Op.i32Mul).i32(2).op(Op.i32Shl, Op.i32Add);
            f.get(cPtr).get(ic).get(ir).op(Op.i32Add).get(ldc).op(Op.i32Mul).get(jc).op(Op.i32Add)
              .get(jr).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add);
            f.get(kc).get(ldc).i32(2).op(Op.i32Shl).get(pc).get(acc).op(Op.i32Or).call(fns.micro);
          });
        });
      });
    });
  });
  return f;
}

/**
 * Emits epilogue(cPtr, i0, i1, j0, j1, ldc, bias, relu): C[i, j] = act(C[i, j] + bias[j]) for rows i0..i1 and
 * columns j0..j1 rounded up to whole vectors (the padded C has room; bias is padded with zeros to ldc).
 */
function epilogue(): FunctionBuilder {
  const f = new FunctionBuilder(new Array(8).fill(I32), []);
  const [cPtr, i0, i1, j0, j1, ldc, bias, relu] = Array.from({ length: 8 }, (_, i) => i);
  const [i, p, end, b] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const body = (withBias: boolean, withRelu: boolean): void => {
    f.forLoop(i, () => f.get(i0), { local: i1 }, 1, () => {
      // p, end: byte addresses of C[i, j0] and C[i, j1 rounded up to 4]; b: bias + 4·j0
      f.get(cPtr).get(i).get(ldc).op(Op.i32Mul).get(j0).op(Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(p);
      f.get(cPtr).get(i).get(ldc).op(Op.i32Mul).get(j1).i32(3).op(Op.i32Add).i32(-4).op(Op.i32And, Op.i32Add).i32(2).op(Op.i32Shl, Op.i32Add).set(end);
      f.get(bias).get(j0).i32(2).op(Op.i32Shl, Op.i32Add).set(b);
      f.op(Op.block, 0x40, Op.loop, 0x40);
      f.get(p).get(end).op(Op.i32GeS, Op.brIf, 1);
      f.get(p).get(p).simdMem(Simd.v128Load, 2);
      if (withBias) f.get(b).simdMem(Simd.v128Load, 2).simd(Simd.f32x4Add);
      if (withRelu) f.v128Zero().simd(Simd.f32x4Max);
      f.simdMem(Simd.v128Store, 2);
      f.inc(p, 16).inc(b, 16);
      f.op(Op.br, 0, Op.end, Op.end);
    });
  };
  f.get(bias).ifElse(() => { f.get(relu).ifElse(() => body(true, true), () => body(true, false)); }, () => body(false, true));
  f.debugName = 'gemm.epilogue';
  return f;
}

/** Emits run(chunk, slot): the chunk's batch range through gemm with this thread's pack buffers. */
function runChunk(gemmIndex: number, epilogueIndex: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32], []);
  const [chunk, slot] = [0, 1];
  const [row, p, aPack, bPack] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const word = (w: number): void => { f.i32(0).mem(Op.i32Load, 2, w * 4); };
  const field = (w: number): void => { f.get(row).mem(Op.i32Load, 2, w * 4); };
  const pEnd = f.local(I32);
  f.get(chunk).i32(Ctrl.CHUNK_WORDS * 4).op(Op.i32Mul).i32(Ctrl.CHUNKS * 4).op(Op.i32Add).set(row);
  word(Ctrl.PACK_BASE); f.get(slot); word(Ctrl.PACK_SLOT_BYTES); f.op(Op.i32Mul, Op.i32Add).tee(aPack);
  word(Ctrl.A_PACK_BYTES); f.op(Op.i32Add).set(bPack);
  field(1); f.set(pEnd);
  f.forLoop(p, () => field(0), { local: pEnd }, 1, () => {
    const offset = (ptrWord: number, baseWord: number): void => {
      word(baseWord);
      word(ptrWord); f.get(p).i32(2).op(Op.i32Shl, Op.i32Add).mem(Op.i32Load, 2).i32(2).op(Op.i32Shl, Op.i32Add);
    };
    offset(Ctrl.A_OFF_PTR, Ctrl.A_BASE);
    offset(Ctrl.B_OFF_PTR, Ctrl.B_BASE);
    word(Ctrl.C_BASE); f.get(p); word(Ctrl.C_BATCH_BYTES); f.op(Op.i32Mul, Op.i32Add);
    for (const w of [Ctrl.K, Ctrl.A_RS, Ctrl.A_CS, Ctrl.B_RS, Ctrl.B_CS, Ctrl.LDC]) word(w);
    for (let w = 2; w < 6; w++) field(w);
    f.get(aPack).get(bPack);
    for (const w of [Ctrl.MC, Ctrl.KC, Ctrl.NC, Ctrl.B_PACKED, Ctrl.ACCUMULATE]) word(w);
    f.call(gemmIndex);
    // act(C + bias) on this chunk's block of C, while it is still in cache
    word(Ctrl.EPI_BIAS); word(Ctrl.EPI_RELU); f.op(Op.i32Or).ifElse(() => {
      word(Ctrl.C_BASE); f.get(p); word(Ctrl.C_BATCH_BYTES); f.op(Op.i32Mul, Op.i32Add);
      for (let w = 2; w < 6; w++) field(w);
      word(Ctrl.LDC); word(Ctrl.EPI_BIAS); word(Ctrl.EPI_RELU);
      f.call(epilogueIndex);
    });
  });
  return f;
}

/** Export name of tile i's B packer, packB(dst, src, xs, ps, x0, xlen, p0, kc) (see packer). */
export const packBExport = (i: number): string => `packB${i}`;

/**
 * Adds one GEMM per tile to m (multiply-adds as relaxed_madd when `relaxed`) and exports each
 * tile's B packer; returns the index of run(chunk, slot), which runs the chunk on the tile
 * Ctrl.TILE names.
 */
export function addGemm(m: ModuleBuilder, tiles: readonly TileConfig[], relaxed: boolean): number {
  const epi = m.add(epilogue());
  const runs = tiles.map((tile, i) => {
    const micro = m.add(microKernel(tile, relaxed));
    const packA = m.add(packer(tile.mr));
    const packB = m.add(packer(4 * tile.nrv), packBExport(i));
    const g = m.add(gemm(tile, { micro, packA, packB }), `gemm${tile.mr}x${4 * tile.nrv}`);
    return m.add(runChunk(g, epi));
  });
  const f = new FunctionBuilder([I32, I32], []);
  const dispatch = (i: number): void => {
    if (i === runs.length - 1) { f.get(0).get(1).call(runs[i]); return; }
    f.i32(0).mem(Op.i32Load, 2, Ctrl.TILE * 4).i32(i).op(Op.i32Eq).ifElse(() => f.get(0).get(1).call(runs[i]), () => dispatch(i + 1));
  };
  dispatch(0);
  return m.add(f);
}
