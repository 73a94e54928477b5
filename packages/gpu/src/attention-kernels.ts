// One compiled set of attention kernels for a shape signature (chunk of heads, tq, tk, headDim, masking),
// and the forward / backward passes that chain them over chunks of batch·heads.
//   forward:  S = scores(q, k, masks) → lse = rowLse(S) → P = exp(S − lse) → O = P·v
//   backward: S → P = exp(S − lse) (recomputed), D = rowsum(dO ⊙ O), dS = P ⊙ (dO·vᵀ − D),
//             dQ = dS·k·scale, dK = dSᵀ·q·scale, dV = Pᵀ·dO
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import type { AttentionDims } from '@gloss/tensor';
import { attentionColMix } from './kernels/attention-col-mix.kernel.js';
import { attentionDScores } from './kernels/attention-dscores.kernel.js';
import { attentionLse } from './kernels/attention-lse.kernel.js';
import { attentionProbs } from './kernels/attention-probs.kernel.js';
import { attentionRowDot } from './kernels/attention-row-dot.kernel.js';
import { attentionRowMix } from './kernels/attention-row-mix.kernel.js';
import { attentionScores } from './kernels/attention-scores.kernel.js';
import type { MixConstants, RowConstants, ScoresConstants } from './kernels/constants.js';
import { flattenResult, toGpuSize, type GpuResult } from './gpu-output.js';

/** Below this (−1e30 sentinel) a score or lse means "masked"; GL kernels have no −∞. */
const MASKED = -1e29;

/** expTable[m] = 2^−m for the kernels' in-kernel exp (see attention-lse.kernel.ts); 2^−127 flushed to 0. */
const EXP_TABLE = Float32Array.from({ length: 128 }, (_, m) => (m < 127 ? 2 ** -m : 0));

/** Everything a compiled kernel set depends on; equal signatures share kernels. */
export interface AttentionSignature {
  /** Heads per kernel call (a divisor of batch·heads). */
  readonly chunk: number;
  readonly heads: number;
  readonly tq: number;
  readonly tk: number;
  readonly headDim: number;
  readonly scale: number;
  readonly causal: boolean;
  readonly hasPadding: boolean;
  /** 0 none, 1 bool, 2 float. */
  readonly maskKind: 0 | 1 | 2;
  readonly maskStrides: readonly [number, number, number, number];
}

export function signatureKey(s: AttentionSignature): string {
  return [s.chunk, s.heads, s.tq, s.tk, s.headDim, s.scale, +s.causal, +s.hasPadding, s.maskKind, ...s.maskStrides].join(',');
}

/** Per-call inputs shared by forward and backward, already float32. */
export interface AttentionInputs {
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly keyPadding: Float32Array;
  readonly mask: Float32Array;
}

type Kernel = IKernelRunShortcut;
/** One kernel call of a pass: the kernel, how many values its result holds, its arguments. */
type Step = [Kernel, number, (Float32Array | number)[]];

/** The kernels of one signature, built on first use. `destroy()` frees their wasm memory and pools. */
export class AttentionKernels {
  readonly signature: AttentionSignature;
  private readonly gpu: GPU;
  private readonly built = new Map<string, Kernel>();
  /** The gpu.js kernel class that ran (WebAssemblyKernel, CPUKernel, HeadlessGLKernel, …). */
  kernelKind: string | null = null;

  constructor(gpu: GPU, signature: AttentionSignature) {
    this.gpu = gpu;
    this.signature = signature;
  }

  private kernel(name: string, fn: (...args: never[]) => number, output: number[], constants: Record<string, number>): Kernel {
    let k = this.built.get(name);
    if (k === undefined) {
      const { tq, tk, headDim } = this.signature;
      // Loops are bounded by constants; the limit is only a guard against silent truncation (G1).
      k = this.gpu.createKernel(fn as never, { output: toGpuSize(output), constants, precision: 'single', tactic: 'precision' })
        .setLoopMaxIterations(Math.max(tq, tk, headDim) + 1) as Kernel;
      this.built.set(name, k);
    }
    return k;
  }

