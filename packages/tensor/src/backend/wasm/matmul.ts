// Float32 batched matmul on the generated WebAssembly SIMD GEMM (gemm-module.ts), optionally split
// over worker threads sharing its memory (runtime.ts). Same contract as cpu/matmul.ts matmulRef.
import { matmulRef } from '../cpu/matmul.js';
import { JobKind } from './attention-module.js';
import { Ctrl, packBExport, type TileConfig } from './gemm-module.js';
import {
  align, allocateKept, ensureBytes, getRuntime, kernelThreads, kernelThreadsReport, type KernelThreadsReport, releaseOperand, retainOperand, runJob, setKernelThreads, setSimdRequest, setTile,
  simdLevel, slotsFor, startKernelThreads, type Runtime,
} from './runtime.js';
import type { Block, Resident } from './resident.js';
import { checkSimdRequest, type SimdLevel, type SimdRequest } from './simd-level.js';

/** Cache blocking (floats): KC·NR of B stays in L1, MC·KC of A in L2, KC·NC of B in L2/L3. */
export interface Blocking { mc: number; kc: number; nc: number }
export const DEFAULT_BLOCKING: Readonly<Blocking> = { mc: 128, kc: 256, nc: 2048 };
let blocking: Blocking = { ...DEFAULT_BLOCKING };
/**
 * Below this many flops (2·batch·m·n·k) a job runs on the calling thread only. Measured with
 * bench/matmul.bench.ts on 2 cores shared with other work: the pool's wake-up and the operand each
 * thread packs again cost more than half the work up to ~25 MFLOP (batch-64 decoding steps, 6–8
 * MFLOP, ran 0.7–0.9× as fast on two threads), and 2 threads won from ~50 MFLOP ([512,128]·[128,384]).
 */
export const DEFAULT_THREAD_MIN_FLOPS = 3.2e7;
let threadMinFlops = DEFAULT_THREAD_MIN_FLOPS;
/** Products of at most this many rows run on the thin tile (THIN_TILE). */
export const DEFAULT_THIN_MAX_ROWS = 2;
let thinMaxRows = DEFAULT_THIN_MAX_ROWS;
/** Chunks handed out per thread: more balances a noisy machine, fewer repacks less. */
let chunksPerThread = 2;

/**
 * Tuning hook for benches and tests (not part of the Backend contract): the register tile
 * (rebuilds the module and pool; 'default' = the instruction set's own), cache blocking, the
 * threading crossover, chunks per thread, the most rows that run on the thin tile.
 */
export function tuneMatmul(options: { tile?: TileConfig | 'default'; blocking?: Partial<Blocking>;
  threadMinFlops?: number; chunksPerThread?: number; thinMaxRows?: number }): void {
  if (options.tile) setTile(options.tile === 'default' ? undefined : options.tile);
  if (options.blocking) blocking = { ...blocking, ...options.blocking };
  if (options.threadMinFlops !== undefined) threadMinFlops = options.threadMinFlops;
  if (options.chunksPerThread !== undefined) chunksPerThread = options.chunksPerThread;
  if (options.thinMaxRows !== undefined) thinMaxRows = options.thinMaxRows;
}

/** Whether WebAssembly SIMD is usable here (otherwise matmulF32 runs matmulRef). */
export function wasmMatmulAvailable(): boolean {
  return getRuntime() !== null;
}

/**
 * The instruction set matmulF32 and the fused attention run on: 'relaxed' (relaxed SIMD, fused
 * multiply-add), 'simd' (fixed-width SIMD) or 'none' (no WebAssembly SIMD: the TypeScript reference).
 */
export function wasmSimdLevel(): SimdLevel {
  return simdLevel();
}

/**
 * Asks for an instruction set: 'auto' (default: relaxed SIMD where the engine validates it, else
 * plain), 'relaxed' (same, but named) or 'simd' (the plain kernels even where relaxed SIMD runs).
 * The environment variable GLOSS_WASM_SIMD sets the start-up request the same way.
 */
export function setWasmSimd(request: SimdRequest): void {
  setSimdRequest(checkSimdRequest('setWasmSimd', request));
}

/**
 * Runs fn with `operands` kept in the kernels' WebAssembly memory: a matmulF32 call that reads one
 * of them (as a or b, whole or from any offset) uses that copy instead of copying it in, which is
 * most of the cost of a product of few rows (decoding at batch 1 copies every weight matrix each step).
 * Each operand is copied in once, on entry. Nothing may write to them inside fn: a kept copy is
 * not refreshed. Scopes nest; where WebAssembly SIMD is unavailable this just runs fn.
 */
