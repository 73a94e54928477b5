import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { add, div, mul, neg, pow, sub } from './arithmetic.js';

const pos = (x: T.Tensor) => T.add(T.abs(x), 0.5);
/** The same-shape elementwise map f in plain JavaScript: a forward reference that shares no code with the op. */
const each2 = (f: (a: number, b: number) => number) => (a: T.Tensor, b: T.Tensor) =>
  T.tensor(Float64Array.from(a.data, (v, i) => f(v, b.data[i])), a.shape, 'float64');

describe('arithmetic ops', () => {
  it('compute JavaScript\'s values and pass gradcheck on equal shapes', () => {
    checkOp([[3, 4], [3, 4]], add, each2((a, b) => a + b));
    checkOp([[3, 4], [3, 4]], sub, each2((a, b) => a - b));
    checkOp([[3, 4], [3, 4]], mul, each2((a, b) => a * b));
    checkOp([[3, 4], [3, 4]], div, each2((a, b) => a / b), { map: (x, i) => (i === 1 ? pos(x) : x) });
    checkOp([[3, 4], [3, 4]], pow, each2((a, b) => a ** b), { map: (x, i) => (i === 0 ? pos(x) : x) });
    checkOp([[5]], neg, (x) => T.tensor(Float64Array.from(x.data, (v) => -v), x.shape, 'float64'));
  });

  it('sum gradients back over broadcast axes (rank difference, size-1 axes, both sides)', () => {
    for (const [sa, sb] of [[[2, 3, 4], [4]], [[2, 1, 4], [3, 1]], [[1], [2, 3]], [[2, 3], []]] as number[][][]) {
      checkOp([sa, sb], add, T.add);
      checkOp([sa, sb], sub, T.sub);
      checkOp([sa, sb], mul, T.mul);
      checkOp([sa, sb], div, T.div, { map: (x, i) => (i === 1 ? pos(x) : x) });
    }
  });

  it('take numbers and constant tensors as operands', () => {
    const x = randVariable([2, 3], 1);
    gradcheck((x) => mul(add(x, 2), 3), [x]);
    gradcheck((x) => div(1, add(mul(x, x), 1)), [x]);
    gradcheck((x) => pow(add(mul(x, x), 1), 1.5), [x]);
    const c = T.tensor([1, 2, 3], undefined, 'float64');
    gradcheck((x) => sub(c, x), [x]);
  });

  it('the exponent of pow gets a gradient, zero where the base is 0', () => {
    gradcheck((b, e) => pow(b, e), [randVariable([4], 2, pos), randVariable([4], 3)]);
    const base = variable(T.tensor([0, 2], undefined, 'float64'));
    const e = variable(T.tensor([2, 3], undefined, 'float64'), { requiresGrad: true });
    pow(base, e).backward(T.ones([2], 'float64'));
    expect(e.grad!.toArray()).toEqual([0, 8 * Math.log(2)]);
  });

  it('computes hand-checked gradients of a·b + a/b', () => {
    const a = variable(T.tensor([2, 3]), { requiresGrad: true });
    const b = variable(T.tensor([4, 6]), { requiresGrad: true });
    add(mul(a, b), div(a, b)).backward(T.ones([2]));
    expect(a.grad!.toArray()).toEqual([4.25, 6 + 1 / 6].map(Math.fround));
    expect(Array.from(b.grad!.data)).toEqual([2 - 2 / 16, 3 - 3 / 36].map(Math.fround));
  });
});
