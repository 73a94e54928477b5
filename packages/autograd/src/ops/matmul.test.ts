import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, gradcheck, randVariable } from '../testing/index.js';
import { variable } from '../variable.js';
import { matmul } from './matmul.js';

describe('matmul', () => {
  it('passes gradcheck for every transpose combination', () => {
    checkOp([[3, 4], [4, 5]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    checkOp([[4, 3], [4, 5]], (a, b) => matmul(a, b, { transA: true }), (a, b) => T.matmul(T.transpose(a), b));
    checkOp([[3, 4], [5, 4]], (a, b) => matmul(a, b, { transB: true }), (a, b) => T.matmul(a, T.transpose(b)));
    checkOp([[4, 3], [5, 4]], (a, b) => matmul(a, b, { transA: true, transB: true }), (a, b) => T.matmul(T.transpose(a), T.transpose(b)));
  });

  it('sums gradients over broadcast batch axes', () => {
    checkOp([[2, 3, 4], [4, 5]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    checkOp([[2, 1, 3, 4], [5, 4, 2]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    checkOp([[2, 4, 3], [1, 5, 4]], (a, b) => matmul(a, b, { transA: true, transB: true }), null);
  });

  it('handles 1-D operands', () => {
    checkOp([[4], [4, 3]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    checkOp([[2, 4], [4]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    checkOp([[4], [4]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
  });

  it('computes dA = dY·Bᵀ and dB = Aᵀ·dY by hand', () => {
    const a = variable(T.tensor([[1, 2]]), { requiresGrad: true });
    const b = variable(T.tensor([[3], [4]]), { requiresGrad: true });
    matmul(a, b).backward(T.tensor([[2]]));
    expect(a.grad!.toArray()).toEqual([[6, 8]]);
    expect(b.grad!.toArray()).toEqual([[2], [4]]);
  });

  it('gradients with a constant operand', () => {
    const w = randVariable([4, 3], 5);
    const x = T.randn([2, 4], { generator: new T.Generator(1), dtype: 'float64' });
    gradcheck((w) => matmul(x, w), [w]);
  });
});
