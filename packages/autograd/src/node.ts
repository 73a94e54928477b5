// Node: the record an op leaves in the graph — its name, the inputs that need gradients, and the
// closure that computes their gradients. backward() releases it (inputs and closure dropped) so a
// training loop's memory stays flat.
import type { Tensor } from '@gloss/tensor';
import type { PartialGradient } from './partial-gradient.js';
import type { Variable } from './variable.js';

export class Node {
  readonly op: string;
  /** Per argument: the Variable that needs a gradient, or null. Emptied on release. */
  inputs: (Variable | null)[];
  /** Gradients for every argument position from the output's gradient; null once released. */
  backward: ((dy: Tensor) => readonly (Tensor | PartialGradient | null | undefined)[]) | null;

  constructor(op: string, inputs: (Variable | null)[], backward: (dy: Tensor) => readonly (Tensor | PartialGradient | null | undefined)[]) {
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }

  release(): void {
    this.inputs = [];
    this.backward = null;
  }
}
