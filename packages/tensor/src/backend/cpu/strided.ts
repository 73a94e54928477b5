// Strided iteration shared by the elementwise, reduction and movement kernels: merge axes that are
// contiguous for every operand, then walk the outer axes with an odometer and hand each innermost
// row to a tight loop. Per-row overhead is a few additions; the inner loops do the work.
import type { Shape } from '../../shape.js';

/**
 * Merges adjacent axes i, i+1 wherever every operand has stride[i] = stride[i+1]·shape[i+1]
 * (including broadcast axes with stride 0). Axes of size 1 are dropped. Returns at least one axis.
 */
export function coalesce(shape: Shape, strides: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, j) => outStrides[j][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      for (let j = 0; j < strides.length; j++) outStrides[j][last] = strides[j][d];
    } else {
      outShape.push(shape[d]);
      for (let j = 0; j < strides.length; j++) outStrides[j].push(strides[j][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets, len, innerStrides)` once per innermost row of `shape`, where offsets[j] is the
 * element offset of operand j at the row's start. `offsets` is reused between calls: read, don't keep.
 */
export function forEachRow(
  shape: Shape,
  strides: number[][],
  row: (offsets: number[], len: number, inner: number[]) => void,
): void {
  const total = shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const c = coalesce(shape, strides);
  const rank = c.shape.length;
  const len = c.shape[rank - 1];
  const inner = c.strides.map((s) => s[rank - 1]);
  const offsets = new Array<number>(strides.length).fill(0);
  const idx = new Array<number>(rank).fill(0);
  for (let done = 0; done < total; done += len) {
    row(offsets, len, inner);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < offsets.length; j++) offsets[j] += c.strides[j][d];
      if (idx[d] < c.shape[d]) break;
      for (let j = 0; j < offsets.length; j++) offsets[j] -= c.strides[j][d] * c.shape[d];
      idx[d] = 0;
    }
  }
}
