// S = q·kᵀ·scale + masks for a chunk of heads: [chunk, tq, tk], masked scores clamped to −1e30 (GL has
// no −∞; the next kernels read anything below −1e29 as "masked"). One thread per (head, i, j).
import type { IKernelFunctionThis } from 'gpu.js';
import type { ScoresConstants } from './constants.js';

/**
 * q [chunk, tq, headDim], k [chunk, tk, headDim] (flat), keyPadding [batch, tk] (1 = pad), mask (flat,
 * read at b·ms0 + h·ms1 + i·ms2 + j·ms3), bhStart = index of the chunk's first head in batch·heads.
 * Output [chunk, tq, tk] as gpu.js [x = j, y = i, z = head].
 */
export function attentionScores(this: IKernelFunctionThis<ScoresConstants>, q: Float32Array, k: Float32Array,
  keyPadding: Float32Array, mask: Float32Array, bhStart: number): number {
  const z = this.thread.z;
  const i = this.thread.y;
  const j = this.thread.x;
  const bh = bhStart + z;
  // (bh + 0.5) / heads stays clear of integers, so floor is exact even in float32 arithmetic.
  const b = Math.floor((bh + 0.5) / this.constants.heads);
  const h = bh - b * this.constants.heads;
  let allowed = 1;
  if (this.constants.causal > 0) {
    if (j > i + this.constants.causalOffset) allowed = 0;
  }
  if (this.constants.hasPadding > 0) {
    if (keyPadding[b * this.constants.tk + j] > 0.5) allowed = 0;
  }
  let bias = 0;
  if (this.constants.maskKind > 0) {
    const m = mask[b * this.constants.ms0 + h * this.constants.ms1 + i * this.constants.ms2 + j * this.constants.ms3];
    if (this.constants.maskKind < 1.5) {
      if (m < 0.5) allowed = 0;
    } else {
      bias = m;
    }
  }
  let result = -1e30;
  if (allowed > 0) {
    // Pointers advanced by addition, not recomputed from the loop index: 2–2.5× faster on webasm,
    // whose index arithmetic is float32 with a conversion per load.
    let qi = (z * this.constants.tq + i) * this.constants.headDim;
    let ki = (z * this.constants.tk + j) * this.constants.headDim;
    let dot = 0;
    for (let sd = 0; sd < this.constants.headDim; sd++) {
      dot += q[qi] * k[ki];
      qi += 1;
      ki += 1;
    }
    result = dot * this.constants.scale + bias;
    // A float mask's −∞ (or anything below the sentinel) becomes the sentinel.
    if (result < -1e30) result = -1e30;
  }
  return result;
}
