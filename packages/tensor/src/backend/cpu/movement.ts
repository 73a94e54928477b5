// Movement kernels: permute, strided copies, index selection and its scatter-add adjoint, gather/scatter.
// They only move elements; indices were validated by the op that calls them.
import type { TypedArray } from '../../dtype.js';
import { stridesOf, type Shape } from '../../shape.js';
import { coalesce, forEachRow } from './strided.js';

/** out = x with axes permuted: out.shape[i] = shape[perm[i]]. */
export function permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  copyStrided(x, 0, perm.map((p) => inStrides[p]), out, outShape);
}

/** out (contiguous, `outShape`) ← x read from `offset` with `strides`: slices, expands, permutes. */
export function copyStrided(x: TypedArray, offset: number, strides: readonly number[], out: TypedArray, outShape: Shape): void {
  if (out.length === 0) return;
  const c = coalesce(outShape, [strides.slice(), stridesOf(outShape)]);
  if (c.shape.length <= 4) {
    // At most four axes once merged (every permute and slice of a [batch, heads, len, headDim] tensor):
    // plain nested loops, out written in order. Padded with leading size-1 axes.
    const pad = 4 - c.shape.length;
    const n = [1, 1, 1, 1];
    const s = [0, 0, 0, 0];
    for (let d = 0; d < c.shape.length; d++) { n[pad + d] = c.shape[d]; s[pad + d] = c.strides[0][d]; }
    if (x instanceof Float32Array && out instanceof Float32Array) copy4F32(x, offset, n, s, out);
    else copy4(x, offset, n, s, out);
    return;
  }
  forEachRow(outShape, [strides.slice(), stridesOf(outShape)], (off, len, inner) => {
    const xo = off[0] + offset;
    const oo = off[1];
    const st = inner[0];
    for (let i = 0; i < len; i++) out[oo + i] = x[xo + i * st];
  });
}

/** out[i0, i1, i2, i3] (contiguous) = x[base + Σ i_d·s_d]. */
function copy4(x: TypedArray, base: number, n: number[], s: number[], out: TypedArray): void {
  const [n0, n1, n2, n3] = n;
  const [s0, s1, s2, s3] = s;
  let o = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const b = base + i0 * s0 + i1 * s1 + i2 * s2;
        if (s3 === 1) for (let i3 = 0; i3 < n3; i3++) out[o++] = x[b + i3];
        else for (let i3 = 0; i3 < n3; i3++) out[o++] = x[b + i3 * s3];
      }
    }
  }
}

/** copy4 for float32 only: the same loops, kept apart so their element accesses stay monomorphic. */
function copy4F32(x: Float32Array, base: number, n: number[], s: number[], out: Float32Array): void {
  const [n0, n1, n2, n3] = n;
  const [s0, s1, s2, s3] = s;
  let o = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const b = base + i0 * s0 + i1 * s1 + i2 * s2;
        if (s3 === 1) for (let i3 = 0; i3 < n3; i3++) out[o++] = x[b + i3];
        else for (let i3 = 0; i3 < n3; i3++) out[o++] = x[b + i3 * s3];
      }
    }
  }
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
