// Reductions over any set of axes. Sums accumulate in float64 so a float32 sum over many elements
// loses no more than one rounding; max/min propagate NaN as PyTorch does.
import type { TypedArray } from '../../dtype.js';
import { stridesOf, type Shape } from '../../shape.js';
import type { ArgReduceOp, ReduceOp } from '../types.js';
import { forEachRow } from './strided.js';

/** out (the kept axes, row-major) = op over `axes` (sorted, unique) of x. */
export function reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const outSize = out.length;
  if (outSize === 0) return;
  if (x instanceof Float32Array && reduceF32(op, x, shape, axes, out)) return;
  const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
  const acc = new Float64Array(outSize).fill(init);
  if (x.length > 0) {
    // Strides of the output seen from the input: 0 along reduced axes.
    const reduced = new Set(axes);
    const outStrides: number[] = new Array(shape.length).fill(0);
    let s = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (!reduced.has(d)) { outStrides[d] = s; s *= shape[d]; }
    }
    forEachRow(shape, [stridesOf(shape), outStrides], (off, len, inner) => reduceRow(op, x, off[0], acc, off[1], inner[1], len));
  }
  for (let i = 0; i < outSize; i++) out[i] = acc[i];
}

/**
 * Float32 sum, max or min over leading axes ([rows, d] → [d], a bias gradient) or trailing axes
 * ([rows, d] → [rows], row statistics), in float64 like the general path and in the same order (so
 * with the same result), but with loops that only see Float32Arrays. False for any other axes.
 */
function reduceF32(op: ReduceOp, x: Float32Array, shape: Shape, axes: readonly number[], out: TypedArray): boolean {
  const r = axes.length;
  if (r === 0 || op === 'prod') return false;
  const n = x.length;
  const rank = shape.length;
  if (axes[0] === rank - r && axes[r - 1] === rank - 1) {
    const d = n / out.length;
    for (let o = 0, row = 0; row < out.length; row++, o += d) {
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      if (op === 'sum') for (let j = 0; j < d; j++) acc += x[o + j];
      else if (op === 'max') for (let j = 0; j < d; j++) { const v = x[o + j]; if (v > acc || v !== v) acc = v; }
      else for (let j = 0; j < d; j++) { const v = x[o + j]; if (v < acc || v !== v) acc = v; }
      out[row] = acc;
    }
    return true;
  }
  if (axes[0] !== 0 || axes[r - 1] !== r - 1) return false;
  const d = out.length;
  const acc = new Float64Array(d).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  let o = 0;
  if (op === 'sum') {
    // Four rows per pass over acc. Sums of float32 values in double are exact unless their magnitudes
    // span more than 2²⁹, so this matches the row-by-row order in practice (the tests check it bit for bit).
    for (; o + 4 * d <= n; o += 4 * d) {
      for (let j = 0; j < d; j++) acc[j] += (x[o + j] + x[o + d + j]) + (x[o + 2 * d + j] + x[o + 3 * d + j]);
    }
  }
  for (; o < n; o += d) {
    if (op === 'sum') for (let j = 0; j < d; j++) acc[j] += x[o + j];
    else if (op === 'max') for (let j = 0; j < d; j++) { const v = x[o + j]; if (v > acc[j] || v !== v) acc[j] = v; }
    else for (let j = 0; j < d; j++) { const v = x[o + j]; if (v < acc[j] || v !== v) acc[j] = v; }
  }
  for (let j = 0; j < d; j++) out[j] = acc[j];
  return true;
}

function reduceRow(op: ReduceOp, x: TypedArray, xo: number, acc: Float64Array, ao: number, as: number, n: number): void {
  if (as === 0) {
    // The row is reduced into one output element: accumulate in a local.
    let r = acc[ao];
    switch (op) {
      case 'sum': for (let i = 0; i < n; i++) r += x[xo + i]; break;
      case 'prod': for (let i = 0; i < n; i++) r *= x[xo + i]; break;
      case 'max': for (let i = 0; i < n; i++) { const v = x[xo + i]; if (v > r || v !== v) r = v; } break;
      case 'min': for (let i = 0; i < n; i++) { const v = x[xo + i]; if (v < r || v !== v) r = v; } break;
    }
    acc[ao] = r;
    return;
  }
  switch (op) {
    case 'sum': for (let i = 0; i < n; i++) acc[ao + i * as] += x[xo + i]; break;
    case 'prod': for (let i = 0; i < n; i++) acc[ao + i * as] *= x[xo + i]; break;
    case 'max': for (let i = 0; i < n; i++) { const v = x[xo + i], j = ao + i * as; if (v > acc[j] || v !== v) acc[j] = v; } break;
    case 'min': for (let i = 0; i < n; i++) { const v = x[xo + i], j = ao + i * as; if (v < acc[j] || v !== v) acc[j] = v; } break;
  }
}

/**
 * Index of the max (min) along one axis; x is viewed as [outer, len, inner] and out as [outer, inner].
 * Ties give the first index; NaN counts as the extreme, as in PyTorch.
 */
export function argReduce(op: ArgReduceOp, x: TypedArray, outer: number, len: number, inner: number, out: Int32Array): void {
  const sign = op === 'argmax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * len * inner + j;
      let best = 0;
      let bv = x[base];
      if (bv === bv) {
        for (let i = 1; i < len; i++) {
          const v = x[base + i * inner];
          if (v !== v) { best = i; break; }
          if (sign * (v - bv) > 0) { best = i; bv = v; }
        }
      }
      out[o * inner + j] = best;
    }
  }
}
