import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp } from '../testing/index.js';
import { variable } from '../variable.js';
import { max, mean, sum } from './reduce.js';

describe('reductions', () => {
  it('sum and mean pass gradcheck over any axes, with keepdims', () => {
    for (const [axes, keep] of [[undefined, false], [0, false], [-1, true], [[0, 2], false], [[1], true]] as const) {
      checkOp([[2, 3, 4]], (x) => sum(x, axes, keep), (x) => T.sum(x, axes, keep));
      checkOp([[2, 3, 4]], (x) => mean(x, axes, keep), (x) => T.mean(x, axes, keep));
    }
  });

  it('max passes gradcheck and shares the gradient among ties', () => {
    checkOp([[3, 4]], (x) => max(x, 1), (x) => T.max(x, 1));
    checkOp([[3, 4]], (x) => max(x), (x) => T.max(x));
    const x = variable(T.tensor([[1, 5, 5], [2, 0, 1]]), { requiresGrad: true });
    max(x, 1).backward(T.ones([2]));
    expect(x.grad!.toArray()).toEqual([[0, 0.5, 0.5], [1, 0, 0]]);
  });

  it('mean divides by the reduced count', () => {
    const x = variable(T.ones([2, 4]), { requiresGrad: true });
    mean(x, 1).backward(T.ones([2]));
    expect(x.grad!.toArray()).toEqual([[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]);
  });
});
