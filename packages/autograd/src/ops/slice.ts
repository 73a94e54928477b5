// Slicing and joining. A slice's gradient is written back into zeros at the positions it read;
// concat's gradient is split back into pieces.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { scatterSlice } from '../kernels.js';
import type { Variable } from '../variable.js';
import { unsqueeze } from './shape.js';

/** x[..., start:end:step, ...] along `axis`, Python bounds (negative, clamped). */
export const slice = defineOp('slice', {
  forward: (x: Tensor, axis: number, start: number = 0, end?: number, step: number = 1) => T.slice(x, axis, start, end, step),
  backward: (dy, { args: [x, axis, start = 0, , step = 1] }) => {
    const a = T.normalizeAxis('slice', axis, x.rank);
    const n = x.shape[a];
    const s = Math.min(Math.max(start < 0 ? start + n : start, 0), n);
    const dx = T.zeros(x.shape, dy.dtype);
    const inner = T.sizeOf(x.shape.slice(a + 1));
    scatterSlice(dy.data as T.FloatArray, T.sizeOf(x.shape.slice(0, a)), n, inner, s, dy.shape[a], step, dx.data as T.FloatArray);
    return [dx, null, null, null, null];
  },
});

/** The `length` elements from `start` along `axis` (strict bounds). */
export function narrow(x: Variable | Tensor, axis: number, start: number, length: number): Variable {
  const a = T.normalizeAxis('narrow', axis, x.shape.length);
  const n = x.shape[a];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new T.IndexError('narrow', `start ${start} and length ${length} fall outside axis ${axis} of size ${n} in ${T.formatShape(x.shape)}`);
  }
  return slice(x, a, s, s + length);
}

const concatOp = defineOp('concat', {
  forward: (axis: number, ...tensors: Tensor[]) => T.concat(tensors, axis),
  backward: (dy, { args: [axis, ...tensors] }) => {
    const a = T.normalizeAxis('concat', axis, dy.rank);
    return [null, ...T.split(dy, tensors.map((t) => t.shape[a]), a)];
  },
});

/** Joins along an existing `axis`; the gradient is split back into the pieces. */
export function concat(tensors: readonly (Variable | Tensor)[], axis = 0): Variable {
  if (tensors.length === 0) throw new T.ValueError('concat', 'needs at least one tensor');
  return concatOp(axis, ...tensors);
}

/** Joins equally shaped tensors along a new `axis`. */
export function stack(tensors: readonly (Variable | Tensor)[], axis = 0): Variable {
  if (tensors.length === 0) throw new T.ValueError('stack', 'needs at least one tensor');
  const a = T.normalizeAxis('stack', axis, tensors[0].shape.length + 1);
  tensors.forEach((t, i) => {
    if (!T.shapesEqual(t.shape, tensors[0].shape)) {
      throw new T.ShapeError('stack', `tensor ${i} is ${T.formatShape(t.shape)} but tensor 0 is ${T.formatShape(tensors[0].shape)} (all must match)`);
    }
  });
  return concat(tensors.map((t) => unsqueeze(t, a)), a);
}
