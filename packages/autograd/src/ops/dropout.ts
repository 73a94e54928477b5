// Inverted dropout (Srivastava et al. 2014): in training, zero each element with probability p and
// scale the survivors by 1/(1 − p), so evaluation is the identity. The mask comes from a seeded
// Generator and is saved for the backward.
import * as T from '@gloss/tensor';
import type { Generator, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { Variable } from '../variable.js';

export interface DropoutOptions {
  /** Identity when false (evaluation). Default true. */
  training?: boolean;
  /** Where the mask comes from; the default generator if omitted. */
  generator?: Generator;
}

const dropoutOp = defineOp('dropout', {
  forward: (x: Tensor, p: number, generator: Generator | undefined) => {
    // keep ~ Bernoulli(1 − p); the kept values are scaled by 1/(1 − p).
    const scale = p === 1 ? 0 : 1 / (1 - p);
    const keep = T.bernoulli(x.shape, 1 - p, { generator });
    const mask = T.mul(keep, scale).astype(x.dtype);
    return { out: T.mul(x, mask), saved: mask };
  },
  backward: (dy, { saved: mask }) => [T.mul(dy, mask), null, null],
});

/**
 * Zeroes elements with probability p during training (scaling the rest by 1/(1 − p)); identity otherwise.
 * @example dropout(h, 0.1, { training: model.training, generator })
 */
export function dropout(x: Variable | Tensor, p: number, { training = true, generator }: DropoutOptions = {}): Variable {
  if (!(p >= 0 && p <= 1)) throw new T.ValueError('dropout', `p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x instanceof Variable ? x : new Variable(x);
  return dropoutOp(x, p, generator);
}
