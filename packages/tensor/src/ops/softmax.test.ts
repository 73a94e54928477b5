import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/expect-close.js';
import { tensor } from './creation.js';
import { logSoftmax, logSumExp, softmax } from './softmax.js';

describe('softmax', () => {
  it('matches hand-checked values', () => {
    // torch.softmax(torch.tensor([2., 1., 3.], dtype=torch.float64), 0)
    expectClose(softmax(tensor([2, 1, 3], undefined, 'float64')), [0.2447284710547976, 0.09003057317038045, 0.6652409557748218], { atol: 1e-15, rtol: 0 });
    expectClose(softmax(tensor([2, 1, 3])), [0.24472847, 0.09003057, 0.66524095], { atol: 1e-7 });
  });

  it('is stable for very large logits', () => {
    expectClose(softmax(tensor([1000, 1000, -1000])), [0.5, 0.5, 0]);
    expectClose(logSoftmax(tensor([1000, 0])), [0, -1000]);
  });

  it('works along another axis', () => {
    const s = softmax(tensor([[0, 1], [0, 1]]), 0);
    expectClose(s, [0.5, 0.5, 0.5, 0.5]);
    const t = softmax(tensor([[1, 2], [3, 4]]), 0);
    expectClose(t.toArray(), [[0.11920292, 0.11920292], [0.88079708, 0.88079708]], { atol: 1e-7 });
  });

  it('logSoftmax equals log of softmax where both are finite', () => {
    const x = tensor([[0.3, -1.2, 2.5], [4, 4, 4]]);
    expectClose(logSoftmax(x), softmax(x).log(), { atol: 1e-6 });
  });

  it('gives NaN for a row of all −∞, as PyTorch', () => {
    expect(Array.from(softmax(tensor([-Infinity, -Infinity])).data).every(Number.isNaN)).toBe(true);
  });
});

describe('logSumExp', () => {
  it('is stable and reduces the chosen axis', () => {
    expectClose(logSumExp(tensor([1000, 1000])), [1000 + Math.LN2], { atol: 1e-3 });
    expectClose(logSumExp(tensor([[0, 0], [1, 1]]), 0), [Math.log(1 + Math.E), Math.log(1 + Math.E)]);
    expect(logSumExp(tensor([[0, 0], [1, 1]]), 1, true).shape).toEqual([2, 1]);
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
  });
});
