// out_j = factor · Σ_i A_ij · B_i per head (Aᵀ·B): dV = Pᵀ·dO (factor 1) and dK = dSᵀ·q (factor = scale).
import type { IKernelFunctionThis } from 'gpu.js';
import type { MixConstants } from './constants.js';

/**
 * a [chunk, inner, rows], b [chunk, inner, cols] (flat) → [chunk, rows, cols] as gpu.js [x = c, y = j, z = head].
 * `inner` is tq (summed over), `rows` is tk.
 */
export function attentionColMix(this: IKernelFunctionThis<MixConstants>, a: Float32Array, b: Float32Array): number {
  const z = this.thread.z;
  // Pointers advanced by addition (webasm indexes in float32; see attention-scores.kernel.ts).
  let ai = z * this.constants.inner * this.constants.rows + this.thread.y;
  let bi = z * this.constants.inner * this.constants.cols + this.thread.x;
  let acc = 0;
  for (let ci = 0; ci < this.constants.inner; ci++) {
    acc += a[ai] * b[bi];
    ai += this.constants.rows;
    bi += this.constants.cols;
  }
  return acc * this.constants.factor;
}
