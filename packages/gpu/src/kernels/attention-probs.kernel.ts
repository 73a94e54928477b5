// P = exp(S − lse): the attention probabilities, one exp per score. Rows whose lse is the −1e30
// sentinel (nothing to attend) are all zero; masked scores (−1e30) give exactly 0. The exp is the
// in-kernel one of attention-lse.kernel.ts (Math.exp is a JavaScript call per element on webasm).
import type { IKernelFunctionThis } from 'gpu.js';
import type { RowConstants } from './constants.js';

/** s [chunk, tq, tk], lse [chunk, tq] (flat), expTable [128] → P [chunk, tq, tk] as gpu.js [x = j, y = i, z = head]. */
export function attentionProbs(this: IKernelFunctionThis<RowConstants>, s: Float32Array, lse: Float32Array,
  expTable: Float32Array): number {
  const rowIndex = this.thread.z * this.constants.tq + this.thread.y;
  const l = lse[rowIndex];
  let p = 0;
  if (l > -1e29) {
    // S − lse ≤ 0 up to rounding; the upper clamp keeps n = 0 there (expTable has no 2^+1).
    const px = Math.min(Math.max(s[rowIndex * this.constants.tk + this.thread.x] - l, -88), 0.34);
    const pn = Math.floor(px * 1.4426950408889634 + 0.5);
    const pr = px - pn * 0.693359375 + pn * 2.12194440e-4;
    p = (1 + pr * (1 + pr * (0.5 + pr * (0.16666667 + pr * (0.041666668 + pr * (0.008333334
      + pr * (0.0013888889 + pr * 0.0001984127))))))) * expTable[-pn];
  }
  return p;
}
