// Movement kernels: permute, strided copies, index selection and its scatter-add adjoint, gather/scatter.
// They only move elements; indices were validated by the op that calls them.
import type { TypedArray } from '../../dtype.js';
import { stridesOf, type Shape } from '../../shape.js';
import { forEachRow } from './strided.js';

/** out = x with axes permuted: out.shape[i] = shape[perm[i]]. */
export function permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  copyStrided(x, 0, perm.map((p) => inStrides[p]), out, outShape);
}

/** out (contiguous, `outShape`) ← x read from `offset` with `strides`: slices, expands, permutes. */
export function copyStrided(x: TypedArray, offset: number, strides: readonly number[], out: TypedArray, outShape: Shape): void {
  forEachRow(outShape, [strides.slice(), stridesOf(outShape)], (off, len, inner) => {
    const xo = off[0] + offset;
    const oo = off[1];
    const s = inner[0];
    if (s === 1) out.set(x.subarray(xo, xo + len), oo);
    else for (let i = 0; i < len; i++) out[oo + i] = x[xo + i * s];
  });
}

/** x viewed [outer, n, inner]; out[o, j, :] = x[o, index[j], :] for j < index.length. */
export function indexSelect(x: TypedArray, outer: number, n: number, inner: number, index: Int32Array, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + index[j]) * inner;
      const dst = (o * m + j) * inner;
      if (inner > 16) out.set(x.subarray(src, src + inner), dst);
      else for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
}

/** out viewed [outer, n, inner], src [outer, m, inner]: out[o, index[j], :] += src[o, j, :]. */
export function indexAdd(out: TypedArray, outer: number, n: number, inner: number, index: Int32Array, src: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const d = (o * n + index[j]) * inner;
      const s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i] += src[s + i];
    }
  }
}

/**
 * torch.gather: out[..., j, ...] = x[..., index[..., j, ...], ...] along `axis`; out has index's shape.
 * With `scatter`, the adjoint: x[..., index[...], ...] += out[...] (torch.scatter_add_ into x).
 */
export function gatherScatter(x: TypedArray, xShape: Shape, axis: number, index: Int32Array, indexShape: Shape,
  out: TypedArray, scatter: boolean): void {
  const xStrides = stridesOf(xShape);
  const walk = xStrides.slice();
  walk[axis] = 0; // the axis offset comes from the index value
  const axisStride = xStrides[axis];
  forEachRow(indexShape, [walk, stridesOf(indexShape)], (off, len, inner) => {
    const xo = off[0], io = off[1], xs = inner[0];
    if (scatter) for (let i = 0; i < len; i++) x[xo + i * xs + index[io + i] * axisStride] += out[io + i];
    else for (let i = 0; i < len; i++) out[io + i] = x[xo + i * xs + index[io + i] * axisStride];
  });
}

/** Keeps the upper (lower) triangle of each trailing [rows, cols] matrix, diagonal offset k; zeroes the rest. */
export function triangle(x: TypedArray, batch: number, rows: number, cols: number, k: number, upper: boolean, out: TypedArray): void {
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      const o = (b * rows + r) * cols;
      for (let c = 0; c < cols; c++) {
        const keep = upper ? c - r >= k : c - r <= k;
        out[o + c] = keep ? x[o + c] : 0;
      }
    }
  }
}
