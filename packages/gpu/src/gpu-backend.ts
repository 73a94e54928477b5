// The gpu.js Backend: cpuBackend with the fused attention entries overridden by gpu.js kernels. Each
// call decides on its own whether the kernels can run and otherwise delegates to cpuBackend, recording
// why in `lastFallbackReason` (PyTorch's why_not_fast_path); null when the kernels ran.
import { GPU } from 'gpu.js';
import { cpuBackend, type AttentionDims, type AttentionMasking, type Backend, type FloatArray } from '@gloss/tensor';
import { AsyncKernelError, AttentionKernels, signatureKey, type AttentionInputs, type AttentionSignature } from './attention-kernels.js';
import { LruCache } from './kernel-cache.js';

/** Which gpu.js backend to ask for. */
export type GpuMode = 'auto' | 'gpu' | 'webasm' | 'headlessgl' | 'webgl2' | 'webgl' | 'webgpu' | 'cpu';

export interface GpuBackendOptions {
  /**
   * 'auto': gpu.js's own choice (headless-gl, WebGL2, WebGL, then WebAssembly, then JavaScript);
   * 'gpu': the same chain without the JavaScript fallback; 'webasm': WebAssembly SIMD; 'headlessgl',
   * 'webgl2', 'webgl': that GL backend only; 'webgpu': gpu.js's WebGPU compute shaders (a browser with an
   * adapter; its kernels are asynchronous, so only attentionForwardAsync / attentionBackwardAsync run them);
   * 'cpu': gpu.js's JavaScript mode (slow; runs the kernel source as JS, used by tests). Default 'auto'.
   */
  readonly mode?: GpuMode;
  /** Compiled shape signatures kept; evicted ones are destroyed. Default 4. */
  readonly cacheSize?: number;
  /** Most scores held per kernel call (a chunk of heads × tq × tk). Default 2^22 (16 MB of float32). */
  readonly maxScores?: number;
}

/** Counters for tests and benches. */
export interface GpuBackendStats {
  /** Calls that ran the gpu.js kernels. */
  fastPath: number;
  /** Calls delegated to cpuBackend. */
  fallbacks: number;
  /** Kernel sets built (one per new shape signature). */
  signaturesCompiled: number;
  /** gpu.js kernels created, over all signatures. */
  kernelsCompiled: number;
}

export interface GpuBackend extends Backend {
  readonly mode: GpuMode;
  lastFallbackReason: string | null;
  readonly stats: GpuBackendStats;
  /** The gpu.js kernel class that last ran (WebAssemblyKernel, CPUKernel, HeadlessGLKernel, …), or null. */
  readonly kernelKind: string | null;
  /**
   * attentionForward with every gpu.js kernel call awaited: the path for 'webgpu' (whose kernels answer with
   * Promises, so the synchronous entry falls back to cpuBackend there); on other modes the same result as the
   * synchronous entry. Falls back to cpuBackend, recording why, exactly as attentionForward does.
   */
  attentionForwardAsync(...args: Parameters<Backend['attentionForward']>): Promise<void>;
  /** attentionBackward with every kernel call awaited (see attentionForwardAsync). */
  attentionBackwardAsync(...args: Parameters<Backend['attentionBackward']>): Promise<void>;
  /** Destroys every kernel and the gpu.js instance (its worker pools). The backend then always falls back. */
  dispose(): Promise<void>;
}

/** gpu.js indexes in float32 on webasm and GL: flat indices must stay below 2^24 to be exact. */
const MAX_INDEX = 2 ** 24;
const MAX_SEQ = 2048;
const MAX_HEAD_DIM = 1024;

/** How many heads one kernel call takes: the largest divisor of bh whose buffers fit the limits. */
function chunkHeads(dims: AttentionDims, maxScores: number): number {
  const bh = dims.batch * dims.heads;
  const perHead = Math.max(dims.tq * dims.tk, Math.max(dims.tq, dims.tk) * dims.headDim);
  const most = Math.max(1, Math.floor(Math.min(maxScores, MAX_INDEX - 1) / perHead));
  for (let c = Math.min(bh, most); c > 1; c--) if (bh % c === 0) return c;
  return 1;
}

