// Training-step throughput of Seq2SeqTransformer on the CPU backend: the demo's translator shape (dModel 128,
// 4 heads, 2+2 layers, FF 512, vocab 1000, batch 64 × 12, dropout 0.1, Adam, label smoothing 0.1).
// Prints one JSON line: median ms per step, split into forward / backward / optimizer, CPU ms per step (all
// threads), and target tokens/s.
//
//   npx tsx bench/train-step.bench.ts                       # from packages/cli
//   npx tsx bench/train-step.bench.ts --steps 30 --dModel 256 --ff 1024 --layers 3 --threads 1
//   npx tsx bench/train-step.bench.ts --dropout 0.1 --attnDropout 0   # no attention-weight dropout
import { Generator, Tensor, setMatmulThreads } from '@gloss/tensor';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { Adam, labelSmoothedCrossEntropy } from '@gloss/training';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const V = opt('vocab', 1000);
const B = opt('batch', 64);
const S = opt('srcLen', 12);
const T = opt('tgtLen', 12);
const dModel = opt('dModel', 128);
const layers = opt('layers', 2);
const steps = opt('steps', 20);
const warmup = opt('warmup', 3);
if (args.includes('--threads')) setMatmulThreads(opt('threads', 2));

const g = new Generator(0);
const model = new Seq2SeqTransformer({
  srcVocabSize: V, tgtVocabSize: V, dModel, numHeads: opt('heads', 4), numEncoderLayers: layers, numDecoderLayers: layers,
  dimFeedforward: opt('ff', 512), dropout: opt('dropout', 0.1), attentionDropout: opt('attnDropout', opt('dropout', 0.1)), maxLen: 64,
}, { generator: g });
const adam = new Adam(model.namedParameters(), { lr: 1e-3 });
// Token ids ≥ 4 so nothing is padding (pad id 0): every position does work.
const ids = (n: number) => Int32Array.from({ length: n }, () => 4 + Math.floor(g.random() * (V - 4)));
const src = new Tensor(ids(B * S), [B, S], 'int32');
const tgtIn = new Tensor(ids(B * T), [B, T], 'int32');
const tgtOut = new Tensor(ids(B * T), [B, T], 'int32');

interface Times { step: number; forward: number; backward: number; optimizer: number; loss: number }
function step(): Times {
  const t0 = performance.now();
  adam.zeroGrad();
  const { loss } = labelSmoothedCrossEntropy(model.forward(src, tgtIn), tgtOut, { padId: 0, smoothing: 0.1 });
  const t1 = performance.now();
  loss.backward();
  const t2 = performance.now();
  adam.step();
  const t3 = performance.now();
  return { step: t3 - t0, forward: t1 - t0, backward: t2 - t1, optimizer: t3 - t2, loss: loss.item() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (let i = 0; i < warmup; i++) step();
const runs: Times[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < steps; i++) runs.push(step());
const cpu = process.cpuUsage(cpu0);
const ms = median(runs.map((r) => r.step));
console.log(JSON.stringify({
  case: 'train-step', dModel, layers, ff: opt('ff', 512), dropout: opt('dropout', 0.1), attnDropout: opt('attnDropout', opt('dropout', 0.1)), vocab: V, batch: B, srcLen: S, tgtLen: T, params: model.numParameters(),
  stepMs: +ms.toFixed(1),
  meanMs: +(runs.reduce((a, r) => a + r.step, 0) / steps).toFixed(1),
  forwardMs: +median(runs.map((r) => r.forward)).toFixed(1),
  backwardMs: +median(runs.map((r) => r.backward)).toFixed(1),
  optimizerMs: +median(runs.map((r) => r.optimizer)).toFixed(1),
  // CPU time of every thread (user + system) per step: steadier than wall time on a shared machine.
  cpuMs: +((cpu.user + cpu.system) / 1000 / steps).toFixed(1),
  tgtTokPerS: Math.round((B * T) / ms * 1000),
  lastLoss: +runs[runs.length - 1].loss.toFixed(4),
}));
