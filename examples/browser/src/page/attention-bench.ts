// Times attention forward + backward (B=2, H=4, headDim 32, causal, float32) on a backend: one untimed call
// (compiles kernels), then the median of `runs` timed calls. The same code runs in Node and in the page.
import type { AttentionDims, AttentionMasking, Backend } from '@gloss/tensor';
import { lcg } from './attention-check.js';

/** The attention entries to time: a Backend's, or the gpu backend's awaited ones (WebGPU). */
export interface AttentionEntries {
  forward(...args: Parameters<Backend['attentionForward']>): void | Promise<void>;
  backward(...args: Parameters<Backend['attentionBackward']>): void | Promise<void>;
}

export interface AttentionTiming {
  readonly T: number;
  /** Median ms of one forward + backward. */
  readonly ms: number;
  /** The untimed first call (kernel compilation included). */
  readonly firstMs: number;
  readonly runs: number;
}

export async function timeAttention(entries: AttentionEntries, T: number, runs: number): Promise<AttentionTiming> {
  const d: AttentionDims = { batch: 2, heads: 4, tq: T, tk: T, headDim: 32 };
  const masking: AttentionMasking = { causal: true, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] };
  const random = lcg(1);
  const n = d.batch * d.heads * T * d.headDim;
  const [q, k, v, dout] = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, random));
  const out = new Float32Array(n);
  const lse = new Float32Array(d.batch * d.heads * T);
  const [dq, dk, dv] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const once = async () => {
    const t0 = performance.now();
    await entries.forward(q, k, v, d, 1 / Math.sqrt(d.headDim), masking, out, lse);
    await entries.backward(q, k, v, out, lse, dout, d, 1 / Math.sqrt(d.headDim), masking, dq, dk, dv);
    return performance.now() - t0;
  };
  const firstMs = await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return { T, ms: times[Math.floor(times.length / 2)], firstMs, runs };
}
