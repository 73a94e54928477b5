// The tape's overhead: the same math through autograd Variables and through raw @gloss/tensor calls
// with a hand-written backward, in one run. Cases: a 2-layer MLP (x [256, 512] → Linear 512→1024 → relu →
// Linear 1024→512 → mean of squares) and layerNorm over [64·32, 128] with weight and bias, forward+backward,
// float32. ms per iteration is the median of several ≥200 ms blocks after a warm-up, autograd and raw blocks
// alternating; ratio = median over block pairs of autograd / raw.
// Also memory: heapUsed (and arrayBuffers) at steps 100 and 1000 of a small MLP's training loop, measured first.
// Usage: npx tsx --expose-gc packages/autograd/bench/autograd.bench.ts [--quick]
// (without --expose-gc the memory numbers are taken without forcing a collection, and say so)
import * as T from '@gloss/tensor';
import { Generator, getMatmulThreads, randn, type Tensor } from '@gloss/tensor';
import { add, layerNorm, matmul, mean, mul, noGrad, relu, variable, type Variable } from '../src/index.js';

const quick = process.argv.includes('--quick');
const blockMs = quick ? 40 : 200;
const blocks = quick ? 3 : 7;
const generator = new Generator(0);

/** ms per call over one block of at least blockMs. */
function block(fn: () => void): number {
  const t0 = performance.now();
  let calls = 0;
  let t1 = t0;
  do { fn(); calls++; t1 = performance.now(); } while (t1 - t0 < blockMs);
  return (t1 - t0) / calls;
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Autograd against raw: after a warm-up of both, alternating ≥ blockMs blocks (so drift on a shared machine hits
 * both alike). Returns each side's median ms per call and the median of the per-pair ratios autograd/raw.
 */
function compare(autograd: () => void, raw: () => void): { autograd: number; raw: number; ratio: number } {
  block(autograd);
  block(raw);
  const a: number[] = [];
  const r: number[] = [];
  for (let b = 0; b < blocks; b++) {
    a.push(block(autograd));
    r.push(block(raw));
  }
  return { autograd: median(a), raw: median(r), ratio: median(a.map((t, i) => t / r[i])) };
}

// ---- MLP: y = relu(x·W1 + b1)·W2 + b2, loss = mean(y²) ----
interface MlpSize { batch: number; dIn: number; dHidden: number; dOut: number }
function mlpParams({ dIn, dHidden, dOut }: MlpSize): Tensor[] {
  return [randn([dIn, dHidden], { generator }).mul(1 / Math.sqrt(dIn)), T.zeros([dHidden]),
    randn([dHidden, dOut], { generator }).mul(1 / Math.sqrt(dHidden)), T.zeros([dOut])];
}

/** Forward and backward through the tape; returns the loss (the leaves' grads are set). */
function mlpAutograd(x: Tensor, [w1, b1, w2, b2]: Variable[]): Variable {
  for (const p of [w1, b1, w2, b2]) p.zeroGrad();
  const y = add(matmul(relu(add(matmul(x, w1), b1)), w2), b2); // [batch, dOut]
  const loss = mean(mul(y, y));
  loss.backward();
  return loss;
}

/** The same forward, and its backward by hand: dy = 2y/n, dW2 = aᵀ·dy, db2 = Σ dy, da = dy·W2ᵀ, dh = da⊙[h > 0], dW1 = xᵀ·dh, db1 = Σ dh. */
function mlpRaw(x: Tensor, [w1, b1, w2, b2]: Tensor[]): Tensor[] {
  const h = T.add(T.matmul(x, w1), b1); // [batch, dHidden]
  const a = T.relu(h);
  const y = T.add(T.matmul(a, w2), b2); // [batch, dOut]
  T.mean(T.mul(y, y));
  const dy = T.mul(y, 2 / y.size);
  const dw2 = T.matmul(a, dy, { transA: true });
  const db2 = T.sum(dy, 0);
  const dh = T.where(T.gt(h, 0), T.matmul(dy, w2, { transB: true }), 0);
  return [T.matmul(x, dh, { transA: true }), T.sum(dh, 0), dw2, db2];
}

// ---- layerNorm over the last axis with weight and bias ----
function layerNormCase(rows: number, dModel: number) {
  const x = randn([rows, dModel], { generator });
  const weight = randn([dModel], { generator });
  const bias = randn([dModel], { generator });
  const dy = randn([rows, dModel], { generator });
  const leaves = [x, weight, bias].map((t) => variable(t, { requiresGrad: true }));
  return {
    autograd: () => {
      for (const p of leaves) p.zeroGrad();
      layerNorm(leaves[0], leaves[1], leaves[2], 1e-5).backward(dy);
    },
    raw: () => {
      const { mean: mu, rstd } = T.layerNormWithStats(x, weight, bias, 1e-5);
      T.layerNormBackward(dy, x, weight, mu, rstd, true);
    },
  };
}

const results: Record<string, number | string | boolean | null> = { quick, matmulThreads: getMatmulThreads() };
console.log(`autograd bench${quick ? ' (--quick)' : ''}: float32, matmul threads ${getMatmulThreads()}, median of ${blocks} alternating blocks ≥ ${blockMs} ms each`);

// ---- memory first (before the large cases leave garbage behind): backward must release the graph, so memory stays flat ----
{
  const gc = (globalThis as { gc?: () => void }).gc;
  const size = { batch: 32, dIn: 64, dHidden: 128, dOut: 64 };
  const x = randn([size.batch, size.dIn], { generator });
  const leaves = mlpParams(size).map((p) => variable(p, { requiresGrad: true }));
  const at: Record<number, { heapUsed: number; arrayBuffers: number }> = {};
  for (let stepNo = 1; stepNo <= 1000; stepNo++) {
    mlpAutograd(x, leaves);
    noGrad(() => { for (const p of leaves) p.value = T.sub(p.value, T.mul(p.grad!, 0.01)); }); // SGD
    if (stepNo === 100 || stepNo === 1000) {
      gc?.();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      at[stepNo] = { heapUsed, arrayBuffers };
    }
  }
  const mb = (n: number) => (n / 2 ** 20).toFixed(2);
  console.log(`memory, MLP [32, 64]→128→64 training loop (gc ${gc ? 'exposed: collected before each reading' : 'NOT exposed: run with --expose-gc for stable numbers'})`);
  for (const s of [100, 1000]) console.log(`  step ${String(s).padStart(4)}: heapUsed ${mb(at[s].heapUsed)} MB, arrayBuffers ${mb(at[s].arrayBuffers)} MB`);
  console.log(`  growth 100→1000: heapUsed ${mb(at[1000].heapUsed - at[100].heapUsed)} MB`);
  Object.assign(results, {
    gcExposed: gc !== undefined, heapUsedStep100MB: +mb(at[100].heapUsed), heapUsedStep1000MB: +mb(at[1000].heapUsed),
    arrayBuffersStep100MB: +mb(at[100].arrayBuffers), arrayBuffersStep1000MB: +mb(at[1000].arrayBuffers),
  });
}

{
  const size = { batch: 256, dIn: 512, dHidden: 1024, dOut: 512 };
  const x = randn([size.batch, size.dIn], { generator });
  const params = mlpParams(size);
  const leaves = params.map((p) => variable(p, { requiresGrad: true }));
  const t = compare(() => mlpAutograd(x, leaves), () => mlpRaw(x, params));
  console.log(`MLP [256, 512]→1024→512 fwd+bwd  autograd ${t.autograd.toFixed(2)} ms  raw ${t.raw.toFixed(2)} ms  ratio ${t.ratio.toFixed(3)}`);
  Object.assign(results, { mlpAutogradMs: +t.autograd.toFixed(3), mlpRawMs: +t.raw.toFixed(3), mlpRatio: +t.ratio.toFixed(3) });
}

{
  const { autograd, raw } = layerNormCase(64 * 32, 128);
  const t = compare(autograd, raw);
  console.log(`layerNorm [2048, 128] fwd+bwd     autograd ${t.autograd.toFixed(3)} ms  raw ${t.raw.toFixed(3)} ms  ratio ${t.ratio.toFixed(3)}`);
  Object.assign(results, { layerNormAutogradMs: +t.autograd.toFixed(4), layerNormRawMs: +t.raw.toFixed(4), layerNormRatio: +t.ratio.toFixed(3) });
}

console.log(JSON.stringify(results));
