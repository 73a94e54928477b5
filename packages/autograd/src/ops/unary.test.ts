import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { abs, exp, gelu, log, relu, rsqrt, sigmoid, sqrt, tanh } from './unary.js';

const pos = (x: T.Tensor) => T.add(T.abs(x), 0.3);
/** The elementwise map f in plain JavaScript: a forward reference that shares no code with the op. */
const each = (f: (v: number) => number) => (x: T.Tensor) => T.tensor(Float64Array.from(x.data, f), x.shape, 'float64');

describe('unary ops', () => {
  it('compute Math\'s values and pass gradcheck', () => {
    checkOp([[3, 5]], exp, each(Math.exp));
    checkOp([[3, 5]], log, each(Math.log), { map: pos });
    checkOp([[3, 5]], sqrt, each(Math.sqrt), { map: pos });
    checkOp([[3, 5]], rsqrt, each((v) => 1 / Math.sqrt(v)), { map: pos });
    checkOp([[3, 5]], abs, each(Math.abs));
    checkOp([[3, 5]], tanh, each(Math.tanh));
    checkOp([[3, 5]], relu, each((v) => Math.max(v, 0)));
    checkOp([[3, 5]], sigmoid, each((v) => 1 / (1 + Math.exp(-v))));
    checkOp([[3, 5]], (x) => gelu(x), (x) => T.gelu(x));   // erf: no Math function; T.gelu's values are @gloss/tensor's tests
    checkOp([[3, 5]], (x) => gelu(x, 'tanh'), each((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))));
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
