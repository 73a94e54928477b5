// Reductions over any axes, with keepdims: sum, mean, prod, max, min, argmax, argmin, variance,
// and sumTo (the adjoint of broadcasting, used by every broadcasting gradient).
import { getBackend } from '../backend/backend.js';
import type { ReduceOp } from '../backend/types.js';
import { allocate, toFloat, type DType } from '../dtype.js';
import { ShapeError, ValueError } from '../errors.js';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { div, mul, sub } from './elementwise.js';

/** Axes to reduce: one axis, a list, or undefined for all of them (negative axes count from the end). */
export type Axes = number | readonly number[] | undefined;

function reduceOp(op: ReduceOp, name: string, x: Tensor, axes: Axes, keepdims: boolean, dtype: DType): Tensor {
  const ax = normalizeAxes(name, axes, x.rank);
  if ((op === 'max' || op === 'min') && ax.some((a) => x.shape[a] === 0)) {
    throw new ValueError(name, `cannot reduce an empty axis of ${formatShape(x.shape)} (no identity for ${op})`);
  }
  const shape = reducedShape(x.shape, ax, keepdims);
  const out = allocate(dtype, sizeOf(shape));
  getBackend().reduce(op, x.data, x.shape, ax, out);
  return new Tensor(out, shape, dtype);
}

function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (!axes.includes(d)) out.push(shape[d]);
    else if (keepdims) out.push(1);
  }
  return out;
}

const intOrSame = (d: DType): DType => (d === 'bool' ? 'int32' : d);

/** Sum over `axes` (all by default). Accumulates in float64; int32 and bool sum to int32. */
export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('sum', 'sum', x, axes, keepdims, intOrSame(x.dtype));
}

export function prod(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('prod', 'prod', x, axes, keepdims, intOrSame(x.dtype));
}

/** Arithmetic mean over `axes` (float result; NaN over an empty axis, as in PyTorch). */
export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  const s = reduceOp('sum', 'mean', x, axes, keepdims, toFloat(x.dtype));
  const count = x.size / Math.max(s.size, 1);
  return div(s, x.size === 0 ? 0 : count);
}

/** Max over `axes`; NaN propagates. Throws for an empty axis. */
export function max(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('max', 'max', x, axes, keepdims, x.dtype);
}

export function min(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('min', 'min', x, axes, keepdims, x.dtype);
}

/**
 * Variance over `axes` with Bessel's `correction` (1, as torch.var, gives the unbiased estimate;
 * 0 the population variance).
 */
export function variance(x: Tensor, axes?: Axes, { correction = 1, keepdims = false }: { correction?: number; keepdims?: boolean } = {}): Tensor {
  const m = mean(x, axes, true);
  const d = sub(x, m);
  const ss = reduceOp('sum', 'variance', mul(d, d), axes, keepdims, toFloat(x.dtype));
  const n = x.size / Math.max(ss.size, 1);
  return div(ss, Math.max(n - correction, 0));
}

function argOp(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  if (axis === undefined) return argOp(op, x.reshape([x.size]), 0, false);
  const a = normalizeAxis(op, axis, x.rank);
  const len = x.shape[a];
  if (len === 0) throw new ValueError(op, `cannot take ${op} over the empty axis ${axis} of ${formatShape(x.shape)}`);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const out = new Int32Array(outer * inner);
  getBackend().argReduce(op, x.data, outer, len, inner, out);
  return new Tensor(out, reducedShape(x.shape, [a], keepdims), 'int32');
}

/** Index of the max along `axis` (of the flattened tensor if omitted); first index on ties. int32. */
export function argmax(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argOp('argmax', x, axis, keepdims);
}

export function argmin(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argOp('argmin', x, axis, keepdims);
}

/**
 * Sums x down to `shape`, which must broadcast to x's shape: the adjoint of broadcasting.
 * @example sumTo(ones([4, 2, 3]), [2, 1]) // [[3], [3]] · 4 → values 12
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const b = broadcastShapes('sumTo', shape, x.shape, ['shape', 'x']);
  if (!shapesEqual(b, x.shape)) {
    throw new ShapeError('sumTo', `shape ${formatShape(shape)} does not broadcast to x ${formatShape(x.shape)}`);
  }
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < x.rank; d++) if (d < lead || (shape[d - lead] === 1 && x.shape[d] !== 1)) axes.push(d);
  return sum(x, axes, true).reshape(shape);
}
