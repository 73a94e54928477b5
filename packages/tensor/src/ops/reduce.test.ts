import { describe, expect, it } from 'vitest';
import { IndexError, ShapeError, ValueError } from '../errors.js';
import { expectClose } from '../testing/expect-close.js';
import { arange, full, ones, tensor, zeros } from './creation.js';
import { argmax, argmin, max, mean, min, prod, sum, sumTo, variance } from './reduce.js';

const x = arange(24).astype('float32').reshape([2, 3, 4]);

describe('sum', () => {
  it('reduces every axis by default', () => {
    expect(sum(x).item()).toBe(276);
    expect(sum(x).shape).toEqual([]);
  });

  it('reduces one axis, several axes, negative axes, with keepdims', () => {
    expect(sum(x, 0).toArray()).toEqual([[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    expect(sum(x, -1).toArray()).toEqual([[6, 22, 38], [54, 70, 86]]);
    expect(sum(x, [0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(sum(x, [0, 2], true).shape).toEqual([1, 3, 1]);
    expect(sum(x, 1, true).toArray()).toEqual([[[12, 15, 18, 21]], [[48, 51, 54, 57]]]);
  });

  it('accumulates float32 in float64', () => {
    // 2^24 + 1 ones would round to 2^24 in a float32 accumulator.
    expect(sum(ones([(1 << 24) + 2])).item()).toBe((1 << 24) + 2);
  });

  it('gives 0 over an empty axis and keeps int dtypes', () => {
    expect(sum(zeros([0, 3]), 0).toArray()).toEqual([0, 0, 0]);
    expect(sum(tensor([1, 2], undefined, 'int32')).dtype).toBe('int32');
    expect(sum(tensor([true, true, false])).item()).toBe(2);
  });

  it('refuses bad axes naming the rank', () => {
    expect(() => sum(x, 3)).toThrow(IndexError);
    expect(() => sum(x, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 3 (expected -3 to 2)');
    expect(() => sum(x, [1, -2])).toThrow('sum: axis -2 is repeated');
  });
});

describe('mean, prod, variance', () => {
  it('mean divides by the reduced count', () => {
    expect(mean(x, [1, 2]).toArray()).toEqual([5.5, 17.5]);
    expect(mean(tensor([1, 2], undefined, 'int32')).dtype).toBe('float32');
    expect(Number.isNaN(mean(zeros([0])).item())).toBe(true);
  });

  it('prod multiplies', () => {
    expect(prod(tensor([[1, 2], [3, 4]]), 1).toArray()).toEqual([2, 12]);
  });

  it('variance is unbiased by default, population with correction 0', () => {
    const v = tensor([1, 2, 3, 4]);
    expectClose(variance(v), [5 / 3]);
    expectClose(variance(v, undefined, { correction: 0 }), [1.25]);
    expect(variance(tensor([[1, 3], [2, 2]]), 1, { keepdims: true }).toArray()).toEqual([[2], [0]]);
  });
});

describe('max, min, argmax, argmin', () => {
  it('reduce over axes', () => {
    expect(max(x, 2).toArray()).toEqual([[3, 7, 11], [15, 19, 23]]);
    expect(min(x, [0, 1]).toArray()).toEqual([0, 1, 2, 3]);
  });

  it('propagate NaN', () => {
    expect(Number.isNaN(max(tensor([1, NaN, 3])).item())).toBe(true);
    expect(Number.isNaN(min(tensor([[1, NaN]]), 0).data[1])).toBe(true);
  });

  it('refuse an empty axis', () => {
    expect(() => max(zeros([2, 0]), 1)).toThrow(ValueError);
  });

  it('argmax returns the first index of the max, int32', () => {
    const t = tensor([[1, 5, 5], [7, 0, 7]]);
    expect(argmax(t, 1).toArray()).toEqual([1, 0]);
    expect(argmax(t, 1).dtype).toBe('int32');
    expect(argmax(t, 0, true).toArray()).toEqual([[1, 0, 1]]);
    expect(argmax(t).item()).toBe(3);
    expect(argmin(t, 1).toArray()).toEqual([0, 1]);
    expect(argmax(tensor([1, NaN, 3])).item()).toBe(1);
  });
});

describe('sumTo', () => {
  it('sums broadcast axes back to the original shape', () => {
    expect(sumTo(full([4, 2, 3], 1), [2, 1]).toArray()).toEqual([[12], [12]]);
    expect(sumTo(x, [4]).toArray()).toEqual([60, 66, 72, 78]);
    expect(sumTo(x, [2, 3, 4])).toBe(x);
    expect(sumTo(x, []).item()).toBe(276);
  });

  it('refuses a shape that does not broadcast to x', () => {
    expect(() => sumTo(x, [5])).toThrow(ShapeError);
  });
});
