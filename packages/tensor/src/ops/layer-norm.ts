// Layer normalization over the last axis (Ba et al. 2016), as torch.nn.functional.layer_norm.
import { getBackend } from '../backend/backend.js';
import { allocate, isFloat, type FloatArray } from '../dtype.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface LayerNormResult {
  /** Normalized, scaled and shifted x: x's shape. */
  out: Tensor;
  /** Per-row mean, x.shape[:-1]. */
  mean: Tensor;
  /** Per-row 1 / sqrt(var + eps), x.shape[:-1]. */
  rstd: Tensor;
}

/**
 * (x − mean) / sqrt(var + eps) · weight + bias over the last axis, with the biased variance.
 * x: [..., dModel]; weight, bias: [dModel] or null.
 */
export function layerNorm(x: Tensor, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return layerNormWithStats(x, weight, bias, eps).out;
}

/** layerNorm that also returns each row's mean and rstd (what the fused backward needs). */
export function layerNormWithStats(x: Tensor, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): LayerNormResult {
  if (!isFloat(x.dtype)) throw new DTypeError('layerNorm', `x must be float32 or float64, got ${x.dtype}`);
  if (x.rank === 0) throw new ShapeError('layerNorm', 'x must have at least one axis, got a scalar');
  if (!(eps >= 0)) throw new ValueError('layerNorm', `eps must be non-negative, got ${eps}`);
  const cols = x.shape[x.rank - 1];
  for (const [name, p] of [['weight', weight], ['bias', bias]] as const) {
    if (p && (p.rank !== 1 || p.shape[0] !== cols)) {
      throw new ShapeError('layerNorm', `${name} is ${formatShape(p.shape)} but x is ${formatShape(x.shape)} (${name} must be [${cols}])`);
    }
    if (p && p.dtype !== x.dtype) throw new DTypeError('layerNorm', `${name} is ${p.dtype} but x is ${x.dtype}`);
  }
  const rows = cols === 0 ? 0 : x.size / cols;
  const out = allocate(x.dtype, x.size) as FloatArray;
  const mean = allocate(x.dtype, rows) as FloatArray;
  const rstd = allocate(x.dtype, rows) as FloatArray;
  getBackend().layerNorm(x.data as FloatArray, rows, cols, (weight?.data as FloatArray) ?? null, (bias?.data as FloatArray) ?? null,
    eps, out, mean, rstd);
  const rowShape = x.shape.slice(0, -1);
  return { out: new Tensor(out, x.shape, x.dtype), mean: new Tensor(mean, rowShape, x.dtype), rstd: new Tensor(rstd, rowShape, x.dtype) };
}

export interface LayerNormGrads {
  dx: Tensor;
  /** null when no weight was given. */
  dweight: Tensor | null;
  /** null when no bias was given (hasBias false). */
  dbias: Tensor | null;
}

/**
 * Fused layerNorm backward from the forward's saved mean and rstd:
 * dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·weight, x̂ = (x − mean)·rstd; dweight = Σ dy·x̂; dbias = Σ dy.
 */
export function layerNormBackward(dy: Tensor, x: Tensor, weight: Tensor | null, mean: Tensor, rstd: Tensor, hasBias = true): LayerNormGrads {
  if (!shapesEqual(dy.shape, x.shape)) throw new ShapeError('layerNormBackward', `dy is ${formatShape(dy.shape)} but x is ${formatShape(x.shape)}`);
  const cols = x.shape[x.rank - 1];
  const rows = cols === 0 ? 0 : x.size / cols;
  if (mean.size !== rows || rstd.size !== rows) {
    throw new ShapeError('layerNormBackward', `mean ${formatShape(mean.shape)} and rstd ${formatShape(rstd.shape)} must hold one value per row of x ${formatShape(x.shape)}`);
  }
  const f = (t: Tensor) => (t.dtype === x.dtype ? t : t.astype(x.dtype)).data as FloatArray;
  const dx = allocate(x.dtype, x.size) as FloatArray;
  const dweight = weight ? (allocate(x.dtype, cols) as FloatArray) : null;
  const dbias = hasBias ? (allocate(x.dtype, cols) as FloatArray) : null;
  getBackend().layerNormBackward(f(dy), f(x), rows, cols, weight ? f(weight) : null, f(mean), f(rstd), dx, dweight, dbias);
  return {
    dx: new Tensor(dx, x.shape, x.dtype),
    dweight: dweight && new Tensor(dweight, [cols], x.dtype),
    dbias: dbias && new Tensor(dbias, [cols], x.dtype),
  };
}
