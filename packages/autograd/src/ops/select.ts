// Selection by a bool mask. The gradient flows to whichever branch was chosen; masked positions of
// maskedFill get none.
import * as T from '@gloss/tensor';
import { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

type Operand = Tensor | number;

/** cond ? a : b, broadcast; cond is a bool Tensor (not differentiable). */
export const where = defineOp('where', {
  forward: (cond: Tensor, a: Operand, b: Operand) => T.where(cond, a, b),
  backward: (dy, { args: [cond, a, b], needsGrad }) => [
    null,
    needsGrad[1] && a instanceof Tensor ? T.sumTo(T.where(cond, dy, 0), a.shape) : null,
    needsGrad[2] && b instanceof Tensor ? T.sumTo(T.where(cond, 0, dy), b.shape) : null,
  ],
});

/**
 * x with `value` where `mask` (bool, broadcastable to x) is true.
 * @example scores.maskedFill(keyPaddingMask, -Infinity)
 */
export const maskedFill = defineOp('maskedFill', {
  forward: (x: Tensor, mask: Tensor, value: number) => T.maskedFill(x, mask, value),
  backward: (dy, { args: [, mask] }) => [T.maskedFill(dy, mask, 0), null, null],
});
