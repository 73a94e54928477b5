// The gpu.js Backend: cpuBackend with the fused attention entries overridden by gpu.js kernels. Each
// call decides on its own whether the kernels can run and otherwise delegates to cpuBackend, recording
// why in `lastFallbackReason` (PyTorch's why_not_fast_path); null when the kernels ran.
import { cpuBackend, type Backend } from '@gloss/tensor';
import { KernelRunner } from './kernel-runner.js';

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
  const stats: GpuBackendStats = { fastPath: 0, fallbacks: 0, signaturesCompiled: 0, kernelsCompiled: 0 };
  const runner = new KernelRunner(mode, options.maxScores ?? 2 ** 22, options.cacheSize ?? 4, stats);

  /** Records how a call went: the kernels ran (reason null), or why not, and then cpuBackend runs it. */
  const settle = (reason: string | null, fallback: () => void): void => {
    backend.lastFallbackReason = reason;
    if (reason === null) { stats.fastPath++; return; }
    stats.fallbacks++;
    fallback();
  };

  const backend: GpuBackend = {
    ...cpuBackend,
    name: `gpu:${mode}`,
    mode,
    lastFallbackReason: null,
    stats,
    get kernelKind() { return runner.kernelKind; },

    attentionForward(q, k, v, dims, scale, masking, out, lse): void {
      settle(runner.run(dims, scale, masking, { q, k, v, out, lse },
        (kernels, x) => kernels.forward(x, dims, out as Float32Array, lse as Float32Array)),
      () => cpuBackend.attentionForward(q, k, v, dims, scale, masking, out, lse));
    },

    attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv): void {
      settle(runner.run(dims, scale, masking, { q, k, v, out, lse, dout, dq, dk, dv },
        (kernels, x) => kernels.backward(x, out as Float32Array, lse as Float32Array, dout as Float32Array, dims,
          dq as Float32Array, dk as Float32Array, dv as Float32Array)),
      () => cpuBackend.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv));
    },

    async attentionForwardAsync(q, k, v, dims, scale, masking, out, lse): Promise<void> {
      settle(await runner.runAsync(dims, scale, masking, { q, k, v, out, lse },
        (kernels, x) => kernels.forwardAsync(x, dims, out as Float32Array, lse as Float32Array)),
      () => cpuBackend.attentionForward(q, k, v, dims, scale, masking, out, lse));
    },

    async attentionBackwardAsync(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv): Promise<void> {
      settle(await runner.runAsync(dims, scale, masking, { q, k, v, out, lse, dout, dq, dk, dv },
        (kernels, x) => kernels.backwardAsync(x, out as Float32Array, lse as Float32Array, dout as Float32Array, dims,
          dq as Float32Array, dk as Float32Array, dv as Float32Array)),
      () => cpuBackend.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv));
    },

    dispose: () => runner.dispose(),
  };
  return backend;
}
