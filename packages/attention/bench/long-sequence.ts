// Long sequences: forward+backward time and peak memory of full fused attention beside each efficient variant,
// at T = 1k, 4k, 16k (B·H = 4, headDim 32, float32, self-attention), with ratios to full attention measured in the
// same run. Causal rows (decoder self-attention): full, local w = 128, "T/w independent windows" (full attention on
// [B·H·T/w, w, w] blocks: the floor local attention aims at), block-sparse (BigBird: blocks of 64, 3 window,
// 2 global, 3 random), strided l = 128 (mask path; not at 16k, where its [T, T] mask would take GBs), linear (elu+1).
// Non-causal rows (encoder): full and linformer k = 256. Time: median over rounds that run every case of a length
// once each, in turn (so a busy machine slows all cases alike), wall and process CPU time; ratios are medians of
// per-round ratios. Peak = rise of resident memory during one fwd+bwd, in a fresh process per case.
// Usage: npx tsx bench/attention.bench.ts --long [--quick]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { matmul, reshape, variable, type Variable } from '@gloss/autograd';
import { Generator, getMatmulThreads, randn, uniform, type Tensor } from '@gloss/tensor';
import { linearAttention } from '../src/linear-attention.js';
import { fusedAttention } from '../src/scaled-dot-product-attention.js';
import { blockSparseLayout, blockSparsePattern, stridedPattern } from '../src/sparse-patterns.js';

const BH = 4;
const DH = 32;
const W = 128;

interface Case { name: string; causal: boolean; maxT?: number; run: (q: Variable, k: Variable, v: Variable, t: number) => Variable }

const layouts = new Map<number, ReturnType<NonNullable<ReturnType<typeof blockSparsePattern>['blockLayout']>>>();
const layoutFor = (t: number) => {
  if (!layouts.has(t)) {
    const p = blockSparsePattern(blockSparseLayout(Math.ceil(t / 64), { windowBlocks: 3, globalBlocks: 2, randomBlocks: 3, causal: true }, new Generator(1)), 64);
    layouts.set(t, p.blockLayout!(t));
  }
  return layouts.get(t)!;
};
const strided = new Map<number, Tensor>();
const linformer = new Map<number, [Variable, Variable]>();

