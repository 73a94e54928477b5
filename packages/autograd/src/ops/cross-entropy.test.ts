import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { crossEntropy, tokenCrossEntropy } from './cross-entropy.js';
import { logSoftmax } from './softmax.js';

const ids = (v: number[] | number[][]) => T.tensor(v, undefined, 'int32');

describe('crossEntropy', () => {
  it('equals −log softmax at the target, hand-checked', () => {
    const logits = T.tensor([[2, 1, 3]], undefined, 'float64');
    const loss = crossEntropy(logits, ids([2]));
    expectClose(loss.value, [-Math.log(0.6652409557748218)], { atol: 1e-15 });
  });

  it('matches the composed −mean(logSoftmax·targetDistribution) with smoothing and padding', () => {
    const x = randVariable([4, 5], 1);
    const t = ids([1, 0, 4, 0]); // 0 is the pad id
    const eps = 0.2;
    const loss = crossEntropy(x, t, { ignoreIndex: 0, labelSmoothing: eps });
    const lp = logSoftmax(x.detach()).value;
    let total = 0;
    for (const r of [0, 2]) {
      const row = Array.from(lp.data.slice(r * 5, r * 5 + 5));
      total += -(1 - eps) * row[t.data[r]] - (eps / 5) * row.reduce((a, b) => a + b, 0);
    }
    expectClose(loss.value, [total / 2], { atol: 1e-12 });
  });

  it('passes gradcheck for every reduction, with smoothing and ignored targets', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const labelSmoothing of [0, 0.1]) {
        gradcheck((x) => crossEntropy(x, ids([[1, 0, 3], [0, 2, 2]]), { ignoreIndex: 0, labelSmoothing, reduction }), [randVariable([2, 3, 4], 2)]);
      }
    }
  });

  it('is stable for huge logits', () => {
    const x = variable(T.tensor([[1e4, 0, -1e4]], undefined, 'float64'), { requiresGrad: true });
    const loss = crossEntropy(x, ids([1]));
    expect(loss.item()).toBeCloseTo(1e4, 6);
    loss.backward();
    expectClose(x.grad!, [[1, -1, 0]], { atol: 1e-12 });
  });

  it('gives 0 loss and zero gradients when every target is ignored (PyTorch gives NaN)', () => {
    const x = variable(T.ones([2, 3]), { requiresGrad: true });
    const loss = crossEntropy(x, ids([0, 0]), { ignoreIndex: 0 });
    expect(loss.item()).toBe(0);
    loss.backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('refuses out-of-range targets and mismatched shapes', () => {
    expect(() => crossEntropy(T.zeros([2, 3]), ids([0, 3]))).toThrow(
      'crossEntropy: target 3 at flat position 1 is out of range for vocabSize 3 (and is not ignoreIndex -100)');
    expect(() => crossEntropy(T.zeros([2, 3]), ids([0, 1, 2]))).toThrow(
      'crossEntropy: logits [2, 3] and targets [3] disagree (logits must be [...targets.shape, vocabSize])');
    expect(() => crossEntropy(T.zeros([2, 3]), T.tensor([0, 1]))).toThrow('crossEntropy: targets must be int32 class ids, got float32');
    expect(() => crossEntropy(T.zeros([2, 3]), ids([0, 1]), { reduction: 'avg' as never })).toThrow("reduction must be 'mean', 'sum' or 'none'");
  });

  it('computes the gradient in the forward pass for sum and mean: equal to the backward-pass gradient (float32, vocab 3000)', () => {
    const g = new T.Generator(3);
    const value = T.randn([24, 3000], { generator: g }).mul(3);
    const t = T.tensor(Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 0 : 1 + g.int(2999))), undefined, 'int32');
    const opts = { ignoreIndex: 0, labelSmoothing: 0.1 };
    const perRow = variable(value, { requiresGrad: true });        // 'none' then sum: the backward recomputes the softmax
    crossEntropy(perRow, t, { ...opts, reduction: 'none' }).sum().backward();
    for (const reduction of ['sum', 'mean'] as const) {
      const x = variable(value, { requiresGrad: true });
      const loss = crossEntropy(x, t, { ...opts, reduction });
      loss.mul(2).backward();                                        // an upstream gradient other than 1
      const n = reduction === 'mean' ? 19 : 1;
      expectClose(x.grad!, T.mul(perRow.grad!, 2 / n), { atol: 1e-8, rtol: 1e-6 });
    }
  });

  it('gives the same fused gradient on a second backward through a kept graph', () => {
    const x = randVariable([3, 4], 7);
    const loss = crossEntropy(x, ids([1, 2, 3]), { labelSmoothing: 0.1 });
    loss.backward(undefined, { retainGraph: true });
    const first = x.grad!.clone();
    loss.backward();
    expectClose(x.grad!, T.mul(first, 2), { atol: 1e-15 });
  });
});

describe('tokenCrossEntropy', () => {
  it('is the sum of crossEntropy, the count of targets not ignored and Σ −log p(target), with smoothing', () => {
    const x = randVariable([2, 3, 5], 8);
    const t = ids([[1, 4, 0], [2, 0, 0]]);
    const { sum, numTokens, nllSum } = tokenCrossEntropy(x, t, { ignoreIndex: 0, labelSmoothing: 0.1 });
    const lp = logSoftmax(x.detach()).value.data;
    expect(numTokens).toBe(3);
    expect(sum.item()).toBeCloseTo(crossEntropy(x, t, { ignoreIndex: 0, labelSmoothing: 0.1, reduction: 'sum' }).item(), 12);
    expect(nllSum).toBeCloseTo(-(lp[1] + lp[5 + 4] + lp[15 + 2]), 12);
    gradcheck((v) => tokenCrossEntropy(v, t, { ignoreIndex: 0, labelSmoothing: 0.1 }).sum, [randVariable([2, 3, 5], 9)]);
  });
});
