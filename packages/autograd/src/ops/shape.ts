// Shape ops. reshape's adjoint is a reshape back, permute's the inverse permutation, and expand's
// (broadcast) a sum back to the input's shape.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import type { Variable } from '../variable.js';

/** Same values, another shape of equal size (one -1 inferred). Free: shares storage. */
export const reshape = defineOp('reshape', {
  forward: (x: Tensor, shape: readonly number[]) => T.reshape(x, shape),
  backward: (dy, { args: [x] }) => [T.reshape(dy, x.shape), null],
});

/** Reorders axes: out.shape[i] = x.shape[perm[i]]. */
export const permute = defineOp('permute', {
  forward: (x: Tensor, perm: readonly number[]) => T.permute(x, perm),
  backward: (dy, { args: [x, perm] }) => {
    const p = perm.map((a) => (a < 0 ? a + x.rank : a));
    return [T.permute(dy, p.map((_, i) => p.indexOf(i))), null];
  },
});

/** Broadcasts to `shape` (-1 keeps a dimension); the gradient sums back. */
export const expand = defineOp('expand', {
  forward: (x: Tensor, shape: readonly number[]) => T.expand(x, shape),
  backward: (dy, { args: [x] }) => [T.sumTo(dy, x.shape), null],
});

/** Swaps two axes (the last two by default). */
export function transpose(x: Variable | Tensor, axis0 = -2, axis1 = -1): Variable {
  const rank = x.shape.length;
  const a = T.normalizeAxis('transpose', axis0, rank);
  const b = T.normalizeAxis('transpose', axis1, rank);
  const perm = [...Array(rank).keys()];
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Inserts a size-1 axis. */
export function unsqueeze(x: Variable | Tensor, axis: number): Variable {
  const shape = x.shape.slice();
  shape.splice(T.normalizeAxis('unsqueeze', axis, shape.length + 1), 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes: the given one or all. */
export function squeeze(x: Variable | Tensor, axis?: number): Variable {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = T.normalizeAxis('squeeze', axis, x.shape.length);
  if (x.shape[a] !== 1) throw new T.ShapeError('squeeze', `axis ${axis} of ${T.formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, d) => d !== a));
}

/** Collapses axes start…end (inclusive). */
export function flatten(x: Variable | Tensor, start = 0, end = -1): Variable {
  const shape = x.shape;
  if (shape.length === 0) return reshape(x, [1]);
  const s = T.normalizeAxis('flatten', start, shape.length);
  const e = T.normalizeAxis('flatten', end, shape.length);
  return reshape(x, [...shape.slice(0, s), T.sizeOf(shape.slice(s, e + 1)), ...shape.slice(e + 1)]);
}
