import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { arange, eye, full, linspace, ones, scalar, tensor, zeros } from './creation.js';

describe('tensor', () => {
  it('infers shape and float32 from nested arrays', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.get(1, 2)).toBe(6);
    expect(t.get(-1, -3)).toBe(4);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('wraps a typed array without copying and takes its dtype', () => {
    const data = new Int32Array([5, 7, 9, 11]);
    const t = tensor(data, [2, 2]);
    expect(t.dtype).toBe('int32');
    expect(t.data).toBe(data);
  });

  it('makes bool tensors from booleans and Uint8Array', () => {
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
    expect(tensor(new Uint8Array([1, 0, 1])).dtype).toBe('bool');
  });

  it('converts a typed array to a requested dtype', () => {
    const t = tensor(new Float32Array([1.5, -2]), [2], 'float64');
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.data)).toEqual([1.5, -2]);
  });

  it('builds a 0-d tensor from a number', () => {
    const t = tensor(3.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(3.5);
    expect(scalar(2, 'int32').dtype).toBe('int32');
  });

  it('refuses ragged arrays naming where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow('ragged nested array: expected length 2 at [1], got length 1');
  });

  it('refuses fractional values for int32 and a mismatched shape', () => {
    expect(() => tensor([1, 2.5], undefined, 'int32')).toThrow(DTypeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: shape [2, 2] holds 4 elements but 3 values were given');
  });

  it('handles empty tensors', () => {
    const t = tensor([]);
    expect(t.shape).toEqual([0]);
    expect(zeros([0, 3]).size).toBe(0);
    expect(zeros([0, 3]).toArray()).toEqual([]);
  });
});

describe('Tensor', () => {
  it('checks storage length and class against shape and dtype', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow('Tensor: shape [2, 3] holds 6 elements but the data has 5');
    expect(() => new Tensor(new Float32Array(2), [2], 'int32')).toThrow('Tensor: dtype int32 needs Int32Array storage, got Float32Array');
    expect(() => new Tensor(new Float32Array(2), [2, -1])).toThrow(ValueError);
    expect(() => new Tensor(new Float32Array(2), [NaN])).toThrow('invalid dimension NaN');
  });

  it('reshapes for free, inferring one -1', () => {
    const t = arange(6).astype('float32');
    const r = t.reshape([3, -1]);
    expect(r.shape).toEqual([3, 2]);
    expect(r.data).toBe(t.data);
    expect(() => t.reshape([4, -1])).toThrow('reshape: cannot view [6] (6 elements) as [4, -1]');
    expect(() => t.reshape([-1, -1])).toThrow('more than one -1');
    expect(() => t.reshape([5])).toThrow(ShapeError);
  });

  it('item and get refuse bad requests clearly', () => {
    expect(() => ones([2]).item()).toThrow('item: needs a tensor with one element, got shape [2]');
    expect(() => ones([2, 2]).get(0)).toThrow('get: needs 2 indices for shape [2, 2], got 1');
    expect(() => ones([2, 2]).get(0, 2)).toThrow('get: index 2 is out of range for axis 1 of size 2');
  });

  it('astype truncates toward zero and maps non-zero to true', () => {
    const t = tensor([-1.7, 0, 2.9]);
    expect(Array.from(t.astype('int32').data)).toEqual([-1, 0, 2]);
    expect(t.astype('bool').toArray()).toEqual([true, false, true]);
    expect(t.astype('float32')).toBe(t);
  });

  it('clone owns its storage', () => {
    const t = tensor([1, 2]);
    const c = t.clone();
    expect(c.data).not.toBe(t.data);
    expect(c.toArray()).toEqual([1, 2]);
  });

  it('prints dtype and shape', () => {
    expect(String(tensor([[1, 2]]))).toBe('tensor([[1,2]], shape=[1, 2], dtype=float32)');
  });
});

describe('constant and range constructors', () => {
  it('full, zeros, ones', () => {
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(full([2], true).dtype).toBe('bool');
    expect(zeros([3], 'int32').toArray()).toEqual([0, 0, 0]);
    expect(ones([1, 2], 'float64').dtype).toBe('float64');
    expect(() => zeros([2.5])).toThrow(ValueError);
  });

  it('arange follows Python range, int32 for integer arguments', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe('int32');
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 3).size).toBe(0);
    expect(() => arange(0, 5, 0)).toThrow('arange: start, end and step must be finite and step non-zero');
  });

  it('linspace includes both ends', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(3, 9, 1).toArray()).toEqual([3]);
  });

  it('eye puts ones on the diagonal, rectangular too', () => {
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
});
