// The Tensor: a dtype, a shape and contiguous row-major storage in a typed array.
// Tensors are values: ops return new tensors and never write into their inputs. `reshape` shares storage.
import { allocate, dtypeOfArray, type DType, type TypedArray } from './dtype.js';
import { DTypeError, IndexError, ShapeError, ValueError } from './errors.js';
import { checkShape, formatShape, sizeOf, stridesOf, type Shape } from './shape.js';
import * as ew from './ops/elementwise.js';
import { gather, indexSelect } from './ops/indexing.js';
import { layerNorm } from './ops/layer-norm.js';
import { matmul, type MatmulOptions } from './ops/matmul.js';
import * as red from './ops/reduce.js';
import { expand, flatten, permute, squeeze, transpose, unsqueeze } from './ops/shape-ops.js';
import { narrow, slice } from './ops/slice.js';
import { logSoftmax, logSumExp, softmax } from './ops/softmax.js';

/** A nested JavaScript array of numbers (or booleans), as `toArray()` returns and `tensor()` takes. */
export type NestedArray = number | boolean | NestedArray[];

export class Tensor {
  /** Contiguous row-major storage: Float32Array, Float64Array, Int32Array, or Uint8Array for bool. */
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;

  /** Wraps `data` (no copy). Prefer `tensor(...)`, which also takes nested arrays. */
  constructor(data: TypedArray, shape: Shape, dtype: DType = dtypeOfArray(data)) {
    checkShape('Tensor', shape);
    if (dtypeOfArray(data) !== dtype) {
      throw new DTypeError('Tensor', `dtype ${dtype} needs ${storageName(dtype)} storage, got ${data.constructor.name}`);
    }
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError('Tensor', `shape ${formatShape(shape)} holds ${sizeOf(shape)} elements but the data has ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of axes (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** Row-major strides in elements. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError('item', `needs a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /** The element at `index` (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new IndexError('get', `needs ${this.rank} indices for shape ${formatShape(this.shape)}, got ${index.length}`);
    }
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      const n = this.shape[d];
      const i = index[d] < 0 ? index[d] + n : index[d];
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new IndexError('get', `index ${index[d]} is out of range for axis ${d} of size ${n}`);
      }
      off = off * n + i;
    }
    return this.data[off];
  }

  /** Nested JavaScript arrays (booleans for a bool tensor); a number for a scalar. */
  toArray(): NestedArray {
    const { data, shape, dtype } = this;
    const read = dtype === 'bool' ? (i: number) => data[i] !== 0 : (i: number) => data[i];
    if (shape.length === 0) return read(0);
    const build = (axis: number, offset: number): NestedArray[] => {
      const n = shape[axis];
      const step = sizeOf(shape.slice(axis + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = axis === shape.length - 1 ? read(offset + i) : build(axis + 1, offset + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /** The same values in another dtype (a copy; float → int truncates toward zero, anything → bool is ≠ 0). */
  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const out = allocate(dtype, this.size);
    if (dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = this.data[i] !== 0 ? 1 : 0;
    else out.set(this.data);
    return new Tensor(out, this.shape, dtype);
  }

  /** The same storage viewed with another shape of the same size; one dimension may be -1 (inferred). */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, inferShape('reshape', shape, this.size, this.shape), this.dtype);
  }

  // Method forms of the common ops (PyTorch style); each is the free function of the same name.
  add(other: Tensor | number): Tensor { return ew.add(this, other); }
  sub(other: Tensor | number): Tensor { return ew.sub(this, other); }
  mul(other: Tensor | number): Tensor { return ew.mul(this, other); }
  div(other: Tensor | number): Tensor { return ew.div(this, other); }
  pow(other: Tensor | number): Tensor { return ew.pow(this, other); }
  maximum(other: Tensor | number): Tensor { return ew.maximum(this, other); }
  minimum(other: Tensor | number): Tensor { return ew.minimum(this, other); }
  eq(other: Tensor | number): Tensor { return ew.eq(this, other); }
  ne(other: Tensor | number): Tensor { return ew.ne(this, other); }
  lt(other: Tensor | number): Tensor { return ew.lt(this, other); }
  le(other: Tensor | number): Tensor { return ew.le(this, other); }
  gt(other: Tensor | number): Tensor { return ew.gt(this, other); }
  ge(other: Tensor | number): Tensor { return ew.ge(this, other); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  tanh(): Tensor { return ew.tanh(this); }
  relu(): Tensor { return ew.relu(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  maskedFill(mask: Tensor, value: number): Tensor { return ew.maskedFill(this, mask, value); }
  matmul(other: Tensor, options?: MatmulOptions): Tensor { return matmul(this, other, options); }
  sum(axes?: red.Axes, keepdims = false): Tensor { return red.sum(this, axes, keepdims); }
  mean(axes?: red.Axes, keepdims = false): Tensor { return red.mean(this, axes, keepdims); }
  max(axes?: red.Axes, keepdims = false): Tensor { return red.max(this, axes, keepdims); }
  min(axes?: red.Axes, keepdims = false): Tensor { return red.min(this, axes, keepdims); }
  argmax(axis?: number, keepdims = false): Tensor { return red.argmax(this, axis, keepdims); }
  sumTo(shape: Shape): Tensor { return red.sumTo(this, shape); }
  softmax(axis = -1): Tensor { return softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return logSoftmax(this, axis); }
  logSumExp(axis = -1, keepdims = false): Tensor { return logSumExp(this, axis, keepdims); }
  layerNorm(weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor { return layerNorm(this, weight, bias, eps); }
  permute(perm: readonly number[]): Tensor { return permute(this, perm); }
  transpose(axis0 = -2, axis1 = -1): Tensor { return transpose(this, axis0, axis1); }
  expand(shape: readonly number[]): Tensor { return expand(this, shape); }
  flatten(start = 0, end = -1): Tensor { return flatten(this, start, end); }
  squeeze(axis?: number): Tensor { return squeeze(this, axis); }
  unsqueeze(axis: number): Tensor { return unsqueeze(this, axis); }
  slice(axis: number, start?: number, end?: number, step?: number): Tensor { return slice(this, axis, start, end, step); }
  narrow(axis: number, start: number, length: number): Tensor { return narrow(this, axis, start, length); }
  indexSelect(index: Tensor, axis = 0): Tensor { return indexSelect(this, index, axis); }
  gather(axis: number, index: Tensor): Tensor { return gather(this, axis, index); }

  toString(): string {
    const body = this.size > 1000 ? `<${this.size} elements>` : JSON.stringify(this.toArray());
    return `tensor(${body}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

function storageName(dtype: DType): string {
  return { float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array', bool: 'Uint8Array' }[dtype];
}

/** Resolves one -1 in `shape` so that it holds `size` elements, or throws naming both shapes. */
export function inferShape(op: string, shape: readonly number[], size: number, from: Shape): number[] {
  const out = shape.slice();
  let infer = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === -1) {
      if (infer >= 0) throw new ValueError(op, `shape ${formatShape(shape)} has more than one -1`);
      infer = i;
    } else {
      if (!Number.isInteger(out[i]) || out[i] < 0) {
        throw new ValueError(op, `shape ${formatShape(shape)} has an invalid dimension ${out[i]}`);
      }
      known *= out[i];
    }
  }
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(op, `cannot view ${formatShape(from)} (${size} elements) as ${formatShape(shape)}`);
    }
    out[infer] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new ShapeError(op, `cannot view ${formatShape(from)} (${size} elements) as ${formatShape(shape)} (${sizeOf(out)} elements)`);
  }
  return out;
}
