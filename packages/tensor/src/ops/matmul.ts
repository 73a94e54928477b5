// Matrix product over the last two axes, batched with broadcasting over the leading axes, with
// transpose flags so that A·Bᵀ reads B in place (no transposed copy is ever made).
import { getBackend } from '../backend/backend.js';
import { withResidentOperands } from '../backend/wasm/matmul.js';
import { allocate, isFloat, promoteTypes, type FloatArray } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface MatmulOptions {
  /** Use aᵀ (the last two axes of a swapped). */
  transA?: boolean;
  /** Use bᵀ. */
  transB?: boolean;
}

/**
 * a: [..., m, k] (or [..., k, m] with transA), b: [..., k, n] (or [..., n, k] with transB) → [..., m, n].
 * Leading axes broadcast. A 1-D a is a row vector [k] and a 1-D b a column [k], removed from the result
 * as in NumPy.
 * @example
 * matmul(x, w, { transB: true })   // x [batch, tgtLen, dModel], w [dFf, dModel] → [batch, tgtLen, dFf]
 */
export function matmul(a: Tensor, b: Tensor, { transA = false, transB = false }: MatmulOptions = {}): Tensor {
  if (!isFloat(a.dtype) || !isFloat(b.dtype)) {
    throw new DTypeError('matmul', `needs float32 or float64 operands, got a ${a.dtype} and b ${b.dtype}`);
  }
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError('matmul', `needs at least 1-D operands, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  }
  const aVec = a.rank === 1;
  const bVec = b.rank === 1;
  const A = aVec ? a.reshape([1, a.size]) : a;
  const B = bVec ? b.reshape([b.size, 1]) : b;
  const ta = transA && !aVec;
  const tb = transB && !bVec;
  const m = A.shape[A.rank - (ta ? 1 : 2)];
  const k = A.shape[A.rank - (ta ? 2 : 1)];
  const kb = B.shape[B.rank - (tb ? 1 : 2)];
  const n = B.shape[B.rank - (tb ? 2 : 1)];
  if (k !== kb) {
    const rule = `${ta ? 'a[-2]' : 'a[-1]'} must equal ${tb ? 'b[-1]' : 'b[-2]'}`;
    throw new ShapeError('matmul', `inner dimensions differ: a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}` +
      `${ta || tb ? ` (transA ${ta}, transB ${tb})` : ''} (${rule})`);
  }
  const batchA = A.shape.slice(0, -2);
  const batchB = B.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB, ['a batch', 'b batch']);
  const count = sizeOf(batch);
  // One matrix b shared by every batch entry of a row-major a ([..., m, k]·[k, n], the linear layer's
  // x·Wᵀ): the entries stack into one [count·m, k] operand, so one large GEMM runs instead of count
  // small ones. The result is laid out the same.
  const fold = !ta && count > 1 && sizeOf(batchB) === 1 && sizeOf(batchA) === count;
  const rows = fold ? count * m : m;
  // Offsets of each broadcast batch entry into a and b.
  const aOffsets = fold ? new Int32Array(1) : batchOffsets(batchA, batch, m * k, count);
  const bOffsets = fold ? new Int32Array(1) : batchOffsets(batchB, batch, k * n, count);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const ad = (A.dtype === dtype ? A : A.astype(dtype)).data as FloatArray;
  const bd = (B.dtype === dtype ? B : B.astype(dtype)).data as FloatArray;
  const out = allocate(dtype, count * m * n) as FloatArray;
  if (out.length > 0) getBackend().matmul(ad, bd, out, rows, n, k, ta, tb, aOffsets, bOffsets);
  const shape = [...batch, ...(aVec ? [] : [m]), ...(bVec ? [] : [n])];
  return new Tensor(out, shape, dtype);
}

function batchOffsets(shape: readonly number[], batch: readonly number[], matSize: number, count: number): Int32Array {
  const offsets = new Int32Array(count);
  if (sizeOf(shape) === count && shape.length === batch.length) {
    for (let p = 0; p < count; p++) offsets[p] = p * matSize;
    return offsets;
  }
  const strides = broadcastStrides(shape, batch);
  const idx = new Array<number>(batch.length).fill(0);
  for (let p = 0; p < count; p++) {
    let off = 0;
    for (let d = 0; d < batch.length; d++) off += idx[d] * strides[d];
    offsets[p] = off * matSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return offsets;
}

/**
 * Runs fn with the float32 `weights` kept in the matmul kernels' memory, so products that read them
 * skip copying them in: for decoding loops, where every step multiplies by the same matrices and
 * the copy is most of a batch-1 product. The weights must not change inside fn (a kept copy is not
 * refreshed); other dtypes are left as they are.
 * @example
 * withResidentWeights(model.parameters().map((p) => p.value), () => greedyDecode(model, src));
 */
export function withResidentWeights<T>(weights: readonly Tensor[], fn: () => T): T {
  const arrays = weights.flatMap((w) => (w.data instanceof Float32Array ? [w.data] : []));
  return withResidentOperands(arrays, fn);
}
