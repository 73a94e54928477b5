import { describe, expect, it } from 'vitest';
import { erf } from '../backend/cpu/erf.js';
import { DTypeError, ShapeError } from '../errors.js';
import { expectClose } from '../testing/expect-close.js';
import { tensor, zeros } from './creation.js';
import {
  abs, add, clamp, div, eq, exp, ge, gelu, gt, isFinite, isNaN, le, log, logicalAnd, logicalNot, logicalOr, logicalXor,
  lt, maskedFill, maximum, minimum, mul, ne, neg, pow, reciprocal, relu, rsqrt, sigmoid, sign, sqrt, square, sub, tanh, where,
} from './elementwise.js';

describe('binary ops', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[6, 5, 4], [3, 2, 1]]);

  it('compute hand-checked values', () => {
    expect(add(a, b).toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
    expect(sub(a, b).toArray()).toEqual([[-5, -3, -1], [1, 3, 5]]);
    expect(mul(a, b).toArray()).toEqual([[6, 10, 12], [12, 10, 6]]);
    expectClose(div(a, b), [1 / 6, 2 / 5, 3 / 4, 4 / 3, 5 / 2, 6]);
    expect(pow(a, 2).toArray()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(maximum(a, b).toArray()).toEqual([[6, 5, 4], [4, 5, 6]]);
    expect(minimum(a, b).toArray()).toEqual([[1, 2, 3], [3, 2, 1]]);
  });

  it('broadcast a column against a row', () => {
    const r = add(tensor([[1], [2]]), tensor([10, 20, 30]));
    expect(r.shape).toEqual([2, 3]);
    expect(r.toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
  });

  it('broadcast across rank differences and inner size-1 axes', () => {
    const x = tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 3, 2]);
    const y = tensor([[100], [200], [300]]); // [3, 1]
    const r = add(x, y);
    expect(r.shape).toEqual([2, 3, 2]);
    expect(r.toArray()).toEqual([[[100, 101], [202, 203], [304, 305]], [[106, 107], [208, 209], [310, 311]]]);
    const z = mul(tensor([[[2]], [[3]]]), tensor([[1, 2]])); // [2,1,1] × [1,2]
    expect(z.shape).toEqual([2, 1, 2]);
    expect(z.toArray()).toEqual([[[2, 4]], [[3, 6]]]);
  });

  it('broadcast empty tensors to empty results', () => {
    const r = add(zeros([0, 3]), tensor([1, 2, 3]));
    expect(r.shape).toEqual([0, 3]);
    expect(add(zeros([2, 0]), zeros([1, 0])).shape).toEqual([2, 0]);
  });

  it('take numbers as 0-d operands on either side', () => {
    expect(sub(10, tensor([1, 2])).toArray()).toEqual([9, 8]);
    expect(div(tensor([1, 2]), 4).toArray()).toEqual([0.25, 0.5]);
  });

  it('promote dtypes as PyTorch does', () => {
    const i = tensor([1, 2, 3], undefined, 'int32');
    expect(add(i, i).dtype).toBe('int32');
    expect(add(i, 1).dtype).toBe('int32');
    expect(add(i, 0.5).dtype).toBe('float32');
    expect(div(i, 2).dtype).toBe('float32');
    expect(div(i, 2).toArray()).toEqual([0.5, 1, 1.5]);
    expect(add(i, tensor([1, 1, 1], undefined, 'float64')).dtype).toBe('float64');
    expect(add(tensor([true, false]), tensor([true, true])).toArray()).toEqual([2, 1]);
  });

  it('throw ShapeError naming both shapes and the axis', () => {
    expect(() => add(tensor([[1, 2, 3]]), tensor([[1, 2], [3, 4]]))).toThrow(ShapeError);
    expect(() => add(zeros([2, 3]), zeros([2, 4]))).toThrow(
      'add: cannot broadcast a [2, 3] with b [2, 4] (axis -1 has sizes 3 and 4; each pair must be equal or 1)');
  });

  it('propagate NaN through maximum and minimum', () => {
    const r = maximum(tensor([NaN, 1]), tensor([0, NaN]));
    expect(Number.isNaN(r.data[0]) && Number.isNaN(r.data[1])).toBe(true);
    expect(Number.isNaN(minimum(tensor([NaN]), tensor([0])).data[0])).toBe(true);
  });

  it('comparisons and logical ops give bool', () => {
    const x = tensor([1, 2, 3]);
    expect(eq(x, 2).toArray()).toEqual([false, true, false]);
    expect(ne(x, 2).toArray()).toEqual([true, false, true]);
    expect(lt(x, 2).toArray()).toEqual([true, false, false]);
    expect(le(x, 2).toArray()).toEqual([true, true, false]);
    expect(gt(x, 2).toArray()).toEqual([false, false, true]);
    expect(ge(x, 2).dtype).toBe('bool');
    const p = tensor([true, true, false, false]);
    const q = tensor([true, false, true, false]);
    expect(logicalAnd(p, q).toArray()).toEqual([true, false, false, false]);
    expect(logicalOr(p, q).toArray()).toEqual([true, true, true, false]);
    expect(logicalXor(p, q).toArray()).toEqual([false, true, true, false]);
    expect(logicalNot(p).toArray()).toEqual([false, false, true, true]);
  });

  it('refuse two numbers', () => {
    expect(() => add(1 as never, 2 as never)).toThrow('add: needs at least one tensor operand, got two numbers');
  });
});

