// Broadcasting arithmetic. Broadcasting's adjoint is a sum back to the input's shape (sumTo), so
// each backward stays one line per input.
import * as T from '@gloss/tensor';
import { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

type Operand = Tensor | number;
/** The gradient for an operand: summed back to its shape (numbers get none). */
const back = (g: Tensor, x: Operand): Tensor | null => (x instanceof Tensor ? T.sumTo(g, x.shape) : null);

/** a + b, broadcast. d/da = 1, d/db = 1. */
export const add = defineOp('add', {
  forward: (a: Operand, b: Operand) => T.add(a, b),
  backward: (dy, { args: [a, b], needsGrad }) => [needsGrad[0] ? back(dy, a) : null, needsGrad[1] ? back(dy, b) : null],
});

/** a − b, broadcast. d/da = 1, d/db = −1. */
export const sub = defineOp('sub', {
  forward: (a: Operand, b: Operand) => T.sub(a, b),
  backward: (dy, { args: [a, b], needsGrad }) => [needsGrad[0] ? back(dy, a) : null, needsGrad[1] ? back(T.neg(dy), b) : null],
});

/** a ⊙ b, broadcast. d/da = b, d/db = a. */
export const mul = defineOp('mul', {
  forward: (a: Operand, b: Operand) => T.mul(a, b),
  backward: (dy, { args: [a, b], needsGrad }) => [
    needsGrad[0] ? back(T.mul(dy, b), a) : null,
    needsGrad[1] ? back(T.mul(dy, a), b) : null,
  ],
});

/** a / b, broadcast. d/da = 1/b, d/db = −a/b² = −out/b. */
export const div = defineOp('div', {
  forward: (a: Operand, b: Operand) => T.div(a, b),
  backward: (dy, { args: [a, b], out, needsGrad }) => [
    needsGrad[0] ? back(T.div(dy, b), a) : null,
    needsGrad[1] ? back(T.neg(T.div(T.mul(dy, out), b)), b) : null,
  ],
});

/**
 * a^b, broadcast. d/da = b·a^(b−1); d/db = a^b·ln a, taken as 0 where a = 0 (PyTorch's convention,
 * so 0^b with b > 0 has a finite exponent gradient).
 */
export const pow = defineOp('pow', {
  forward: (a: Operand, b: Operand) => T.pow(a, b),
  backward: (dy, { args: [a, b], out, needsGrad }) => [
    needsGrad[0] ? back(T.mul(dy, T.mul(b, T.pow(a, typeof b === 'number' ? b - 1 : T.sub(b, 1)))), a) : null,
    needsGrad[1] ? back(T.mul(dy, T.where(T.eq(a, 0), 0, T.mul(out, T.log(a instanceof Tensor ? a : T.scalar(a))))), b) : null,
  ],
});

/** −x. */
export const neg = defineOp('neg', {
  forward: (x: Tensor) => T.neg(x),
  backward: (dy) => [T.neg(dy)],
});
