// A Web Worker that checks cpuBackend's WebAssembly threads where the page put it: what matmulThreadsReport says
// before and after startMatmulThreads, whether the pool's workers started while this thread was blocked, and
// matmul and attention forward+backward on one thread and on every thread — bit-identical, timed — with the
// chunks the other threads ran.
import {
  cpuBackend, getMatmulThreads, matmulThreadsReport, setMatmulThreads, startMatmulThreads, type KernelThreadsReport,
} from '@gloss/tensor';
import { timeAttention } from './attention-bench.js';
import { lcg } from './attention-check.js';

export interface ThreadCheck {
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** Before anything ran. */
  readonly first: KernelThreadsReport;
  /** Workers running after 300 ms of this thread blocked (busy) right after the pool was built. */
  readonly startedWhileBlocked: number;
  /** After awaiting startMatmulThreads(). */
  readonly started: KernelThreadsReport;
  readonly threads: number;
  /** Whether one thread and `threads` threads gave the same bits. */
  readonly matmulSame: boolean;
  readonly attentionSame: boolean;
  /** Chunks the other threads (slots ≥ 1) ran during the threaded runs. */
  readonly otherChunks: number;
  /** Median ms: [512, 512]·[512, 512] batch 2, and attention fwd+bwd B=2 H=4 T=512 headDim 32 causal. */
  readonly ms: { matmul1: number; matmulN: number; attention1: number; attentionN: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function matmulRun(n: number): { out: Float32Array; ms: number } {
  const random = lcg(5);
  const a = Float32Array.from({ length: 2 * n * n }, random);
  const b = Float32Array.from({ length: 2 * n * n }, random);
  const out = new Float32Array(2 * n * n);
  const offsets = Int32Array.from([0, n * n]);
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    cpuBackend.matmul(a, b, out, n, n, n, false, false, offsets, offsets);
    times.push(performance.now() - t0);
  }
  return { out, ms: median(times.slice(1)) };
}

/** The attention outputs (out, lse, dq, dk, dv concatenated) at T = 256, for the bit comparison. */
function attentionOutputs(): Float32Array {
  const d = { batch: 2, heads: 4, tq: 256, tk: 256, headDim: 32 };
  const masking = { causal: true, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] as [number, number, number, number] };
  const random = lcg(9);
  const n = d.batch * d.heads * d.tq * d.headDim;
  const [q, k, v, dout] = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, random));
  const [out, dq, dk, dv] = [0, 1, 2, 3].map(() => new Float32Array(n));
  const lse = new Float32Array(d.batch * d.heads * d.tq);
  cpuBackend.attentionForward(q, k, v, d, 1 / Math.sqrt(d.headDim), masking, out, lse);
  cpuBackend.attentionBackward(q, k, v, out, lse, dout, d, 1 / Math.sqrt(d.headDim), masking, dq, dk, dv);
  const all = new Float32Array(4 * n + lse.length);
  [out, dq, dk, dv].forEach((x, i) => all.set(x, i * n));
  all.set(lse, 4 * n);
  return all;
}

const sameBits = (a: Float32Array, b: Float32Array) => {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

const otherChunks = () => matmulThreadsReport().chunks.slice(1).reduce((s, c) => s + c, 0);

async function check(): Promise<ThreadCheck> {
  const first = matmulThreadsReport();
  const threads = getMatmulThreads();
  matmulRun(256);                                    // builds the pool, synchronously
  const t0 = performance.now();
  while (performance.now() - t0 < 300) { /* blocked: no return to the event loop */ }
  const startedWhileBlocked = matmulThreadsReport().started;
  const started = await startMatmulThreads();

  setMatmulThreads(1);
  const m1 = matmulRun(512);
  const a1 = attentionOutputs();
  const attention1 = (await timeAttention(cpuEntries(), 512, 3)).ms;
  setMatmulThreads(threads);
  const before = otherChunks();
  const mN = matmulRun(512);
  const aN = attentionOutputs();
  const attentionN = (await timeAttention(cpuEntries(), 512, 3)).ms;
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true, hardwareConcurrency: navigator.hardwareConcurrency,
    first, startedWhileBlocked, started, threads,
    matmulSame: sameBits(m1.out, mN.out), attentionSame: sameBits(a1, aN), otherChunks: otherChunks() - before,
    ms: { matmul1: m1.ms, matmulN: mN.ms, attention1, attentionN },
  };
}

function cpuEntries() {
  return { forward: cpuBackend.attentionForward, backward: cpuBackend.attentionBackward };
}

self.onmessage = async () => {
  try {
    self.postMessage(await check());
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
};