export function withResidentOperands<T>(operands: readonly Float32Array[], fn: () => T): T {
  const rt = getRuntime();
  if (!rt) return fn();
  for (const x of operands) retainOperand(rt, x);
  try {
    return fn();
  } finally {
    for (const x of operands) releaseOperand(rt, x);
  }
}

/**
 * Sets the thread count for matmulF32 and the fused attention (1 = single-threaded; 0 = back to the default,
 * see getMatmulThreads; clamped to 1 where threads can't run).
 */
export function setMatmulThreads(n: number): void {
  setKernelThreads(n);
}

/**
 * The thread count matmulF32 and the fused attention use for large problems: default min(cores, 4) in Node and
 * in a cross-origin isolated page's Web Worker, else 1 (matmulThreadsReport says why).
 */
export function getMatmulThreads(): number {
  return kernelThreads();
}

/** The kernels' threads: how many, which pool, its workers running, chunks per thread, why one thread where so. */
export function matmulThreadsReport(): KernelThreadsReport {
  return kernelThreadsReport();
}

/**
 * Starts the kernels' worker threads and resolves once they run, with matmulThreadsReport(). In a browser a
 * Worker's threads start only once it returns to its event loop: await this before long synchronous work
 * (training) so that work uses them. In Node they start on their own; awaiting it is harmless.
 */
export function startMatmulThreads(timeoutMs?: number): Promise<KernelThreadsReport> {
  return startKernelThreads(timeoutMs);
}

function rangeOf(offsets: Int32Array): [number, number] {
  let lo = offsets[0];
  let hi = offsets[0];
  for (let p = 1; p < offsets.length; p++) {
    lo = Math.min(lo, offsets[p]);
    hi = Math.max(hi, offsets[p]);
  }
  return [lo, hi];
}

/**
 * One GEMM job on operands already in the kernels' memory (byte addresses): op(A)(i, q) = A[i·aRs + q·aCs],
 * op(B)(q, j) = B[q·bRs + j·bCs], C [mPad, ldc] per batch entry (cBatchBytes apart), per-entry float offsets
 * of A and B as Int32 pairs at `offsets` (batch of each, A's first). bPacked: B's panels packed over its whole
 * k for this tile (0: packed per block). accumulate: C += instead of C =.
 */
export interface GemmJob {
  aBase: number; bBase: number; cBase: number; k: number; aRs: number; aCs: number; bRs: number; bCs: number;
  bPacked: number; ldc: number; cBatchBytes: number; offsets: number; batch: number; tileIndex: number; accumulate: boolean;
  /** Epilogue (Ctrl.EPI_*): byte address of a bias row [ldc] (0 = none) and ReLU; absent = none. */
  epiBias?: number; epiRelu?: boolean;
}

/** Cache blocks of one job and its per-thread pack buffers (bytes). */
export interface GemmBlocks { mc: number; kc: number; nc: number; packSlotBytes: number; aPackBytes: number }

/** The blocks for an m×n×k product on the tile (mr, nr): the blocking, clipped to the problem. */
export function gemmBlocks(m: number, n: number, k: number, mr: number, nr: number): GemmBlocks {
  const mc = align(Math.min(blocking.mc, align(m, mr)), mr);
  const kc = Math.min(blocking.kc, k);
  const nc = align(Math.min(blocking.nc, align(n, nr)), nr);
  const aPackBytes = align(mc * kc * 4, 64);
  return { mc, kc, nc, aPackBytes, packSlotBytes: aPackBytes + align(kc * align(nc, nr) * 4, 64) };
}

function writeGemmHeader(s: Runtime, job: GemmJob, blocks: GemmBlocks): void {
  const header: [number, number][] = [
    [Ctrl.A_BASE, job.aBase], [Ctrl.B_BASE, job.bBase], [Ctrl.C_BASE, job.cBase], [Ctrl.K, job.k],
    [Ctrl.A_RS, job.aRs], [Ctrl.A_CS, job.aCs], [Ctrl.B_RS, job.bRs], [Ctrl.B_CS, job.bCs], [Ctrl.B_PACKED, job.bPacked],
    [Ctrl.LDC, job.ldc], [Ctrl.C_BATCH_BYTES, job.cBatchBytes], [Ctrl.A_OFF_PTR, job.offsets], [Ctrl.B_OFF_PTR, job.offsets + 4 * job.batch],
    [Ctrl.MC, blocks.mc], [Ctrl.KC, blocks.kc], [Ctrl.NC, blocks.nc],
    [Ctrl.TILE, job.tileIndex], [Ctrl.PACK_BASE, Ctrl.BYTES], [Ctrl.PACK_SLOT_BYTES, blocks.packSlotBytes], [Ctrl.A_PACK_BYTES, blocks.aPackBytes],
    [Ctrl.ACCUMULATE, job.accumulate ? 1 : 0], [Ctrl.EPI_BIAS, job.epiBias ?? 0], [Ctrl.EPI_RELU, job.epiRelu ? 1 : 0],
  ];
  for (const [word, value] of header) s.heapI32[word] = value;
}

