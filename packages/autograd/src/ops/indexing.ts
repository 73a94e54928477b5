// Index ops. An embedding lookup's gradient scatters dy back to the rows it read, adding where an id
// repeats (indexAdd); gather's is torch's scatter_add.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

/** Rows of x along `axis` picked by an int32 index of any shape (axis 0: embedding lookup). */
export const indexSelect = defineOp('indexSelect', {
  forward: (x: Tensor, index: Tensor, axis: number = 0) => T.indexSelect(x, index, axis),
  backward: (dy, { args: [x, index, axis = 0] }) => [T.indexAdd(T.zeros(x.shape, x.dtype), index, dy, axis), null, null],
});

/**
 * Embedding lookup: weight [vocabSize, dModel], ids int32 [...] → [..., dModel].
 * @example embedding(weight, src) // src [batch, srcLen] → [batch, srcLen, dModel]
 */
export const embedding = (weight: Parameters<typeof indexSelect>[0], ids: Tensor) => indexSelect(weight, ids, 0);

/** torch.gather along `axis`; the gradient is torch.scatter_add into zeros. */
export const gather = defineOp('gather', {
  forward: (x: Tensor, axis: number, index: Tensor) => T.gather(x, axis, index),
  backward: (dy, { args: [x, axis, index] }) => [T.scatterAdd(T.zeros(x.shape, x.dtype), axis, index, dy), null, null],
});
