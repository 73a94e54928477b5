// Layer normalization over the last axis (Ba et al. 2016): y = (x − mean) / sqrt(var + eps) · weight + bias,
// with the biased variance, as torch.nn.LayerNorm. Two passes per row keep the variance accurate.
import type { FloatArray } from '../../dtype.js';

/**
 * x and out are [rows, cols]; weight and bias are [cols] or null (1 and 0).
 * When given, mean and rstd ([rows]) receive each row's mean and 1/sqrt(var + eps) for the backward.
 */
export function layerNorm(x: FloatArray, rows: number, cols: number, weight: FloatArray | null, bias: FloatArray | null,
  eps: number, out: FloatArray, mean: FloatArray | null, rstd: FloatArray | null): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let i = 0; i < cols; i++) s += x[o + i];
    const mu = s / cols;
    let v = 0;
    for (let i = 0; i < cols; i++) { const d = x[o + i] - mu; v += d * d; }
    const rs = 1 / Math.sqrt(v / cols + eps);
    if (mean) mean[r] = mu;
    if (rstd) rstd[r] = rs;
    if (weight && bias) for (let i = 0; i < cols; i++) out[o + i] = (x[o + i] - mu) * rs * weight[i] + bias[i];
    else if (weight) for (let i = 0; i < cols; i++) out[o + i] = (x[o + i] - mu) * rs * weight[i];
    else if (bias) for (let i = 0; i < cols; i++) out[o + i] = (x[o + i] - mu) * rs + bias[i];
    else for (let i = 0; i < cols; i++) out[o + i] = (x[o + i] - mu) * rs;
  }
}

/**
 * Gradients of layerNorm from the saved per-row mean and rstd. With x̂ = (x − mean)·rstd and
 * g = dy·weight:  dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dweight = Σ_rows dy·x̂,  dbias = Σ_rows dy.
 * dweight and dbias (when given) are overwritten, accumulated in float64.
 */
export function layerNormBackward(dy: FloatArray, x: FloatArray, rows: number, cols: number, weight: FloatArray | null,
  mean: FloatArray, rstd: FloatArray, dx: FloatArray, dweight: FloatArray | null, dbias: FloatArray | null): void {
  const dw = dweight ? new Float64Array(cols) : null;
  const db = dbias ? new Float64Array(cols) : null;
  if (weight && dw && db) {
    layerNormBackwardAffine(dy, x, rows, cols, weight, mean, rstd, dx, dw, db);
    dweight!.set(dw);
    dbias!.set(db);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = mean[r];
    const rs = rstd[r];
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < cols; i++) {
      const xh = (x[o + i] - mu) * rs;
      const g = weight ? dy[o + i] * weight[i] : dy[o + i];
      sumG += g;
      sumGX += g * xh;
      if (dw) dw[i] += dy[o + i] * xh;
      if (db) db[i] += dy[o + i];
    }
    const mg = sumG / cols;
    const mgx = sumGX / cols;
    for (let i = 0; i < cols; i++) {
      const xh = (x[o + i] - mu) * rs;
      const g = weight ? dy[o + i] * weight[i] : dy[o + i];
      dx[o + i] = rs * (g - mg - xh * mgx);
    }
  }
  if (dweight && dw) dweight.set(dw);
  if (dbias && db) dbias.set(db);
}

/** layerNormBackward's common case (weight, dweight and dbias all present) with no test in its loops; same arithmetic. */
function layerNormBackwardAffine(dy: FloatArray, x: FloatArray, rows: number, cols: number, weight: FloatArray,
  mean: FloatArray, rstd: FloatArray, dx: FloatArray, dw: Float64Array, db: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = mean[r];
    const rs = rstd[r];
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < cols; i++) {
      const xh = (x[o + i] - mu) * rs;
      const d = dy[o + i];
      const g = d * weight[i];
      sumG += g;
      sumGX += g * xh;
      dw[i] += d * xh;
      db[i] += d;
    }
    const mg = sumG / cols;
    const mgx = sumGX / cols;
    for (let i = 0; i < cols; i++) {
      const xh = (x[o + i] - mu) * rs;
      dx[o + i] = rs * (dy[o + i] * weight[i] - mg - xh * mgx);
    }
  }
}
