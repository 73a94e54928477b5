// Training and decoding speed of the seq2seq transformer, beside PyTorch on the same cases (the shared peer
// benchmark, /work/shared/peers/torch_bench.py, when /usr/bin/python3 has torch), with ratios from one run:
//   train   d 128, 4 heads, 2+2 layers, FF 512, dropout 0.1, vocab 8000 (4.0M parameters), embeddings·√d +
//           sinusoids, label-smoothed cross-entropy (0.1, pad ignored), Adam (lr 5e-4, inline with @gloss/training's
//           update: that package sits above this one); batch 64 × 32 and × 64 (× 32 only with --quick), random
//           lengths in [L/2, L] → target tokens/s, pads included (as PyTorch counts them).
//           gloss's loss is model.loss (what gloss train runs: output projection and loss only at non-pad targets,
//           fused, in chunks), with attention dropout 0.1 (PyTorch's setting) and 0; each row names the attention
//           path that ran (fused kernel or composed ops). At × 32 also forward + crossEntropy on the full logits
//           (PyTorch's work, op for op).
//   greedy  the same model in eval mode, batch 64, source 32, 32 greedy steps on the KV cache (eos disabled, so
//           every sentence takes all 32 steps, as PyTorch's loop does) → sentences/s.
// Both run with the matmul on 1 and on 2 threads (torch.set_num_threads likewise). Timings are medians of calls
// made while other processes used < 0.2 cores (as torch_bench.py measures), so the ratios compare like with like.
// --cpu-time: on a machine other work keeps busy, the one-thread rows are timed by process CPU time instead
// (process.cpuUsage here; PyTorch's same step in bench/torch_train.py by time.process_time, one thread), with no
// wait for quiet and the two sides interleaved step by step (`rounds` samples each, medians) → tokens per
// CPU-second; the greedy row is then left to decode.bench.ts (which `npm run bench` runs next, with the same
// flags). Rows on more threads keep the wall clock and the peer script.
// Usage: npm run bench -w @gloss/transformer [-- --quick] [--no-torch] [--threads=1,2] [--cpu-time] [--rounds=5]
// (GLOSS_TORCH_BENCH=path/to/torch_bench.py if the shared peers folder lives elsewhere).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Generator, Tensor, setMatmulThreads } from '@gloss/tensor';
import { crossEntropy, variable } from '@gloss/autograd';
import { scaledDotProductAttention } from '@gloss/attention';
import { Seq2SeqTransformer, greedyDecode, type TransformerConfigInput } from '../src/index.js';
import { cpuSeconds, startTorch, type TorchRequest } from './torch-child.js';

const quick = process.argv.includes('--quick');
const withTorch = !process.argv.includes('--no-torch');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const threadList = (arg('threads') ?? '1,2').split(',').map(Number);
const cpuTime = process.argv.includes('--cpu-time');
const rounds = Number(arg('rounds') ?? (quick ? 3 : 5));
const PAD = 0, BOS = 1, VOCAB = 8000;
const CONFIG: TransformerConfigInput = {
  srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 128, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 512, dropout: 0.1,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine may be shared: as torch_bench.py does, wait for other processes to go quiet and re-time a call
// during which they used more than FOREIGN_MAX cores (up to MAX_WALL_S per case, then take what came).
const FOREIGN_MAX = 0.2;
const MAX_WALL_S = 120;

/** Busy ticks of the whole machine and CPU ticks of this process (all threads), from /proc. */
function cpuTicks(): { busy: number; own: number; t: number } | null {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const self = readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ');
    return { busy: v.reduce((a, b) => a + b, 0) - v[3] - v[4], own: Number(f[11]) + Number(f[12]), t: performance.now() };
  } catch {
    return null;   // not Linux: no load accounting
  }
}

/** Cores other processes used since `a` (0 where /proc is missing). */
function foreignSince(a: ReturnType<typeof cpuTicks>): number {
  const b = cpuTicks();
  if (!a || !b) return 0;
  return Math.max(0, ((b.busy - a.busy) - (b.own - a.own)) / 100 / Math.max((b.t - a.t) / 1000, 1e-9));
}

function waitQuiet(maxS = 20): void {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTicks();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    if (foreignSince(a) < 0.15 || (Date.now() - t0) / 1000 > maxS) return;
  }
}

/** Seconds per call: `warmup` untimed calls, then the median of `repeats` timed calls made while the machine was quiet. */
function time(fn: () => void, warmup: number, repeats: number): number {
  const start = Date.now();
  waitQuiet();
  for (let i = 0; i < warmup; i++) fn();
  const per: number[] = [];
  while (per.length < repeats) {
    const a = cpuTicks();
    const t0 = performance.now();
    fn();
    const dt = (performance.now() - t0) / 1000;
    if (foreignSince(a) <= FOREIGN_MAX || (Date.now() - start) / 1000 > MAX_WALL_S) per.push(dt);
    else waitQuiet();
  }
  return median(per);
}

