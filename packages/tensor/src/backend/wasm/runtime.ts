// The WebAssembly kernels' runtime: one instance of the generated module (kernel-module.ts), its memory
// and the worker pool that shares it. matmul.ts and attention.ts lay out their jobs in this memory and
// run them here; both stay synchronous (the caller works too, then waits on Atomics).
import { Ctrl, DEFAULT_TILE, type TileConfig } from './gemm-module.js';
import { buildKernelModule } from './kernel-module.js';
import { availableCores, ThreadPool, threadsSupported } from './thread-pool.js';

export interface Runtime {
  readonly tile: TileConfig;
  readonly memory: WebAssembly.Memory;
  readonly exports: WebAssembly.Exports;
  readonly run: (chunk: number, slot: number) => void;
  readonly pool: ThreadPool | undefined;
  heapF32: Float32Array;
  heapI32: Int32Array;
}

let runtime: Runtime | undefined | null;   // null: WebAssembly SIMD unavailable
let tile: TileConfig = DEFAULT_TILE;
let threads = 0;                           // 0: not chosen yet (default on first use)

function create(): Runtime | null {
  if (typeof WebAssembly !== 'object') return null;
  const shared = threadsSupported();
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = buildKernelModule(tile, shared);
    if (!WebAssembly.validate(bytes)) return null;
  } catch {
    return null;
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared } as WebAssembly.MemoryDescriptor);
  const module = new WebAssembly.Module(bytes);
  const exports = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const run = exports.run as (chunk: number, slot: number) => void;
  const pool = shared ? new ThreadPool(module, memory) : undefined;
  return { tile, memory, exports, run, pool, heapF32: new Float32Array(memory.buffer), heapI32: new Int32Array(memory.buffer) };
}

/** The runtime, built on first use; null where WebAssembly SIMD is unavailable. */
export function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = create();
  return runtime;
}

/** Rebuilds the module with another GEMM register tile (benches and tests). */
export function setTile(next: TileConfig): void {
  runtime?.pool?.resize(1);
  runtime = undefined;
  tile = next;
}

/** Sets the thread count of the WebAssembly kernels (1 = single-threaded; clamped to 1 where threads can't run). */
export function setKernelThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
}

/** Threads the kernels use for large problems: default min(cores, 4) in Node, else 1. */
export function kernelThreads(): number {
  if (threads === 0) threads = threadsSupported() ? Math.min(availableCores(), 4) : 1;
  return getRuntime()?.pool ? threads : 1;
}

/** Grows the memory to at least `bytes` and refreshes the heap views. */
export function ensureBytes(rt: Runtime, bytes: number): void {
  const have = rt.memory.buffer.byteLength;
  if (bytes > have) rt.memory.grow(Math.ceil((bytes - have) / 65536));
  if (rt.heapF32.buffer !== rt.memory.buffer || rt.heapF32.length * 4 !== rt.memory.buffer.byteLength) {
    rt.heapF32 = new Float32Array(rt.memory.buffer);
    rt.heapI32 = new Int32Array(rt.memory.buffer);
  }
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
