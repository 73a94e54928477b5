// Fused softmax cross-entropy with label smoothing and an ignored index, row by row over [rows, V]
// logits, with PyTorch's semantics: for a target t and smoothing ε,
//   loss = (1 − ε)·(lse − x_t) + ε·(lse − mean_j x_j),   lse = log Σ_j exp(x_j)
// (the smoothing mass ε is spread uniformly over all V classes, the target's included); rows whose
// target is ignoreIndex have loss 0 and gradient 0. crossEntropy and crossEntropyBackward never form the
// softmax in memory; crossEntropyWithGrad writes it once, as the gradient, in the forward's own pass.
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

/**
 * crossEntropy and, in the same pass, dlogits[r, j] = scale[r]·(softmax_j − (1 − ε)·[j = t] − ε/V) (scale: one
 * value per row, or one number for all): the training step's loss and its gradient with one exp per logit
 * instead of one in the forward and another in the backward. Ignored rows get loss 0, lse 0 and zero gradient.
 * dlogits may be logits itself (each row is read before it is overwritten).
 */
export function crossEntropyWithGrad(logits: FloatArray, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number,
  smoothing: number, scale: FloatArray | number, loss: FloatArray, lse: FloatArray, dlogits: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    const t = targets[r];
    if (t === ignoreIndex) { loss[r] = 0; lse[r] = 0; dlogits.fill(0, o, o + vocab); continue; }
    const g = typeof scale === 'number' ? scale : scale[r];
    const xt = logits[o + t];
    const l = logits instanceof Float32Array && dlogits instanceof Float32Array
      ? softmaxRowF32(logits, o, vocab, dlogits)
      : softmaxRow(logits, o, vocab, dlogits);
    lse[r] = l.lse;
    loss[r] = (1 - smoothing) * (l.lse - xt) + smoothing * (l.lse - l.total / vocab);
    // dlogits holds exp(x_j − max); the softmax is that over Σ: one multiply, no second exp.
    const p = g / l.sum;
    const u = g * (smoothing / vocab);
    for (let j = o; j < o + vocab; j++) dlogits[j] = dlogits[j] * p - u;
    dlogits[o + t] -= g * (1 - smoothing);
  }
}

interface RowStats { lse: number; sum: number; total: number }

/** e_j = exp(x_j − max) into out[o + j]; returns log Σ exp(x_j), Σ e_j and Σ x_j. */
function softmaxRow(x: FloatArray, o: number, vocab: number, out: FloatArray): RowStats {
  let max = -Infinity;
  for (let j = o; j < o + vocab; j++) if (x[j] > max) max = x[j];
  let sum = 0;
  let total = 0;
  for (let j = o; j < o + vocab; j++) {
    const v = x[j];                            // read before out[j] is written: out may be x
    const e = Math.exp(v - max);
    out[j] = e;
    sum += e;
    total += v;
  }
  return { lse: max + Math.log(sum), sum, total };
}

/** softmaxRow for float32 with the inlined expF32. */
function softmaxRowF32(x: Float32Array, o: number, vocab: number, out: Float32Array): RowStats {
  let max = -Infinity;
  for (let j = o; j < o + vocab; j++) if (x[j] > max) max = x[j];
  let sum = 0;
  let total = 0;
  for (let j = o; j < o + vocab; j++) {
    const v = x[j];
    const e = expF32(v - max);
    out[j] = e;
    sum += e;
    total += v;
  }
  return { lse: max + Math.log(sum), sum, total };
}
