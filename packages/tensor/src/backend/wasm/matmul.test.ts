import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueError } from '../../errors.js';
import { matmulRef } from '../cpu/matmul.js';
import { DEFAULT_BLOCKING, DEFAULT_THIN_MAX_ROWS, DEFAULT_THREAD_MIN_FLOPS, getMatmulThreads, matmulF32, matmulThreadsReport, setMatmulThreads, startMatmulThreads, setWasmSimd, tuneMatmul, wasmMatmulAvailable, wasmSimdLevel } from './matmul.js';
import { SIMD_ENV } from './simd-level.js';
import { threadsSupported } from './thread-pool.js';

// Seeded LCG (Numerical Recipes constants), values in [-1, 1).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
}

type Kernel = typeof matmulF32;

/**
 * Runs `kernel` on random data and compares with a float64 naive loop, per element within
 * 1e-5·√k·Σ|a·b| (float32 rounding grows like √k for random signs). Batch 3 with A_0 and A_2
 * sharing an offset (broadcast) and offsets that do not start at 0.
 */
function check(kernel: Kernel, random: () => number, m: number, n: number, k: number,
  transA: boolean, transB: boolean): void {
  const batch = 3;
  const a = Float32Array.from({ length: 4 + 2 * m * k }, random);
  const b = Float32Array.from({ length: 1 + batch * k * n }, random);
  const aOffsets = Int32Array.of(4, 4 + m * k, 4);
  const bOffsets = Int32Array.from({ length: batch }, (_, p) => 1 + p * k * n);
  const out = new Float32Array(batch * m * n).fill(NaN);   // must be overwritten, not accumulated
  kernel(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let absSum = 0;
        for (let q = 0; q < k; q++) {
          const x = a[aOffsets[p] + (transA ? q * m + i : i * k + q)] * b[bOffsets[p] + (transB ? j * k + q : q * n + j)];
          sum += x;
          absSum += Math.abs(x);
        }
        const got = out[(p * m + i) * n + j];
        const tol = 1e-5 * Math.sqrt(k) * absSum + 1e-30;
        if (!(Math.abs(got - sum) <= tol)) {
          throw new Error(`[${p}, ${i}, ${j}] of m=${m} n=${n} k=${k} transA=${transA} transB=${transB}: ` +
            `got ${got}, want ${sum} (tolerance ${tol})`);
        }
      }
    }
  }
}

const SIZES = [1, 3, 5, 7, 13, 33, 65, 127, 129, 257];
const TRANSPOSES = [[false, false], [false, true], [true, false], [true, true]] as const;

/** Shapes: all 0/1 corners plus seeded random picks from SIZES, capped so the oracle stays fast. */
function shapes(seed: number, count: number): [number, number, number][] {
  const random = lcg(seed);
  const pick = (): number => SIZES[Math.floor((random() + 1) / 2 * SIZES.length)];
  const out: [number, number, number][] = [[1, 1, 1], [1, 17, 9], [17, 1, 9], [9, 17, 1], [2, 16, 300]];
  while (out.length < count) {
    const s: [number, number, number] = [pick(), pick(), pick()];
    if (s[0] * s[1] * s[2] <= 300_000) out.push(s);
  }
  return out;
}

// Node 20 turns relaxed SIMD on through a V8 flag; Node ≥ 22 and Chromium ≥ 114 have it anyway.
const inNode = typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === 'function';

/**
 * Which kernel a check ran: the returned function asserts that the WebAssembly kernels of `level` were built (so
 * matmulF32 did not fall back to matmulRef) and, on 2 threads with a pool, that the jobs went through the pool
 * (its chunk counters, the caller's slot included, moved; the single-threaded path counts none). Which thread took
 * which chunk is left to timing: on a loaded machine the caller may take them all before the worker wakes.
 */
function kernelsRan(level: 'simd' | 'relaxed', threads: number): () => void {
  const pooledChunks = () => matmulThreadsReport().chunks.reduce((x, y) => x + y, 0);
  const before = pooledChunks();
  return () => {
    if (!wasmMatmulAvailable()) return;                      // no SIMD here: the reference ran, by contract
    if (level === 'simd' || inNode) expect(wasmSimdLevel()).toBe(level);
    if (threads > 1 && threadsSupported()) expect(pooledChunks()).toBeGreaterThan(before);
  };
}

describe('wasmSimdLevel / setWasmSimd', () => {
  afterAll(() => setWasmSimd('auto'));

  it('runs relaxed SIMD by default in Node and plain SIMD on request', () => {
    setWasmSimd('auto');
    if (inNode && process.env[SIMD_ENV] === undefined) expect(wasmSimdLevel()).toBe('relaxed');
    setWasmSimd('simd');
    expect(wasmSimdLevel()).toBe(wasmMatmulAvailable() ? 'simd' : 'none');
  });

  it('refuses a request that is not an instruction set', () => {
    expect(() => setWasmSimd('fast' as 'simd')).toThrow(ValueError);
    expect(() => setWasmSimd('fast' as 'simd')).toThrow(/setWasmSimd: expected one of relaxed, simd, auto, got "fast"/);
  });
});

