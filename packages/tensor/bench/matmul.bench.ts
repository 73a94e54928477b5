// Matmul throughput (GFLOP/s = 2·m·n·k / t) on the shapes of gloss's d128 transformer: the
// training step's linear layers (forward x·Wᵀ, input gradient g·W, weight gradient gᵀ·x, 2048 rows)
// and decoding steps (batch 64 and 1; also with the weight kept in the kernels' memory, as
// withResidentWeights does for a decoding loop). Wasm kernels on plain and relaxed SIMD, 1 and N threads,
// beside PyTorch on the same shapes in the same run when python3 has torch (columns skipped
// otherwise). Median of several timing blocks after a warm-up; --cpu-time times the one-thread
// columns (both sides) by process CPU time instead of the wall clock, which holds up on a machine
// other work shares (the N-thread columns need the wall clock).
// Usage: npm run bench -w @gloss/tensor [-- --quick] [--cpu-time] [--threads=N] [--tile=6x8] [--no-torch]
// GLOSS_BENCH_PYTHON picks the interpreter (default: python3, then /usr/bin/python3).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  matmulF32, setMatmulThreads, setWasmSimd, tuneMatmul, wasmSimdLevel, withResidentOperands,
} from '../src/backend/wasm/matmul.js';

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

interface Case { name: string; m: number; n: number; k: number; transA: boolean; transB: boolean; decode?: boolean }
const cases: Case[] = [];
// A linear layer y = x·Wᵀ with W [out, in] over `rows` rows, and its two gradients.
const linear = (rows: number, inF: number, outF: number, grads: boolean): void => {
  cases.push({ name: `[${rows},${inF}]·[${outF},${inF}]ᵀ`, m: rows, n: outF, k: inF, transA: false, transB: true });
  if (!grads) return;
  cases.push({ name: `[${rows},${outF}]·[${outF},${inF}]`, m: rows, n: inF, k: outF, transA: false, transB: false });
  cases.push({ name: `[${rows},${outF}]ᵀ·[${rows},${inF}]`, m: outF, n: inF, k: rows, transA: true, transB: false });
};
for (const [inF, outF] of [[128, 384], [128, 512], [512, 128], [128, 8000]]) linear(2048, inF, outF, true);
for (const rows of [64, 1]) {
  for (const outF of [384, 8000]) cases.push({ name: `[${rows},128]·[${outF},128]ᵀ`, m: rows, n: outF, k: 128, transA: false, transB: true, decode: true });
}
cases.push({ name: 'square 512', m: 512, n: 512, k: 512, transA: false, transB: false });

let seed = 12345;
const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const flops = (c: Case): number => 2 * c.m * c.n * c.k;

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/**
 * Median GFLOP/s of matmulF32 over `blocks` timing blocks of at least blockMs each (ms of `now`),
 * after a warm-up; with `keep`, B stays in the kernels' memory throughout.
 */
function measure(c: Case, now: () => number, keep = false): number {
  const a = Float32Array.from({ length: c.m * c.k }, random);
  const b = Float32Array.from({ length: c.k * c.n }, random);
  const out = new Float32Array(c.m * c.n);
  const offsets = Int32Array.of(0);
  const run = (): void => matmulF32(a, b, out, c.m, c.n, c.k, c.transA, c.transB, offsets, offsets);
  if (keep) return withResidentOperands([b], () => timeBlocks(c, run, now));
  return timeBlocks(c, run, now);
}

function timeBlocks(c: Case, run: () => void, now: () => number): number {
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
const best = levels.at(-1);
const keptLabel = `${best}, kept×1`;
if (best) {
  setWasmSimd(best);
  setMatmulThreads(1);
  for (const c of cases) if (c.decode) results[c.name][keptLabel] = measure(c, cpuTime ? cpuNow : () => performance.now(), true);
}
setWasmSimd('auto');
const torch = torchRates();
// The one-thread ratio takes the better of the relaxed and kept columns (decoding keeps its weights).
const ratioLabels = typeof torch === 'string' || !best ? [] : [`${best}×1/pt×1`, `${best}×${threads}/pt×${threads}`];
if (typeof torch !== 'string') {
  for (const c of cases) {
    results[c.name][`torch×1`] = torch['1'][c.name];
    results[c.name][`torch×${threads}`] = torch[String(threads)][c.name];
  }
}

const fmt = (x: number | undefined, w: number): string => (x === undefined ? '—' : x.toFixed(x < 10 ? 2 : 1)).padStart(w);
const columns = [...configs.map((x) => x.label), ...(best ? [keptLabel] : []),
  ...(typeof torch === 'string' ? [] : ['torch×1', `torch×${threads}`])];
console.log(`wasm kernels: ${levels.join(', ') || 'none (matmulRef)'}; default ${wasmSimdLevel()}; PyTorch: ` +
  (typeof torch === 'string' ? `skipped (${torch})` : 'same shapes, same run') +
  `; one-thread columns timed by ${cpuTime ? 'CPU time' : 'the wall clock'}; decoding rows' one-thread ratio takes the better of plain and kept`);
console.log(`${'shape'.padEnd(26)}${'MFLOP'.padStart(8)}${columns.map((l) => l.padStart(Math.max(11, l.length + 2))).join('')}` +
  `${ratioLabels.map((l) => l.padStart(17)).join('')}   GFLOP/s`);
for (const c of cases) {
  const r = results[c.name];
  const ratios = best && typeof torch !== 'string'
    ? [Math.max(r[keptLabel] ?? 0, r[`${best}×1`]) / r['torch×1'], r[`${best}×${threads}`] / r[`torch×${threads}`]] : [];
  console.log(`${c.name.padEnd(26)}${fmt(flops(c) / 1e6, 8)}${columns.map((l) => fmt(r[l], Math.max(11, l.length + 2))).join('')}` +
    `${ratios.map((x) => fmt(x, 17)).join('')}`);
}
console.log(JSON.stringify({ bench: 'matmul', unit: 'GFLOP/s', threads, quick, results }));
