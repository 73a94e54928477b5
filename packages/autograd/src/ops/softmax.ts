// softmax and logSoftmax along an axis; backward from the saved output only:
// softmax: dx = y ⊙ (dy − Σ dy⊙y);  logSoftmax: dx = dy − exp(y)·Σ dy.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

export const softmax = defineOp('softmax', {
  forward: (x: Tensor, axis: number = -1) => T.softmax(x, axis),
  backward: (dy, { args: [, axis = -1], out }) => [T.softmaxBackward(dy, out, axis), null],
});

export const logSoftmax = defineOp('logSoftmax', {
  forward: (x: Tensor, axis: number = -1) => T.logSoftmax(x, axis),
  backward: (dy, { args: [, axis = -1], out }) => [T.logSoftmaxBackward(dy, out, axis), null],
});
