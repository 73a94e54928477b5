import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, gradcheck, randVariable } from '../testing/index.js';
import { packedHeads } from './packed-heads.js';
import { permute, reshape } from './shape.js';
import { slice } from './slice.js';

describe('packedHeads', () => {
  it('equals slice → reshape → permute of the packed projection, in value and gradient', () => {
    const x = randVariable([2, 3, 12], 1);                          // 3 parts of 2 heads × headDim 2
    for (let part = 0; part < 3; part++) {
      const got = packedHeads(x, part, 3, 2);
      const want = permute(reshape(slice(x, 2, part * 4, part * 4 + 4), [2, 3, 2, 2]), [0, 2, 1, 3]);
      expect(got.shape).toEqual([2, 2, 3, 2]);
      expectClose(got.value, want.value, { atol: 0 });
    }
    gradcheck((v) => packedHeads(v, 1, 3, 2).mul(packedHeads(v, 2, 3, 2)).add(packedHeads(v, 0, 3, 2)), [randVariable([2, 3, 12], 2)]);
  });

  it('refuses a width that is not parts · numHeads · headDim and a part out of range', () => {
    expect(() => packedHeads(T.zeros([2, 3, 10]), 0, 3, 2)).toThrow('packedHeads: x is [2, 3, 10]; expected [batch, len, parts 3 · numHeads 2 · headDim]');
    expect(() => packedHeads(T.zeros([2, 3, 12]), 3, 3, 2)).toThrow('packedHeads: part must be an integer in [0, 3), got 3');
  });
});
