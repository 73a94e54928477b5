// Attention speed and memory: the composed autograd path (q·kᵀ → scale → causal mask → softmax → ·v,
// every [batch, heads, T, T] intermediate materialized) beside the fused primitive (bounded workspace,
// gradients from the saved log-sum-exp), on each backend that runs here, in one run, with ratios.
// B = 32, H = 4, Dh = 32, causal self-attention, float32.
// Peak memory: each path runs one forward+backward in a child process, which reports how far its
// maxRSS high-water mark rose during the call.
// Usage: npx tsx bench/attention.bench.ts [--quick]
import { execFileSync } from 'node:child_process';
import { variable, type Variable } from '@gloss/autograd';
import { cpuBackend, Generator, getMatmulThreads, randn, setBackend, type Backend, type Tensor } from '@gloss/tensor';
import { composedAttention, fusedAttention } from '../src/scaled-dot-product-attention.js';

const quick = process.argv.includes('--quick');
const lengths = quick ? [32, 128] : [32, 64, 128, 256, 1024];
const blockMs = quick ? 60 : 250;
const blocks = quick ? 3 : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ms per call: warm-up, then the median of `blocks` blocks of ≥ blockMs each. */
function time(fn: () => void): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= blockMs || reps > 1e5) break;
    reps *= 2;
  }
  const per: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    per.push((performance.now() - t0) / reps);
  }
  return median(per);
}

/** MB by which one forward+backward of path `index` at length t raises the peak RSS, in a fresh process. */
function peakMB(t: number, index: number): number | null {
  try {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--peak', String(t), String(index)], { encoding: 'utf8' });
    return Number(out.trim().split('\n').at(-1));
  } catch {
    return null;
  }
}

interface Path { name: string; backend: Backend; run: (q: Variable, k: Variable, v: Variable) => Variable }
const paths: Path[] = [
  { name: 'composed (autograd ops)', backend: cpuBackend, run: (q, k, v) => composedAttention(q, k, v, { causal: true }).output },
  { name: 'fused (TypeScript + wasm GEMM)', backend: cpuBackend, run: (q, k, v) => fusedAttention(q, k, v, { causal: true }) },
];

// gpu.js backends, where @gloss/gpu is built and a mode runs here.
try {
  const gpu = await import('@gloss/gpu');
  const modes = (await gpu.gpuModesAvailable()).filter((m) => m.available && m.mode !== 'cpu').map((m) => m.mode);
  for (const mode of modes) {
    paths.push({ name: `fused, gpu.js ${mode}`, backend: gpu.createGpuBackend({ mode }), run: (q, k, v) => fusedAttention(q, k, v, { causal: true }) });
  }
} catch (e) {
  console.log(`(gpu.js backends not measured: ${(e as Error).message.split('\n')[0]})`);
}

const peakArg = process.argv.indexOf('--peak');
if (peakArg >= 0) {
  // Child mode: one forward+backward, print the rise of the RSS high-water mark in MB.
  const t = Number(process.argv[peakArg + 1]);
  const p = paths[Number(process.argv[peakArg + 2])];
  setBackend(p.backend);
  const gen = new Generator(0);
  const [q, k, v] = [0, 1, 2].map(() => variable(randn([32, 4, t, 32], { generator: gen }), { requiresGrad: true }));
  const grad = randn([32, 4, t, 32], { generator: gen });
  const before = process.resourceUsage().maxRSS;
  const run = () => p.run(q, k, v);
  if (t >= 1024) run(); else run().backward(grad);
  console.log(((process.resourceUsage().maxRSS - before) / 1024).toFixed(1));
  process.exit(0);
}

console.log(`attention bench${quick ? ' (--quick)' : ''}: B=32 H=4 Dh=32 causal float32, matmul threads ${getMatmulThreads()}, ` +
  `median of ${blocks} blocks ≥ ${blockMs} ms; peak = rise of maxRSS during one fwd+bwd (fwd at 1024) in a fresh process`);
const results: Record<string, Record<string, { fwd: number; fwdBwd: number; mb: number | null }>> = {};
const g = new Generator(0);
for (const t of lengths) {
  const make = (): Tensor => randn([32, 4, t, 32], { generator: g });
  const [q0, k0, v0] = [make(), make(), make()];
  const grad = make();
  results[t] = {};
  for (const p of paths) {
    if (t >= 1024 && p.name.startsWith('composed') && quick) continue;
    setBackend(p.backend);
    const fwd = () => { p.run(variable(q0), variable(k0), variable(v0)); };
    const fwdBwd = () => {
      const [q, k, v] = [q0, k0, v0].map((x) => variable(x, { requiresGrad: true }));
      p.run(q, k, v).backward(grad);
    };
    const mb = peakMB(t, paths.indexOf(p));
    const f = time(fwd);
    const fb = t >= 1024 ? NaN : time(fwdBwd); // forward only at 1024 (the composed backward alone holds several GB)
    results[t][p.name] = { fwd: f, fwdBwd: fb, mb };
  }
  setBackend(cpuBackend);
  const base = results[t][paths[0].name];
  for (const p of paths) {
    const r = results[t][p.name];
    if (!r) continue;
    const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '—');
    console.log(`T=${String(t).padEnd(5)} ${p.name.padEnd(34)} fwd ${r.fwd.toFixed(2).padStart(8)} ms  fwd+bwd ${
      Number.isFinite(r.fwdBwd) ? r.fwdBwd.toFixed(2).padStart(8) : '       —'} ms  speed-up vs composed: fwd ${ratio(base?.fwd, r.fwd)}, ` +
      `fwd+bwd ${ratio(base?.fwdBwd, r.fwdBwd)}${r.mb === null ? '' : `  peak +${r.mb.toFixed(0)} MB`}`);
  }
}
console.log(JSON.stringify({ bench: 'attention', quick, results }));
