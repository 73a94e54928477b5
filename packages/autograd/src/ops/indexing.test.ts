import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp } from '../testing/index.js';
import { variable } from '../variable.js';
import { embedding, gather, indexSelect } from './indexing.js';
import { where, maskedFill } from './select.js';

const ids = (v: number[][]) => T.tensor(v, undefined, 'int32');

describe('index ops', () => {
  it('embedding gradients add up over repeated ids', () => {
    const w = variable(T.zeros([4, 2]), { requiresGrad: true });
    embedding(w, ids([[1, 3], [1, 1]])).backward(T.ones([2, 2, 2]));
    expect(w.grad!.toArray()).toEqual([[0, 0], [3, 3], [0, 0], [1, 1]]);
  });

  it('embedding with a scale multiplies rows and gradients, passing gradcheck', () => {
    const w = variable(T.tensor([[1, 2], [3, 4], [5, 6]]), { requiresGrad: true });
    const y = embedding(w, ids([[2, 0, 2]]), 0.5);
    expect(y.toArray()).toEqual([[[2.5, 3], [0.5, 1], [2.5, 3]]]);
    y.backward(T.ones([1, 3, 2]));
    expect(w.grad!.toArray()).toEqual([[0.5, 0.5], [0, 0], [1, 1]]);
    checkOp([[5, 3]], (w) => embedding(w, ids([[4, 0], [0, 2]]), Math.sqrt(3)), (w) => T.mul(T.indexSelect(w, ids([[4, 0], [0, 2]])), Math.sqrt(3)));
  });

  it('indexSelect and gather pass gradcheck', () => {
    checkOp([[5, 3]], (w) => indexSelect(w, ids([[4, 0], [0, 2]])), (w) => T.indexSelect(w, ids([[4, 0], [0, 2]])));
    checkOp([[3, 5]], (x) => indexSelect(x, ids([[1, 1, 4]]), 1), null);
    checkOp([[3, 4]], (x) => gather(x, 1, ids([[0, 3], [2, 2], [1, 0]])), (x) => T.gather(x, 1, ids([[0, 3], [2, 2], [1, 0]])));
  });
});

describe('where and maskedFill', () => {
  const mask = T.tensor([[true, false, true], [false, false, true]]);

  it('route the gradient to the chosen branch', () => {
    checkOp([[2, 3], [2, 3]], (a, b) => where(mask, a, b), (a, b) => T.where(mask, a, b));
    checkOp([[2, 3], [3]], (a, b) => where(mask, a, b), (a, b) => T.where(mask, a, b));
    checkOp([[2, 3]], (a) => where(mask, a, 0), (a) => T.where(mask, a, 0));
  });

  it('maskedFill gives masked positions no gradient', () => {
    // A moderate fill value: −1e9 would swamp the finite differences of Σ out⊙r in float64.
    checkOp([[2, 3]], (x) => maskedFill(x, mask, -7), (x) => T.maskedFill(x, mask, -7));
    const x = variable(T.ones([2, 3]), { requiresGrad: true });
    maskedFill(x, T.tensor([[false, true, false]]), 0).backward(T.ones([2, 3]));
    expect(x.grad!.toArray()).toEqual([[1, 0, 1], [1, 0, 1]]);
  });
});
