// Fused softmax cross-entropy with label smoothing and an ignored index, row by row over [rows, V]
// logits, with PyTorch's semantics: for a target t and smoothing ε,
//   loss = (1 − ε)·(lse − x_t) + ε·(lse − mean_j x_j),   lse = log Σ_j exp(x_j)
// (the smoothing mass ε is spread uniformly over all V classes, the target's included); rows whose
// target is ignoreIndex have loss 0 and gradient 0. Never forms the softmax in memory.
import type { FloatArray } from '../../dtype.js';

/** loss[r] per row and lse[r] (kept for the backward). */
export function crossEntropy(logits: FloatArray, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number,
  smoothing: number, loss: FloatArray, lse: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === ignoreIndex) { loss[r] = 0; lse[r] = 0; continue; }
    const o = r * vocab;
    let max = -Infinity;
    for (let j = 0; j < vocab; j++) if (logits[o + j] > max) max = logits[o + j];
    let sum = 0;
    let total = 0;
    for (let j = 0; j < vocab; j++) { sum += Math.exp(logits[o + j] - max); total += logits[o + j]; }
    const l = max + Math.log(sum);
    lse[r] = l;
    loss[r] = (1 - smoothing) * (l - logits[o + t]) + smoothing * (l - total / vocab);
  }
}

/** dlogits[r, j] = dloss[r]·(softmax_j − (1 − ε)·[j = t] − ε/V); zero rows for ignored targets. */
export function crossEntropyBackward(dloss: FloatArray, logits: FloatArray, targets: Int32Array, lse: FloatArray,
  rows: number, vocab: number, ignoreIndex: number, smoothing: number, dlogits: FloatArray): void {
  const uniform = smoothing / vocab;
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    const t = targets[r];
    if (t === ignoreIndex) { dlogits.fill(0, o, o + vocab); continue; }
    const g = dloss[r];
    const l = lse[r];
    for (let j = 0; j < vocab; j++) dlogits[o + j] = g * (Math.exp(logits[o + j] - l) - uniform);
    dlogits[o + t] -= g * (1 - smoothing);
  }
}