/**
 * Runs one m×n×k GEMM of a single batch entry on operands in the kernels' memory, on `t` threads (pack buffers
 * from Ctrl.BYTES: the caller's layout leaves room for slotsFor(s, t)·gemmBlocks(...).packSlotBytes there).
 */
export function runGemm(s: Runtime, job: Omit<GemmJob, 'batch' | 'cBatchBytes'>, m: number, n: number, t: number): void {
  const { mr, nrv } = s.tiles[job.tileIndex];
  const nr = 4 * nrv;
  s.heapI32[job.offsets / 4] = 0;
  s.heapI32[job.offsets / 4 + 1] = 0;
  writeGemmHeader(s, { ...job, batch: 1, cBatchBytes: 0 }, gemmBlocks(m, n, job.k, mr, nr));
  runJob(s, JobKind.GEMM, writeChunks(s.heapI32, t, 1, m, n, mr, nr), t);
}

/** Threads for a product of this many flops: the kernel threads above the crossover, else 1. */
export function gemmThreads(s: Runtime, flops: number): number {
  return flops >= threadMinFlops && s.pool ? kernelThreads() : 1;
}

/**
 * Batched float32 matmul, synchronous, overwriting `out` [batch, m, n] with op(A_p)·op(B_p).
 * Layouts and broadcasting offsets as in {@link matmulRef}.
 *
 * @example
 * // [2, 3]·[3, 2]ᵀ with B stored [2, 3]
 * matmulF32(a, b, out, 2, 2, 3, false, true, Int32Array.of(0), Int32Array.of(0));
 */
export function matmulF32(a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array): void {
  matmulEpilogueF32(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets, null);
}

/** A linear layer's epilogue on each row of a product: + bias [n] (or none), then ReLU (or not). */
export interface Epilogue { readonly bias: Float32Array | null; readonly relu: boolean }

/**
 * matmulF32, then out[p, i, j] = act(out[p, i, j] + bias[j]) applied in the kernels' memory by each thread to its
 * block of the result (epilogue null: none). Returns false where WebAssembly SIMD is unavailable and an epilogue
 * was asked for (nothing written: the caller runs its own); true otherwise.
 */
export function matmulEpilogueF32(a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array, epilogue: Epilogue | null): boolean {
  const batch = aOffsets.length;
  const s = getRuntime();
  if (!s) {
    if (epilogue) return false;
    matmulRef(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets);
    return true;
  }
  if (batch === 0 || m === 0 || n === 0) return true;
  if (k === 0 && !epilogue) { out.fill(0, 0, batch * m * n); return true; }
  // Few rows run on the thin tile (index 1), where the main tile would mostly compute padding.
  const tileIndex = m <= thinMaxRows ? 1 : 0;
  const { mr, nrv } = s.tiles[tileIndex];
  const nr = 4 * nrv;
  const mPad = align(m, mr);
  const ldc = align(n, nr);
  const flops = 2 * batch * m * n * k;
  const t = gemmThreads(s, flops);
  const slots = slotsFor(s, t);

  // Layout (bytes): control block | pack buffers per thread slot | offsets | A | B | C.
  const { mc, kc, nc, aPackBytes, packSlotBytes } = gemmBlocks(m, n, k, mr, nr);
  const [aLo, aHi] = rangeOf(aOffsets);
  const [bLo, bHi] = rangeOf(bOffsets);
  const aLen = aHi - aLo + m * k;
  const bLen = bHi - bLo + k * n;
  // Operands kept in memory (withResidentOperands) are read where they are, not copied in; a kept B
  // of one batch entry is packed once per layout and its panels kept beside it.
  const aKept = s.residents.map.get(a);
  const bKept = s.residents.map.get(b);
  const bRs = transB ? 1 : n;
  const bCs = transB ? k : 1;
  const bPacked = bKept && batch === 1 ? packedPanels(s, bKept, tileIndex, bOffsets[0], bRs, bCs, n, k, nr) : undefined;
  const offBase = Ctrl.BYTES + slots * packSlotBytes;
  const aCopy = align(offBase + 8 * batch, 64);
  const bCopy = align(aCopy + (aKept ? 0 : 4 * aLen), 64);
  const biasBase = align(bCopy + (bKept ? 0 : 4 * bLen), 64);
  const cBase = align(biasBase + (epilogue?.bias ? 4 * ldc : 0), 64);
  const cBatchBytes = mPad * ldc * 4;
  ensureBytes(s, cBase + batch * cBatchBytes);   // may move the kept operands: read their offsets after
  const { heapF32, heapI32 } = s;
  for (let p = 0; p < batch; p++) {
    heapI32[offBase / 4 + p] = aOffsets[p] - aLo;
    heapI32[offBase / 4 + batch + p] = bOffsets[p] - bLo;
  }
  const aBase = aKept ? aKept.block.offset + 4 * aLo : aCopy;
  const bBase = bKept ? bKept.block.offset + 4 * bLo : bCopy;
  if (!aKept) heapF32.set(a.subarray(aLo, aLo + aLen), aBase / 4);
  if (!bKept) heapF32.set(b.subarray(bLo, bLo + bLen), bBase / 4);
  if (epilogue?.bias) { heapF32.set(epilogue.bias.subarray(0, n), biasBase / 4); heapF32.fill(0, biasBase / 4 + n, biasBase / 4 + ldc); }
  if (k === 0) heapF32.fill(0, cBase / 4, cBase / 4 + batch * mPad * ldc);   // the product is 0; the epilogue still runs

  writeGemmHeader(s, {
    aBase, bBase, cBase, k, aRs: transA ? 1 : k, aCs: transA ? m : 1, bRs, bCs, bPacked: bPacked ? bPacked.offset : 0,
    ldc, cBatchBytes, offsets: offBase, batch, tileIndex, accumulate: false,
    epiBias: epilogue?.bias ? biasBase : 0, epiRelu: epilogue?.relu ?? false,
  }, { mc, kc, nc, packSlotBytes, aPackBytes });
  const numChunks = writeChunks(heapI32, t, batch, m, n, mr, nr);
  runJob(s, JobKind.GEMM, numChunks, t);

  // Copy the valid [m, n] of each padded [mPad, ldc] result out.
  if (ldc === n && mPad === m) {
    out.set(heapF32.subarray(cBase / 4, cBase / 4 + batch * m * n));
  } else {
    for (let p = 0; p < batch; p++) {
      const src = cBase / 4 + p * mPad * ldc;
      if (ldc === n) { out.set(heapF32.subarray(src, src + m * n), p * m * n); continue; }
      for (let i = 0; i < m; i++) out.set(heapF32.subarray(src + i * ldc, src + i * ldc + n), (p * m + i) * n);
    }
  }
  return true;
}

