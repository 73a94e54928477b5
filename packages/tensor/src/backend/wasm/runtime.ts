// The WebAssembly kernels' runtime: one instance of the generated module (kernel-module.ts), its memory
// and the worker pool that shares it. matmul.ts and attention.ts lay out their jobs in this memory and
// run them here; both stay synchronous (the caller works too, then waits on Atomics).
import { Ctrl, DEFAULT_TILES, THIN_TILE, type TileConfig } from './gemm-module.js';
import { buildKernelModule } from './kernel-module.js';
import { allocate, type Block, clearBelow, growTo, release, retain, type Residents } from './resident.js';
import { envSimdRequest, resolveSimdLevel, type SimdLevel, type SimdRequest } from './simd-level.js';
import { availableCores, ThreadPool, threadsSupported, whyNoThreads } from './thread-pool.js';

export interface Runtime {
  /** The GEMM's register tiles, by Ctrl.TILE index: the main one, then THIN_TILE for few rows. */
  readonly tiles: readonly TileConfig[];
  /** The instruction set the module was generated for. */
  readonly level: 'relaxed' | 'simd';
  readonly memory: WebAssembly.Memory;
  readonly exports: WebAssembly.Exports;
  readonly run: (chunk: number, slot: number) => void;
  readonly pool: ThreadPool | undefined;
  heapF32: Float32Array;
  heapI32: Int32Array;
  /** Operands kept in memory between calls (resident.ts), above every job's bytes. */
  readonly residents: Residents;
}

let runtime: Runtime | undefined | null;   // null: WebAssembly SIMD unavailable
let tileOverride: TileConfig | undefined;  // undefined: DEFAULT_TILES of the level
let simdRequest: SimdRequest | undefined;  // undefined: GLOSS_WASM_SIMD, read on first use
let threads = 0;                           // 0: not chosen yet (default on first use)

function create(): Runtime | null {
  if (typeof WebAssembly !== 'object') return null;
  const shared = threadsSupported();
  simdRequest ??= envSimdRequest();
  let level = resolveSimdLevel(simdRequest);
  if (level === 'none') return null;
  let bytes: Uint8Array<ArrayBuffer>;
  let tiles = [tileOverride ?? DEFAULT_TILES[level], THIN_TILE];
  try {
    bytes = buildKernelModule(tiles, shared, level === 'relaxed');
    if (level === 'relaxed' && !WebAssembly.validate(bytes)) {
      level = 'simd';
      tiles = [tileOverride ?? DEFAULT_TILES[level], THIN_TILE];
      bytes = buildKernelModule(tiles, shared, false);
    }
    if (!WebAssembly.validate(bytes)) return null;
  } catch {
    return null;
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared } as WebAssembly.MemoryDescriptor);
  const module = new WebAssembly.Module(bytes);
  const exports = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const run = exports.run as (chunk: number, slot: number) => void;
  const pool = shared ? new ThreadPool(module, memory) : undefined;
  return {
    tiles, level, memory, exports, run, pool, heapF32: new Float32Array(memory.buffer), heapI32: new Int32Array(memory.buffer),
    residents: { map: new Map(), blocks: [], base: 0, end: 0, jobEnd: Ctrl.BYTES },
  };
}

/** The runtime, built on first use; null where WebAssembly SIMD is unavailable. */
export function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = create();
  return runtime;
}

/** Drops the module and its pool; the next use builds them again. */
function rebuild(): void {
  runtime?.pool?.resize(1);
  runtime = undefined;
}

/** Rebuilds the module with another GEMM register tile (benches and tests); undefined = the level's default. */
export function setTile(next: TileConfig | undefined): void {
  rebuild();
  tileOverride = next;
}

/**
 * Picks the instruction set the kernels are generated for: 'relaxed' (relaxed SIMD's fused
 * multiply-add, where the engine has it), 'simd' (plain fixed-width SIMD) or 'auto' (the best the
 * engine validates; the default, or GLOSS_WASM_SIMD when set). Rebuilds the module when it changes.
 */
export function setSimdRequest(request: SimdRequest): void {
  if (request === simdRequest && runtime !== undefined) return;
  rebuild();
  simdRequest = request;
}

/** The instruction set the kernels run on ('none': no WebAssembly SIMD, the TypeScript reference runs). */
export function simdLevel(): SimdLevel {
  return getRuntime()?.level ?? 'none';
}

/**
 * Sets the thread count of the WebAssembly kernels (1 = single-threaded; 0 = back to the default of
 * kernelThreads(); clamped to 1 where threads can't run).
 */
