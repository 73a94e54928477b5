// Inverted dropout (Srivastava et al. 2014): in training, zero each element with probability p and
// scale the survivors by 1/(1 − p), so evaluation is the identity. Each call takes two 32-bit words
// from its seeded Generator and draws the mask from a xoshiro128** stream seeded by them, in the same
// pass that scales x (a draw per element through the Generator itself costs several times more). The
// mask is saved as bytes for the backward.
import * as T from '@gloss/tensor';
import type { FloatArray, Generator, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { dropoutKernel, maskedScale } from '../kernels.js';
import { Variable } from '../variable.js';

export interface DropoutOptions {
  /** Identity when false (evaluation). Default true. */
  training?: boolean;
  /** Where the mask comes from; the default generator if omitted. */
  generator?: Generator;
}

const dropoutOp = defineOp('dropout', {
  forward: (x: Tensor, p: number, generator: Generator) => {
    // keep ~ Bernoulli(1 − p); the kept values are scaled by 1/(1 − p).
    const scale = p === 1 ? 0 : 1 / (1 - p);
    const out = T.zerosLike(x);
    const mask = new Uint8Array(x.size);
    dropoutKernel(x.data as FloatArray, out.data as FloatArray, mask, 1 - p, scale, generator.uint32(), generator.uint32());
    return { out, saved: { mask, scale } };
  },
  backward: (dy, { saved: { mask, scale } }) => {
    const dx = T.zerosLike(dy);
    maskedScale(dy.data as FloatArray, mask, scale, dx.data as FloatArray);
    return [dx, null, null];
  },
});

/**
 * Zeroes elements with probability p during training (scaling the rest by 1/(1 − p)); identity otherwise.
 * Each call advances `generator` by two 32-bit draws, whatever x's size.
 * @example dropout(h, 0.1, { training: model.training, generator })
 */
export function dropout(x: Variable | Tensor, p: number, { training = true, generator }: DropoutOptions = {}): Variable {
  if (!(p >= 0 && p <= 1)) throw new T.ValueError('dropout', `p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x instanceof Variable ? x : new Variable(x);
  if (!T.isFloat(x.dtype)) throw new T.DTypeError('dropout', `x must be float32 or float64, got ${x.dtype}`);
  return dropoutOp(x, p, generator ?? T.defaultGenerator());
}