describe('unary ops', () => {
  it('compute hand-checked values', () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2]);
    expect(neg(x).toArray()).toEqual([2, 0.5, -0, -0.5, -2]);
    expect(abs(x).toArray()).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(sign(x).toArray()).toEqual([-1, -1, 0, 1, 1]);
    expect(square(x).toArray()).toEqual([4, 0.25, 0, 0.25, 4]);
    expect(relu(x).toArray()).toEqual([0, 0, 0, 0.5, 2]);
    expectClose(exp(tensor([0, 1, -1])), [1, Math.E, 1 / Math.E]);
    expectClose(log(tensor([1, Math.E, 10])), [0, 1, Math.LN10]);
    expectClose(sqrt(tensor([4, 2])), [2, Math.SQRT2]);
    expectClose(rsqrt(tensor([4, 0.25])), [0.5, 2]);
    expectClose(reciprocal(tensor([4, -0.5])), [0.25, -2]);
    expectClose(tanh(tensor([0, 1, -20])), [0, 0.7615941559557649, -1]);
  });

  it('sigmoid stays finite and exact at large |x|', () => {
    const s = sigmoid(tensor([-1000, -1, 0, 1, 1000], undefined, 'float64'));
    expectClose(s, [0, 0.2689414213699951, 0.5, 0.7310585786300049, 1], { atol: 1e-15, rtol: 0 });
  });

  it('gelu matches the erf form and the tanh approximation', () => {
    // torch.nn.functional.gelu(torch.tensor([-1., 0., 1., 3.], dtype=torch.float64), approximate='none' / 'tanh'), torch 1.13
    const tight = { atol: 1e-14, rtol: 0 };
    expectClose(gelu(tensor([-1, 0, 1, 3], undefined, 'float64')), [-0.15865525393145702, 0, 0.841344746068543, 2.99595030590511], tight);
    expectClose(gelu(tensor([-1, 0, 1, 3], undefined, 'float64'), 'tanh'), [-0.15880800939172324, 0, 0.8411919906082768, 2.996362607918227], tight);
  });

  it('erf agrees with known values to double precision', () => {
    // Reference: Python's math.erf (C99 erf of the platform libm).
    const cases: [number, number][] = [[0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [1.5, 0.9661051464753108], [2, 0.9953222650189527], [3, 0.9999779095030014], [-0.7, -0.6778011938374184], [7, 1]];
    for (const [x, v] of cases) expect(Math.abs(erf(x) - v)).toBeLessThan(2e-16 + 1e-15 * Math.abs(v));
  });

  it('float ops on int32 give float32; sign ops keep int32', () => {
    const i = tensor([1, 4], undefined, 'int32');
    expect(sqrt(i).dtype).toBe('float32');
    expect(neg(i).dtype).toBe('int32');
  });

  it('isNaN and isFinite', () => {
    const x = tensor([1, NaN, Infinity, -Infinity]);
    expect(isNaN(x).toArray()).toEqual([false, true, false, false]);
    expect(isFinite(x).toArray()).toEqual([true, false, false, false]);
  });
});

describe('where, maskedFill, clamp', () => {
  it('where selects with broadcasting', () => {
    const c = tensor([[true], [false]]);
    expect(where(c, tensor([1, 2]), -1).toArray()).toEqual([[1, 2], [-1, -1]]);
    expect(() => where(tensor([1, 0]), 1, 2)).toThrow(DTypeError);
  });

  it('maskedFill writes value where the mask is true and keeps x otherwise', () => {
    const scores = tensor([[1, 2, 3], [4, 5, 6]]);
    const mask = tensor([[false, false, true]]);
    expect(maskedFill(scores, mask, -Infinity).toArray()).toEqual([[1, 2, -Infinity], [4, 5, -Infinity]]);
    expect(() => maskedFill(tensor([1, 2]), tensor([[true], [false]]), 0)).toThrow(
      'maskedFill: mask [2, 1] must broadcast to x [2] without growing it');
  });

  it('clamp limits to the given bounds', () => {
    expect(clamp(tensor([-3, 0, 3]), -1, 2).toArray()).toEqual([-1, 0, 2]);
    expect(clamp(tensor([-3, 0, 3]), undefined, 1).toArray()).toEqual([-3, 0, 1]);
  });
});