export const CASES: Case[] = [
  { name: 'full (fused)', causal: true, run: (q, k, v) => fusedAttention(q, k, v, { causal: true }) },
  { name: `local w=${W}`, causal: true, run: (q, k, v) => fusedAttention(q, k, v, { causal: true, window: { before: W, after: W, globalTokens: 0 } }) },
  {
    name: `T/w windows (w=${W})`, causal: true, run: (q, k, v, t) => {
      const blocks = (x: Variable): Variable => reshape(x, [BH, t / W, W, DH]);   // [B·H, T/w, w, headDim]: each window a "head"
      return reshape(fusedAttention(blocks(q), blocks(k), blocks(v)), [1, BH, t, DH]);
    },
  },
  { name: 'block-sparse (64; 3+2+3)', causal: true, run: (q, k, v, t) => fusedAttention(q, k, v, { causal: true, blockLayout: layoutFor(t) }) },
  {
    name: `strided l=${W} (mask)`, causal: true, maxT: 4096, run: (q, k, v, t) => {
      if (!strided.has(t)) strided.set(t, stridedPattern(W).mask(t, t));
      return fusedAttention(q, k, v, { causal: true, attnMask: strided.get(t)! });
    },
  },
  { name: 'linear (elu+1, chunks of 64)', causal: true, run: (q, k, v) => linearAttention(q, k, v, { causal: true }) },
  { name: 'full (fused), non-causal', causal: false, run: (q, k, v) => fusedAttention(q, k, v) },
  {
    name: 'linformer k=256, non-causal', causal: false, run: (q, k, v, t) => {
      if (!linformer.has(t)) {
        const g = new Generator(2);
        const b = 1 / Math.sqrt(t);
        linformer.set(t, [variable(uniform([256, t], -b, b, { generator: g }), { requiresGrad: true }), variable(uniform([256, t], -b, b, { generator: g }), { requiresGrad: true })]);
      }
      const [E, F] = linformer.get(t)!;
      return fusedAttention(q, matmul(E, k), matmul(F, v));                         // keys, values [1, B·H, 256, headDim]
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One fwd+bwd of case c at length t: [wall ms, process CPU ms (all threads)]. */
function call(c: Case, t: number, x: [Tensor, Tensor, Tensor, Tensor]): [number, number] {
  const [q, k, v] = x.slice(0, 3).map((a) => variable(a, { requiresGrad: true }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  c.run(q, k, v, t).backward(x[3]);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [wall, (cpu.user + cpu.system) / 1000];
}

const inputs = (t: number): [Tensor, Tensor, Tensor, Tensor] => {
  const g = new Generator(t);
  const make = (): Tensor => randn([1, BH, t, DH], { generator: g });
  return [make(), make(), make(), make()];
};

/** Child mode: warm up at a small length, then one fwd+bwd; prints the rise of resident memory in MB. */
export function longPeakChild(t: number, index: number): void {
  const c = CASES[index];
  call(c, 1024, inputs(1024));
  const x = inputs(t);
  (globalThis as { gc?: () => void }).gc?.();
  const rss = (): { now: number; peak: number } => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const field = (name: string): number => Number(/\s(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(name)) ?? '')?.[1]);
    return { now: field('VmRSS:'), peak: field('VmHWM:') };
  };
  const before = rss();
  writeFileSync('/proc/self/clear_refs', '5');   // VmHWM := VmRSS
  call(c, t, x);
  console.log(((rss().peak - before.now) / 1024).toFixed(1));
}

function peakMB(t: number, index: number): number | null {
  try {
    const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', process.argv[1], '--long-peak', String(t), String(index)], { encoding: 'utf8' });
    return Number(out.trim().split('\n').at(-1));
  } catch {
    return null;
  }
}

export function longSequence(quick: boolean): void {
  const lengths = quick ? [1024, 4096] : [1024, 4096, 16384];
  const rounds = quick ? 3 : 5;
  console.log(`long-sequence attention bench: B·H=${BH}, headDim ${DH}, float32, fwd+bwd, kernel threads ${getMatmulThreads()}, ` +
    `${rounds} rounds of every case in turn (median), wall and process CPU ms; ratio = full / variant (median of per-round ratios; ` +
    'causal rows against causal full, non-causal against non-causal full); peak = rise of resident memory in one fwd+bwd, fresh process');
  const summary: Record<string, Record<string, unknown>> = {};
  for (const t of lengths) {
    const x = inputs(t);
    const cases = CASES.filter((c) => c.maxT === undefined || t <= c.maxT);
    for (const c of cases) call(c, t, x);   // warm-up (and the cached masks, layouts, projections)
    const wall = cases.map(() => [] as number[]);
    const cpu = cases.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      cases.forEach((c, i) => {
        const [w, p] = call(c, t, x);
        wall[i].push(w);
        cpu[i].push(p);
      });
    }
    summary[t] = {};
    cases.forEach((c, i) => {
      const ref = cases.findIndex((d) => d.name.startsWith('full') && d.causal === c.causal);
      const ratio = (xs: number[][]): number => median(xs[ref].map((a, r) => a / xs[i][r]));
      const windowsIndex = cases.findIndex((d) => d.name.startsWith('T/w'));
      const mb = peakMB(t, CASES.indexOf(c));
      const row = { wallMs: median(wall[i]), cpuMs: median(cpu[i]), speedupWall: ratio(wall), speedupCpu: ratio(cpu), peakMB: mb,
        vsWindowsCpu: c.name.startsWith('local') ? median(cpu[i].map((a, r) => a / cpu[windowsIndex][r])) : undefined };
      summary[t][c.name] = row;
      console.log(`T=${String(t).padEnd(6)} ${c.name.padEnd(30)} ${row.wallMs.toFixed(1).padStart(9)} ms wall ${row.cpuMs.toFixed(1).padStart(9)} ms CPU  ` +
        `full/this ${row.speedupWall.toFixed(2)}× wall ${row.speedupCpu.toFixed(2)}× CPU  peak ${mb === null ? '—' : `+${mb.toFixed(0)} MB`}` +
        (row.vsWindowsCpu !== undefined ? `  this / T/w windows ${row.vsWindowsCpu.toFixed(2)}× CPU` : ''));
    });
  }
  console.log(JSON.stringify({ bench: 'attention-long', quick, results: summary }));
}
