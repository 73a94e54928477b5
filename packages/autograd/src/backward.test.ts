import { add as tAdd, Generator, randn, ShapeError, tensor, type Tensor } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { defineOp } from './define-op.js';
import { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
import { add, exp, matmul, mul, sum } from './ops/index.js';
import { expectClose, gradcheck, randVariable } from './testing/index.js';
import { Variable, variable } from './variable.js';
import { PartialGradient } from './partial-gradient.js';

const leaf = (v: number[] | number[][]) => variable(tensor(v), { requiresGrad: true });

describe('backward', () => {
  it('computes d(x²y + y)/dx and /dy by hand', () => {
    const x = leaf([3]);
    const y = leaf([4]);
    const z = add(mul(mul(x, x), y), y); // x²y + y
    z.backward();
    expect(x.grad!.toArray()).toEqual([24]); // 2xy
    expect(y.grad!.toArray()).toEqual([10]); // x² + 1
  });

  it('accumulates gradients when a value is used more than once (diamond)', () => {
    const x = leaf([2]);
    const a = mul(x, 3);
    const b = exp(x);
    sum(add(mul(a, b), a)).backward(); // 3x·eˣ + 3x → d/dx = 3eˣ + 3x·eˣ + 3
    expectClose(x.grad!, [3 * Math.exp(2) + 6 * Math.exp(2) + 3], { rtol: 1e-6 });
  });

  it('accumulates into grad across backward calls until zeroGrad', () => {
    const x = leaf([1, 2]);
    sum(mul(x, x)).backward();
    sum(mul(x, x)).backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('sums many uses of a leaf and of an intermediate correctly when adding in place', () => {
    const x = leaf([1, 2, 3]);
    const u = mul(x, 2);                                   // used three times: its gradient is accumulated
    const out = sum(add(add(mul(u, u), u), mul(u, 3)));    // u² + u + 3u → d/du = 2u + 4, d/dx = 2(2u + 4)
    out.backward();
    expect(x.grad!.toArray()).toEqual([16, 24, 32]);
  });

  it('never writes into a gradient another input still holds (add hands the same dy to both)', () => {
    const x = leaf([1, 2]);
    const a = mul(x, 1);
    const b = mul(x, 10);
    const s = add(a, b);                                   // backward gives a and b the same tensor: s's summed gradient
    const out = sum(add(add(s, s), mul(a, 5)));            // a receives a second term: must not change b's
    out.backward();
    expect(x.grad!.toArray()).toEqual([27, 27]);           // out = 2·11x + 5x
  });

  it('leaves a gradient from an earlier backward untouched when accumulating into it', () => {
    const x = leaf([1, 2]);
    sum(mul(x, x)).backward();
    const first = x.grad!;
    const y = mul(x, 3);
    sum(add(y, y)).backward();                             // two terms in this call: summed in place, not into `first`
    expect(first.toArray()).toEqual([2, 4]);
    expect(x.grad!.toArray()).toEqual([8, 10]);
  });

  it('takes an explicit upstream gradient for a non-scalar output', () => {
    const x = leaf([[1, 2], [3, 4]]);
    mul(x, 2).backward(tensor([[1, 0], [0, 10]]));
    expect(x.grad!.toArray()).toEqual([[2, 0], [0, 20]]);
  });

  it('refuses an implicit gradient for a non-scalar output, and a mis-shaped gradient', () => {
    const x = leaf([1, 2]);
    expect(() => mul(x, 2).backward()).toThrow(ShapeError);
    expect(() => mul(x, 2).backward()).toThrow('backward: an implicit gradient needs a one-element output, got [2]');
    expect(() => mul(x, 2).backward(tensor([1, 2, 3]))).toThrow('backward: gradient is [3] but the output is [2]');
  });

  it('refuses backward from something that does not require grad', () => {
    const x = variable(tensor([1]));
    expect(() => mul(x, 2).backward()).toThrow('backward: the output does not require grad');
  });

  it('releases the graph: a second backward through it fails clearly, unless retainGraph', () => {
    const x = leaf([1, 2]);
    const y = sum(mul(x, x));
    y.backward();
    expect(y.node!.inputs).toEqual([]);
    expect(() => y.backward()).toThrow("backward: the graph through 'sum' was released by an earlier backward()");
    const z = sum(mul(x, x));
    x.zeroGrad();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
  });

  it('gives a leaf used directly as the output its seed gradient', () => {
    const x = leaf([5]);
    x.backward();
    expect(x.grad!.toArray()).toEqual([1]);
  });

  it('handles deep graphs without recursion limits', () => {
    const x = leaf([1]);
    let y: Variable = x;
    for (let i = 0; i < 12000; i++) y = add(y, 1e-4);
    y.backward();
    expect(x.grad!.toArray()).toEqual([1]);
  });

  it('only accumulates grads for inputs that require them', () => {
    const w = leaf([[1, 2], [3, 4]]);
    const x = variable(tensor([[1, 1]]));
    sum(matmul(x, w)).backward();
    expect(w.grad!.toArray()).toEqual([[1, 1], [1, 1]]);
    expect(x.grad).toBeNull();
  });
});

describe('grad mode and detach', () => {
  it('noGrad records nothing and restores the mode', () => {
    const x = leaf([1]);
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('enableGrad records even inside noGrad', () => {
    const x = leaf([1]);
    const y = noGrad(() => enableGrad(() => mul(x, 2)));
    expect(y.requiresGrad).toBe(true);
  });

  it('detach cuts the graph', () => {
    const x = leaf([3]);
    const d = mul(x, x).detach();
    const y = add(mul(d, x), 0); // d is a constant 9 here
    y.backward();
    expect(x.grad!.toArray()).toEqual([9]);
  });

  it('refuses requiresGrad on integer values', () => {
    expect(() => variable(tensor([1], undefined, 'int32'), { requiresGrad: true })).toThrow(
      'Variable: only float32 or float64 values can require grad, got int32');
  });
});

describe('defineOp', () => {
  it('makes a user op that gradcheck accepts (SiLU, the documented example)', () => {
    const silu = defineOp('silu', {
      forward: (x: Tensor) => {
        const s = x.sigmoid();
        return { out: x.mul(s), saved: s };
      },
      backward: (dy, { args: [x], saved: s }) => [dy.mul(s.add(x.mul(s).mul(s.neg().add(1))))],
    });
    expect(gradcheck((x) => silu(x), [randVariable([3, 4], 1)])).toBe(true);
  });

  it('checks the shape of every gradient a backward returns, naming the op', () => {
    const bad = defineOp('badSum', {
      forward: (x: Tensor) => x.sum(),
      backward: (dy) => [dy], // forgot to broadcast back to x's shape
    });
    const x = leaf([1, 2, 3]);
    expect(() => bad(x).backward()).toThrow('badSum: backward returned a gradient of shape [] for input 0 of shape [3]');
  });

  it('complains when a needed gradient is missing', () => {
    const none = defineOp('noGradient', { forward: (x: Tensor) => x.mul(2), backward: () => [null] });
    expect(() => sum(none(leaf([1]))).backward()).toThrow('noGradient: backward returned no gradient for input 0');
  });
});

describe('gradcheck', () => {
  it('catches a wrong sign, a missing term and a wrong broadcast reduction', () => {
    const wrongSign = defineOp('wrongSign', { forward: (x: Tensor) => x.mul(x), backward: (dy, { args: [x] }) => [dy.mul(x).mul(-2)] });
    expect(() => gradcheck((x) => wrongSign(x), [randVariable([4], 2)])).toThrow(/gradcheck: input 0 element \[\d\]: backward gives/);
    // d(x·eˣ)/dx = eˣ + x·eˣ; dropping x·eˣ must be caught.
    const missingTerm = defineOp('missingTerm', { forward: (x: Tensor) => x.mul(x.exp()), backward: (dy, { args: [x] }) => [dy.mul(x.exp())] });
    expect(() => gradcheck((x) => missingTerm(x), [randVariable([4], 3)])).toThrow('gradcheck');
    // b broadcasts over rows: its gradient must be summed over them, not taken from row 0.
    const badBroadcast = defineOp('badBroadcast', {
      forward: (a: Tensor, b: Tensor) => tAdd(a, b),
      backward: (dy) => [dy, dy.slice(0, 0, 1).reshape([3])],
    });
    expect(() => gradcheck((a, b) => badBroadcast(a, b), [randVariable([2, 3], 4), randVariable([3], 5)])).toThrow('input 1');
  });

  it('passes a correct composite and refuses float32 inputs', () => {
    expect(gradcheck((a, b) => sum(mul(exp(a), b), 1), [randVariable([2, 3], 6), randVariable([2, 3], 7)])).toBe(true);
    const f32 = variable(randn([2], { generator: new Generator(1) }), { requiresGrad: true });
    expect(() => gradcheck((x) => x, [f32])).toThrow('gradcheck: input 0 is float32; gradcheck needs float64 inputs');
  });
});

describe('PartialGradient', () => {
  /** x[i] for i in `at` (float64 [n] → [at.length]); its gradient only touches those positions. */
  const pick = defineOp('pick', {
    forward: (x: Tensor, at: readonly number[]) => tensor(at.map((i) => x.data[i]), undefined, 'float64'),
    backward: (dy, { args: [x, at] }) => [new PartialGradient(x.shape, 'float64', (acc) => at.forEach((i, j) => { acc[i] += dy.data[j]; })), null],
  });

  it('accumulates partial terms into one buffer for leaves and intermediates, equal to the dense sum', () => {
    const x = randVariable([5], 1);
    const w = variable(tensor([1, 2, 3, 4, 5], undefined, 'float64'), { requiresGrad: true });
    const h = mul(x, w);                                            // an intermediate used by three picks (one overlapping)
    const loss = add(add(sum(mul(pick(h, [0, 1]), 2)), sum(pick(h, [2, 4]))), sum(mul(pick(x, [1, 1, 3]), 3)));
    loss.backward();
    // dloss/dh = [2, 2, 1, 0, 1]; dloss/dx = dh·w + 3·[0, 2, 0, 1, 0]
    expectClose(w.grad!, [2 * x.value.data[0], 2 * x.value.data[1], x.value.data[2], 0, x.value.data[4]], { atol: 1e-15 });
    expectClose(x.grad!, [2, 4 + 6, 3, 3, 5], { atol: 1e-15 });
    expect(gradcheck((v) => add(sum(pick(v, [0, 2])), sum(mul(pick(v, [2, 3]), pick(v, [3, 4])))), [randVariable([5], 2)])).toBe(true);
  });

  it('never writes into a gradient from an earlier backward call', () => {
    const x = randVariable([3], 3);
    sum(pick(x, [0])).backward();
    const first = x.grad!;
    sum(pick(x, [1])).backward();
    expect(Array.from(first.data)).toEqual([1, 0, 0]);
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 0]);
  });
});
