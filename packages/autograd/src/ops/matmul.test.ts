import * as T from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { checkOp, expectClose, gradcheck, randVariable } from '../testing/index.js';
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

  it('computes a shared 2-D b’s gradient with one GEMM over every row of a (linear layers)', () => {
    checkOp([[2, 3, 4], [5, 4]], (a, b) => matmul(a, b, { transB: true }), (a, b) => T.matmul(a, T.transpose(b)));
    checkOp([[2, 2, 3, 4], [4, 5]], (a, b) => matmul(a, b), (a, b) => T.matmul(a, b));
    // The folded gradient equals the sum of per-entry gradients, computed separately.
    const a = randVariable([3, 4, 5], 7);
    const w = randVariable([6, 5], 8);
    const dy = T.randn([3, 4, 6], { generator: new T.Generator(9), dtype: 'float64' });
    matmul(a, w, { transB: true }).backward(dy);
    let want = T.zeros([6, 5], 'float64');
    for (let p = 0; p < 3; p++) {
      const ap = T.slice(a.value, 0, p, p + 1).reshape([4, 5]);
      const dyp = T.slice(dy, 0, p, p + 1).reshape([4, 6]);
      want = T.add(want, T.matmul(dyp, ap, { transA: true }));
    }
    expectClose(w.grad!, want, { atol: 1e-12 });
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
