import { describe, expect, it } from 'vitest';
import { IndexError, ShapeError } from '../errors.js';
import { arange, tensor } from './creation.js';
import { concat, narrow, slice, split, stack } from './slice.js';

const x = arange(12).reshape([3, 4]);

describe('slice', () => {
  it('follows Python bounds: negative, clamped, stepped', () => {
    expect(slice(x, 1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(x, 0, -1).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(slice(x, 1, 0, -1).shape).toEqual([3, 3]);
    expect(slice(x, 1, 2, 100).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(slice(x, 1, 0, undefined, 2).toArray()).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(slice(x, 0, 5).shape).toEqual([0, 4]);
    expect(() => slice(x, 0, 0, 2, 0)).toThrow('slice: step must be a positive integer, got 0');
  });
});

describe('narrow', () => {
  it('takes length elements from start', () => {
    expect(narrow(x, 0, 1, 2).toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(narrow(x, 1, -2, 2).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
  });

  it('refuses ranges outside the axis', () => {
    expect(() => narrow(x, 1, 3, 2)).toThrow(IndexError);
    expect(() => narrow(x, 1, 3, 2)).toThrow('narrow: start 3 and length 2 fall outside axis 1 of size 4 in [3, 4]');
  });
});

describe('concat, stack, split', () => {
  it('concat joins along an axis and promotes dtypes', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5], [6]]);
    expect(concat([a, b], 1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(concat([a, tensor([[7, 8]])], 0).toArray()).toEqual([[1, 2], [3, 4], [7, 8]]);
    expect(concat([tensor([1], undefined, 'int32'), tensor([0.5])]).dtype).toBe('float32');
  });

  it('concat names the mismatching tensor', () => {
    expect(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0)).toThrow(ShapeError);
    expect(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])], 0)).toThrow(
      'concat: tensor 1 is [1, 3] but tensor 0 is [1, 2] (all dimensions but axis 0 must match)');
    expect(() => concat([])).toThrow('concat: needs at least one tensor');
  });

  it('stack adds a new axis', () => {
    const s = stack([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])], 1);
    expect(s.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(() => stack([tensor([1]), tensor([1, 2])])).toThrow(ShapeError);
  });

  it('split is the inverse of concat', () => {
    const [a, b] = split(x, [1, 3], 1);
    expect(a.shape).toEqual([3, 1]);
    expect(concat([a, b], 1).toArray()).toEqual(x.toArray());
    expect(() => split(x, [2, 3], 1)).toThrow(ShapeError);
  });
});