/** Why the kernels can't take this call, or null when they can. */
function whyNot(dims: AttentionDims, masking: AttentionMasking, arrays: Record<string, FloatArray>, maxScores: number): string | null {
  for (const [name, a] of Object.entries(arrays)) {
    if (!(a instanceof Float32Array)) {
      return `${name} is ${a.constructor.name}: the gpu.js kernels compute in float32 only (float64 runs the reference)`;
    }
  }
  const { batch, heads, tq, tk, headDim } = dims;
  if (batch * heads * tq * tk * headDim === 0) return 'empty attention (a zero dimension): nothing for the kernels to do';
  if (masking.dropout) {
    // The mask hash needs exact 32-bit integer multiplies and xors, which gpu.js's float-only GLSL lacks.
    return `attention dropout (p = ${masking.dropout.p}) is not in the gpu.js kernels (its hash needs 32-bit integer ops); cpuBackend applies it`;
  }
  if (tq > MAX_SEQ || tk > MAX_SEQ) return `tq ${tq} / tk ${tk} over the gpu.js kernels' limit ${MAX_SEQ}`;
  if (headDim > MAX_HEAD_DIM) return `headDim ${headDim} over the gpu.js kernels' limit ${MAX_HEAD_DIM}`;
  if (tq * tk > maxScores) return `tq·tk = ${tq * tk} scores per head exceed the workspace limit ${maxScores}`;
  if (batch * heads >= 2 ** 23) return `batch·heads = ${batch * heads} over 2^23`;
  if (masking.keyPadding !== null && batch * tk >= MAX_INDEX) return `keyPadding has ${batch * tk} entries, over 2^24`;
  if (masking.mask !== null) {
    if (masking.maskStrides.some((s) => s < 0 || !Number.isInteger(s))) {
      return `mask strides [${masking.maskStrides.join(', ')}] must be non-negative integers`;
    }
    const [s0, s1, s2, s3] = masking.maskStrides;
    const last = (batch - 1) * s0 + (heads - 1) * s1 + (tq - 1) * s2 + (tk - 1) * s3;
    if (last >= MAX_INDEX) return `mask spans ${last + 1} elements, over the kernels' exact-index limit 2^24`;
  }
  return null;
}

function floatCopy(x: ArrayLike<number> | null): Float32Array {
  if (x === null) return new Float32Array(1);   // gpu.js needs an argument; the kernel never reads it
  return x instanceof Float32Array ? x : Float32Array.from(x);
}

/**
 * A Backend whose fused attention forward and backward run as gpu.js kernels; every other entry is
 * cpuBackend's. Nothing is compiled until the first call.
 * @example
 * import { setBackend } from '@gloss/tensor';
 * import { createGpuBackend } from '@gloss/gpu';
 * const gpu = createGpuBackend({ mode: 'auto' });
 * setBackend(gpu);              // attention now runs on gpu.js; check gpu.lastFallbackReason
 */
