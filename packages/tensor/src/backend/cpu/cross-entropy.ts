// Fused softmax cross-entropy with label smoothing and an ignored index, row by row over [rows, V]
// logits, with PyTorch's semantics: for a target t and smoothing ε,
//   loss = (1 − ε)·(lse − x_t) + ε·(lse − mean_j x_j),   lse = log Σ_j exp(x_j)
// (the smoothing mass ε is spread uniformly over all V classes, the target's included); rows whose
// target is ignoreIndex have loss 0 and gradient 0. Never forms the softmax in memory.
import type { FloatArray } from '../../dtype.js';
import { expF32 } from './exp-f32.js';

/** loss[r] per row and lse[r] (kept for the backward). */
export function crossEntropy(logits: FloatArray, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number,
  smoothing: number, loss: FloatArray, lse: FloatArray): void {
  if (logits instanceof Float32Array) return crossEntropyF32(logits, targets, rows, vocab, ignoreIndex, smoothing, loss, lse);
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
  if (logits instanceof Float32Array && dlogits instanceof Float32Array) {
    return crossEntropyBackwardF32(dloss, logits, targets, lse, rows, vocab, ignoreIndex, smoothing, dlogits);
  }
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

// The same two kernels for float32 logits with the inlined expF32 (the exp dominates them): the
// vocabulary-wide rows of a training step's loss. Float64 keeps Math.exp for gradient checks.

function crossEntropyF32(logits: Float32Array, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number,
  smoothing: number, loss: FloatArray, lse: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === ignoreIndex) { loss[r] = 0; lse[r] = 0; continue; }
    const o = r * vocab;
    let max = -Infinity;
    for (let j = 0; j < vocab; j++) if (logits[o + j] > max) max = logits[o + j];
    let sum = 0;
    let total = 0;
    for (let j = 0; j < vocab; j++) { sum += expF32(logits[o + j] - max); total += logits[o + j]; }
    const l = max + Math.log(sum);
    lse[r] = l;
    loss[r] = (1 - smoothing) * (l - logits[o + t]) + smoothing * (l - total / vocab);
  }
}

function crossEntropyBackwardF32(dloss: FloatArray, logits: Float32Array, targets: Int32Array, lse: FloatArray,
  rows: number, vocab: number, ignoreIndex: number, smoothing: number, dlogits: Float32Array): void {
  const uniform = smoothing / vocab;
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    const t = targets[r];
    if (t === ignoreIndex) { dlogits.fill(0, o, o + vocab); continue; }
    const g = dloss[r];
    const l = lse[r];
    for (let j = 0; j < vocab; j++) dlogits[o + j] = g * (expF32(logits[o + j] - l) - uniform);
    dlogits[o + t] -= g * (1 - smoothing);
  }
}
