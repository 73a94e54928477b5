import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { abs, exp, gelu, log, relu, rsqrt, sigmoid, sqrt, tanh } from './unary.js';

const pos = (x: T.Tensor) => T.add(T.abs(x), 0.3);

describe('unary ops', () => {
  it('pass gradcheck', () => {
    checkOp([[3, 5]], exp, T.exp);
    checkOp([[3, 5]], log, T.log, { map: pos });
    checkOp([[3, 5]], sqrt, T.sqrt, { map: pos });
    checkOp([[3, 5]], rsqrt, T.rsqrt, { map: pos });
    checkOp([[3, 5]], abs, T.abs);
    checkOp([[3, 5]], tanh, T.tanh);
    checkOp([[3, 5]], relu, T.relu);
    checkOp([[3, 5]], sigmoid, T.sigmoid);
    checkOp([[3, 5]], (x) => gelu(x), (x) => T.gelu(x));
    checkOp([[3, 5]], (x) => gelu(x, 'tanh'), (x) => T.gelu(x, 'tanh'));
  });

  it('stay finite at large |x|', () => {
    const x = variable(T.tensor([-50, -10, 10, 50], undefined, 'float64'), { requiresGrad: true });
    gradcheck((x) => sigmoid(x), [x]);
    gradcheck((x) => tanh(x), [x]);
    gradcheck((x) => gelu(x), [x]);
  });

  it('relu passes gradient only where x > 0', () => {
    const x = variable(T.tensor([-1, 0, 2]), { requiresGrad: true });
    relu(x).backward(T.ones([3]));
    expect(x.grad!.toArray()).toEqual([0, 0, 1]);
  });

  it('gelu’s derivative at 0 is ½ (exact form)', () => {
    const x = variable(T.tensor([0], undefined, 'float64'), { requiresGrad: true });
    gelu(x).backward();
    expect(x.grad!.item()).toBeCloseTo(0.5, 15);
    gradcheck((x) => gelu(x), [randVariable([6], 9, (t) => T.mul(t, 4))]);
  });
});
