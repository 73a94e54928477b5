// Matmul throughput (GFLOP/s = 2·m·n·k / t) on the shapes of gloss's d128 transformer: the
// training step's linear layers (forward x·Wᵀ, input gradient g·W, weight gradient gᵀ·x, 2048 rows)
// and decoding steps (batch 64 and 1). Wasm kernels on plain and relaxed SIMD, 1 and N threads,
// beside PyTorch on the same shapes in the same run when python3 has torch (columns skipped
// otherwise). Median of several timing blocks after a warm-up; --cpu-time times the one-thread
// columns (both sides) by process CPU time instead of the wall clock, which holds up on a machine
// other work shares (the N-thread columns need the wall clock).
// Usage: npm run bench -w @gloss/tensor [-- --quick] [--cpu-time] [--threads=N] [--tile=6x8] [--no-torch]
// GLOSS_BENCH_PYTHON picks the interpreter (default: python3, then /usr/bin/python3).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { matmulF32, setMatmulThreads, setWasmSimd, tuneMatmul, wasmSimdLevel } from '../src/backend/wasm/matmul.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string): string | undefined => args.find((s) => s.startsWith(`--${name}=`))?.slice(name.length + 3);
const threads = Number(option('threads') ?? 2);
const tile = option('tile');
if (tile) {
  const [mr, nr] = tile.split('x').map(Number);
  tuneMatmul({ tile: { mr, nrv: nr / 4, unroll: 1 } });
}
const cpuTime = args.includes('--cpu-time');
const blockMs = quick ? 40 : 200;
const blocks = quick ? 3 : 5;

interface Case { name: string; m: number; n: number; k: number; transA: boolean; transB: boolean }
const cases: Case[] = [];
// A linear layer y = x·Wᵀ with W [out, in] over `rows` rows, and its two gradients.
const linear = (rows: number, inF: number, outF: number, grads: boolean): void => {
  cases.push({ name: `[${rows},${inF}]·[${outF},${inF}]ᵀ`, m: rows, n: outF, k: inF, transA: false, transB: true });
  if (!grads) return;
  cases.push({ name: `[${rows},${outF}]·[${outF},${inF}]`, m: rows, n: inF, k: outF, transA: false, transB: false });
  cases.push({ name: `[${rows},${outF}]ᵀ·[${rows},${inF}]`, m: outF, n: inF, k: rows, transA: true, transB: false });
};
for (const [inF, outF] of [[128, 384], [128, 512], [512, 128], [128, 8000]]) linear(2048, inF, outF, true);
for (const rows of [64, 1]) for (const outF of [384, 8000]) linear(rows, 128, outF, false);
cases.push({ name: 'square 512', m: 512, n: 512, k: 512, transA: false, transB: false });

let seed = 12345;
const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const flops = (c: Case): number => 2 * c.m * c.n * c.k;

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** Median GFLOP/s of matmulF32 over `blocks` timing blocks of at least blockMs each (ms of `now`), after a warm-up. */
function measure(c: Case, now: () => number): number {
  const a = Float32Array.from({ length: c.m * c.k }, random);
  const b = Float32Array.from({ length: c.k * c.n }, random);
  const out = new Float32Array(c.m * c.n);
  const offsets = Int32Array.of(0);
  const run = (): void => matmulF32(a, b, out, c.m, c.n, c.k, c.transA, c.transB, offsets, offsets);
  const warm = now();
  do run(); while (now() - warm < blockMs / 2);
  const rates: number[] = [];
  for (let r = 0; r < blocks; r++) {
    const t0 = now();
    let calls = 0;
    let t1 = t0;
    do { run(); calls++; t1 = now(); } while (t1 - t0 < blockMs);
    rates.push((flops(c) * calls) / ((t1 - t0) * 1e6));
  }
  rates.sort((x, y) => x - y);
  return rates[Math.floor(rates.length / 2)];
}

/** PyTorch's GFLOP/s per thread count and case name, or a reason it is absent. */
function torchRates(): Record<string, Record<string, number>> | string {
  if (args.includes('--no-torch')) return '--no-torch';
  const script = fileURLToPath(new URL('./torch_matmul.py', import.meta.url));
  const input = JSON.stringify(cases.map(({ name, m, n, k, transA, transB }) => ({ name, m, n, k, transA, transB })));
  const pythons = process.env.GLOSS_BENCH_PYTHON ? [process.env.GLOSS_BENCH_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const python of pythons) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) continue;
    const run = spawnSync(python, [script, `1,${threads}`, String(blockMs), String(blocks), cpuTime ? 'cpu' : 'wall'],
      { input, encoding: 'utf8' });
    if (run.status !== 0) return `${python} ${script} failed: ${run.stderr.trim().split('\n').at(-1)}`;
    return JSON.parse(run.stdout) as Record<string, Record<string, number>>;
  }
  return `no ${pythons.join(' or ')} with torch`;
}

const levels = (['simd', 'relaxed'] as const).filter((level) => { setWasmSimd(level); return wasmSimdLevel() === level; });
const configs = levels.flatMap((level) => [1, threads].map((t) => ({ level, t, label: `${level}×${t}` })));
const results: Record<string, Record<string, number>> = {};
for (const c of cases) results[c.name] = {};
for (const { level, t, label } of configs) {
  setWasmSimd(level);
  setMatmulThreads(t);
  for (const c of cases) results[c.name][label] = measure(c, t === 1 && cpuTime ? cpuNow : () => performance.now());
}
setWasmSimd('auto');
const torch = torchRates();
const best = levels.at(-1);
const ratioLabels = typeof torch === 'string' || !best ? [] : [`${best}×1/pt×1`, `${best}×${threads}/pt×${threads}`];
if (typeof torch !== 'string') {
  for (const c of cases) {
    results[c.name][`torch×1`] = torch['1'][c.name];
    results[c.name][`torch×${threads}`] = torch[String(threads)][c.name];
  }
}

const fmt = (x: number | undefined, w: number): string => (x === undefined ? '—' : x.toFixed(x < 10 ? 2 : 1)).padStart(w);
const columns = [...configs.map((x) => x.label), ...(typeof torch === 'string' ? [] : ['torch×1', `torch×${threads}`])];
console.log(`wasm kernels: ${levels.join(', ') || 'none (matmulRef)'}; default ${wasmSimdLevel()}; PyTorch: ` +
  (typeof torch === 'string' ? `skipped (${torch})` : 'same shapes, same run') +
  `; one-thread columns timed by ${cpuTime ? 'CPU time' : 'the wall clock'}`);
console.log(`${'shape'.padEnd(26)}${'MFLOP'.padStart(8)}${columns.map((l) => l.padStart(11)).join('')}` +
  `${ratioLabels.map((l) => l.padStart(17)).join('')}   GFLOP/s`);
for (const c of cases) {
  const r = results[c.name];
  const ratios = best && typeof torch !== 'string'
    ? [r[`${best}×1`] / r['torch×1'], r[`${best}×${threads}`] / r[`torch×${threads}`]] : [];
  console.log(`${c.name.padEnd(26)}${fmt(flops(c) / 1e6, 8)}${columns.map((l) => fmt(r[l], 11)).join('')}` +
    `${ratios.map((x) => fmt(x, 17)).join('')}`);
}
console.log(JSON.stringify({ bench: 'matmul', unit: 'GFLOP/s', threads, quick, results }));