/** torch_bench.py's make_batch: random tokens, lengths in [L/2, L] (row 0 full), tgtIn = bos + target[:-1]. */
function makeBatch(B: number, L: number, g: Generator): { src: Tensor; tgtIn: Tensor; tgtOut: Tensor } {
  const seqs = () => {
    const x = new Int32Array(B * L);
    for (let b = 0; b < B; b++) {
      const len = b === 0 ? L : Math.floor(L / 2) + g.int(L - Math.floor(L / 2) + 1);
      for (let i = 0; i < len; i++) x[b * L + i] = 3 + g.int(VOCAB - 3);
    }
    return x;
  };
  const src = seqs();
  const y = seqs();
  const tgtIn = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    tgtIn[b * L] = BOS;
    for (let i = 1; i < L; i++) tgtIn[b * L + i] = y[b * L + i - 1];
  }
  return { src: new Tensor(src, [B, L], 'int32'), tgtIn: new Tensor(tgtIn, [B, L], 'int32'), tgtOut: new Tensor(y, [B, L], 'int32') };
}

/** Adam (β 0.9/0.999, ε 1e-8), as torch.optim.Adam's defaults, in @gloss/training's form of the update. */
function adam(model: Seq2SeqTransformer, lr: number): () => void {
  const params = model.parameters();
  const m = params.map((p) => new Float32Array(p.size));
  const v = params.map((p) => new Float32Array(p.size));
  let t = 0;
  return () => {
    t++;
    const stepSize = lr / (1 - 0.9 ** t), bc2Sqrt = Math.sqrt(1 - 0.999 ** t);
    params.forEach((p, i) => {
      const w = p.value.data as Float32Array, g = p.grad!.data as Float32Array, mi = m[i], vi = v[i];
      for (let j = 0; j < w.length; j++) {
        mi[j] = 0.9 * mi[j] + 0.1 * g[j];
        vi[j] = 0.999 * vi[j] + 0.001 * g[j] * g[j];
        w[j] -= (stepSize * mi[j]) / (Math.sqrt(vi[j]) / bc2Sqrt + 1e-8);
      }
    });
  };
}

/** Which attention path a training step takes at this attention dropout: the fused kernel's op, or composed ops. */
function attentionPath(attentionDropout: number): string {
  const x = variable(new Tensor(new Float32Array(2 * 4 * 8 * 32).fill(0.1), [2, 4, 8, 32]), { requiresGrad: true });
  const out = scaledDotProductAttention(x, x, x, { causal: true, dropout: attentionDropout, training: true, generator: new Generator(0) });
  return out.node?.op === 'scaledDotProductAttention' ? 'fused attention' : 'composed attention';
}

interface Row { case: string; threads: number; clock: 'CPU' | 'wall'; gloss: number; unit: string; torch?: number }
const rows: Row[] = [];
/** Keeps a measured row and prints it at once (stderr); the table with PyTorch comes at the end. */
function record(row: Row): void {
  rows.push(row);
  console.error(`gloss  ${row.case}, ${row.threads} thread(s): ${row.gloss.toFixed(1)} ${row.unit}` +
    (row.torch ? `; PyTorch ${row.torch.toFixed(1)} ${row.unit}, ratio ${(row.gloss / row.torch).toFixed(2)}` : ''));
}

/**
 * CPU seconds per call on both sides, interleaved: one untimed call each, then `rounds` times one gloss call
 * (process CPU time) and one PyTorch call (`torch` with the request, timed by its own process CPU time); medians.
 */
async function cpuTimeInterleaved(fn: () => void, torch: TorchRequest | null, req: object): Promise<{ gloss: number; torch?: number }> {
  fn();
  if (torch) await torch({ ...req, calls: 0 });
  const g: number[] = [];
  const t: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuSeconds();
    fn();
    g.push(cpuSeconds() - t0);
    if (torch) t.push(...(await torch({ ...req, calls: 1 })));
  }
  return { gloss: median(g), torch: torch ? median(t) : undefined };
}

