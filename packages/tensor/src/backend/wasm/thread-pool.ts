// Threads that share the kernels' WebAssembly.Memory and take chunks of a job off an Atomics counter in the
// control block (no postMessage per call), so matmulF32 stays synchronous. In Node they are worker_threads; in a
// browser, Web Workers, where the page is cross-origin isolated (shared memory) and the calling thread may block
// in Atomics.wait (a Worker: a page's main thread may not).
import { Ctrl } from './gemm-module.js';

interface PoolWorker { terminate(): unknown }
interface NodeWorker extends PoolWorker { unref(): void }
interface WorkerThreads {
  Worker: new (src: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}
interface WebWorkerConstructor { new (url: string): PoolWorker & { postMessage(message: unknown): void } }

/** Iterations of busy polling before sleeping in Atomics.wait (a few tens of microseconds). */
const SPIN = 4000;
/** Most thread slots the statistics block counts chunks for. */
const MAX_SLOTS = 64;

// The loop each worker runs, given module, memory, slot, gen and stats (word s: slot s has started; word
// MAX_SLOTS + s: chunks slot s ran). Each worker claims chunks until the job's counter runs out.
const WORKER_LOOP = `
const run = new WebAssembly.Instance(module, { env: { mem: memory } }).exports.run;
const ctrl = new Int32Array(memory.buffer, 0, ${Ctrl.BYTES / 4});
Atomics.store(stats, slot, 1);
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
    Atomics.add(stats, ${MAX_SLOTS} + slot, 1);
    if (Atomics.add(ctrl, ${Ctrl.DONE}, 1) + 1 === total) Atomics.notify(ctrl, ${Ctrl.DONE});
  }
}
`;

// Self-contained CommonJS source for Node's `new Worker(src, { eval: true })`: identical from src/ under
// vitest/tsx and from dist/.
const NODE_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot, stats } = workerData;
let gen = workerData.gen;
${WORKER_LOOP}`;

// A classic Web Worker script (loaded from a blob: URL): the same loop, started by one message.
const WEB_SOURCE = `
self.onmessage = (event) => {
  self.onmessage = null;
  const { module, memory, slot, stats } = event.data;
  let gen = event.data.gen;
  ${WORKER_LOOP}
};
`;

/** NEXT is parked here between jobs so a late worker can never claim a chunk of the next job early. */
const PARKED = 1 << 30;

interface Env {
  process?: { getBuiltinModule?: (id: string) => unknown };
  crossOriginIsolated?: boolean;
  Worker?: WebWorkerConstructor;
  WorkerGlobalScope?: abstract new () => unknown;
  navigator?: { hardwareConcurrency?: number };
}
const env = globalThis as Env;

function nodeBuiltin<T>(id: string): T | undefined {
  if (typeof env.process?.getBuiltinModule !== 'function') return undefined;
  try {
    return env.process.getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined;
  }
}

const workerThreads = (): WorkerThreads | undefined => nodeBuiltin<WorkerThreads>('node:worker_threads');

/** Cores Node reports, or the browser's navigator.hardwareConcurrency, else 1. */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, env.navigator?.hardwareConcurrency ?? 1);
}

/** Why the kernels cannot use threads here, or null where they can (see threadsSupported). */
export function whyNoThreads(): string | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return env.crossOriginIsolated === false
      ? 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'no SharedArrayBuffer and Atomics here';
  }
  if (workerThreads() !== undefined) return null;
  if (typeof env.Worker !== 'function') return 'no worker_threads and no Web Workers here';
  if (env.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof env.WorkerGlobalScope !== 'function' || !(globalThis instanceof env.WorkerGlobalScope)) {
    return "on a page's main thread, where Atomics.wait is not allowed (run gloss in a Web Worker to use threads)";
  }
  return null;
}

/**
 * Whether this environment can run the pool: shared memory, and either Node's worker_threads or Web Workers in a
 * cross-origin isolated page's Worker (whose thread may block in Atomics.wait).
 */
export function threadsSupported(): boolean {
  return whyNoThreads() === null;
}

let webSourceUrl: string | undefined;

/** Starts the worker of `slot`: a worker_thread in Node, a Web Worker from a blob: URL in a browser. */
function spawn(data: { module: WebAssembly.Module; memory: WebAssembly.Memory; slot: number; gen: number; stats: Int32Array }): PoolWorker {
  const wt = workerThreads();
  if (wt) {
    const worker = new wt.Worker(NODE_SOURCE, { eval: true, workerData: data });
    worker.unref();   // an idle pool never keeps the process alive
    return worker;
  }
  webSourceUrl ??= URL.createObjectURL(new Blob([WEB_SOURCE], { type: 'text/javascript' }));
  const worker = new env.Worker!(webSourceUrl);
  worker.postMessage(data);
  return worker;
}

/** How the pool ran: its workers that have started, and chunks each slot ran (slot 0 is the calling thread). */
export interface PoolStats {
  readonly started: number;
  readonly chunks: readonly number[];
}

/** A pool of `size - 1` workers; the calling thread is slot 0 and does its share too. */
export class ThreadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly ctrl: Int32Array;
  /** Word s: slot s's worker has started; word MAX_SLOTS + s: chunks slot s ran. Apart from the kernels' memory. */
  private readonly stats = new Int32Array(new SharedArrayBuffer(8 * MAX_SLOTS));

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory) {
    this.ctrl = new Int32Array(memory.buffer, 0, Ctrl.BYTES / 4);
    Atomics.store(this.ctrl, Ctrl.NEXT, PARKED);
  }

  /** Threads available including the caller. */
  get size(): number { return this.workers.length + 1; }

  /**
   * Grows or shrinks the pool to `threads` (caller included). Workers are created lazily here; in a browser they
   * start running only once the creating thread returns to its event loop (until then the caller runs every
   * chunk itself, with the same results), so an awaited startMatmulThreads() before synchronous work uses them.
   */
  resize(threads: number): void {
    const count = Math.min(threads, MAX_SLOTS);
    while (this.workers.length < count - 1) {
      this.workers.push(spawn({
        module: this.module, memory: this.memory, slot: this.workers.length + 1, gen: Atomics.load(this.ctrl, Ctrl.GEN), stats: this.stats,
      }));
    }
    while (this.workers.length > Math.max(0, count - 1)) {
      Atomics.store(this.stats, this.workers.length, 0);
      void this.workers.pop()!.terminate();
    }
  }

  /** Workers started and chunks per slot so far. */
  statistics(): PoolStats {
    let started = 0;
    for (let slot = 1; slot < this.size; slot++) started += Atomics.load(this.stats, slot);
    const chunks = Array.from({ length: this.size }, (_, slot) => Atomics.load(this.stats, MAX_SLOTS + slot));
    return { started, chunks };
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
    let mine = 0;
    for (;;) {
      const chunk = Atomics.add(ctrl, Ctrl.NEXT, 1);
      if (chunk >= numChunks) break;
      run(chunk, 0);
      mine++;
      Atomics.add(ctrl, Ctrl.DONE, 1);
    }
    Atomics.add(this.stats, MAX_SLOTS, mine);
    let done = Atomics.load(ctrl, Ctrl.DONE);
    for (let i = 0; done < numChunks && i < SPIN; i++) done = Atomics.load(ctrl, Ctrl.DONE);
    while (done < numChunks) {
      Atomics.wait(ctrl, Ctrl.DONE, done);
      done = Atomics.load(ctrl, Ctrl.DONE);
    }
    Atomics.store(ctrl, Ctrl.NEXT, PARKED);
  }
}
