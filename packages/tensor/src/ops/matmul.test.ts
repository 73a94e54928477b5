import { afterEach, describe, expect, it } from 'vitest';
import { cpuBackend, referenceBackend, setBackend } from '../backend/backend.js';
import { DTypeError, ShapeError } from '../errors.js';
import { Generator } from '../random.js';
import { expectClose } from '../testing/expect-close.js';
import { arange, tensor, zeros } from './creation.js';
import { matmul, withResidentWeights } from './matmul.js';
import { randn } from './random.js';
import { transpose } from './shape-ops.js';

afterEach(() => setBackend(cpuBackend));

describe('matmul', () => {
  it('multiplies 2-D matrices (hand-checked)', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([[7, 8], [9, 10], [11, 12]]);
    expect(matmul(a, b).toArray()).toEqual([[58, 64], [139, 154]]);
  });

  it('transpose flags read operands in place', () => {
    const g = new Generator(1);
    const a = randn([5, 7], { generator: g });
    const b = randn([6, 7], { generator: g });
    expectClose(matmul(a, b, { transB: true }), matmul(a, transpose(b)), { atol: 1e-5 });
    const c = randn([7, 5], { generator: g });
    expectClose(matmul(c, b, { transA: true, transB: true }), matmul(transpose(c), transpose(b)), { atol: 1e-5 });
    expectClose(matmul(c, randn([7, 3], { generator: g }), { transA: true }).shape as never, [5, 3]);
  });

  it('broadcasts leading batch axes', () => {
    const g = new Generator(2);
    const a = randn([2, 1, 3, 4], { generator: g });
    const b = randn([5, 4, 2], { generator: g });
    const r = matmul(a, b);
    expect(r.shape).toEqual([2, 5, 3, 2]);
    for (const [i, j] of [[0, 0], [1, 3], [0, 4]]) {
      const ai = tensor(a.data.slice(i * 12, i * 12 + 12), [3, 4]);
      const bj = tensor(b.data.slice(j * 8, j * 8 + 8), [4, 2]);
      const rij = tensor(r.data.slice((i * 5 + j) * 6, (i * 5 + j) * 6 + 6), [3, 2]);
      expectClose(rij, matmul(ai, bj), { atol: 1e-5 });
    }
    expect(matmul(randn([3, 4]), randn([6, 4, 2])).shape).toEqual([6, 3, 2]);
  });

  it('treats 1-D operands as NumPy does', () => {
    const m = arange(6).astype('float32').reshape([2, 3]);
    expect(matmul(m, tensor([1, 1, 1])).toArray()).toEqual([3, 12]);
    expect(matmul(tensor([1, 1]), m).toArray()).toEqual([3, 5, 7]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
  });

  it('handles empty and k = 0 products', () => {
    expect(matmul(zeros([0, 3]), zeros([3, 2])).shape).toEqual([0, 2]);
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('runs float64 on the reference path and agrees with float32', () => {
    const g = new Generator(3);
    const a = randn([9, 17], { generator: g, dtype: 'float64' });
    const b = randn([17, 4], { generator: g, dtype: 'float64' });
    const r = matmul(a, b);
    expect(r.dtype).toBe('float64');
    expectClose(matmul(a.astype('float32'), b.astype('float32')), r, { atol: 1e-5 });
  });

  it('gives the same result on the cpu and reference backends', () => {
    const g = new Generator(4);
    const a = randn([3, 65, 33], { generator: g });
    const b = randn([3, 33, 70], { generator: g });
    const fast = matmul(a, b);
    setBackend(referenceBackend);
    expectClose(fast, matmul(a, b), { atol: 1e-4, rtol: 1e-5 });
  });

  it('throws ShapeError naming both shapes and the rule', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(ShapeError);
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow('matmul: inner dimensions differ: a is [2, 3], b is [4, 5] (a[-1] must equal b[-2])');
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]), { transB: true })).toThrow('(transA false, transB true) (a[-1] must equal b[-1])');
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1]))).toThrow('matmul: cannot broadcast a batch [2] with b batch [3]');
  });

  it('refuses integer operands', () => {
    expect(() => matmul(arange(4).reshape([2, 2]), zeros([2, 2]))).toThrow(DTypeError);
  });
});

describe('matmul with one matrix shared by a batch (the linear layer)', () => {
  it('stacks the batch into one GEMM with the same result as per-entry products', () => {
    const g = new Generator(21);
    const a = randn([5, 7, 9], { generator: g });          // [batch, len, in]
    const w = randn([6, 9], { generator: g });             // [out, in]
    const y = matmul(a, w, { transB: true });
    expect(y.shape).toEqual([5, 7, 6]);
    for (let p = 0; p < 5; p++) {
      const entry = matmul(a.slice(0, p, p + 1).reshape([7, 9]), w, { transB: true });
      expectClose(y.slice(0, p, p + 1).reshape([7, 6]), entry, { atol: 1e-5 });
    }
    // A batch of one in b ([1, k, n]) is shared the same way; float64 takes the reference path.
    const b = randn([1, 9, 4], { generator: g, dtype: 'float64' });
    const y64 = matmul(a.astype('float64'), b);
    expect(y64.shape).toEqual([5, 7, 4]);
    expectClose(y64.slice(0, 4, 5).reshape([7, 4]), matmul(a.astype('float64').slice(0, 4, 5).reshape([7, 9]), b.reshape([9, 4])), { atol: 1e-12 });
  });
});

describe('withResidentWeights', () => {
  it('gives the products it gives outside, for a linear layer and its batch-1 step, and passes float64 through', () => {
    const g = new Generator(8);
    const w = randn([40, 24], { generator: g });          // [out, in]
    const w64 = w.astype('float64');
    const x = randn([5, 3, 24], { generator: g });
    const step = randn([1, 24], { generator: g });
    const outside = [matmul(x, w, { transB: true }), matmul(step, w, { transB: true }), matmul(step.astype('float64'), w64, { transB: true })];
    const inside = withResidentWeights([w, w64], () =>
      [matmul(x, w, { transB: true }), matmul(step, w, { transB: true }), matmul(step.astype('float64'), w64, { transB: true })]);
    for (let i = 0; i < 3; i++) expectClose(inside[i], outside[i], { atol: 1e-5 });
    expect(inside[0].shape).toEqual([5, 3, 40]);
  });
});
