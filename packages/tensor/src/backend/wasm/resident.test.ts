// Operands kept in the kernels' memory: products read the kept copy, stay right when a larger job
// moves the kept arrays up or a release compacts them, and scopes nest.
import { afterAll, describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { matmulRef } from '../cpu/matmul.js';
import {
  DEFAULT_BLOCKING, DEFAULT_THREAD_MIN_FLOPS, getMatmulThreads, matmulF32, setMatmulThreads, tuneMatmul, wasmMatmulAvailable, withResidentOperands,
} from './matmul.js';
import { getRuntime, releaseOperand, retainOperand } from './runtime.js';

// Seeded LCG (Numerical Recipes constants), values in [-1, 1).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

const random = lcg(5);
const fill = (n: number): Float32Array => Float32Array.from({ length: n }, random);

/** out = op(a)·op(b) for one batch entry at the given offsets, wasm against the reference. */
function product(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transB: boolean,
  aOffset = 0, bOffset = 0): Float32Array {
  const got = new Float32Array(m * n);
  const want = new Float32Array(m * n);
  const ao = Int32Array.of(aOffset);
  const bo = Int32Array.of(bOffset);
  matmulF32(a, b, got, m, n, k, false, transB, ao, bo);
  matmulRef(a, b, want, m, n, k, false, transB, ao, bo);
  expectClose(got, want, { atol: 1e-5, rtol: 1e-4 });
  return got;
}

describe.runIf(wasmMatmulAvailable())('withResidentOperands', () => {
  const threads = getMatmulThreads();
  afterAll(() => {
    setMatmulThreads(threads);
    tuneMatmul({ threadMinFlops: DEFAULT_THREAD_MIN_FLOPS });
  });

  it('reads the kept copy: a write inside the scope is not seen, and is seen after it', () => {
    setMatmulThreads(1);
    const w = fill(24 * 16);   // [24, 16], used as Bᵀ
    const x = fill(3 * 16);
    withResidentOperands([w], () => {
      const before = product(x, w, 3, 24, 16, true);
      const kept = w.slice();
      w.fill(0);                                   // breaks the promise on purpose
      const got = new Float32Array(3 * 24);
      matmulF32(x, w, got, 3, 24, 16, false, true, Int32Array.of(0), Int32Array.of(0));
      expect(Array.from(got)).toEqual(Array.from(before));
      w.set(kept);
    });
    w.fill(0);
    const after = new Float32Array(3 * 24);
    matmulF32(x, w, after, 3, 24, 16, false, true, Int32Array.of(0), Int32Array.of(0));
    expect(after.every((v) => v === 0)).toBe(true);
  });

  it('reuses the memory a finished scope freed (repeated scopes do not grow it)', () => {
    setMatmulThreads(1);
    const w = fill(256 * 128);
    const x = fill(128);
    const scope = (): void => withResidentOperands([w], () => { product(x, w, 1, 256, 128, true); });
    scope();
    const bytes = getRuntime()!.memory.buffer.byteLength;
    for (let i = 0; i < 4; i++) scope();
    expect(getRuntime()!.memory.buffer.byteLength).toBe(bytes);
  });

  it('stays right as both operands, from offsets, across a larger job and a release in the middle', () => {
    tuneMatmul({ threadMinFlops: 0 });   // thread even these small products
    for (const t of [1, 2]) {
      setMatmulThreads(t);
      const w1 = fill(5 + 33 * 65);    // [65, 33] from offset 5
      const w2 = fill(40 * 7);         // [40, 7]
      const w3 = fill(9 * 40);         // [9, 40]
      withResidentOperands([w1, w2, w3], () => {
        // As B (packed once per tile: the thin one for 1–2 rows, the main one otherwise) and as A.
        for (const rows of [1, 2, 9, 40]) product(fill(rows * 33), w1, rows, 65, 33, true, 0, 5);
        product(w1, fill(33 * 3), 65, 3, 33, false, 5);
        product(w3, w2, 9, 7, 40, false);            // both kept
        product(fill(300 * 200), fill(200 * 300), 300, 300, 200, false);   // needs the memory the kept arrays sat in
        withResidentOperands([w2], () => {
          product(fill(6 * 40), w2, 6, 7, 40, false);
        });
        for (const rows of [1, 9]) product(fill(rows * 33), w1, rows, 65, 33, true, 0, 5);
        product(w3, w2, 9, 7, 40, false);
        // Kept panels read per cache block (k past KC, n past NC).
        tuneMatmul({ blocking: { mc: 6, kc: 16, nc: 32 } });
        for (const rows of [1, 9]) product(fill(rows * 33), w1, rows, 65, 33, true, 0, 5);
        product(fill(9 * 40), w2, 9, 7, 40, false);
        tuneMatmul({ blocking: DEFAULT_BLOCKING });
      });
      // Released in the middle of three (the scoped API releases last-in first; retain/release need not).
      const rt = getRuntime()!;
      const [a, b, c] = [fill(16 * 8), fill(16 * 8), fill(16 * 8)];
      for (const x of [a, b, c]) retainOperand(rt, x);
      releaseOperand(rt, b);
      product(a, c, 16, 16, 8, true);
      product(c, a, 16, 16, 8, true);
      const d = fill(16 * 8);
      retainOperand(rt, d);
      product(c, d, 16, 16, 8, true);
      for (const x of [a, c, d]) releaseOperand(rt, x);
      expect(getRuntime()?.residents.map.size).toBe(0);
    }
  });
});
