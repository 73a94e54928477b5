import { describe, expect, it } from 'vitest';
import { IndexError, ShapeError } from '../errors.js';
import { arange, tensor } from './creation.js';
import { expand, flatten, permute, squeeze, transpose, unsqueeze } from './shape-ops.js';

const x = arange(24).reshape([2, 3, 4]);

describe('permute and transpose', () => {
  it('move elements to the permuted positions', () => {
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    for (const [i, j, k] of [[0, 0, 0], [1, 2, 3], [0, 1, 2], [1, 0, 3]]) expect(p.get(k, i, j)).toBe(x.get(i, j, k));
  });

  it('transpose swaps the last two axes by default', () => {
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(x, 0, 1).shape).toEqual([3, 2, 4]);
  });

  it('the heads split round-trips', () => {
    const h = arange(2 * 5 * 3 * 4).reshape([2, 5, 3, 4]); // [batch, tgtLen, numHeads, headDim]
    const back = permute(permute(h, [0, 2, 1, 3]), [0, 2, 1, 3]);
    expect(back.toArray()).toEqual(h.toArray());
  });

  it('refuses a bad permutation', () => {
    expect(() => permute(x, [0, 1])).toThrow('permute: perm [0, 1] must list each of the 3 axes of [2, 3, 4] once');
    expect(() => permute(x, [0, 0, 1])).toThrow(IndexError);
  });
});

describe('expand', () => {
  it('materializes a broadcast', () => {
    expect(expand(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(expand(tensor([1, 2]), [2, -1]).toArray()).toEqual([[1, 2], [1, 2]]);
  });

  it('refuses to grow a non-1 axis', () => {
    expect(() => expand(tensor([1, 2]), [3])).toThrow(ShapeError);
    expect(() => expand(tensor([1, 2]), [3])).toThrow('expand: cannot expand [2] to [3] (axis 0 has size 2; only size-1 axes can grow)');
  });
});

describe('squeeze, unsqueeze, flatten', () => {
  it('insert and remove size-1 axes for free', () => {
    const u = unsqueeze(x, 1);
    expect(u.shape).toEqual([2, 1, 3, 4]);
    expect(u.data).toBe(x.data);
    expect(unsqueeze(x, -1).shape).toEqual([2, 3, 4, 1]);
    expect(squeeze(u).shape).toEqual([2, 3, 4]);
    expect(squeeze(u, 1).shape).toEqual([2, 3, 4]);
    expect(() => squeeze(u, 0)).toThrow('squeeze: axis 0 of [2, 1, 3, 4] has size 2, not 1');
  });

  it('flatten collapses a range of axes', () => {
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
  });
});
