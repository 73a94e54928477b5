// Row-wise softmax, log-softmax and log-sum-exp over the last axis of a [rows, cols] view.
// Each subtracts the row max before exp, so large logits never overflow.
import type { FloatArray } from '../../dtype.js';

/** out[r, :] = softmax(x[r, :]) (or log-softmax when `log`). A row of all −∞ gives NaN, as in PyTorch. */
export function softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let i = 0; i < cols; i++) if (x[o + i] > max) max = x[o + i];
    let sum = 0;
    if (log) {
      for (let i = 0; i < cols; i++) sum += Math.exp(x[o + i] - max);
      const lse = max + Math.log(sum);
      for (let i = 0; i < cols; i++) out[o + i] = x[o + i] - lse;
    } else {
      for (let i = 0; i < cols; i++) { const e = Math.exp(x[o + i] - max); out[o + i] = e; sum += e; }
      const inv = 1 / sum;
      for (let i = 0; i < cols; i++) out[o + i] *= inv;
    }
  }
}

/** out[r] = log Σ_i exp(x[r, i]); −∞ for an empty or all −∞ row. */
export function logSumExp(x: FloatArray, rows: number, cols: number, out: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let i = 0; i < cols; i++) if (x[o + i] > max || x[o + i] !== x[o + i]) max = x[o + i];
    if (max === -Infinity || max === Infinity || max !== max) { out[r] = max; continue; }
    let sum = 0;
    for (let i = 0; i < cols; i++) sum += Math.exp(x[o + i] - max);
    out[r] = max + Math.log(sum);
  }
}

/**
 * Softmax backward from the output y: dx = y ⊙ (dy − Σ dy⊙y); with `log` (y = logSoftmax):
 * dx = dy − exp(y)·Σ dy. Rows of [rows, cols].
 */
export function softmaxBackward(dy: FloatArray, y: FloatArray, rows: number, cols: number, dx: FloatArray, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    if (log) {
      for (let i = 0; i < cols; i++) s += dy[o + i];
      for (let i = 0; i < cols; i++) dx[o + i] = dy[o + i] - Math.exp(y[o + i]) * s;
    } else {
      for (let i = 0; i < cols; i++) s += dy[o + i] * y[o + i];
      for (let i = 0; i < cols; i++) dx[o + i] = y[o + i] * (dy[o + i] - s);
    }
  }
}