  /** Runs the kernel of one step synchronously; a kernel that answers with a Promise (WebGPU) throws AsyncKernelError. */
  private run([k, n, args]: Step): Float32Array {
    const r = k(...args) as unknown;
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      (r as Promise<unknown>).catch(() => {});   // the call is abandoned; its failure must not go unhandled
      throw new AsyncKernelError(k.kernel.constructor.name);
    }
    if (this.kernelKind === null) this.kernelKind = k.kernel.constructor.name;
    return flattenResult(r as GpuResult, n);
  }

  /** Runs the kernel of one step, awaiting its result (WebGPU kernels always answer with a Promise). */
  private async runAsync([k, n, args]: Step): Promise<Float32Array> {
    const r = await (k(...args) as unknown);
    if (this.kernelKind === null) this.kernelKind = k.kernel.constructor.name;
    return flattenResult(r as GpuResult, n);
  }

  /** Drives a pass (a generator of kernel steps) to its end, one synchronous kernel call per step. */
  private drive(pass: Generator<Step, void, Float32Array>): void {
    for (let r = pass.next(); !r.done; r = pass.next(this.run(r.value)));
  }

  /** The same pass with every kernel call awaited: the one path for gpu.js's asynchronous backends (WebGPU). */
  private async driveAsync(pass: Generator<Step, void, Float32Array>): Promise<void> {
    for (let r = pass.next(); !r.done; r = pass.next(await this.runAsync(r.value)));
  }

  private scores(): Kernel {
    const s = this.signature;
    const c: ScoresConstants = {
      tq: s.tq, tk: s.tk, headDim: s.headDim, heads: s.heads, scale: s.scale, causal: +s.causal,
      causalOffset: s.tk - s.tq, hasPadding: +s.hasPadding, maskKind: s.maskKind,
      ms0: s.maskStrides[0], ms1: s.maskStrides[1], ms2: s.maskStrides[2], ms3: s.maskStrides[3],
    };
    return this.kernel('scores', attentionScores, [s.chunk, s.tq, s.tk], c);
  }

  private rowConstants(): RowConstants {
    return { tq: this.signature.tq, tk: this.signature.tk, headDim: this.signature.headDim };
  }

  private mix(name: string, fn: typeof attentionRowMix, rows: number, inner: number, factor: number): Kernel {
    const c: MixConstants = { rows, inner, cols: this.signature.headDim, factor };
    return this.kernel(name, fn, [this.signature.chunk, rows, this.signature.headDim], c);
  }

  /** Writes out [bh, tq, headDim] and lse [bh, tq] (−∞ for rows with nothing to attend). */
  forward(x: AttentionInputs, dims: AttentionDims, out: Float32Array, lse: Float32Array): void {
    this.drive(this.forwardPass(x, dims, out, lse));
  }

  /** forward, awaiting each kernel (gpu.js's WebGPU mode). */
  forwardAsync(x: AttentionInputs, dims: AttentionDims, out: Float32Array, lse: Float32Array): Promise<void> {
    return this.driveAsync(this.forwardPass(x, dims, out, lse));
  }

  /** Overwrites dq [bh, tq, headDim], dk and dv [bh, tk, headDim]. */
  backward(x: AttentionInputs, out: Float32Array, lse: Float32Array, dout: Float32Array, dims: AttentionDims,
    dq: Float32Array, dk: Float32Array, dv: Float32Array): void {
    this.drive(this.backwardPass(x, out, lse, dout, dims, dq, dk, dv));
  }

  /** backward, awaiting each kernel (gpu.js's WebGPU mode). */
  backwardAsync(x: AttentionInputs, out: Float32Array, lse: Float32Array, dout: Float32Array, dims: AttentionDims,
    dq: Float32Array, dk: Float32Array, dv: Float32Array): Promise<void> {
    return this.driveAsync(this.backwardPass(x, out, lse, dout, dims, dq, dk, dv));
  }

  /** The forward chain as kernel steps: each `yield` hands out one kernel call and gets its flat result back. */
  private *forwardPass(x: AttentionInputs, dims: AttentionDims, out: Float32Array, lse: Float32Array): Generator<Step, void, Float32Array> {
    const { chunk, tq, tk, headDim } = this.signature;
    const bhTotal = dims.batch * dims.heads;
    const scores = this.scores();
    const rowLse = this.kernel('lse', attentionLse, [chunk, tq], this.rowConstants());
    const probs = this.kernel('probs', attentionProbs, [chunk, tq, tk], this.rowConstants());
    const pv = this.mix('pv', attentionRowMix, tq, tk, 1);
    for (let h0 = 0; h0 < bhTotal; h0 += chunk) {
      const qc = x.q.subarray(h0 * tq * headDim, (h0 + chunk) * tq * headDim);   // [chunk, tq, headDim]
      const kc = x.k.subarray(h0 * tk * headDim, (h0 + chunk) * tk * headDim);   // [chunk, tk, headDim]
      const vc = x.v.subarray(h0 * tk * headDim, (h0 + chunk) * tk * headDim);
      const s = yield [scores, chunk * tq * tk, [qc, kc, x.keyPadding, x.mask, h0]];   // [chunk, tq, tk]
      const l = yield [rowLse, chunk * tq, [s, EXP_TABLE]];                                     // [chunk, tq]
      const p = yield [probs, chunk * tq * tk, [s, l, EXP_TABLE]];                              // [chunk, tq, tk]
      const o = yield [pv, chunk * tq * headDim, [p, vc]];                             // [chunk, tq, headDim]
      out.set(o, h0 * tq * headDim);
      for (let r = 0; r < chunk * tq; r++) lse[h0 * tq + r] = l[r] < MASKED ? -Infinity : l[r];
    }
  }

  /** The backward chain as kernel steps (see forwardPass). */
  private *backwardPass(x: AttentionInputs, out: Float32Array, lse: Float32Array, dout: Float32Array, dims: AttentionDims,
    dq: Float32Array, dk: Float32Array, dv: Float32Array): Generator<Step, void, Float32Array> {
    const { chunk, tq, tk, headDim, scale } = this.signature;
    const bhTotal = dims.batch * dims.heads;
    const scores = this.scores();
    const probs = this.kernel('probs', attentionProbs, [chunk, tq, tk], this.rowConstants());
    const rowDot = this.kernel('rowDot', attentionRowDot, [chunk, tq], this.rowConstants());
    const dScores = this.kernel('dScores', attentionDScores, [chunk, tq, tk], this.rowConstants());
    const dqMix = this.mix('dq', attentionRowMix, tq, tk, scale);
    const dkMix = this.mix('dk', attentionColMix, tk, tq, scale);
    const dvMix = this.mix('dv', attentionColMix, tk, tq, 1);
    const lseChunk = new Float32Array(chunk * tq);
    for (let h0 = 0; h0 < bhTotal; h0 += chunk) {
      const qo = h0 * tq * headDim;
      const ko = h0 * tk * headDim;
      const qc = x.q.subarray(qo, qo + chunk * tq * headDim);
      const kc = x.k.subarray(ko, ko + chunk * tk * headDim);
      const vc = x.v.subarray(ko, ko + chunk * tk * headDim);
      const oc = out.subarray(qo, qo + chunk * tq * headDim);
      const doc = dout.subarray(qo, qo + chunk * tq * headDim);
      for (let r = 0; r < chunk * tq; r++) {
        const l = lse[h0 * tq + r];
        lseChunk[r] = l === -Infinity ? -1e30 : l;   // the kernels' sentinel for "nothing to attend"
      }
      const s = yield [scores, chunk * tq * tk, [qc, kc, x.keyPadding, x.mask, h0]];   // [chunk, tq, tk]
      const p = yield [probs, chunk * tq * tk, [s, lseChunk, EXP_TABLE]];                       // P, recomputed
      const d = yield [rowDot, chunk * tq, [doc, oc]];                                 // [chunk, tq]
      const ds = yield [dScores, chunk * tq * tk, [p, doc, vc, d]];                    // [chunk, tq, tk]
      dq.set((yield [dqMix, chunk * tq * headDim, [ds, kc]]), qo);                       // dS·k·scale
      dk.set((yield [dkMix, chunk * tk * headDim, [ds, qc]]), ko);                       // dSᵀ·q·scale
      dv.set((yield [dvMix, chunk * tk * headDim, [p, doc]]), ko);                       // Pᵀ·dO
    }
  }

  /** Number of gpu.js kernels compiled so far for this signature. */
  get compiled(): number {
    return this.built.size;
  }

  destroy(): void {
    for (const k of this.built.values()) k.destroy();
    this.built.clear();
  }
}

/** gpu.js returned a Promise (WebGPU kernels are always asynchronous); the Backend contract is synchronous. */
export class AsyncKernelError extends Error {
  constructor(kind: string) {
    super(`gpu.js ran ${kind}, whose kernels are asynchronous; the Backend interface is synchronous`);
    this.name = 'AsyncKernelError';
  }
}
