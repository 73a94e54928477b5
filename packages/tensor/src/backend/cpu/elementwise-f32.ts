// Float32 fast paths of the elementwise kernels (arithmetic, common unary maps, select) for the layouts a
// training step is made of: equal shapes (residuals, gradients), a scalar (scales), and a row broadcast
// over the trailing axes (biases, [N, D] op [D], a causal mask over [batch, heads, T, T]). Each loop here only ever sees Float32Arrays, so V8 keeps its element accesses
// monomorphic; the shared strided loops in elementwise.ts see every dtype and run several times slower.
import type { Shape } from '../../shape.js';
import type { BinaryOp, UnaryOp } from '../types.js';

/**
 * Length of the trailing period of `shape` inside `outShape`: d such that an operand of `shape`
 * broadcast to `outShape` reads element i·… at i mod d (its non-1 axes are exactly outShape's last
 * axes). 0 when the operand broadcasts any other way.
 */
export function trailingPeriod(shape: Shape, outShape: Shape): number {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const rest = shape.length - lead;
  if (rest > outShape.length) return 0;
  let period = 1;
  for (let d = 0; d < rest; d++) {
    const n = shape[lead + d];
    if (n !== outShape[outShape.length - rest + d]) return 0;
    period *= n;
  }
  return period;
}

/**
 * out = op(a, b) for the float32 layouts above; returns false (having written nothing) for any other
 * op or layout, which the general kernel then handles. `outShape` is the broadcast shape.
 */
export function binaryF32(op: BinaryOp, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape,
  out: Float32Array, outShape: Shape): boolean {
  if (op !== 'add' && op !== 'sub' && op !== 'mul' && op !== 'div') return false;
  const n = out.length;
  if (a.length === n && b.length === n) { same(op, a, b, out, n); return true; }
  if (a.length === n && b.length === 1) { scalar(op, a, b[0], out, n, false); return true; }
  if (a.length === 1 && b.length === n) { scalar(op, b, a[0], out, n, true); return true; }
  if (a.length === n && trailingPeriod(bShape, outShape) === b.length) { rows(op, a, b, out, n, false); return true; }
  if (b.length === n && trailingPeriod(aShape, outShape) === a.length) { rows(op, b, a, out, n, true); return true; }
  return false;
}

function same(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; break;
    default: for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; break;
  }
}

/** out = op(x, s), or op(s, x) when `swap`. */
function scalar(op: BinaryOp, x: Float32Array, s: number, out: Float32Array, n: number, swap: boolean): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = x[i] + s; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = x[i] * s; break;
    case 'sub':
      if (swap) for (let i = 0; i < n; i++) out[i] = s - x[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] - s;
      break;
    default:
      if (swap) for (let i = 0; i < n; i++) out[i] = s / x[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] / s;
      break;
  }
}

/** x [n / d, d] op r [d] row by row (r op x when `swap`). */
function rows(op: BinaryOp, x: Float32Array, r: Float32Array, out: Float32Array, n: number, swap: boolean): void {
  const d = r.length;
  for (let o = 0; o < n; o += d) {
    switch (op) {
      case 'add': for (let j = 0; j < d; j++) out[o + j] = x[o + j] + r[j]; break;
      case 'mul': for (let j = 0; j < d; j++) out[o + j] = x[o + j] * r[j]; break;
      case 'sub':
        if (swap) for (let j = 0; j < d; j++) out[o + j] = r[j] - x[o + j];
        else for (let j = 0; j < d; j++) out[o + j] = x[o + j] - r[j];
        break;
      default:
        if (swap) for (let j = 0; j < d; j++) out[o + j] = r[j] / x[o + j];
        else for (let j = 0; j < d; j++) out[o + j] = x[o + j] / r[j];
        break;
    }
  }
}

/** out = op(x) for the float32 unary ops of a training step; false (nothing written) for any other op. */
export function unaryF32(op: UnaryOp, x: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; return true;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; return true;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return true;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return true;
    case 'relu':
      // ½(v + |v|) has no branch on the sign (mispredicted half the time); only −∞ needs the fix-up.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        let r = 0.5 * (v + Math.abs(v));
        if (r !== r) r = v === v ? 0 : v;
        out[i] = r;
      }
      return true;
    default: return false;
  }
}

/**
 * out = cond ? a : b where cond is full-size or broadcast over leading axes (a causal mask [T, T] over
 * [batch, heads, T, T]) and a, b are each full-size or one value (maskedFill). False for other layouts.
 */
export function whereF32(cond: Uint8Array, condShape: Shape, a: Float32Array, b: Float32Array,
  out: Float32Array, outShape: Shape): boolean {
  const n = out.length;
  const period = cond.length === n ? n : trailingPeriod(condShape, outShape);
  if (n === 0 || period !== cond.length || (a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return false;
  if (a.length === 1 && b.length === n) {
    const s = a[0];
    for (let o = 0; o < n; o += period) for (let j = 0; j < period; j++) out[o + j] = cond[j] ? s : b[o + j];
  } else if (a.length === n && b.length === 1) {
    const s = b[0];
    for (let o = 0; o < n; o += period) for (let j = 0; j < period; j++) out[o + j] = cond[j] ? a[o + j] : s;
  } else if (a.length === n && b.length === n) {
    for (let o = 0; o < n; o += period) for (let j = 0; j < period; j++) out[o + j] = cond[j] ? a[o + j] : b[o + j];
  } else {
    const x = a[0], y = b[0];
    for (let o = 0; o < n; o += period) for (let j = 0; j < period; j++) out[o + j] = cond[j] ? x : y;
  }
  return true;
}
