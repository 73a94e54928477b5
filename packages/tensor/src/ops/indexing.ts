// Index ops: indexSelect (embedding lookup) and its adjoint indexAdd; torch.gather and scatterAdd.
import { getBackend } from '../backend/backend.js';
import { allocate } from '../dtype.js';
import { DTypeError, IndexError, ShapeError } from '../errors.js';
import { formatShape, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

function checkIndex(op: string, index: Tensor, size: number, axis: number): Int32Array {
  if (index.dtype !== 'int32') throw new DTypeError(op, `index must be int32, got ${index.dtype}`);
  const idx = index.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= size) {
      throw new IndexError(op, `index ${idx[i]} (at flat position ${i}) is out of range for axis ${axis} of size ${size}`);
    }
  }
  return idx;
}

/**
 * Picks slices of x along `axis` by `index` (int32, any shape): the result's shape is
 * x.shape[:axis] + index.shape + x.shape[axis+1:]. With axis 0 this is an embedding lookup.
 * @example indexSelect(weight, ids) // weight [vocabSize, dModel], ids [batch, srcLen] → [batch, srcLen, dModel]
 */
export function indexSelect(x: Tensor, index: Tensor, axis = 0): Tensor {
  const a = normalizeAxis('indexSelect', axis, x.rank);
  const idx = checkIndex('indexSelect', index, x.shape[a], a);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const shape = [...x.shape.slice(0, a), ...index.shape, ...x.shape.slice(a + 1)];
  const out = allocate(x.dtype, sizeOf(shape));
  getBackend().indexSelect(x.data, outer, x.shape[a], inner, idx, out);
  return new Tensor(out, shape, x.dtype);
}

/**
 * x with src's slices added at `index` along `axis` (repeated indices accumulate): the adjoint of
 * indexSelect. src's shape must be x.shape[:axis] + index.shape + x.shape[axis+1:].
 */
export function indexAdd(x: Tensor, index: Tensor, src: Tensor, axis = 0): Tensor {
  const a = normalizeAxis('indexAdd', axis, x.rank);
  const idx = checkIndex('indexAdd', index, x.shape[a], a);
  const expected = [...x.shape.slice(0, a), ...index.shape, ...x.shape.slice(a + 1)];
  if (src.rank !== expected.length || !src.shape.every((d, i) => d === expected[i])) {
    throw new ShapeError('indexAdd', `src is ${formatShape(src.shape)} but x ${formatShape(x.shape)} with index ` +
      `${formatShape(index.shape)} along axis ${a} needs ${formatShape(expected)}`);
  }
  const out = x.data.slice();
  getBackend().indexAdd(out, sizeOf(x.shape.slice(0, a)), x.shape[a], sizeOf(x.shape.slice(a + 1)), idx, src.data);
  return new Tensor(out, x.shape, x.dtype);
}

function checkGatherShapes(op: string, x: Tensor, index: Tensor, a: number): void {
  if (index.rank !== x.rank || index.shape.some((d, i) => i !== a && d > x.shape[i])) {
    throw new ShapeError(op, `index ${formatShape(index.shape)} must have x's rank and fit inside x ${formatShape(x.shape)} ` +
      `on every axis but ${a}`);
  }
}

/**
 * torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for axis 1; out has index's shape.
 * @example gather(logProbs, 1, targets.reshape([n, 1])) // logProbs [n, vocabSize] → [n, 1]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = normalizeAxis('gather', axis, x.rank);
  checkGatherShapes('gather', x, index, a);
  const idx = checkIndex('gather', index, x.shape[a], a);
  const out = allocate(x.dtype, index.size);
  getBackend().gatherScatter(x.data, x.shape, a, idx, index.shape, out, false);
  return new Tensor(out, index.shape, x.dtype);
}

/** torch.scatter_add: a copy of x with x[i][index[i][j][k]][k] += src[i][j][k] (axis 1); src has index's shape. */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  const a = normalizeAxis('scatterAdd', axis, x.rank);
  checkGatherShapes('scatterAdd', x, index, a);
  if (src.rank !== index.rank || !src.shape.every((d, i) => d === index.shape[i])) {
    throw new ShapeError('scatterAdd', `src ${formatShape(src.shape)} must have index's shape ${formatShape(index.shape)}`);
  }
  const idx = checkIndex('scatterAdd', index, x.shape[a], a);
  const out = x.data.slice();
  getBackend().gatherScatter(out, x.shape, a, idx, index.shape, src.data, true);
  return new Tensor(out, x.shape, x.dtype);
}
