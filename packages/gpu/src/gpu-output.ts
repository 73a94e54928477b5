// gpu.js results → flat Float32Array, and the one place row-major shapes become gpu.js [x, y, z] sizes.

/** A gpu.js kernel result: Float32Array (1-D), rows of Float32Array (2-D) or rows of rows (3-D). */
export type GpuResult = Float32Array | Float32Array[] | Float32Array[][];

/** Row-major [z, y, x] (or [y, x], [x]) → gpu.js output size [x, y, z]. */
export function toGpuSize(shape: readonly number[]): number[] {
  return [...shape].reverse();
}

function firstRow(r: GpuResult): Float32Array {
  let x: unknown = r;
  while (Array.isArray(x)) x = x[0];
  return x as Float32Array;
}

function lastRow(r: GpuResult): Float32Array {
  let x: unknown = r;
  while (Array.isArray(x)) x = x[x.length - 1];
  return x as Float32Array;
}

/**
 * The `n` values of a result in row-major order. webasm returns rows that are views of one buffer:
 * that gives a view without copying (valid until the kernel runs again); otherwise the rows are copied
 * into `scratch` (or a new array).
 */
export function flattenResult(r: GpuResult, n: number, scratch?: Float32Array): Float32Array {
  if (r instanceof Float32Array) return r.length === n ? r : r.subarray(0, n);
  const first = firstRow(r);
  const last = lastRow(r);
  if (first.buffer === last.buffer && last.byteOffset + last.byteLength - first.byteOffset === n * 4) {
    return new Float32Array(first.buffer, first.byteOffset, n);
  }
  const out = scratch !== undefined && scratch.length >= n ? scratch.subarray(0, n) : new Float32Array(n);
  let at = 0;
  const copy = (x: Float32Array | Float32Array[] | Float32Array[][]): void => {
    if (x instanceof Float32Array) { out.set(x, at); at += x.length; } else for (const y of x) copy(y);
  };
  copy(r);
  return out;
}