export function setKernelThreads(n: number): void {
  threads = n === 0 ? 0 : Math.max(1, Math.floor(n));
}

/**
 * Threads the kernels use for large problems: default min(cores, 4) where threads can run (Node; a cross-origin
 * isolated page's Worker), else 1.
 */
export function kernelThreads(): number {
  if (threads === 0) threads = threadsSupported() ? Math.min(availableCores(), 4) : 1;
  return getRuntime()?.pool ? threads : 1;
}

/** What the kernels' threads are doing here. */
export interface KernelThreadsReport {
  /** Threads large problems use, the caller included (getMatmulThreads()). */
  readonly threads: number;
  /** The pool's workers that are running (in a browser they start once the creating thread yields). */
  readonly started: number;
  /** Chunks each thread slot ran since the pool was built; slot 0 is the calling thread. */
  readonly chunks: readonly number[];
  /** 'worker_threads' (Node), 'web workers' (a browser) or 'none'. */
  readonly pool: 'worker_threads' | 'web workers' | 'none';
  /** Why large problems run on one thread, or null when they use more. */
  readonly singleThreaded: string | null;
}

/** The kernels' thread count, the pool's workers and why they run on one thread where they do. */
export function kernelThreadsReport(): KernelThreadsReport {
  const rt = getRuntime();
  const t = kernelThreads();
  const stats = rt?.pool?.statistics() ?? { started: 0, chunks: [] };
  const inNode = typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === 'function';
  const singleThreaded = t > 1 ? null
    : rt === null ? 'no WebAssembly SIMD here: the TypeScript reference runs'
      : whyNoThreads() ?? (availableCores() === 1 ? 'one core' : 'setMatmulThreads(1)');
  return { threads: t, started: stats.started, chunks: stats.chunks, pool: rt?.pool ? (inNode ? 'worker_threads' : 'web workers') : 'none', singleThreaded };
}

/**
 * Builds the kernels and their pool at the current thread count and resolves once every worker runs (or after
 * `timeoutMs`, with what started). In a browser, Workers start only when the creating thread returns to its event
 * loop, so a Worker that trains synchronously awaits this first; without it the calling thread runs every chunk
 * (same results) until it next yields.
 */
export async function startKernelThreads(timeoutMs = 10_000): Promise<KernelThreadsReport> {
  const rt = getRuntime();
  const t = kernelThreads();
  if (rt?.pool && t > rt.pool.size) rt.pool.resize(t);
  const deadline = Date.now() + timeoutMs;
  while (rt?.pool && rt.pool.statistics().started < rt.pool.size - 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return kernelThreadsReport();
}

/**
 * Makes bytes [0, bytes) the job's: grows the memory to at least `bytes`, moves kept operands above
 * it, and refreshes the heap views.
 */
export function ensureBytes(rt: Runtime, bytes: number): void {
  clearBelow(rt, bytes);
  growTo(rt, bytes);
  refreshViews(rt);
}

function refreshViews(rt: Runtime): void {
  if (rt.heapI32.buffer !== rt.heapF32.buffer) rt.heapI32 = new Int32Array(rt.heapF32.buffer);
}

/** Keeps `data` in the memory until as many releaseOperand calls (see resident.ts). */
export function retainOperand(rt: Runtime, data: Float32Array): void {
  retain(rt, data);
  refreshViews(rt);
}

/** A block of `bytes` in the kept region (a kept operand's packed copy). */
export function allocateKept(rt: Runtime, bytes: number): Block {
  const block = allocate(rt, bytes);
  refreshViews(rt);
  return block;
}

/** Drops one hold on `data`. */
export function releaseOperand(rt: Runtime, data: Float32Array): void {
  release(rt, data);
  refreshViews(rt);
}

/** Memory slots for per-thread scratch a job of `t` threads needs. */
export function slotsFor(rt: Runtime, t: number): number {
  if (rt.pool && t > rt.pool.size) rt.pool.resize(t);
  return rt.pool ? Math.max(rt.pool.size, 1) : 1;
}

/** Runs chunks 0..numChunks−1 of the job of `kind` already written to the control block. */
export function runJob(rt: Runtime, kind: number, numChunks: number, t: number): void {
  rt.heapI32[Ctrl.KIND] = kind;
  if (t === 1 || !rt.pool) {
    for (let c = 0; c < numChunks; c++) rt.run(c, 0);
  } else {
    rt.pool.runJob(numChunks, rt.run);
  }
}

export const align = (x: number, to: number): number => Math.ceil(x / to) * to;
