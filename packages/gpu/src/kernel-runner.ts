// What one GpuBackend runs its attention calls through: its gpu.js instance, the compiled kernels by shape
// signature (an LRU cache), the signatures that failed (not retried), and whether a call can take the kernels at
// all (why not, as a reason string: the GpuBackend's lastFallbackReason).
import { GPU } from 'gpu.js';
import type { AttentionDims, AttentionMasking, FloatArray } from '@gloss/tensor';
import { AsyncKernelError, AttentionKernels, signatureKey, type AttentionInputs, type AttentionSignature } from './attention-kernels.js';
import type { GpuBackendStats, GpuMode } from './gpu-backend.js';
import { LruCache } from './kernel-cache.js';

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
  if (masking.window) {
    return 'sliding-window attention is not in the gpu.js kernels (they compute every score); cpuBackend skips the tiles outside the band';
  }
  if (masking.blockLayout) {
    return 'block-sparse attention is not in the gpu.js kernels (they compute every score); cpuBackend skips the blocks that are off';
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

/** One call's kernels and float32 inputs, with what to record when it fails and when it is done. */
interface PreparedCall {
  kernels: AttentionKernels;
  inputs: AttentionInputs;
  failed(e: unknown): string;
  done(): void;
}

export class KernelRunner {
  /** The gpu.js kernel class that last ran (WebAssemblyKernel, CPUKernel, HeadlessGLKernel, …), or null. */
  kernelKind: string | null = null;
  private gpu: GPU | null = null;
  private gpuError: string | null = null;
  private disposed = false;
  private readonly cache: LruCache<AttentionKernels>;
  /** Signatures whose kernels failed to compile or run, with the reason, so they are not retried. */
  private readonly broken = new Map<string, string>();

  constructor(readonly mode: GpuMode, private readonly maxScores: number, cacheSize: number, private readonly stats: GpuBackendStats) {
    this.cache = new LruCache<AttentionKernels>(cacheSize);
  }

  /** Runs `fast` with the kernels of this call's signature, or returns why it couldn't. */
  run(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>,
    fast: (kernels: AttentionKernels, inputs: AttentionInputs) => void): string | null {
    const call = this.prepare(dims, scale, masking, arrays);
    if (typeof call === 'string') return call;
    try {
      fast(call.kernels, call.inputs);
    } catch (e) {
      return this.finish(call, { error: e });
    }
    return this.finish(call, null);
  }

  /** run for a pass whose kernel calls are awaited. */
  async runAsync(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>,
    fast: (kernels: AttentionKernels, inputs: AttentionInputs) => Promise<void>): Promise<string | null> {
    const call = this.prepare(dims, scale, masking, arrays);
    if (typeof call === 'string') return call;
    try {
      await fast(call.kernels, call.inputs);
    } catch (e) {
      return this.finish(call, { error: e });
    }
    return this.finish(call, null);
  }

  /** After a call: a failure marks its signature broken (the reason returned); the kernels it compiled are counted. */
  private finish(call: PreparedCall, thrown: { error: unknown } | null): string | null {
    const reason = thrown === null ? null : call.failed(thrown.error);
    call.done();
    if (reason === null) this.kernelKind = call.kernels.kernelKind;
    return reason;
  }

  /** Destroys every kernel and the gpu.js instance; every later call is refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cache.clear();
    const g = this.gpu;
    this.gpu = null;
    if (g !== null) await g.destroy();
  }

  private getGpu(): GPU | null {
    if (this.gpu === null && this.gpuError === null) {
      try {
        if (this.mode === 'webasm' && !GPU.isWebAssemblySupported) throw new Error('WebAssembly is not supported here');
        this.gpu = this.mode === 'auto' ? new GPU() : new GPU({ mode: this.mode });
      } catch (e) {
        this.gpuError = `gpu.js is unavailable in mode '${this.mode}': ${(e as Error).message}`;
      }
    }
    return this.gpu;
  }

  /** The kernels and float32 inputs of this call's signature, or why the kernels can't take it. */
  private prepare(dims: AttentionDims, scale: number, masking: AttentionMasking, arrays: Record<string, FloatArray>): string | PreparedCall {
    if (this.disposed) return 'the backend was disposed';
    const why = whyNot(dims, masking, arrays, this.maxScores);
    if (why !== null) return why;
    const g = this.getGpu();
    if (g === null) return this.gpuError ?? `gpu.js is unavailable in mode '${this.mode}'`;
    const { mask } = masking;
    const signature: AttentionSignature = {
      chunk: chunkHeads(dims, this.maxScores), heads: dims.heads, tq: dims.tq, tk: dims.tk, headDim: dims.headDim, scale,
      causal: masking.causal, hasPadding: masking.keyPadding !== null,
      maskKind: mask === null ? 0 : mask instanceof Uint8Array ? 1 : 2,
      maskStrides: mask === null ? [0, 0, 0, 0] : masking.maskStrides,
    };
    const key = signatureKey(signature);
    const failed = this.broken.get(key);
    if (failed !== undefined) return failed;
    let kernels = this.cache.get(key);
    if (kernels === undefined) {
      kernels = new AttentionKernels(g, signature);
      this.cache.set(key, kernels);
      this.stats.signaturesCompiled++;
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
      failed: (e: unknown): string => {
        const reason = e instanceof AsyncKernelError
          ? `${e.message}: call attentionForwardAsync / attentionBackwardAsync`
          : `gpu.js kernel failed to compile or run (${set.kernelKind ?? this.mode}): ${(e as Error).message}`;
        this.broken.set(key, reason);
        this.cache.delete(key);
        return reason;
      },
      done: (): void => {
        this.stats.kernelsCompiled += set.compiled - before;
      },
    };
  }
}
