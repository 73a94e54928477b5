// D_i = Σ_c dO_ic · O_ic, the softmax-backward correction term (FlashAttention-2's D).
import type { IKernelFunctionThis } from 'gpu.js';
import type { RowConstants } from './constants.js';

/** dout, out [chunk, tq, headDim] (flat) → D [chunk, tq] as gpu.js [x = i, y = head]. */
export function attentionRowDot(this: IKernelFunctionThis<RowConstants>, dout: Float32Array, out: Float32Array): number {
  let oi = (this.thread.y * this.constants.tq + this.thread.x) * this.constants.headDim;
  let acc = 0;
  for (let rc = 0; rc < this.constants.headDim; rc++) {
    acc += dout[oi] * out[oi];
    oi += 1;
  }
  return acc;
}
