// Reference batched matrix product, plain loops: out_p = op(A_p)·op(B_p) for both float dtypes.
// It defines what "correct" means for the faster kernels and serves float64 (gradient checks).

import type { FloatArray } from '../../dtype.js';

type Data = Float32Array | Float64Array;

/** The Backend.matmul signature, for the primitives built on a matmul (attention, linear, linearCrossEntropy). */
export type Matmul = (a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array) => void;

/** aOffsets / bOffsets of a single product (batch 1, both operands at offset 0). */
export const SINGLE = new Int32Array(1);

/**
 * Batched matmul over typed arrays, overwriting `out`.
 *
 * For batch index p < aOffsets.length: A_p starts at a[aOffsets[p]] and is row-major [m, k]
 * ([k, m] when transA: the product uses its transpose); B_p starts at b[bOffsets[p]], [k, n]
 * ([n, k] when transB). out is contiguous [batch, m, n]. Offsets may repeat (broadcasting).
 *
 * @example
 * // [2, 3] · [3, 1]
 * matmulRef(new Float64Array([1, 2, 3, 4, 5, 6]), new Float64Array([1, 1, 1]), out, 2, 1, 3,
 *   false, false, Int32Array.of(0), Int32Array.of(0));   // out = [6, 15]
 */
export function matmulRef(a: Data, b: Data, out: Data, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array): void {
  // Element (i, q) of op(A_p) is a[ao + i·aRs + q·aCs].
  const aRs = transA ? 1 : k;
  const aCs = transA ? m : 1;
  for (let p = 0; p < aOffsets.length; p++) {
    const ao = aOffsets[p];
    const bo = bOffsets[p];
    const oo = p * m * n;
    if (!transB) {
      // i-k-j: out row i accumulates a(i, q) · (row q of B), both rows contiguous.
      for (let i = 0; i < m; i++) {
        const row = oo + i * n;
        out.fill(0, row, row + n);
        for (let q = 0; q < k; q++) {
          const aiq = a[ao + i * aRs + q * aCs];
          const bRow = bo + q * n;
          for (let j = 0; j < n; j++) out[row + j] += aiq * b[bRow + j];
        }
      }
    } else {
      // B is stored [n, k]: out(i, j) is the dot product of op(A) row i with B row j.
      for (let i = 0; i < m; i++) {
        const row = oo + i * n;
        for (let j = 0; j < n; j++) {
          const bRow = bo + j * k;
          let sum = 0;
          if (transA) {
            for (let q = 0; q < k; q++) sum += a[ao + q * m + i] * b[bRow + q];
          } else {
            const aRow = ao + i * k;
            for (let q = 0; q < k; q++) sum += a[aRow + q] * b[bRow + q];
          }
          out[row + j] = sum;
        }
      }
    }
  }
}
