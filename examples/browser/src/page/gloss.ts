// The browser suite's page: every gloss package's public entry, bundled for the browser, and the checks the
// suite calls with page.evaluate (each returns plain JSON). Sets globalThis.glossReady when loaded.
import * as tensorEntry from '@gloss/tensor';
import * as autogradEntry from '@gloss/autograd';
import * as attentionEntry from '@gloss/attention';
import * as gpuEntry from '@gloss/gpu';
import * as transformerEntry from '@gloss/transformer';
import * as dataEntry from '@gloss/data';
import * as trainingEntry from '@gloss/training';
import { GPU } from 'gpu.js';
import { cpuBackend, getMatmulThreads, matmulThreadsReport, referenceBackend, wasmMatmulAvailable } from '@gloss/tensor';
import { chooseBackend, createGpuBackend, type GpuBackend, type GpuMode } from '@gloss/gpu';
import { decodeCheckpoint, Seq2SeqTransformer, type TransformerConfig } from '@gloss/transformer';
import { decodeTrainerCheckpoint, memoryReader } from '@gloss/training';
import { tokenizerFromJSON, type TokenizerJSON } from '@gloss/data';
import { timeAttention, type AttentionTiming } from './attention-bench.js';
import { checkAttention, lcg, type AttentionErrors } from './attention-check.js';
import { decodeSources, type Decoded } from '../decode-task.js';
import type { ThreadCheck } from './threads-worker.js';
import type { TrainerRun } from '../trainer-task.js';

const ENTRIES = {
  tensor: tensorEntry, autograd: autogradEntry, attention: attentionEntry, gpu: gpuEntry,
  transformer: transformerEntry, data: dataEntry, training: trainingEntry,
};

/** What the page runs on: isolation, cores, the WebGL2 renderer and the WebGPU adapter. */
async function environment() {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
  type Adapter = { info?: { vendor: string; architecture: string; description: string }; isFallbackAdapter?: boolean };
  const nav = navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } };
  const adapter = nav.gpu ? await nav.gpu.requestAdapter().catch(() => null) : null;
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    webgl2Renderer: renderer,
    webgpuAdapter: adapter ? `${adapter.info?.vendor ?? '?'} ${adapter.info?.architecture ?? ''} ${adapter.info?.description ?? ''}`.trim()
      + (adapter.isFallbackAdapter ? ' (fallback adapter)' : '') : null,
    wasm: wasmMatmulAvailable(),
    matmulThreads: getMatmulThreads(),
  };
}

