import { describe, expect, it } from 'vitest';
import { matmulRef } from './matmul.js';

// Seeded LCG (Numerical Recipes constants), values in [-1, 1).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

/** Naive float64 triple loop over the same layouts: the oracle. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array): Float64Array {
  const out = new Float64Array(aOffsets.length * m * n);
  for (let p = 0; p < aOffsets.length; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          sum += a[aOffsets[p] + (transA ? q * m + i : i * k + q)] * b[bOffsets[p] + (transB ? j * k + q : q * n + j)];
        }
        out[(p * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

describe('matmulRef', () => {
  it('multiplies a hand-checkable [2, 3]·[3, 2]', () => {
    const out = new Float64Array(4);
    matmulRef(new Float64Array([1, 2, 3, 4, 5, 6]), new Float64Array([1, 0, 0, 1, 1, 1]), out, 2, 2, 3,
      false, false, Int32Array.of(0), Int32Array.of(0));
    expect(Array.from(out)).toEqual([4, 5, 10, 11]);
  });

  it('matches the naive loop for every transpose combination, batched with shared offsets', () => {
    const random = lcg(7);
    for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [13, 1, 33], [1, 9, 4], [8, 8, 8]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          // Batch of 3: A_0 and A_2 share an offset (broadcast); B offsets start past 0.
          const a = Float64Array.from({ length: 2 * m * k }, random);
          const b = Float64Array.from({ length: 5 + 3 * k * n }, random);
          const aOffsets = Int32Array.of(0, m * k, 0);
          const bOffsets = Int32Array.of(5, 5 + k * n, 5 + 2 * k * n);
          const out = new Float64Array(3 * m * n).fill(NaN);
          matmulRef(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets);
          const want = naive(a, b, m, n, k, transA, transB, aOffsets, bOffsets);
          for (let i = 0; i < want.length; i++) expect(out[i]).toBeCloseTo(want[i], 12);
        }
      }
    }
  });

  it('writes zeros when k is 0 and accepts float32 arrays', () => {
    const out = new Float32Array(6).fill(NaN);
    matmulRef(new Float32Array(0), new Float32Array(0), out, 2, 3, 0, false, false, Int32Array.of(0), Int32Array.of(0));
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
