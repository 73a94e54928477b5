// Slicing and joining: slice (Python-style bounds), narrow (strict), concat, stack, split.
import { getBackend } from '../backend/backend.js';
import { allocate, promoteTypes } from '../dtype.js';
import { IndexError, ShapeError, ValueError } from '../errors.js';
import { formatShape, normalizeAxis, sizeOf, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { unsqueeze } from './shape-ops.js';

/**
 * x[..., start:end:step, ...] along `axis`, with Python's rules: negative bounds count from the end,
 * out-of-range bounds are clamped. `step` must be positive.
 * @example slice(x, 1, 0, -1) // drop the last position of axis 1
 */
export function slice(x: Tensor, axis: number, start = 0, end?: number, step = 1): Tensor {
  const a = normalizeAxis('slice', axis, x.rank);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError('slice', `step must be a positive integer, got ${step}`);
  const n = x.shape[a];
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIdx(start);
  const e = end === undefined ? n : clampIdx(end);
  const len = Math.max(0, Math.ceil((e - s) / step));
  return take(x, a, s, len, step);
}

/** The `length` elements from `start` along `axis`; throws if they are not all inside x. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis('narrow', axis, x.rank);
  const n = x.shape[a];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new IndexError('narrow', `start ${start} and length ${length} fall outside axis ${axis} of size ${n} in ${formatShape(x.shape)}`);
  }
  return take(x, a, s, length, 1);
}

function take(x: Tensor, axis: number, start: number, len: number, step: number): Tensor {
  if (start === 0 && len === x.shape[axis] && step === 1) return x;
  const shape = x.shape.slice();
  shape[axis] = len;
  const strides = stridesOf(x.shape);
  const offset = start * strides[axis];
  strides[axis] *= step;
  const out = allocate(x.dtype, sizeOf(shape));
  getBackend().copyStrided(x.data, offset, strides, out, shape);
  return new Tensor(out, shape, x.dtype);
}

/** Joins tensors along an existing `axis`; all other dimensions must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat', 'needs at least one tensor');
  const first = tensors[0];
  const a = normalizeAxis('concat', axis, first.rank);
  let dtype = first.dtype;
  let total = 0;
  tensors.forEach((t, i) => {
    const ok = t.rank === first.rank && t.shape.every((d, j) => j === a || d === first.shape[j]);
    if (!ok) {
      throw new ShapeError('concat', `tensor ${i} is ${formatShape(t.shape)} but tensor 0 is ${formatShape(first.shape)} ` +
        `(all dimensions but axis ${a} must match)`);
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[a];
  });
  const shape = first.shape.slice();
  shape[a] = total;
  const out = allocate(dtype, sizeOf(shape));
  // Each input fills a block of `rows` rows of width shape[a]·inner.
  const rows = sizeOf(first.shape.slice(0, a));
  const inner = sizeOf(first.shape.slice(a + 1));
  const outRow = total * inner;
  let col = 0;
  for (const t of tensors) {
    const w = t.shape[a] * inner;
    for (let r = 0; r < rows; r++) out.set(t.data.subarray(r * w, (r + 1) * w), r * outRow + col);
    col += w;
  }
  return new Tensor(out, shape, dtype);
}

/** Joins equally shaped tensors along a new `axis`. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack', 'needs at least one tensor');
  const a = normalizeAxis('stack', axis, tensors[0].rank + 1);
  tensors.forEach((t, i) => {
    if (t.rank !== tensors[0].rank || !t.shape.every((d, j) => d === tensors[0].shape[j])) {
      throw new ShapeError('stack', `tensor ${i} is ${formatShape(t.shape)} but tensor 0 is ${formatShape(tensors[0].shape)} (all must match)`);
    }
  });
  return concat(tensors.map((t) => unsqueeze(t, a)), a);
}

/** Splits x along `axis` into pieces of the given sizes (which must add up to the axis size). */
export function split(x: Tensor, sizes: readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis('split', axis, x.rank);
  const total = sizes.reduce((s, v) => s + v, 0);
  if (total !== x.shape[a] || sizes.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new ShapeError('split', `sizes ${formatShape(sizes)} must be non-negative and add up to axis ${axis} of ${formatShape(x.shape)}`);
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(narrow(x, a, start, s));
    start += s;
  }
  return out;
}
