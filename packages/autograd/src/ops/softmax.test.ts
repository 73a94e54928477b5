import * as T from '@gloss/tensor';
import { describe, it } from 'vitest';
import { checkOp, expectClose } from '../testing/index.js';
import { variable } from '../variable.js';
import { logSoftmax, softmax } from './softmax.js';

describe('softmax and logSoftmax', () => {
  it('pass gradcheck along the last and other axes', () => {
    checkOp([[3, 5]], (x) => softmax(x), (x) => T.softmax(x));
    checkOp([[3, 5]], (x) => logSoftmax(x), (x) => T.logSoftmax(x));
    checkOp([[2, 3, 4]], (x) => softmax(x, 1), (x) => T.softmax(x, 1));
    checkOp([[2, 3, 4]], (x) => logSoftmax(x, 0), (x) => T.logSoftmax(x, 0));
  });

  it('have finite gradients for huge logits', () => {
    const x = variable(T.tensor([[1000, 0, -1000]], undefined, 'float64'), { requiresGrad: true });
    logSoftmax(x).backward(T.tensor([[1, 0, 0]], undefined, 'float64'));
    expectClose(x.grad!, [[0, 0, 0]], { atol: 1e-12 });
  });
});
