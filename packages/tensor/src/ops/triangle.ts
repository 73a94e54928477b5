// triu / tril: keep the upper or lower triangle of the trailing two axes (causal masks are built on these).
import { getBackend } from '../backend/backend.js';
import { allocate } from '../dtype.js';
import { ShapeError, ValueError } from '../errors.js';
import { formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

function triangle(op: 'triu' | 'tril', x: Tensor, k: number): Tensor {
  if (x.rank < 2) throw new ShapeError(op, `needs at least 2 axes, got ${formatShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new ValueError(op, `diagonal offset k must be an integer, got ${k}`);
  const rows = x.shape[x.rank - 2];
  const cols = x.shape[x.rank - 1];
  const out = allocate(x.dtype, x.size);
  getBackend().triangle(x.data, sizeOf(x.shape.slice(0, -2)), rows, cols, k, op === 'triu', out);
  return new Tensor(out, x.shape, x.dtype);
}

/** Elements on and above the k-th diagonal (j − i ≥ k) of the last two axes; zeros (false) elsewhere. */
export function triu(x: Tensor, k = 0): Tensor {
  return triangle('triu', x, k);
}

/** Elements on and below the k-th diagonal (j − i ≤ k); `tril(ones([t, t], 'bool'))` is the causal "may attend" mask. */
export function tril(x: Tensor, k = 0): Tensor {
  return triangle('tril', x, k);
}