/** cpuBackend's float32 WebAssembly matmul (plain and transposed, batched) against the float64 reference. */
function matmulErrors(): Record<string, number> {
  const random = lcg(3);
  const result: Record<string, number> = {};
  for (const [m, n, k, transA, transB] of [[37, 29, 53, false, false], [64, 48, 80, true, false], [17, 70, 33, false, true], [128, 128, 128, false, false]] as const) {
    const batch = 2;
    const a = Float32Array.from({ length: batch * m * k }, random);
    const b = Float32Array.from({ length: batch * k * n }, random);
    const aOff = Int32Array.from([0, m * k]);
    const bOff = Int32Array.from([0, k * n]);
    const out = new Float32Array(batch * m * n);
    cpuBackend.matmul(a, b, out, m, n, k, transA, transB, aOff, bOff);
    const ref = new Float64Array(batch * m * n);
    referenceBackend.matmul(Float64Array.from(a), Float64Array.from(b), ref, m, n, k, transA, transB, aOff, bOff);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < ref.length; i++) {
      worst = Math.max(worst, Math.abs(out[i] - ref[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    result[`${m}x${k}·${k}x${n}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`] = worst / scale;
  }
  return result;
}

/** Multiplies every value of a gpu.js result (flat or rows) by `factor`, in place. */
function scaleResult(r: unknown, factor: number): unknown {
  if (r instanceof Float32Array) for (let i = 0; i < r.length; i++) r[i] *= factor;
  else if (Array.isArray(r)) for (const row of r) scaleResult(row, factor);
  return r;
}

/**
 * Makes every gpu.js kernel whose function name starts with `kernel` return its result times `factor`: a
 * wrong kernel, to show the comparison catches one. Returns the function that undoes it.
 */
function injectError(kernel: string, factor: number): () => void {
  const proto = GPU.prototype as unknown as { createKernel: (fn: { name: string }, settings: unknown) => unknown };
  const original = proto.createKernel;
  proto.createKernel = function (this: unknown, fn: { name: string }, settings: unknown) {
    const runner = original.call(this, fn, settings) as (...args: unknown[]) => unknown;
    if (!fn.name.startsWith(kernel)) return runner;
    const proxy: unknown = new Proxy(runner, {
      apply(target, self, args) {
        const r = Reflect.apply(target, self, args);
        return r instanceof Promise ? r.then((x) => scaleResult(x, factor)) : scaleResult(r, factor);
      },
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'setLoopMaxIterations') return (n: number) => { (value as (n: number) => unknown).call(target, n); return proxy; };
        return value;
      },
    });
    return proxy;
  };
  return () => { proto.createKernel = original; };
}

interface GpuAttentionResult {
  readonly mode: GpuMode;
  readonly kernelKind: string | null;
  readonly cases: AttentionErrors[];
  readonly ms: number;
}

/** The gpu.js attention kernels in `mode` on every case; 'webgpu' through the awaited entries. */
async function gpuAttention(mode: GpuMode, inject?: { kernel: string; factor: number }): Promise<GpuAttentionResult> {
  const undo = inject ? injectError(inject.kernel, inject.factor) : () => {};
  const backend: GpuBackend = createGpuBackend({ mode });
  try {
    const t0 = performance.now();
    const asyncEntries = mode === 'webgpu';
    const cases = await checkAttention({
      forward: (...a) => (asyncEntries ? backend.attentionForwardAsync(...a) : backend.attentionForward(...a)),
      backward: (...a) => (asyncEntries ? backend.attentionBackwardAsync(...a) : backend.attentionBackward(...a)),
      fallback: () => backend.lastFallbackReason,
    });
    return { mode, kernelKind: backend.kernelKind, cases, ms: performance.now() - t0 };
  } finally {
    undo();
    await backend.dispose();
  }
}

/** Fetches a checkpoint directory served at `base`, decodes it and decodes SOURCES with it. */
async function decodeCheckpointAt(base: string): Promise<Decoded> {
  const bytes = async (name: string) => {
    const response = await fetch(`${base}/${name}`);
    if (!response.ok) throw new Error(`${base}/${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const { model } = decodeCheckpoint({ config: await bytes('config.json'), weights: await bytes('model.safetensors') }, { source: base });
  const srcTokenizer = tokenizerFromJSON(JSON.parse(new TextDecoder().decode(await bytes('src-tokenizer.json'))) as TokenizerJSON);
  return decodeSources(model, srcTokenizer);
}

/**
 * Fetches a Trainer checkpoint served at `base` (trainer-state.json, model.safetensors, optimizer.safetensors,
 * config.json), decodes it with decodeTrainerCheckpoint (sizes and SHA-256 checked), loads the weights into the
 * model config.json describes and decodes SOURCES with it and the tokenizer at `tokenizerUrl`.
 */
async function decodeTrainerCheckpointAt(base: string, tokenizerUrl: string): Promise<Decoded & { step: number; optimizerTensors: number; weights: number }> {
  const files = new Map<string, Uint8Array>();
  for (const name of ['trainer-state.json', 'model.safetensors', 'optimizer.safetensors', 'config.json']) {
    const response = await fetch(`${base}/${name}`);
    if (!response.ok) throw new Error(`${base}/${name}: HTTP ${response.status}`);
    files.set(name, new Uint8Array(await response.arrayBuffer()));
  }
  const { model: weights, optimizer, state } = decodeTrainerCheckpoint(memoryReader(files), { where: (file) => `${base}/${file}` });
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as TransformerConfig;
  const model = new Seq2SeqTransformer(config).loadStateDict(weights).eval();
  const srcTokenizer = tokenizerFromJSON(await (await fetch(tokenizerUrl)).json() as TokenizerJSON);
  return { ...decodeSources(model, srcTokenizer), step: state.step, optimizerTensors: Object.keys(optimizer?.tensors ?? {}).length, weights: weights.size };
}

/** Times attention fwd+bwd at each T on 'cpu' (cpuBackend's WebAssembly kernels) or a gpu.js mode. */
async function benchAttention(name: 'cpu' | GpuMode, sizes: number[], runs: number): Promise<{ name: string; kernelKind: string | null; fallback: string | null; timings: AttentionTiming[] }> {
  const backend = name === 'cpu' ? null : createGpuBackend({ mode: name });
  try {
    const entries = backend === null
      ? { forward: cpuBackend.attentionForward, backward: cpuBackend.attentionBackward }
      : name === 'webgpu'
        ? { forward: backend.attentionForwardAsync, backward: backend.attentionBackwardAsync }
        : { forward: backend.attentionForward, backward: backend.attentionBackward };
    const timings: AttentionTiming[] = [];
    for (const T of sizes) timings.push(await timeAttention(entries, T, runs));
    return { name, kernelKind: backend?.kernelKind ?? null, fallback: backend?.lastFallbackReason ?? null, timings };
  } finally {
    await backend?.dispose();
  }
}

/** Starts the Worker `script` beside the page, posts `message` and resolves with its one reply. */
function inWorker<T>(script: string, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { type: 'module' });
    worker.onmessage = (event: MessageEvent<T | { error: string }>) => {
      worker.terminate();
      const data = event.data as { error?: string };
      if (typeof data.error === 'string') reject(new Error(`in the Worker: ${data.error}`));
      else resolve(event.data as T);
    };
    worker.onerror = (event) => { worker.terminate(); reject(new Error(`the Worker failed: ${event.message}`)); };
    worker.postMessage(message);
  });
}

/** Trains in a Web Worker (train-worker.js beside the page) and resolves with its losses. */
const trainInWorker = (steps: number) => inWorker<{ losses: number[]; ms: number }>('/train-worker.js', { steps });

/** The Trainer over memoryStorage in a Web Worker (trainer-worker.ts): losses uninterrupted and stopped-then-resumed. */
const trainerInWorker = (steps: number, stopAt: number) =>
  inWorker<TrainerRun & { ms: number; threads: number }>('/trainer-worker.js', { steps, stopAt });

/** cpuBackend's threads in a Web Worker (threads-worker.ts): report, bit comparison, timings. */
const threadsInWorker = () => inWorker<ThreadCheck>('/threads-worker.js', {});

/** The `auto` choice as a page makes it: every candidate's timing and why it lost. */
async function autoChoice() {
  const { name, measurements, ms, backend } = await chooseBackend();
  if ('dispose' in backend) await (backend as GpuBackend).dispose();
  return { name, ms, measurements: measurements.map((m) => ({ name: m.name, ok: m.ok, attentionMs: m.attentionMs, maxError: m.maxError, why: m.why })) };
}

const checks = {
  autoChoice,
  benchAttention,
  trainInWorker,
  trainerInWorker,
  threadsInWorker,
  /** The kernels' threads on the page's main thread. */
  mainThreadReport: () => matmulThreadsReport(),
  entries: () => Object.fromEntries(Object.entries(ENTRIES).map(([name, module]) => [name, Object.keys(module).sort()])),
  environment,
  matmulErrors,
  cpuAttention: () => checkAttention({
    forward: (...a) => cpuBackend.attentionForward(...a),
    backward: (...a) => cpuBackend.attentionBackward(...a),
    fallback: () => null,
  }),
  gpuAttention,
  decodeCheckpointAt,
  decodeTrainerCheckpointAt,
};

Object.assign(globalThis, { checks, glossReady: true });
export type Checks = typeof checks;