/** The kept B's panels for this tile and layout (all of k, NR columns each), packed on first use. */
function packedPanels(s: Runtime, kept: Resident, tileIndex: number, offset: number, bRs: number, bCs: number,
  n: number, k: number, nr: number): Block {
  const key = `${tileIndex} ${offset} ${bRs} ${bCs} ${n} ${k}`;
  let block = kept.packs.get(key);
  if (block) return block;
  block = allocateKept(s, align(n, nr) * k * 4);
  const pack = s.exports[packBExport(tileIndex)] as (dst: number, src: number, xs: number, ps: number, x0: number,
    xlen: number, p0: number, kc: number) => void;
  pack(block.offset, kept.block.offset + 4 * offset, bCs, bRs, 0, n, 0, k);
  kept.packs.set(key, block);
  return block;
}

/**
 * Splits the job into chunks (pBegin, pEnd, i0, i1, j0, j1): whole batch ranges when there are
 * enough batch entries, otherwise row blocks (or column blocks when n > m, so the redundant
 * packing is of the smaller operand). Row/column cuts are multiples of MR/NR.
 */
function writeChunks(heap: Int32Array, t: number, batch: number, m: number, n: number, mr: number, nr: number): number {
  let count = 0;
  const put = (p0: number, p1: number, i0: number, i1: number, j0: number, j1: number): void => {
    heap.set([p0, p1, i0, i1, j0, j1], Ctrl.CHUNKS + Ctrl.CHUNK_WORDS * count++);
  };
  const target = t === 1 ? 1 : Math.min(Ctrl.MAX_CHUNKS, t * chunksPerThread);
  if (t === 1) {
    put(0, batch, 0, m, 0, n);
  } else if (batch >= target) {
    for (let c = 0; c < target; c++) put(Math.floor(c * batch / target), Math.floor((c + 1) * batch / target), 0, m, 0, n);
  } else {
    const perBatch = Math.max(1, Math.floor(target / batch));
    const byRows = m >= n;
    const tiles = byRows ? Math.ceil(m / mr) : Math.ceil(n / nr);
    const parts = Math.min(perBatch, tiles);
    for (let p = 0; p < batch; p++) {
      for (let c = 0; c < parts; c++) {
        const lo = Math.floor(c * tiles / parts);
        const hi = Math.floor((c + 1) * tiles / parts);
        if (byRows) put(p, p + 1, lo * mr, Math.min(m, hi * mr), 0, n);
        else put(p, p + 1, 0, m, lo * nr, Math.min(n, hi * nr));
      }
    }
  }
  return count;
}
