// What a training step costs next to the optimizer and a checkpoint: a Seq2SeqTransformer (dModel 256, 4 heads,
// 3+3 layers, FF 1024, vocabularies of 8000, ≈ 11M parameters) on a batch of 32 × 24 tokens.
//   npm run bench -w @gloss/training            (add -- --quick for fewer repetitions)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator, randint } from '@gloss/tensor';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { AdamW, clipGradNorm, labelSmoothedCrossEntropy, SGD } from '../src/index.js';
import { loadCheckpoint, saveCheckpoint } from '../src/node/index.js';

const quick = process.argv.includes('--quick');
const reps = quick ? 3 : 10;

function time(label: string, fn: () => void, n = reps): number {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = (performance.now() - t0) / n;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2).padStart(9)} ms`);
  return ms;
}

const g = new Generator(0);
const model = new Seq2SeqTransformer({
  srcVocabSize: 8000, tgtVocabSize: 8000, dModel: 256, numHeads: 4, numEncoderLayers: 3, numDecoderLayers: 3, dimFeedforward: 1024, dropout: 0.1, maxLen: 64,
}, { generator: g });
const params = model.namedParameters();
const n = params.reduce((s, [, p]) => s + p.size, 0);
console.log(`Seq2SeqTransformer: ${(n / 1e6).toFixed(2)}M parameters; batch 32 × 24 tokens; ${os.cpus().length} CPUs\n`);

const src = randint(4, 8000, [32, 24], { generator: g });
const tgtIn = randint(4, 8000, [32, 24], { generator: g });
const tgtOut = randint(4, 8000, [32, 24], { generator: g });
const fb = time('forward + backward', () => {
  for (const [, p] of params) p.zeroGrad();
  labelSmoothedCrossEntropy(model.forward(src, tgtIn), tgtOut, { padId: 0, smoothing: 0.1 }).sum.backward();
}, quick ? 2 : 4);

const adamw = new AdamW(params, { lr: 1e-4 });
const adam = time('AdamW.step', () => adamw.step());
const sgd = new SGD(params, { lr: 1e-4, momentum: 0.9, nesterov: true });
time('SGD.step (Nesterov momentum)', () => sgd.step());
time('clipGradNorm', () => clipGradNorm(model.parameters(), 1e9));
console.log(`\nAdamW step: ${((adam * 1e6) / n).toFixed(2)} ns per parameter, ${((100 * adam) / fb).toFixed(1)}% of forward + backward`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-'));
const state = {
  format: 'gloss-trainer-state' as const, version: 1 as const, step: 1, epoch: 0, epochsCompleted: 0, lr: 1e-4, tokens: 0,
  rng: { default: g.getState() }, data: null, history: [], best: null, badValidations: 0,
};
time('save checkpoint (model + AdamW state, fsync)', () => saveCheckpoint(dir, 'last', { model: model.stateDict(), optimizer: adamw.stateDict(), state }), 3);
time('load checkpoint (SHA-256 verified)', () => loadCheckpoint(path.join(dir, 'last')), 3);
const bytes = fs.statSync(path.join(dir, 'last', 'model.safetensors')).size + fs.statSync(path.join(dir, 'last', 'optimizer.safetensors')).size;
console.log(`checkpoint size: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
fs.rmSync(dir, { recursive: true, force: true });
