import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectClose } from '../testing/expect-close.js';
import { tensor, zeros } from './creation.js';
import { layerNorm, layerNormWithStats } from './layer-norm.js';

describe('layerNorm', () => {
  it('normalizes each row to mean 0 and variance 1 (biased), hand-checked', () => {
    // [1, 2, 3]: mean 2, var 2/3 → (x − 2)/sqrt(2/3 + 1e-5)
    const r = 1 / Math.sqrt(2 / 3 + 1e-5);
    expectClose(layerNorm(tensor([[1, 2, 3], [5, 5, 5]], undefined, 'float64')), [-r, 0, r, 0, 0, 0], { atol: 1e-12, rtol: 0 });
  });

  it('applies weight and bias', () => {
    const y = layerNorm(tensor([[1, 3]]), tensor([2, 3]), tensor([0.5, -1]), 0);
    expectClose(y, [-2 + 0.5, 3 - 1]);
  });

  it('returns per-row mean and rstd', () => {
    const { mean, rstd } = layerNormWithStats(tensor([[1, 2, 3], [0, 0, 4]]), null, null, 0);
    expectClose(mean, [2, 4 / 3]);
    // [0, 0, 4]: mean 4/3, squared deviations 16/9 + 16/9 + 64/9 = 96/9, biased var 32/9
    expectClose(rstd, [1 / Math.sqrt(2 / 3), 1 / Math.sqrt(32 / 9)]);
  });

  it('refuses a mis-shaped weight, integers and scalars', () => {
    expect(() => layerNorm(zeros([2, 4]), zeros([3]))).toThrow(ShapeError);
    expect(() => layerNorm(zeros([2, 4]), zeros([3]))).toThrow('layerNorm: weight is [3] but x is [2, 4] (weight must be [4])');
    expect(() => layerNorm(tensor([1, 2], undefined, 'int32'))).toThrow(DTypeError);
    expect(() => layerNorm(tensor(1))).toThrow('layerNorm: x must have at least one axis');
  });
});
