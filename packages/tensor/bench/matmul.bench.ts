// Matmul throughput (GFLOP/s = 2·batch·m·n·k / t): wasm SIMD on 1 and all threads, matmulRef,
// and a naive ijk loop, on square and transformer shapes. Median of several ≥200 ms timing blocks.
// Usage: npx tsx packages/tensor/bench/matmul.bench.ts [--quick] [--tile=5x8] [--threads=N]
import { matmulRef } from '../src/backend/cpu/matmul.js';
import { getMatmulThreads, matmulF32, setMatmulThreads, tuneMatmul, wasmMatmulAvailable } from '../src/backend/wasm/matmul.js';

const quick = process.argv.includes('--quick');
const tileArg = process.argv.find((s) => s.startsWith('--tile='));
if (tileArg) {
  const [mr, nr] = tileArg.slice(7).split('x').map(Number);
  tuneMatmul({ tile: { mr, nrv: nr / 4, unroll: 1 } });
}
const threadsArg = process.argv.find((s) => s.startsWith('--threads='));
if (threadsArg) setMatmulThreads(Number(threadsArg.slice(10)));
const allThreads = getMatmulThreads();
const blockMs = quick ? 40 : 200;
const blocks = quick ? 3 : 5;

interface Case { name: string; batch: number; m: number; n: number; k: number; transA: boolean; transB: boolean; naive: boolean }
const cases: Case[] = [];
for (const s of [128, 256, 512, 1024]) {
  cases.push({ name: `square ${s}`, batch: 1, m: s, n: s, k: s, transA: false, transB: false, naive: !(quick && s === 1024) });
}
const proj = { batch: 1, m: 64 * 32, n: 512, k: 128, naive: true };
cases.push({ name: '[2048,128]·[128,512]', ...proj, transA: false, transB: false });
cases.push({ name: '[2048,128]·[512,128]ᵀ', ...proj, transA: false, transB: true });
cases.push({ name: '[128,2048]ᵀ·[128,512]', ...proj, transA: true, transB: false });
cases.push({ name: '[128,32,32]·[128,32,32]', batch: 128, m: 32, n: 32, k: 32, transA: false, transB: false, naive: true });

let seed = 12345;
const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;

const flops = (c: Case): number => 2 * c.batch * c.m * c.n * c.k;
type Kernel = (c: Case, a: Float32Array, b: Float32Array, out: Float32Array, ao: Int32Array, bo: Int32Array) => void;

/** Textbook i-j-k triple loop (strided inner access on B), the baseline of the ratios. */
const naive: Kernel = (c, a, b, out, ao, bo) => {
  const { m, n, k, transA, transB } = c;
  for (let p = 0; p < c.batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          sum += a[ao[p] + (transA ? q * m + i : i * k + q)] * b[bo[p] + (transB ? j * k + q : q * n + j)];
        }
        out[p * m * n + i * n + j] = sum;
      }
    }
  }
};
const wasm = (threads: number): Kernel => (c, a, b, out, ao, bo) => {
  setMatmulThreads(threads);
  matmulF32(a, b, out, c.m, c.n, c.k, c.transA, c.transB, ao, bo);
};
const ref: Kernel = (c, a, b, out, ao, bo) => matmulRef(a, b, out, c.m, c.n, c.k, c.transA, c.transB, ao, bo);

/**
 * Median GFLOP/s over `blocks` timing blocks of at least blockMs each, after a warm-up. `once`
 * (slow kernels under --quick) times a single call instead.
 */
function measure(c: Case, kernel: Kernel, once = false): number {
  const a = Float32Array.from({ length: c.batch * c.m * c.k }, random);
  const b = Float32Array.from({ length: c.batch * c.k * c.n }, random);
  const out = new Float32Array(c.batch * c.m * c.n);
  const ao = Int32Array.from({ length: c.batch }, (_, p) => p * c.m * c.k);
  const bo = Int32Array.from({ length: c.batch }, (_, p) => p * c.k * c.n);
  const warm = performance.now();
  if (!once) do kernel(c, a, b, out, ao, bo); while (performance.now() - warm < blockMs / 2);
  const rates: number[] = [];
  for (let r = 0; r < (once ? 1 : blocks); r++) {
    const t0 = performance.now();
    let calls = 0;
    let t1 = t0;
    do { kernel(c, a, b, out, ao, bo); calls++; t1 = performance.now(); } while (!once && t1 - t0 < blockMs);
    rates.push((flops(c) * calls) / ((t1 - t0) * 1e6));
  }
  rates.sort((x, y) => x - y);
  return rates[Math.floor(rates.length / 2)];
}

if (!wasmMatmulAvailable()) console.log('WebAssembly SIMD unavailable: the wasm columns run matmulRef');
const fmt = (x: number, w: number): string => (Number.isNaN(x) ? '—' : x.toFixed(x < 10 ? 2 : 1)).padStart(w);
console.log(`${'shape'.padEnd(26)}${'wasm×1'.padStart(9)}${`wasm×${allThreads}`.padStart(9)}${'ref'.padStart(8)}` +
  `${'naive'.padStart(8)}${'w1/nv'.padStart(8)}${'wN/nv'.padStart(8)}${'ref/nv'.padStart(8)}   GFLOP/s`);
const results: Record<string, Record<string, number>> = {};
for (const c of cases) {
  const r = {
    wasm1: measure(c, wasm(1)),
    wasmAll: measure(c, wasm(allThreads)),
    ref: measure(c, ref, quick && flops(c) > 1e8),
    naive: c.naive ? measure(c, naive, quick && flops(c) > 1e7) : NaN,
  };
  results[c.name] = r;
  console.log(`${c.name.padEnd(26)}${fmt(r.wasm1, 9)}${fmt(r.wasmAll, 9)}${fmt(r.ref, 8)}${fmt(r.naive, 8)}` +
    `${fmt(r.wasm1 / r.naive, 8)}${fmt(r.wasmAll / r.naive, 8)}${fmt(r.ref / r.naive, 8)}`);
}
setMatmulThreads(allThreads);
console.log(JSON.stringify({ bench: 'matmul', unit: 'GFLOP/s', threads: allThreads, quick, results }));
