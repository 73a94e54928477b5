import { describe, expect, it } from 'vitest';
import { ones } from './creation.js';
import { tril, triu } from './triangle.js';

describe('triu and tril', () => {
  it('keep the chosen triangle with a diagonal offset', () => {
    expect(tril(ones([3, 3], 'bool')).toArray()).toEqual([[true, false, false], [true, true, false], [true, true, true]]);
    expect(triu(ones([2, 3]), 1).toArray()).toEqual([[0, 1, 1], [0, 0, 1]]);
    expect(tril(ones([2, 3]), -1).toArray()).toEqual([[0, 0, 0], [1, 0, 0]]);
  });

  it('apply to every matrix of a batch and refuse vectors', () => {
    expect(triu(ones([2, 2, 2])).toArray()).toEqual([[[1, 1], [0, 1]], [[1, 1], [0, 1]]]);
    expect(() => triu(ones([3]))).toThrow('triu: needs at least 2 axes, got [3]');
  });
});
