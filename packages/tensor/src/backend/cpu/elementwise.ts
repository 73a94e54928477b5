// Elementwise reference kernels: unary maps, broadcasting binary maps, and a three-way select.
// The op switch sits outside the loops, so each inner loop is one tight, monomorphic-ish pass.
import type { TypedArray } from '../../dtype.js';
import { broadcastStrides, stridesOf, type Shape } from '../../shape.js';
import type { BinaryOp, UnaryOp } from '../types.js';
import { binaryF32, unaryF32, whereF32 } from './elementwise-f32.js';
import { erf } from './erf.js';
import { forEachRow } from './strided.js';

const SQRT1_2 = Math.SQRT1_2;
const GELU_C = Math.sqrt(2 / Math.PI);

/** out[i] = op(x[i]); x and out have the same length. */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  if (x instanceof Float32Array && out instanceof Float32Array && unaryF32(op, x, out)) return;
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; break;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); break;
    case 'sign': for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]); break;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; break;
    case 'reciprocal': for (let i = 0; i < n; i++) out[i] = 1 / x[i]; break;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); break;
    case 'rsqrt': for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]); break;
    case 'sin': for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]); break;
    case 'cos': for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); break;
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]; out[i] = v > 0 ? v : v === v ? 0 : v; } break;
    case 'sigmoid':
      // Two branches so exp never overflows: for x < 0 use e^x / (1 + e^x).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); out[i] = e / (1 + e); }
      }
      break;
    case 'erf': for (let i = 0; i < n; i++) out[i] = erf(x[i]); break;
    case 'gelu': for (let i = 0; i < n; i++) { const v = x[i]; out[i] = 0.5 * v * (1 + erf(v * SQRT1_2)); } break;
    case 'geluTanh':
      for (let i = 0; i < n; i++) { const v = x[i]; out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v))); }
      break;
    case 'floor': for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]); break;
    case 'logicalNot': for (let i = 0; i < n; i++) out[i] = x[i] ? 0 : 1; break;
    case 'isNaN': for (let i = 0; i < n; i++) out[i] = x[i] !== x[i] ? 1 : 0; break;
    case 'isFinite': for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]) ? 1 : 0; break;
    default: throw new Error(`unary: unknown op '${op as string}'`);
  }
}

/** One strided row of a binary op: out[o + i] = op(a[ao + i·as], b[bo + i·bs]). */
function binaryRow(op: BinaryOp, a: TypedArray, ao: number, as: number, b: TypedArray, bo: number, bs: number,
  out: TypedArray, o: number, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] + b[bo + i * bs]; break;
    case 'sub': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] - b[bo + i * bs]; break;
    case 'mul': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] * b[bo + i * bs]; break;
    case 'div': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] / b[bo + i * bs]; break;
    case 'pow': for (let i = 0; i < n; i++) out[o + i] = Math.pow(a[ao + i * as], b[bo + i * bs]); break;
    case 'maximum':
      // NaN propagates, as in PyTorch.
      for (let i = 0; i < n; i++) { const x = a[ao + i * as], y = b[bo + i * bs]; out[o + i] = x > y || x !== x ? x : y; }
      break;
    case 'minimum':
      for (let i = 0; i < n; i++) { const x = a[ao + i * as], y = b[bo + i * bs]; out[o + i] = x < y || x !== x ? x : y; }
      break;
    case 'eq': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] === b[bo + i * bs] ? 1 : 0; break;
    case 'ne': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] !== b[bo + i * bs] ? 1 : 0; break;
    case 'lt': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] < b[bo + i * bs] ? 1 : 0; break;
    case 'le': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] <= b[bo + i * bs] ? 1 : 0; break;
    case 'gt': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] > b[bo + i * bs] ? 1 : 0; break;
    case 'ge': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] >= b[bo + i * bs] ? 1 : 0; break;
    case 'logicalAnd': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] && b[bo + i * bs] ? 1 : 0; break;
    case 'logicalOr': for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] || b[bo + i * bs] ? 1 : 0; break;
    case 'logicalXor': for (let i = 0; i < n; i++) out[o + i] = !a[ao + i * as] !== !b[bo + i * bs] ? 1 : 0; break;
    default: throw new Error(`binary: unknown op '${op as string}'`);
  }
}

/** out = op(a, b) with NumPy broadcasting; `outShape` is the broadcast of `aShape` and `bShape`. */
export function binary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape,
  out: TypedArray, outShape: Shape): void {
  const n = out.length;
  if (n === 0) return;
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array &&
    binaryF32(op, a, aShape, b, bShape, out, outShape)) return;
  // Fast paths: equal sizes (no broadcast) and a scalar operand.
  if (a.length === n && b.length === n) return binaryRow(op, a, 0, 1, b, 0, 1, out, 0, n);
  if (a.length === n && b.length === 1) return binaryRow(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return binaryRow(op, a, 0, 0, b, 0, 1, out, 0, n);
  const strides = [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), stridesOf(outShape)];
  forEachRow(outShape, strides, (off, len, inner) => binaryRow(op, a, off[0], inner[0], b, off[1], inner[1], out, off[2], len));
}

/** out = cond ? a : b, all three broadcast to `outShape`. */
export function where(cond: Uint8Array, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape,
  out: TypedArray, outShape: Shape): void {
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array &&
    whereF32(cond, condShape, a, b, out, outShape)) return;
  const strides = [broadcastStrides(condShape, outShape), broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape), stridesOf(outShape)];
  forEachRow(outShape, strides, (off, len, inner) => {
    const [co, ao, bo, oo] = off;
    const [cs, as, bs] = inner;
    for (let i = 0; i < len; i++) out[oo + i] = cond[co + i * cs] ? a[ao + i * as] : b[bo + i * bs];
  });
}
