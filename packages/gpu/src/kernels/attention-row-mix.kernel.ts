// out_i = factor · Σ_j A_ij · B_j per head: O = P·v (factor 1) and dQ = dS·k (factor = scale).
import type { IKernelFunctionThis } from 'gpu.js';
import type { MixConstants } from './constants.js';

/** a [chunk, rows, inner], b [chunk, inner, cols] (flat) → [chunk, rows, cols] as gpu.js [x = c, y = i, z = head]. */
export function attentionRowMix(this: IKernelFunctionThis<MixConstants>, a: Float32Array, b: Float32Array): number {
  const z = this.thread.z;
  // Pointers advanced by addition (webasm indexes in float32; see attention-scores.kernel.ts).
  let ai = (z * this.constants.rows + this.thread.y) * this.constants.inner;
  let bi = z * this.constants.inner * this.constants.cols + this.thread.x;
  let acc = 0;
  for (let rj = 0; rj < this.constants.inner; rj++) {
    acc += a[ai] * b[bi];
    ai += 1;
    bi += this.constants.cols;
  }
  return acc * this.constants.factor;
}
