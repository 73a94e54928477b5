// Elementwise functions. Each backward multiplies dy by the local derivative, from the output
// where that is cheaper (exp, sqrt, tanh, sigmoid) so only the output is saved.
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';

/** e^x; d/dx = e^x = out. */
export const exp = defineOp('exp', {
  forward: (x: Tensor) => T.exp(x),
  backward: (dy, { out }) => [T.mul(dy, out)],
});

/** ln x; d/dx = 1/x. */
export const log = defineOp('log', {
  forward: (x: Tensor) => T.log(x),
  backward: (dy, { args: [x] }) => [T.div(dy, x)],
});

/** √x; d/dx = 1/(2√x) = 0.5/out. */
export const sqrt = defineOp('sqrt', {
  forward: (x: Tensor) => T.sqrt(x),
  backward: (dy, { out }) => [T.div(T.mul(dy, 0.5), out)],
});

/** 1/√x; d/dx = −½x^(−3/2) = −½·out³. */
export const rsqrt = defineOp('rsqrt', {
  forward: (x: Tensor) => T.rsqrt(x),
  backward: (dy, { out }) => [T.mul(dy, T.mul(T.pow(out, 3), -0.5))],
});

/** |x|; d/dx = sign(x) (0 at 0, as PyTorch). */
export const abs = defineOp('abs', {
  forward: (x: Tensor) => T.abs(x),
  backward: (dy, { args: [x] }) => [T.mul(dy, T.sign(x))],
});

/** tanh x; d/dx = 1 − tanh² x. */
export const tanh = defineOp('tanh', {
  forward: (x: Tensor) => T.tanh(x),
  backward: (dy, { out }) => [T.mul(dy, T.sub(1, T.square(out)))],
});

/** dx = dy where x > 0, else 0: one pass, no bool temporary, no branch on the sign (see kernels.ts). */
function reluBackwardKernel(dy: T.FloatArray, x: T.TypedArray, dx: T.FloatArray): void {
  for (let i = 0; i < dx.length; i++) {
    const active = x[i] > 0;
    let r = dy[i] * +active;
    if (r !== r) r = active ? dy[i] : 0;
    dx[i] = r;
  }
}

/** max(x, 0); d/dx = [x > 0]. */
export const relu = defineOp('relu', {
  forward: (x: Tensor) => T.relu(x),
  backward: (dy, { args: [x] }) => {
    const dx = T.zerosLike(dy);
    reluBackwardKernel(dy.data as T.FloatArray, x.data, dx.data as T.FloatArray);
    return [dx];
  },
});

/** σ(x); d/dx = σ(1 − σ). */
export const sigmoid = defineOp('sigmoid', {
  forward: (x: Tensor) => T.sigmoid(x),
  backward: (dy, { out }) => [T.mul(dy, T.mul(out, T.sub(1, out)))],
});

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const C = Math.sqrt(2 / Math.PI);

/**
 * GELU, exact (x·Φ(x); d/dx = Φ(x) + x·φ(x)) or the tanh approximation
 * (d/dx = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²), t = tanh(c(x + 0.044715x³)), c = √(2/π)).
 */
export const gelu = defineOp('gelu', {
  forward: (x: Tensor, approximate: 'none' | 'tanh' = 'none') => T.gelu(x, approximate),
  backward: (dy, { args: [x, approximate] }) => {
    if (approximate === 'tanh') {
      const x2 = T.square(x);
      const t = T.tanh(T.mul(T.add(x, T.mul(T.mul(x2, x), 0.044715)), C));
      const dt = T.mul(T.sub(1, T.square(t)), T.mul(T.add(1, T.mul(x2, 3 * 0.044715)), C));
      return [T.mul(dy, T.add(T.mul(T.add(1, t), 0.5), T.mul(T.mul(x, dt), 0.5))), null];
    }
    const cdf = T.mul(T.add(T.erf(T.mul(x, Math.SQRT1_2)), 1), 0.5); // Φ(x)
    const pdf = T.div(T.exp(T.mul(T.square(x), -0.5)), SQRT_2PI); // φ(x)
    return [T.mul(dy, T.add(cdf, T.mul(x, pdf))), null];
  },
});