export function createGpuBackend(options: GpuBackendOptions = {}): GpuBackend {
  const mode = options.mode ?? 'auto';
  const maxScores = options.maxScores ?? 2 ** 22;
  const cache = new LruCache<AttentionKernels>(options.cacheSize ?? 4);
  /** Signatures whose kernels failed to compile or run, with the reason, so they are not retried. */
  const broken = new Map<string, string>();
  let gpu: GPU | null = null;
  let gpuError: string | null = null;
  let disposed = false;
  const stats: GpuBackendStats = { fastPath: 0, fallbacks: 0, signaturesCompiled: 0, kernelsCompiled: 0 };

  function getGpu(): GPU | null {
    if (gpu === null && gpuError === null) {
      try {
        if (mode === 'webasm' && !GPU.isWebAssemblySupported) throw new Error('WebAssembly is not supported here');
        gpu = mode === 'auto' ? new GPU() : new GPU({ mode });
      } catch (e) {
        gpuError = `gpu.js is unavailable in mode '${mode}': ${(e as Error).message}`;
      }
    }
    return gpu;
  }

  /** Runs `fast` with the kernels of this call's signature, or returns why it couldn't. */
  function tryKernels(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>,
    fast: (kernels: AttentionKernels, inputs: AttentionInputs) => void): string | null {
    const call = prepare(dims, scale, masking, arrays);
    if (typeof call === 'string') return call;
    try {
      fast(call.kernels, call.inputs);
    } catch (e) {
      return call.failed(e);
    } finally {
      call.done();
    }
    backend.kernelKind = call.kernels.kernelKind;
    return null;
  }

  /** tryKernels for a pass whose kernel calls are awaited. */
  async function tryKernelsAsync(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>,
    fast: (kernels: AttentionKernels, inputs: AttentionInputs) => Promise<void>): Promise<string | null> {
    const call = prepare(dims, scale, masking, arrays);
    if (typeof call === 'string') return call;
    try {
      await fast(call.kernels, call.inputs);
    } catch (e) {
      return call.failed(e);
    } finally {
      call.done();
    }
    backend.kernelKind = call.kernels.kernelKind;
    return null;
  }

  /** The kernels and float32 inputs of this call's signature, or why the kernels can't take it. */
  function prepare(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>):
    string | { kernels: AttentionKernels; inputs: AttentionInputs; failed(e: unknown): string; done(): void } {
    if (disposed) return 'the backend was disposed';
    const why = whyNot(dims, masking, arrays, maxScores);
    if (why !== null) return why;
    const g = getGpu();
    if (g === null) return gpuError ?? `gpu.js is unavailable in mode '${mode}'`;
    const { mask } = masking;
    const signature: AttentionSignature = {
      chunk: chunkHeads(dims, maxScores), heads: dims.heads, tq: dims.tq, tk: dims.tk, headDim: dims.headDim, scale,
      causal: masking.causal, hasPadding: masking.keyPadding !== null,
      maskKind: mask === null ? 0 : mask instanceof Uint8Array ? 1 : 2,
      maskStrides: mask === null ? [0, 0, 0, 0] : masking.maskStrides,
    };
    const key = signatureKey(signature);
    const failed = broken.get(key);
    if (failed !== undefined) return failed;
    let kernels = cache.get(key);
    if (kernels === undefined) {
      kernels = new AttentionKernels(g, signature);
      cache.set(key, kernels);
      stats.signaturesCompiled++;
    }
    const before = kernels.compiled;
    const inputs: AttentionInputs = {
      q: arrays.q as Float32Array, k: arrays.k as Float32Array, v: arrays.v as Float32Array,
      keyPadding: floatCopy(masking.keyPadding), mask: floatCopy(mask),
    };
    const set = kernels;
    return {
      kernels: set,
      inputs,
      failed(e: unknown): string {
        const reason = e instanceof AsyncKernelError
          ? `${e.message}: call attentionForwardAsync / attentionBackwardAsync`
          : `gpu.js kernel failed to compile or run (${set.kernelKind ?? mode}): ${(e as Error).message}`;
        broken.set(key, reason);
        cache.delete(key);
        return reason;
      },
      done(): void {
        stats.kernelsCompiled += set.compiled - before;
      },
    };
  }

  const backend: GpuBackend & { kernelKind: string | null } = {
    ...cpuBackend,
    name: `gpu:${mode}`,
    mode,
    lastFallbackReason: null,
    stats,
    kernelKind: null,

    attentionForward(q, k, v, dims, scale, masking, out, lse): void {
      const reason = tryKernels(dims, scale, masking, { q, k, v, out, lse },
        (kernels, x) => kernels.forward(x, dims, out as Float32Array, lse as Float32Array));
      backend.lastFallbackReason = reason;
      if (reason === null) { stats.fastPath++; return; }
      stats.fallbacks++;
      cpuBackend.attentionForward(q, k, v, dims, scale, masking, out, lse);
    },

    attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv): void {
      const reason = tryKernels(dims, scale, masking, { q, k, v, out, lse, dout, dq, dk, dv },
        (kernels, x) => kernels.backward(x, out as Float32Array, lse as Float32Array, dout as Float32Array, dims,
          dq as Float32Array, dk as Float32Array, dv as Float32Array));
      backend.lastFallbackReason = reason;
      if (reason === null) { stats.fastPath++; return; }
      stats.fallbacks++;
      cpuBackend.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv);
    },

    async attentionForwardAsync(q, k, v, dims, scale, masking, out, lse): Promise<void> {
      const reason = await tryKernelsAsync(dims, scale, masking, { q, k, v, out, lse },
        (kernels, x) => kernels.forwardAsync(x, dims, out as Float32Array, lse as Float32Array));
      backend.lastFallbackReason = reason;
      if (reason === null) { stats.fastPath++; return; }
      stats.fallbacks++;
      cpuBackend.attentionForward(q, k, v, dims, scale, masking, out, lse);
    },

    async attentionBackwardAsync(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv): Promise<void> {
      const reason = await tryKernelsAsync(dims, scale, masking, { q, k, v, out, lse, dout, dq, dk, dv },
        (kernels, x) => kernels.backwardAsync(x, out as Float32Array, lse as Float32Array, dout as Float32Array, dims,
          dq as Float32Array, dk as Float32Array, dv as Float32Array));
      backend.lastFallbackReason = reason;
      if (reason === null) { stats.fastPath++; return; }
      stats.fallbacks++;
      cpuBackend.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv);
    },

    async dispose(): Promise<void> {
      disposed = true;
      cache.clear();
      const g = gpu;
      gpu = null;
      if (g !== null) await g.destroy();
    },
  };
  return backend;
}
