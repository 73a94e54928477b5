// Element types: float32 (activations, weights), float64 (gradient checks), int32 (token ids, indices),
// bool (masks, stored as 0/1 bytes).
import { DTypeError } from './errors.js';

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export type FloatDType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
/** Storage of a floating-point tensor: what numeric kernels take. */
export type FloatArray = Float32Array | Float64Array;

export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** A zero-filled typed array of `size` elements for `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): DTypeArrayMap[D];
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float64': return new Float64Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
  }
}

/** The dtype whose storage class `data` is. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  throw new DTypeError('tensor', `unsupported storage ${Object.prototype.toString.call(data)}`);
}

/** Result dtype of a binary op, as PyTorch promotes: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/** The float dtype an op that must produce fractions (exp, div, mean) computes in. */
export function toFloat(dtype: DType): FloatDType {
  return dtype === 'float64' ? 'float64' : 'float32';
}

export function assertDType(op: string, arg: string, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(op, `${arg} must be ${allowed.join(' or ')}, got ${dtype}`);
  }
}
