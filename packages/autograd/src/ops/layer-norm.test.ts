import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, gradcheck, randVariable } from '../testing/index.js';
import { layerNorm } from './layer-norm.js';

describe('layerNorm', () => {
  it('passes gradcheck for x, weight and bias (fused backward)', () => {
    checkOp([[4, 7], [7], [7]], (x, w, b) => layerNorm(x, w, b), (x, w, b) => T.layerNorm(x, w, b));
    checkOp([[2, 3, 8], [8], [8]], (x, w, b) => layerNorm(x, w, b, 1e-3), (x, w, b) => T.layerNorm(x, w, b, 1e-3));
  });

  it('passes gradcheck without affine parameters, and with constant ones', () => {
    gradcheck((x) => layerNorm(x), [randVariable([3, 6], 1)]);
    const w = T.full([6], 1.5, 'float64');
    gradcheck((x, b) => layerNorm(x, w, b), [randVariable([3, 6], 2), randVariable([6], 3)]);
  });

  it('dx of a row sums to zero (normalization removes the mean)', () => {
    const x = randVariable([2, 5], 4);
    layerNorm(x).backward(T.randn([2, 5], { generator: new T.Generator(1), dtype: 'float64' }));
    for (const s of T.sum(x.grad!, 1).data) expect(Math.abs(s)).toBeLessThan(1e-12);
  });
});
