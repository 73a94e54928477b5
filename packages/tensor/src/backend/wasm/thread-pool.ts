// Worker threads that share the GEMM's WebAssembly.Memory and take chunks of a job off an
// Atomics counter in the control block (no postMessage per call), so matmulF32 stays synchronous.
import { Ctrl } from './gemm-module.js';

interface NodeWorker { unref(): void; terminate(): Promise<number> }
interface WorkerThreads {
  Worker: new (src: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}

/** Iterations of busy polling before sleeping in Atomics.wait (a few tens of microseconds). */
const SPIN = 4000;

// Self-contained CommonJS source for `new Worker(src, { eval: true })`: identical from src/ under
// vitest/tsx and from dist/. Each worker claims chunks until the job's counter runs out.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot } = workerData;
let gen = workerData.gen;
const run = new WebAssembly.Instance(module, { env: { mem: memory } }).exports.run;
const ctrl = new Int32Array(memory.buffer, 0, ${Ctrl.BYTES / 4});
for (;;) {
  let g = Atomics.load(ctrl, ${Ctrl.GEN});
  for (let i = 0; g === gen && i < ${SPIN}; i++) g = Atomics.load(ctrl, ${Ctrl.GEN});
  if (g === gen) { Atomics.wait(ctrl, ${Ctrl.GEN}, gen); continue; }
  gen = g;
  for (;;) {
    const chunk = Atomics.add(ctrl, ${Ctrl.NEXT}, 1);
    const total = Atomics.load(ctrl, ${Ctrl.NCHUNKS});
    if (chunk >= total) break;
    run(chunk, slot);
    if (Atomics.add(ctrl, ${Ctrl.DONE}, 1) + 1 === total) Atomics.notify(ctrl, ${Ctrl.DONE});
  }
}
`;

/** NEXT is parked here between jobs so a late worker can never claim a chunk of the next job early. */
const PARKED = 1 << 30;

function workerThreads(): WorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule('node:worker_threads') as WorkerThreads | undefined;
  } catch {
    return undefined;
  }
}

/** Cores Node reports, or 1 outside Node. */
export function availableCores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = typeof proc?.getBuiltinModule === 'function'
    ? proc.getBuiltinModule('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined
    : undefined;
  if (!os) return 1;
  return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
}

/** Whether this environment can run the pool: worker_threads, shared memory and a blocking main thread. */
export function threadsSupported(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && workerThreads() !== undefined;
}

/** A pool of `size - 1` workers; the calling thread is slot 0 and does its share too. */
export class ThreadPool {
  private readonly workers: NodeWorker[] = [];
  private readonly ctrl: Int32Array;

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory) {
    this.ctrl = new Int32Array(memory.buffer, 0, Ctrl.BYTES / 4);
    Atomics.store(this.ctrl, Ctrl.NEXT, PARKED);
  }

  /** Threads available including the caller. */
  get size(): number { return this.workers.length + 1; }

  /** Grows or shrinks the pool to `threads` (caller included). Workers are created lazily here. */
  resize(threads: number): void {
    const wt = workerThreads();
    while (wt && this.workers.length < threads - 1) {
      const worker = new wt.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: this.module, memory: this.memory, slot: this.workers.length + 1, gen: Atomics.load(this.ctrl, Ctrl.GEN) },
      });
      worker.unref();   // an idle pool never keeps the process alive
      this.workers.push(worker);
    }
    while (this.workers.length > Math.max(0, threads - 1)) void this.workers.pop()!.terminate();
  }

  /**
   * Runs chunks 0..numChunks-1 of the job already written to the control block, on all threads,
   * and returns when every chunk is done. `run(chunk, slot)` is the caller's wasm export.
   */
  runJob(numChunks: number, run: (chunk: number, slot: number) => void): void {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, Ctrl.NCHUNKS, numChunks);
    Atomics.store(ctrl, Ctrl.DONE, 0);
    Atomics.store(ctrl, Ctrl.NEXT, 0);
    Atomics.add(ctrl, Ctrl.GEN, 1);
    Atomics.notify(ctrl, Ctrl.GEN);
    for (;;) {
      const chunk = Atomics.add(ctrl, Ctrl.NEXT, 1);
      if (chunk >= numChunks) break;
      run(chunk, 0);
      Atomics.add(ctrl, Ctrl.DONE, 1);
    }
    let done = Atomics.load(ctrl, Ctrl.DONE);
    for (let i = 0; done < numChunks && i < SPIN; i++) done = Atomics.load(ctrl, Ctrl.DONE);
    while (done < numChunks) {
      Atomics.wait(ctrl, Ctrl.DONE, done);
      done = Atomics.load(ctrl, Ctrl.DONE);
    }
    Atomics.store(ctrl, Ctrl.NEXT, PARKED);
  }
}
