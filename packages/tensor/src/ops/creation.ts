// Creating tensors: from nested arrays or typed arrays, constant fills, ranges, identity.
import { allocate, dtypeOfArray, type DType, type TypedArray } from '../dtype.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkShape, formatShape, sizeOf, type Shape } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';

/**
 * A tensor from a number, a nested array or a typed array. A typed array is wrapped without a copy
 * and gives the dtype (Uint8Array → bool); nested arrays default to float32 (bool for booleans).
 * @example
 * tensor([[1, 2], [3, 4]]);                          // float32 [2, 2]
 * tensor(new Int32Array([5, 7, 9]), [1, 3]);         // int32 [1, 3], no copy
 * tensor([1, 0, 2], undefined, 'int32');
 */
export function tensor(values: NestedArray | TypedArray, shape?: Shape, dtype?: DType): Tensor {
  if (ArrayBuffer.isView(values)) {
    const own = dtypeOfArray(values);
    const data = dtype && dtype !== own ? allocate(dtype, values.length) : values;
    if (data !== values) data.set(values);
    return new Tensor(data, shape ?? [values.length], dtype ?? own);
  }
  const inferred = inferNestedShape(values);
  const flat: (number | boolean)[] = [];
  flatten(values, flat);
  const dt = dtype ?? (flat.length > 0 && typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  const data = allocate(dt, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    if (dt === 'int32' && !Number.isInteger(v)) {
      throw new DTypeError('tensor', `int32 needs integers, got ${flat[i]} at flat index ${i}`);
    }
    data[i] = dt === 'bool' ? (v !== 0 ? 1 : 0) : v;
  }
  if (shape && sizeOf(shape) !== flat.length) {
    throw new ShapeError('tensor', `shape ${formatShape(shape)} holds ${sizeOf(shape)} elements but ${flat.length} values were given`);
  }
  return new Tensor(data, shape ?? inferred, dt);
}

function inferNestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  checkRagged(values, shape, 0, []);
  return shape;
}

function checkRagged(v: NestedArray, shape: number[], axis: number, at: number[]): void {
  const where = at.length ? ` at [${at.join(', ')}]` : '';
  if (axis === shape.length) {
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ValueError('tensor', `expected a number${where}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
    }
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[axis]) {
    const got = Array.isArray(v) ? `length ${v.length}` : typeof v;
    throw new ShapeError('tensor', `ragged nested array: expected length ${shape[axis]}${where}, got ${got}`);
  }
  for (let i = 0; i < v.length; i++) checkRagged(v[i], shape, axis + 1, [...at, i]);
}

function flatten(v: NestedArray, out: (number | boolean)[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  checkShape('full', shape);
  const data = allocate(dtype, sizeOf(shape));
  const v = Number(value);
  if (v !== 0) data.fill(dtype === 'bool' ? 1 : v);
  return new Tensor(data, shape, dtype);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

export function zerosLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return full(x.shape, 0, dtype);
}

export function onesLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return full(x.shape, 1, dtype);
}

export function fullLike(x: Tensor, value: number, dtype: DType = x.dtype): Tensor {
  return full(x.shape, value, dtype);
}

/** A 0-d tensor holding `value`. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return full([], value, dtype);
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`; `arange(n)` is 0 … n-1.
 * int32 when every argument is an integer, else float32.
 */
export function arange(start: number, end?: number, step = 1, dtype?: DType): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (![start, end, step].every(Number.isFinite) || step === 0) {
    throw new ValueError('arange', `start, end and step must be finite and step non-zero, got ${start}, ${end}, ${step}`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dt = dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocate(dt, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], dt);
}

/** `n` evenly spaced values from `start` to `end`, both included. */
export function linspace(start: number, end: number, n: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError('linspace', `n must be a non-negative integer, got ${n}`);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? start : start + ((end - start) * i) / (n - 1);
  return new Tensor(data, [n], dtype);
}

/** The [n, m] identity (ones on the diagonal). */
export function eye(n: number, m = n, dtype: DType = 'float32'): Tensor {
  checkShape('eye', [n, m]);
  const data = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m], dtype);
}
