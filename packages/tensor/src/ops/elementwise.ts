// Elementwise ops with NumPy broadcasting and PyTorch's type promotion (bool < int32 < float32 < float64).
import { getBackend } from '../backend/backend.js';
import type { BinaryOp, UnaryOp } from '../backend/types.js';
import { allocate, promoteTypes, toFloat, type DType } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, formatShape, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/** A tensor, or a number that acts as a 0-d tensor of a compatible dtype. */
export type Operand = Tensor | number;

const COMPARISONS = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

/** A number as a 0-d tensor: the other operand's dtype (int32 for bool), or float32 if the number is fractional. */
function asTensor(x: Operand, like: DType): Tensor {
  if (x instanceof Tensor) return x;
  const dtype: DType = like === 'float32' || like === 'float64' ? like : Number.isInteger(x) ? 'int32' : 'float32';
  return new Tensor(toStorage(x, dtype), [], dtype);
}

function toStorage(x: number, dtype: DType) {
  const d = allocate(dtype, 1);
  d[0] = x;
  return d;
}

function binaryOp(op: BinaryOp, a: Operand, b: Operand): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new DTypeError(op, 'needs at least one tensor operand, got two numbers');
  }
  const ta = asTensor(a, b instanceof Tensor ? b.dtype : 'float32');
  const tb = asTensor(b, ta.dtype);
  let dtype = promoteTypes(ta.dtype, tb.dtype);
  if (COMPARISONS.has(op)) dtype = 'bool';
  else if (op === 'div') dtype = toFloat(dtype);
  else if (dtype === 'bool') dtype = 'int32'; // arithmetic on masks counts
  const shape = shapesEqual(ta.shape, tb.shape) ? ta.shape : broadcastShapes(op, ta.shape, tb.shape);
  const out = allocate(dtype, sizeOf(shape));
  getBackend().binary(op, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  return new Tensor(out, shape, dtype);
}

/** a + b, broadcast. @example add(tensor([[1], [2]]), tensor([10, 20])) // [[11, 21], [12, 22]] */
export const add = (a: Operand, b: Operand): Tensor => binaryOp('add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binaryOp('sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binaryOp('mul', a, b);
/** True division: integer inputs give float32. */
export const div = (a: Operand, b: Operand): Tensor => binaryOp('div', a, b);
export const pow = (a: Operand, b: Operand): Tensor => binaryOp('pow', a, b);
/** Elementwise max; NaN wins, as in PyTorch. */
export const maximum = (a: Operand, b: Operand): Tensor => binaryOp('maximum', a, b);
export const minimum = (a: Operand, b: Operand): Tensor => binaryOp('minimum', a, b);
export const eq = (a: Operand, b: Operand): Tensor => binaryOp('eq', a, b);
export const ne = (a: Operand, b: Operand): Tensor => binaryOp('ne', a, b);
export const lt = (a: Operand, b: Operand): Tensor => binaryOp('lt', a, b);
export const le = (a: Operand, b: Operand): Tensor => binaryOp('le', a, b);
export const gt = (a: Operand, b: Operand): Tensor => binaryOp('gt', a, b);
export const ge = (a: Operand, b: Operand): Tensor => binaryOp('ge', a, b);
export const logicalAnd = (a: Operand, b: Operand): Tensor => binaryOp('logicalAnd', a, b);
export const logicalOr = (a: Operand, b: Operand): Tensor => binaryOp('logicalOr', a, b);
export const logicalXor = (a: Operand, b: Operand): Tensor => binaryOp('logicalXor', a, b);

const FLOAT_RESULT = new Set<UnaryOp>(['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'gelu', 'geluTanh', 'reciprocal']);
const BOOL_RESULT = new Set<UnaryOp>(['logicalNot', 'isNaN', 'isFinite']);

function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const dtype: DType = BOOL_RESULT.has(op) ? 'bool' : FLOAT_RESULT.has(op) ? toFloat(x.dtype) : x.dtype === 'bool' ? 'int32' : x.dtype;
  const out = allocate(dtype, x.size);
  getBackend().unary(op, x.data, out);
  return new Tensor(out, x.shape, dtype);
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);
export const square = (x: Tensor): Tensor => unaryOp('square', x);
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
/** 1 / sqrt(x). */
export const rsqrt = (x: Tensor): Tensor => unaryOp('rsqrt', x);
export const sin = (x: Tensor): Tensor => unaryOp('sin', x);
export const cos = (x: Tensor): Tensor => unaryOp('cos', x);
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);
/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
/** The error function (double-precision fdlibm algorithm). */
export const erf = (x: Tensor): Tensor => unaryOp('erf', x);
export const floor = (x: Tensor): Tensor => unaryOp('floor', x);
export const logicalNot = (x: Tensor): Tensor => unaryOp('logicalNot', x);
export const isNaN = (x: Tensor): Tensor => unaryOp('isNaN', x);
export const isFinite = (x: Tensor): Tensor => unaryOp('isFinite', x);

/**
 * GELU (Hendrycks & Gimpel 2016): x·Φ(x) with the exact erf form by default, or the tanh
 * approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) — torch's `approximate='tanh'`.
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  return unaryOp(approximate === 'tanh' ? 'geluTanh' : 'gelu', x);
}

/** cond ? a : b elementwise, all three broadcast together; cond must be bool. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (cond.dtype !== 'bool') throw new DTypeError('where', `cond must be bool, got ${cond.dtype}`);
  const other = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const ta = asTensor(a, other);
  const tb = asTensor(b, ta.dtype);
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape, ['cond', 'a']), tb.shape, ['cond and a', 'b']);
  const out = allocate(dtype, sizeOf(shape));
  getBackend().where(cond.data as Uint8Array, cond.shape, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  return new Tensor(out, shape, dtype);
}

/** x with `value` wherever `mask` (bool, broadcastable to x's shape) is true; keeps x's shape and dtype. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  if (mask.dtype !== 'bool') throw new DTypeError('maskedFill', `mask must be bool, got ${mask.dtype}`);
  const shape = broadcastShapes('maskedFill', x.shape, mask.shape, ['x', 'mask']);
  if (!shapesEqual(shape, x.shape)) {
    throw new ShapeError('maskedFill', `mask ${formatShape(mask.shape)} must broadcast to x ${formatShape(x.shape)} without growing it`);
  }
  const out = allocate(x.dtype, x.size);
  getBackend().where(mask.data as Uint8Array, mask.shape, toStorage(value, x.dtype), [], x.data, x.shape, out, x.shape);
  return new Tensor(out, x.shape, x.dtype);
}

/** Limits x to [min, max] (either bound may be omitted). */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  let y = x;
  if (min !== undefined) y = maximum(y, min);
  if (max !== undefined) y = minimum(y, max);
  return y === x ? x.clone() : y;
}
