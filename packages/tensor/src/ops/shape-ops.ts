// Shape ops: reshape (free), squeeze/unsqueeze/flatten (free), permute and transpose (copies),
// and expand (materialized broadcast).
import { getBackend } from '../backend/backend.js';
import { allocate } from '../dtype.js';
import { IndexError, ShapeError } from '../errors.js';
import { broadcastStrides, formatShape, normalizeAxis, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The same storage with another shape of equal size; one dimension may be -1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return x.reshape(shape);
}

/** Collapses axes `start`…`end` (inclusive) into one. */
export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.rank === 0) return x.reshape([1]);
  const s = normalizeAxis('flatten', start, x.rank);
  const e = normalizeAxis('flatten', end, x.rank);
  if (e < s) throw new IndexError('flatten', `end axis ${end} comes before start axis ${start}`);
  return x.reshape([...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/** Inserts an axis of size 1 at `axis` (which may equal the rank, or be negative). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return x.reshape(shape);
}

/** Removes size-1 axes: the given one (which must have size 1) or all of them. */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return x.reshape(x.shape.filter((d) => d !== 1));
  const a = normalizeAxis('squeeze', axis, x.rank);
  if (x.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${axis} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return x.reshape(x.shape.filter((_, d) => d !== a));
}

/**
 * Reorders the axes: out.shape[i] = x.shape[perm[i]]. A copy, so later ops read contiguous memory.
 * @example permute(x, [0, 2, 1, 3]) // [batch, tgtLen, numHeads, headDim] → [batch, numHeads, tgtLen, headDim]
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.rank) {
    throw new ShapeError('permute', `perm ${formatShape(perm)} must list each of the ${x.rank} axes of ${formatShape(x.shape)} once`);
  }
  const p = perm.map((a) => normalizeAxis('permute', a, x.rank));
  if (new Set(p).size !== p.length) throw new IndexError('permute', `perm ${formatShape(perm)} repeats an axis`);
  if (p.every((a, i) => a === i)) return x;
  const shape = p.map((a) => x.shape[a]);
  const out = allocate(x.dtype, x.size);
  getBackend().permute(x.data, x.shape, p, out);
  return new Tensor(out, shape, x.dtype);
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const a = normalizeAxis('transpose', axis0, x.rank);
  const b = normalizeAxis('transpose', axis1, x.rank);
  const perm = [...Array(x.rank).keys()];
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/**
 * Broadcasts x to `shape` (NumPy rules; -1 keeps a dimension), materialized.
 * Its gradient is `sumTo(dy, x.shape)`.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.rank;
  if (lead < 0) throw new ShapeError('expand', `cannot expand ${formatShape(x.shape)} to fewer axes ${formatShape(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  for (let i = 0; i < target.length; i++) {
    const src = i < lead ? 1 : x.shape[i - lead];
    if (!Number.isInteger(target[i]) || target[i] < 0 || (src !== 1 && src !== target[i])) {
      throw new ShapeError('expand', `cannot expand ${formatShape(x.shape)} to ${formatShape(shape)} ` +
        `(axis ${i} has size ${src}; only size-1 axes can grow)`);
    }
  }
  if (shapesEqual(target, x.shape)) return x;
  const out = allocate(x.dtype, sizeOf(target));
  getBackend().copyStrided(x.data, 0, broadcastStrides(x.shape, target), out, target);
  return new Tensor(out, target, x.dtype);
}

/** expand(x, other.shape). */
export function expandAs(x: Tensor, other: Tensor | Shape): Tensor {
  return expand(x, other instanceof Tensor ? other.shape : other);
}
