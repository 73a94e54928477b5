// dS = P ⊙ (dP − D) with dP = dO·vᵀ: the gradient of the scaled scores (the scale is applied by the
// dQ and dK products). Masked entries have P = 0, so their gradient is 0.
import type { IKernelFunctionThis } from 'gpu.js';
import type { RowConstants } from './constants.js';

/**
 * p [chunk, tq, tk], dout [chunk, tq, headDim], v [chunk, tk, headDim], rowDot [chunk, tq] (flat)
 * → dS [chunk, tq, tk] as gpu.js [x = j, y = i, z = head].
 */
export function attentionDScores(this: IKernelFunctionThis<RowConstants>, p: Float32Array, dout: Float32Array,
  v: Float32Array, rowDot: Float32Array): number {
  const z = this.thread.z;
  const rowIndex = z * this.constants.tq + this.thread.y;
  const pij = p[rowIndex * this.constants.tk + this.thread.x];
  let result = 0;
  if (pij > 0) {
    let oi = rowIndex * this.constants.headDim;
    let vi = (z * this.constants.tk + this.thread.x) * this.constants.headDim;
    let dp = 0;
    for (let dd = 0; dd < this.constants.headDim; dd++) {
      dp += dout[oi] * v[vi];
      oi += 1;
      vi += 1;
    }
    result = pij * (dp - rowDot[rowIndex]);
  }
  return result;
}
