// softmax, logSoftmax and logSumExp along one axis (the last by default), numerically stable:
// each subtracts the row max before exp, so logits of any size stay finite.
import { getBackend } from '../backend/backend.js';
import { allocate, isFloat, toFloat, type FloatArray } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { formatShape, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { permute } from './shape-ops.js';

/** The permutation that moves `axis` last, or null when it already is. */
function lastAxisPerm(rank: number, axis: number): number[] | null {
  return rank === 0 || axis === rank - 1 ? null : [...Array(rank).keys()].filter((d) => d !== axis).concat(axis);
}

const inverse = (perm: number[]): number[] => perm.map((_, i) => perm.indexOf(i));

/** Runs a last-axis kernel along `axis` by moving that axis last and back. */
function alongAxis(x: Tensor, axis: number, op: string, run: (x: Tensor) => Tensor): Tensor {
  const perm = lastAxisPerm(x.rank, normalizeAxis(op, axis, Math.max(x.rank, 1)));
  return perm ? permute(run(permute(x, perm)), inverse(perm)) : run(x);
}

function softmaxKernel(x: Tensor, log: boolean): Tensor {
  const dtype = toFloat(x.dtype);
  const src = x.dtype === dtype ? x : x.astype(dtype);
  const cols = x.rank === 0 ? 1 : x.shape[x.rank - 1];
  const out = allocate(dtype, x.size);
  getBackend().softmax(src.data as FloatArray, cols === 0 ? 0 : x.size / cols, cols, out, log);
  return new Tensor(out, x.shape, dtype);
}

/**
 * exp(x_i) / Σ_j exp(x_j) along `axis`.
 * @example softmax(tensor([2, 1, 3])) // [0.24472847, 0.09003057, 0.66524095]
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return alongAxis(x, axis, 'softmax', (t) => softmaxKernel(t, false));
}

/** x_i − log Σ_j exp(x_j) along `axis`, without forming the softmax (no log(0) underflow). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return alongAxis(x, axis, 'logSoftmax', (t) => softmaxKernel(t, true));
}

/** log Σ exp(x) along `axis`, stable for large values. */
export function logSumExp(x: Tensor, axis = -1, keepdims = false): Tensor {
  const a = normalizeAxis('logSumExp', axis, Math.max(x.rank, 1));
  const perm = lastAxisPerm(x.rank, a);
  const t = perm ? permute(x, perm) : x; // [..., cols]
  const dtype = toFloat(x.dtype);
  const src = t.dtype === dtype ? t : t.astype(dtype);
  const cols = x.rank === 0 ? 1 : x.shape[a];
  const rows = cols === 0 ? sizeOf(x.shape.filter((_, d) => d !== a)) : x.size / cols;
  const out = allocate(dtype, rows);
  getBackend().logSumExp(src.data as FloatArray, rows, cols, out);
  const shape = x.shape.filter((_, d) => d !== a);
  if (keepdims && x.rank > 0) shape.splice(a, 0, 1);
  return new Tensor(out, shape, dtype);
}

function softmaxGrad(op: string, dy: Tensor, y: Tensor, axis: number, log: boolean): Tensor {
  if (!shapesEqual(dy.shape, y.shape)) throw new ShapeError(op, `dy is ${formatShape(dy.shape)} but y is ${formatShape(y.shape)}`);
  if (!isFloat(y.dtype)) throw new DTypeError(op, `y must be float32 or float64, got ${y.dtype}`);
  const a = normalizeAxis(op, axis, Math.max(y.rank, 1));
  const perm = lastAxisPerm(y.rank, a);
  const g = perm ? permute(dy, perm) : dy;
  const out = perm ? permute(y, perm) : y;
  const cols = y.rank === 0 ? 1 : y.shape[a];
  const dx = allocate(y.dtype, y.size) as FloatArray;
  const gd = (g.dtype === y.dtype ? g : g.astype(y.dtype)).data as FloatArray;
  getBackend().softmaxBackward(gd, out.data as FloatArray, cols === 0 ? 0 : y.size / cols, cols, dx, log);
  const r = new Tensor(dx, out.shape, y.dtype);
  return perm ? permute(r, inverse(perm)) : r;
}

/** Gradient of softmax from its output y: y ⊙ (dy − Σ_axis dy⊙y). */
export function softmaxBackward(dy: Tensor, y: Tensor, axis = -1): Tensor {
  return softmaxGrad('softmaxBackward', dy, y, axis, false);
}

/** Gradient of logSoftmax from its output y: dy − exp(y)·Σ_axis dy. */
export function logSoftmaxBackward(dy: Tensor, y: Tensor, axis = -1): Tensor {
  return softmaxGrad('logSoftmaxBackward', dy, y, axis, true);
}
