// Attention speed and memory: the composed autograd path (q·kᵀ → scale → causal mask → softmax → ·v,
// every [batch, heads, T, T] intermediate materialized) beside the fused primitive (bounded workspace,
// gradients from the saved log-sum-exp), on each backend that runs here, in one run, with ratios.
// B = 32, H = 4, Dh = 32, causal self-attention, float32.
// Usage: npx tsx bench/attention.bench.ts [--quick]     (node --expose-gc for the memory column)
import { variable, type Variable } from '@gloss/autograd';
import { cpuBackend, Generator, getMatmulThreads, randn, setBackend, type Backend, type Tensor } from '@gloss/tensor';
import { composedAttention, fusedAttention } from '../src/scaled-dot-product-attention.js';

const quick = process.argv.includes('--quick');
const lengths = quick ? [32, 128] : [32, 64, 128, 256, 1024];
const blockMs = quick ? 60 : 250;
const blocks = quick ? 3 : 5;
const gc = (globalThis as { gc?: () => void }).gc;

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

/** MB of ArrayBuffer memory allocated by one call (garbage included: a proxy for its working set). */
function allocatedMB(fn: () => void): number | null {
  if (!gc) return null;
  gc();
  const before = process.memoryUsage().arrayBuffers;
  fn();
  return (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
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

console.log(`attention bench${quick ? ' (--quick)' : ''}: B=32 H=4 Dh=32 causal float32, matmul threads ${getMatmulThreads()}, ` +
  `median of ${blocks} blocks ≥ ${blockMs} ms${gc ? '' : ' (run with node --expose-gc for memory)'}`);
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
    const mb = allocatedMB(fwdBwd);
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
      `fwd+bwd ${ratio(base?.fwdBwd, r.fwdBwd)}${r.mb === null ? '' : `  allocated ${r.mb.toFixed(1)} MB`}`);
  }
}
console.log(JSON.stringify({ bench: 'attention', quick, results }));
