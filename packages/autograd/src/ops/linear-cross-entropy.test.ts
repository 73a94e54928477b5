import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, gradcheck, randVariable } from '../testing/index.js';
import { noGrad } from '../grad-mode.js';
import { variable, type Variable } from '../variable.js';
import { crossEntropy, tokenCrossEntropy } from './cross-entropy.js';
import { linear } from './linear.js';
import { linearCrossEntropy, tokenLinearCrossEntropy } from './linear-cross-entropy.js';

const ids = (v: number[]) => T.tensor(v, undefined, 'int32');
const targets = ids([1, 0, 4, 6, 0, 2, 3]);                          // 0 is the pad id: five counted
const opts = { ignoreIndex: 0, labelSmoothing: 0.1 };

/** Value and gradients of x, W, b for a loss over (x, W, b). */
function run(loss: (x: Variable, w: Variable, b: Variable) => Variable, seed: number, dtype: T.FloatDType = 'float64') {
  const g = new T.Generator(seed);
  const [x, w, b] = [[7, 5], [7, 5], [7]].map((shape) => variable(T.randn(shape, { generator: g, dtype }), { requiresGrad: true }));
  const out = loss(x, w, b);
  out.mul(3).backward();                                              // an upstream gradient other than 1
  return { value: out.item(), grads: [x.grad!, w.grad!, b.grad!] };
}

describe('linearCrossEntropy', () => {
  it.each([['mean', 1], ['mean', 3], ['sum', 2], ['sum', 7]] as const)(
    'equals crossEntropy(linear(x, W, b)) in value and every gradient (%s, %i rows per chunk)', (reduction, chunkRows) => {
      const want = run((x, w, b) => crossEntropy(linear(x, w, b), targets, { ...opts, reduction }), 1);
      const got = run((x, w, b) => linearCrossEntropy(x, w, b, targets, { ...opts, reduction, chunkRows }), 1);
      expect(Math.abs(got.value - want.value)).toBeLessThan(1e-12);
      got.grads.forEach((g, i) => expectClose(g, want.grads[i], { atol: 1e-12, rtol: 1e-10 }));
    });

  it('agrees in float32 over a real vocabulary in two chunks', () => {
    const g = new T.Generator(2);
    const x = variable(T.randn([600, 32], { generator: g }), { requiresGrad: true });
    const w = variable(T.randn([4000, 32], { generator: g }).mul(0.2), { requiresGrad: true });
    const t = T.tensor(Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? 0 : 1 + g.int(3999))), undefined, 'int32');
    const want = crossEntropy(linear(x, w), t, opts);
    want.backward();
    const [wx, ww] = [x.grad!, w.grad!];
    x.zeroGrad(); w.zeroGrad();
    const got = linearCrossEntropy(x, w, null, t, { ...opts, chunkRows: 400 });   // two chunks
    got.backward();
    expect(Math.abs(got.item() - want.item())).toBeLessThan(1e-5);
    expectClose(x.grad!, wx, { atol: 1e-7, rtol: 1e-4 });
    expectClose(w.grad!, ww, { atol: 1e-7, rtol: 1e-4 });
  });

  it('passes gradcheck with smoothing, ignored targets and chunks', () => {
    gradcheck((x, w, b) => linearCrossEntropy(x, w, b, ids([1, 0, 2]), { ...opts, chunkRows: 2 }),
      [randVariable([3, 4], 3), randVariable([5, 4], 4), randVariable([5], 5)]);
  });

  it('records no graph under noGrad and gives the same value', () => {
    const x = randVariable([7, 5], 6);
    const w = randVariable([7, 5], 7);
    const out = noGrad(() => linearCrossEntropy(x, w, null, targets, opts));
    expect(out.requiresGrad).toBe(false);
    expect(Math.abs(out.item() - crossEntropy(linear(x, w), targets, opts).item())).toBeLessThan(1e-12);
  });

  it('tokenLinearCrossEntropy gives tokenCrossEntropy(linear(x, W, b)): sum, numTokens and nllSum', () => {
    const [x, w, b] = [randVariable([7, 5], 8), randVariable([7, 5], 9), randVariable([7], 10)];
    const want = tokenCrossEntropy(linear(x, w, b), targets, opts);
    const got = tokenLinearCrossEntropy(x, w, b, targets, { ...opts, chunkRows: 3 });
    expect(got.numTokens).toBe(5);
    expect(Math.abs(got.sum.item() - want.sum.item())).toBeLessThan(1e-12);
    expect(Math.abs(got.nllSum - want.nllSum)).toBeLessThan(1e-12);
  });

  it('refuses mismatched shapes, bad targets and options, naming them', () => {
    const w = T.zeros([4, 3]);
    expect(() => linearCrossEntropy(T.zeros([2, 2]), w, null, ids([1, 2]))).toThrow(
      'linearCrossEntropy: x is [2, 2], weight [4, 3], targets [2] (x must be [rows, inFeatures] and targets [rows])');
    expect(() => linearCrossEntropy(T.zeros([2, 3]), w, T.zeros([3]), ids([1, 2]))).toThrow('linearCrossEntropy: bias is [3], expected [4] (weight is [4, 3])');
    expect(() => linearCrossEntropy(T.zeros([2, 3]), w, null, ids([1, 4]))).toThrow(
      'linearCrossEntropy: target 4 at position 1 is out of range for vocabSize 4 (and is not ignoreIndex -100)');
    expect(() => linearCrossEntropy(T.zeros([2, 3]), w, null, ids([1, 2]), { chunkRows: 0 })).toThrow('chunkRows must be a positive integer, got 0');
    expect(() => linearCrossEntropy(T.zeros([2, 3]), w, null, ids([1, 2]), { reduction: 'none' as never })).toThrow("reduction must be 'mean' or 'sum'");
  });
});
