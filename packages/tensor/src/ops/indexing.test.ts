import { describe, expect, it } from 'vitest';
import { DTypeError, IndexError, ShapeError } from '../errors.js';
import { arange, tensor, zeros } from './creation.js';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing.js';

const ids = (v: number[][] | number[]) => tensor(v, undefined, 'int32');

describe('indexSelect', () => {
  it('looks up embedding rows with any index shape', () => {
    const weight = arange(10).astype('float32').reshape([5, 2]);
    const e = indexSelect(weight, ids([[4, 0], [1, 1]]));
    expect(e.shape).toEqual([2, 2, 2]);
    expect(e.toArray()).toEqual([[[8, 9], [0, 1]], [[2, 3], [2, 3]]]);
  });

  it('selects along an inner axis', () => {
    const x = arange(6).reshape([2, 3]);
    expect(indexSelect(x, ids([2, 0]), 1).toArray()).toEqual([[2, 0], [5, 3]]);
  });

  it('refuses out-of-range and non-int32 indices', () => {
    expect(() => indexSelect(zeros([5, 2]), ids([5]))).toThrow(IndexError);
    expect(() => indexSelect(zeros([5, 2]), ids([-1]))).toThrow('indexSelect: index -1 (at flat position 0) is out of range for axis 0 of size 5');
    expect(() => indexSelect(zeros([5, 2]), tensor([1]))).toThrow(DTypeError);
  });
});

describe('indexAdd', () => {
  it('accumulates repeated indices (the embedding gradient)', () => {
    const g = indexAdd(zeros([4, 2]), ids([[1, 3], [1, 1]]), tensor([[[1, 1], [2, 2]], [[3, 3], [4, 4]]]));
    expect(g.toArray()).toEqual([[0, 0], [8, 8], [0, 0], [2, 2]]);
  });

  it('refuses a src of the wrong shape', () => {
    expect(() => indexAdd(zeros([4, 2]), ids([1, 2]), zeros([2, 3]))).toThrow(ShapeError);
  });
});

describe('gather and scatterAdd', () => {
  it('gather follows torch.gather', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(gather(x, 1, ids([[0, 0], [1, 0]])).toArray()).toEqual([[1, 1], [4, 3]]);
    expect(gather(x, 0, ids([[1, 0]])).toArray()).toEqual([[3, 2]]);
  });

  it('scatterAdd follows torch.scatter_add', () => {
    const r = scatterAdd(zeros([2, 3]), 1, ids([[0, 0, 2], [1, 2, 1]]), tensor([[1, 2, 3], [4, 5, 6]]));
    expect(r.toArray()).toEqual([[3, 0, 3], [0, 10, 5]]);
  });

  it('refuse an index that does not fit', () => {
    expect(gather(zeros([2, 2]), 1, ids([[0, 0, 0]])).shape).toEqual([1, 3]); // any length along the gather axis
    expect(() => gather(zeros([2, 2]), 1, ids([[0], [0], [0]]))).toThrow(ShapeError);
    expect(() => gather(zeros([2, 2]), 1, ids([[0, 2]]))).toThrow(IndexError);
  });
});
