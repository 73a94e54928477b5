// Dropout as a module: zeroes elements with probability p while training (inverted dropout, seeded), the
// identity in eval().
import { ValueError, defaultGenerator, type Generator, type Tensor } from '@gloss/tensor';
import { dropout, type Variable } from '@gloss/autograd';
import { Module } from './module.js';

/**
 * nn.Dropout with a seeded Generator.
 * @example const drop = new Dropout(0.1, generator); drop.forward(h); drop.eval().forward(h) // identity
 */
export class Dropout extends Module {
  readonly p: number;
  /** Where the masks come from. */
  readonly generator: Generator;

  constructor(p = 0.1, generator: Generator = defaultGenerator()) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError('Dropout', `p must be in [0, 1], got ${p}`);
    this.p = p;
    this.generator = generator;
  }

  forward(x: Variable | Tensor): Variable {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }
}