/** One training step of the peer case at batch 64 × L (a fresh model; 4 batches in turn), as a closure. */
function trainStep(L: number, attentionDropout: number, skipPadding: boolean): () => void {
  const g = new Generator(1);
  const model = new Seq2SeqTransformer({ ...CONFIG, attentionDropout }, { generator: new Generator(0) }).train();
  const step = adam(model, 5e-4);
  const batches = Array.from({ length: 4 }, () => makeBatch(64, L, g));
  let i = 0;
  return () => {
    const { src, tgtIn, tgtOut } = batches[i++ % batches.length];
    model.zeroGrad();
    const loss = skipPadding
      ? model.loss(src, tgtIn, tgtOut, { labelSmoothing: 0.1 })
      : crossEntropy(model.forward(src, tgtIn), tgtOut, { ignoreIndex: PAD, labelSmoothing: 0.1 });
    loss.backward();
    step();
  };
}

function benchGreedy(): number {
  const model = new Seq2SeqTransformer(CONFIG, { generator: new Generator(0) }).eval();
  (model.outputProjection.bias!.value.data as Float32Array)[model.config.eosId] = -1e9;   // no early stop
  const { src } = makeBatch(64, 32, new Generator(2));
  const s = time(() => {
    const hyps = greedyDecode(model, src, { maxLenA: 0, maxLenB: 32 });
    if (hyps[0][0].tokens.length !== 32) throw new Error('greedy bench: expected 32 steps');
  }, 1, quick ? 3 : 5);
  return 64 / s;
}

const torchTrain = cpuTime && threadList.includes(1) && withTorch ? startTorch('torch_train.py') : null;
for (const threads of threadList) {
  setMatmulThreads(threads);
  const onCpu = cpuTime && threads === 1;
  const unit = onCpu ? 'tok/CPU-s' : 'tok/s';
  const train = async (name: string, L: number, attentionDropout: number, skipPadding: boolean) => {
    const step = trainStep(L, attentionDropout, skipPadding);
    if (!onCpu) return record({ case: name, threads, clock: 'wall', gloss: (64 * L) / time(step, 1, quick ? 3 : 5), unit });
    const s = await cpuTimeInterleaved(step, torchTrain, { len: L, threads, clock: 'cpu' });
    record({ case: name, threads, clock: 'CPU', gloss: (64 * L) / s.gloss, torch: s.torch ? (64 * L) / s.torch : undefined, unit });
  };
  for (const L of quick ? [32] : [32, 64]) {
    for (const attentionDropout of [0.1, 0]) {
      await train(`train B64×${L}: model.loss, attention dropout ${attentionDropout} (${attentionPath(attentionDropout)})`, L, attentionDropout, true);
    }
    if (L === 32) await train(`train B64×${L}: forward + crossEntropy, as PyTorch (${attentionPath(0.1)})`, L, 0.1, false);
  }
  if (!onCpu) record({ case: 'greedy B64, src 32, 32 steps', threads, clock: 'wall', gloss: benchGreedy(), unit: 'sent/s' });
}

// PyTorch on the same cases, this machine, this run.
// (The rows timed by CPU time have theirs already.)
const script = process.env.GLOSS_TORCH_BENCH ?? fileURLToPath(new URL('../../../../shared/peers/torch_bench.py', import.meta.url));
const wallThreads = threadList.filter((t) => !(cpuTime && t === 1));
if (withTorch && wallThreads.length > 0 && existsSync('/usr/bin/python3') && existsSync(script)) {
  const run = spawnSync('/usr/bin/python3', [script, '--only', 'train,greedy', '--threads', wallThreads.join(','), ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', env: { ...process.env, BENCH_QUIET_WAIT: '30' }, maxBuffer: 1 << 24 });
  for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { case: string; threads: number; tgt_len?: number; tgt_tok_per_s_median?: number; sent_per_s_median?: number };
    for (const row of rows) {
      if (row.threads !== r.threads || row.clock !== 'wall') continue;
      if (r.case === 'seq2seq_train_step' && row.case.startsWith(`train B64×${r.tgt_len}:`)) row.torch = r.tgt_tok_per_s_median;
      if (r.case === 'seq2seq_greedy_decode' && row.case.startsWith('greedy')) row.torch = r.sent_per_s_median;
    }
  }
  if (run.status !== 0) console.error(`torch_bench.py failed: ${run.stderr.slice(-500)}`);
} else if (withTorch && wallThreads.length > 0) {
  console.error('PyTorch comparison skipped: /usr/bin/python3 or /work/shared/peers/torch_bench.py not found');
}

const fmt = (x: number | undefined) => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`| case | threads | clock | gloss | PyTorch 1.13 | gloss / PyTorch |`);
console.log(`|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(`| ${r.case} | ${r.threads} | ${r.clock} | ${fmt(r.gloss)} ${r.unit} | ${r.torch ? `${fmt(r.torch)} ${r.unit}` : '—'} | ${r.torch ? (r.gloss / r.torch).toFixed(2) : '—'} |`);
}
process.exit(0);   // the PyTorch child (--cpu-time) would keep the process alive