for (const level of ['simd', 'relaxed'] as const) describe(`matmulF32 (wasm, ${level} SIMD)`, () => {
  beforeAll(() => setWasmSimd(level));
  afterAll(() => {
    tuneMatmul({ blocking: DEFAULT_BLOCKING, threadMinFlops: DEFAULT_THREAD_MIN_FLOPS });
    setMatmulThreads(1);
    setWasmSimd('auto');
  });

  it(`builds the ${level} kernels where the engine has them`, () => {
    if (level === 'simd' || inNode) expect(wasmSimdLevel()).toBe(wasmMatmulAvailable() ? level : 'none');
  });

  it('is available in Node (WebAssembly SIMD is in every V8 Node ≥ 20 ships), so the tests below run the kernels', () => {
    if (inNode) expect(wasmMatmulAvailable()).toBe(true);
    // Where it is not (an engine without SIMD), matmulF32 runs matmulRef and the checks below test that instead.
    expect(wasmSimdLevel() === 'none').toBe(!wasmMatmulAvailable());
  });

  for (const threads of [1, 2]) {
    it(`matches the naive loop on ${threads} thread(s) over 0/1/ragged shapes and all transposes`, async () => {
      setMatmulThreads(threads);
      await startMatmulThreads();          // else a worker still starting leaves every chunk to the caller
      tuneMatmul({ threadMinFlops: 0 });   // thread even tiny problems so the pool is exercised
      const random = lcg(threads);
      const ran = kernelsRan(level, threads);
      for (const [m, n, k] of shapes(100 + threads, 24)) {
        for (const [transA, transB] of TRANSPOSES) check(matmulF32, random, m, n, k, transA, transB);
      }
      ran();
    });

    it(`crosses every cache-block boundary on ${threads} thread(s) (small MC/KC/NC)`, async () => {
      setMatmulThreads(threads);
      await startMatmulThreads();
      tuneMatmul({ blocking: { mc: 6, kc: 16, nc: 32 }, threadMinFlops: 0 });
      const random = lcg(50 + threads);
      const ran = kernelsRan(level, threads);
      for (const [m, n, k] of [[13, 65, 33], [33, 7, 129], [65, 33, 17], [7, 129, 65]]) {
        for (const [transA, transB] of TRANSPOSES) check(matmulF32, random, m, n, k, transA, transB);
      }
      ran();
      tuneMatmul({ blocking: DEFAULT_BLOCKING });
    });
  }

  it('matches the naive loop with every shape on the thin tile (few-row products)', async () => {
    setMatmulThreads(2);
    await startMatmulThreads();
    tuneMatmul({ thinMaxRows: Infinity, threadMinFlops: 0 });
    const random = lcg(70);
    const ran = kernelsRan(level, 2);
    for (const [m, n, k] of shapes(300, 10)) {
      for (const [transA, transB] of TRANSPOSES) check(matmulF32, random, m, n, k, transA, transB);
    }
    ran();
    tuneMatmul({ thinMaxRows: DEFAULT_THIN_MAX_ROWS, threadMinFlops: DEFAULT_THREAD_MIN_FLOPS });
  });

  it('handles n beyond NC and k beyond KC with the default blocking', () => {
    setMatmulThreads(2);
    check(matmulF32, lcg(3), 3, 2100, 5, false, true);
    check(matmulF32, lcg(4), 9, 20, 600, true, false);
  });

  it('writes zeros when k is 0 and leaves out alone when m, n or batch is 0', () => {
    const out = new Float32Array(6).fill(NaN);
    matmulF32(new Float32Array(0), new Float32Array(0), out, 2, 3, 0, false, false, Int32Array.of(0), Int32Array.of(0));
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = new Float32Array(2).fill(7);
    matmulF32(new Float32Array(4), new Float32Array(4), untouched, 0, 2, 2, false, false, Int32Array.of(0), Int32Array.of(0));
    matmulF32(new Float32Array(4), new Float32Array(4), untouched, 1, 2, 2, false, false, new Int32Array(0), new Int32Array(0));
    expect(Array.from(untouched)).toEqual([7, 7]);
  });

  it('agrees with matmulRef after the heap has grown for a larger problem', () => {
    setMatmulThreads(1);
    const random = lcg(9);
    check(matmulF32, random, 257, 129, 65, false, false);
    check(matmulF32, random, 5, 7, 3, true, true);
  });

  it('keeps a thread count: 1 on request, up to the request where threads are supported', () => {
    setMatmulThreads(1);
    expect(getMatmulThreads()).toBe(1);
    setMatmulThreads(3);
    expect(getMatmulThreads()).toBe(threadsSupported() && wasmMatmulAvailable() ? 3 : 1);
  });
});

describe.skipIf(!threadsSupported() || !wasmMatmulAvailable())('matmulThreadsReport in Node', () => {
  afterAll(() => {
    tuneMatmul({ threadMinFlops: DEFAULT_THREAD_MIN_FLOPS });
    setMatmulThreads(1);
  });

  it('starts worker_threads on request and counts every chunk of a threaded job once', async () => {
    setMatmulThreads(2);
    const report = await startMatmulThreads();
    expect(report).toMatchObject({ threads: 2, started: 1, pool: 'worker_threads', singleThreaded: null });
    expect(report.chunks).toHaveLength(2);
    tuneMatmul({ threadMinFlops: 0 });
    const before = report.chunks[0] + report.chunks[1];
    check(matmulF32, lcg(12), 64, 64, 64, false, false);   // one job of batch 3: one chunk per batch entry (under 2 threads × 2)
    const after = matmulThreadsReport().chunks;
    expect(after[0] + after[1] - before).toBe(3);
  });

  it('says why it runs on one thread', () => {
    setMatmulThreads(1);
    expect(matmulThreadsReport()).toMatchObject({ threads: 1, singleThreaded: 'setMatmulThreads(1)' });
  });
});

describe('matmulRef against the same oracle', () => {
  it('matches on ragged shapes and all transposes (float32 data)', () => {
    const random = lcg(11);
    for (const [m, n, k] of shapes(200, 8)) {
      for (const [transA, transB] of TRANSPOSES) check(matmulRef, random, m, n, k, transA, transB);
    }
  });
});
