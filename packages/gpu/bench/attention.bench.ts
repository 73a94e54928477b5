// Fused attention forward and forward+backward: gpu.js kernels (webasm and gpu.js's JavaScript 'cpu'
// mode) against cpuBackend (its WebAssembly SIMD attention kernel). B=32, H=4, Dh=32, causal.
// Median ms per call over several timing blocks after a warm-up (which includes kernel compilation).
// Then what the `auto` choice measures here on its small probe, what it picks, and how long the probe took
// (about 0.5 s on a quiet 2-core machine; no unit test asserts that time, a loaded CI machine would fail it).
// Usage: npx tsx packages/gpu/bench/attention.bench.ts [--quick] [--long]   (--long adds T=1024 forward)
import { cpuBackend, type AttentionDims, type AttentionMasking, type Backend } from '@gloss/tensor';
import { chooseBackend, createGpuBackend, type GpuBackend } from '../src/index.js';

const quick = process.argv.includes('--quick');
const long = process.argv.includes('--long');
const blockMs = quick ? 100 : 300;
const blocks = quick ? 3 : 5;
const lengths = quick ? [32, 64, 128] : [32, 64, 128, 256];
/** gpu.js 'cpu' mode is slow: time it only up to this length. */
const cpuModeMax = quick ? 64 : 128;

let seed = 1;
const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const fill = (n: number): Float32Array => Float32Array.from({ length: n }, random);

/** Median over blocks of the mean ms per call in each block (a block runs ≥ blockMs, at least once). */
function time(fn: () => void): number {
  fn();   // warm-up: compiles kernels, grows memory
  const perCall: number[] = [];
  for (let b = 0; b < blocks; b++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    do { fn(); n++; t = performance.now(); } while (t - t0 < blockMs);
    perCall.push((t - t0) / n);
  }
  perCall.sort((x, y) => x - y);
  return perCall[Math.floor(perCall.length / 2)];
}

interface Row { t: number; backend: string; fwd: number; fwdBwd: number | null }

function benchOne(backend: Backend, t: number, withBackward: boolean): { fwd: number; fwdBwd: number | null } {
  const dims: AttentionDims = { batch: 32, heads: 4, tq: t, tk: t, headDim: 32 };
  const masking: AttentionMasking = { causal: true, keyPadding: null, mask: null, maskStrides: [0, 0, 0, 0] };
  const n = dims.batch * dims.heads * t * dims.headDim;
  const [q, k, v, dout] = [fill(n), fill(n), fill(n), fill(n)];
  const out = new Float32Array(n);
  const lse = new Float32Array(dims.batch * dims.heads * t);
  const [dq, dk, dv] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const scale = 1 / Math.sqrt(dims.headDim);
  const forward = (): void => backend.attentionForward(q, k, v, dims, scale, masking, out, lse);
  const fwd = time(forward);
  const reason = (backend as GpuBackend).lastFallbackReason;
  if (reason) throw new Error(`${backend.name} fell back at T=${t}: ${reason}`);
  const fwdBwd = withBackward
    ? time(() => { forward(); backend.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv); })
    : null;
  return { fwd, fwdBwd };
}

const webasm = createGpuBackend({ mode: 'webasm' });
const jsMode = createGpuBackend({ mode: 'cpu' });
const rows: Row[] = [];
const fmt = (x: number | null): string => (x === null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
console.log(`fused attention, B=32 H=4 Dh=32 causal, float32, median of ${blocks} blocks ≥${blockMs} ms (ms per call)`);
console.log('T     backend        forward   fwd+bwd   fwd ratio vs cpuBackend   fwd+bwd ratio');
for (const t of [...lengths, ...(long ? [1024] : [])]) {
  const withBackward = t <= 256;
  const ref = benchOne(cpuBackend, t, withBackward);
  rows.push({ t, backend: 'cpuBackend', ...ref });
  const candidates: [string, Backend][] = [['gpu.js webasm', webasm]];
  if (t <= cpuModeMax) candidates.push(['gpu.js cpu', jsMode]);
  console.log(`${String(t).padEnd(5)} ${'cpuBackend'.padEnd(14)} ${fmt(ref.fwd).padStart(7)}   ${fmt(ref.fwdBwd).padStart(7)}`);
  for (const [name, b] of candidates) {
    const r = benchOne(b, t, withBackward);
    rows.push({ t, backend: name, ...r });
    const ratio = (x: number | null, y: number | null): string => (x === null || y === null ? '—' : `${(x / y).toFixed(2)}× slower`);
    console.log(`${String(t).padEnd(5)} ${name.padEnd(14)} ${fmt(r.fwd).padStart(7)}   ${fmt(r.fwdBwd).padStart(7)}   ` +
      `${ratio(r.fwd, ref.fwd).padEnd(24)}  ${ratio(r.fwdBwd, ref.fwdBwd)}`);
  }
}
await webasm.dispose();
await jsMode.dispose();

const choice = await chooseBackend();
console.log(`\nauto: chose ${choice.name} in ${choice.ms.toFixed(0)} ms (probe: attention fwd+bwd B=2 H=2 T=64 Dh=32 causal, matmul 128³)`);
for (const m of choice.measurements) {
  const t = m.attentionMs === null ? '—' : `${m.attentionMs.toFixed(2)} ms + matmul ${m.matmulMs!.toFixed(2)} ms`;
  console.log(`  ${m.name.padEnd(16)} ${t.padEnd(30)} ${m.why}`);
}
if ('dispose' in choice.backend) await (choice.backend as GpuBackend).dispose();
