// Index ops. An embedding lookup's gradient scatters dy back to the rows it read, adding where an id
// repeats (indexAdd); gather's is torch's scatter_add.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

/** dy's slices added into zeros of x's shape at `index` along `axis` (the backend's indexAdd, in place on a fresh buffer). */
function scatterRows(x: Tensor, index: Tensor, dy: Tensor, axis: number): Tensor {
  const a = T.normalizeAxis('indexSelect', axis, x.rank);
  const dx = T.zeros(x.shape, dy.dtype);
  T.getBackend().indexAdd(dx.data, T.sizeOf(x.shape.slice(0, a)), x.shape[a], T.sizeOf(x.shape.slice(a + 1)),
    index.data as Int32Array, dy.data);
  return dx;
}

/** Rows of x along `axis` picked by an int32 index of any shape (axis 0: embedding lookup). */
export const indexSelect = defineOp('indexSelect', {
  forward: (x: Tensor, index: Tensor, axis: number = 0) => T.indexSelect(x, index, axis),
  backward: (dy, { args: [x, index, axis = 0] }) => [scatterRows(x, index, dy, axis), null, null],
});

/** Rows of weight times `scale`, scaled in place on the lookup's fresh output; the gradient is scaled the same way. */
const scaledEmbedding = defineOp('embedding', {
  forward: (weight: Tensor, ids: Tensor, scale: number) => {
    const rows = T.indexSelect(weight, ids, 0);                            // [..., dModel], fresh
    const d = rows.data as T.FloatArray;
    for (let i = 0; i < d.length; i++) d[i] *= scale;
    return rows;
  },
  backward: (dy, { args: [weight, ids, scale] }) => [scatterRows(weight, ids, T.mul(dy, scale), 0), null, null],
});

/**
 * Embedding lookup: weight [vocabSize, dModel], ids int32 [...] → [..., dModel], times `scale` if given
 * (the transformer's √dModel, fused into the lookup).
 * @example embedding(weight, src) // src [batch, srcLen] → [batch, srcLen, dModel]
 */
export const embedding = (weight: Parameters<typeof indexSelect>[0], ids: Tensor, scale = 1) =>
  scale === 1 ? indexSelect(weight, ids, 0) : scaledEmbedding(weight, ids, scale);

/** torch.gather along `axis`; the gradient is torch.scatter_add into zeros. */
export const gather = defineOp('gather', {
  forward: (x: Tensor, axis: number, index: Tensor) => T.gather(x, axis, index),
  backward: (dy, { args: [x, axis, index] }) => [T.scatterAdd(T.zeros(x.shape, x.dtype), axis, index, dy), null, null],
});
