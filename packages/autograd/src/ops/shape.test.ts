import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp } from '../testing/index.js';
import { concat, narrow, slice, stack } from './slice.js';
import { expand, flatten, permute, reshape, squeeze, transpose, unsqueeze } from './shape.js';

describe('shape ops', () => {
  it('pass gradcheck', () => {
    checkOp([[2, 3, 4]], (x) => reshape(x, [4, -1]), (x) => T.reshape(x, [4, 6]));
    checkOp([[2, 3, 4]], (x) => permute(x, [2, 0, 1]), (x) => T.permute(x, [2, 0, 1]));
    checkOp([[2, 3, 4]], (x) => permute(x, [-1, 0, 1]), (x) => T.permute(x, [2, 0, 1]));
    checkOp([[2, 3, 4]], (x) => transpose(x, 0, 2), (x) => T.transpose(x, 0, 2));
    checkOp([[3, 1]], (x) => expand(x, [2, 3, 4]), (x) => T.expand(x, [2, 3, 4]));
    checkOp([[2, 1, 3]], (x) => squeeze(unsqueeze(x, 0), 2), (x) => T.reshape(x, [1, 2, 3]));
    checkOp([[2, 3, 4]], (x) => flatten(x, 1), (x) => T.reshape(x, [2, 12]));
  });

  it('slice and narrow scatter the gradient back into zeros', () => {
    checkOp([[4, 6]], (x) => slice(x, 1, 1, -1), (x) => T.slice(x, 1, 1, -1));
    checkOp([[4, 6]], (x) => slice(x, 1, 0, undefined, 2), (x) => T.slice(x, 1, 0, undefined, 2));
    checkOp([[4, 6]], (x) => slice(x, 0, -3, 100), (x) => T.slice(x, 0, -3, 100));
    checkOp([[4, 6]], (x) => narrow(x, 0, 1, 2), (x) => T.narrow(x, 0, 1, 2));
    expect(() => narrow(T.zeros([2, 2]), 0, 1, 2)).toThrow('narrow: start 1 and length 2 fall outside axis 0 of size 2');
  });

  it('concat and stack split the gradient back', () => {
    checkOp([[2, 3], [2, 1], [2, 2]], (a, b, c) => concat([a, b, c], 1), (a, b, c) => T.concat([a, b, c], 1));
    checkOp([[2, 3], [1, 3]], (a, b) => concat([a, b], 0), (a, b) => T.concat([a, b], 0));
    checkOp([[2, 3], [2, 3]], (a, b) => stack([a, b], 1), (a, b) => T.stack([a, b], 1));
  });
});
