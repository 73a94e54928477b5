// The browser suite's checkpoint: a tiny transformer trained in Node with the library (reverse strings over 6
// letters, 80 AdamW steps, seeded), written with saveCheckpoint beside its tokenizer, the same model as a Trainer
// checkpoint (with its AdamW state) in trainer/last, and its decodes in Node.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator, tensor } from '@gloss/tensor';
import { BOS_ID, CharTokenizer, EOS_ID, PAD_ID } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { saveCheckpoint } from '@gloss/transformer/node';
import { AdamW, labelSmoothedCrossEntropy } from '@gloss/training';
import { saveCheckpoint as saveTrainerCheckpoint } from '@gloss/training/node';
import { decodeSources, type Decoded } from './decode-task.js';

const LETTERS = 'abcdeg';

export interface FixtureCheckpoint {
  /**
   * The checkpoint directory (config.json, model.safetensors, src-tokenizer.json), and under trainer/last the
   * Trainer checkpoint of the same model (model.safetensors, optimizer.safetensors, trainer-state.json, config.json).
   */
  readonly dir: string;
  /** SOURCES decoded in Node by the model as trained (the weights written to `dir`). */
  readonly node: Decoded;
  /** Mean loss of the last 10 steps (training made the model better than chance). */
  readonly finalLoss: number;
}

/** Trains, saves and decodes; `dir` is a fresh temporary directory the caller removes. */
export function makeFixtureCheckpoint(steps = 80): FixtureCheckpoint {
  const g = new Generator(11);
  const tokenizer = CharTokenizer.train([LETTERS]);
  const model = new Seq2SeqTransformer({
    srcVocabSize: tokenizer.vocabSize, tgtVocabSize: tokenizer.vocabSize, dModel: 32, numHeads: 2,
    numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, dropout: 0, maxLen: 16,
  }, { generator: new Generator(5) });
  const optimizer = new AdamW(model.namedParameters(), { lr: 3e-3, weightDecay: 0 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const words = Array.from({ length: 16 }, () => Array.from({ length: 1 + Math.floor(g.random() * 7) }, () => LETTERS[Math.floor(g.random() * LETTERS.length)]).join(''));
    const pad = (rows: number[][]) => {
      const n = Math.max(...rows.map((r) => r.length));
      return tensor(rows.map((r) => [...r, ...new Array<number>(n - r.length).fill(PAD_ID)]), undefined, 'int32');
    };
    const src = words.map((w) => tokenizer.encode(w));
    const tgt = words.map((w) => tokenizer.encode([...w].reverse().join('')));
    const logits = model.forward(pad(src), pad(tgt.map((t) => [BOS_ID, ...t])));   // [16, tgtLen, vocab]
    const { loss } = labelSmoothedCrossEntropy(logits, pad(tgt.map((t) => [...t, EOS_ID])), { padId: PAD_ID, smoothing: 0 });
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    losses.push(loss.value.item());
  }
  model.eval();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-browser-ckpt-'));
  saveCheckpoint(dir, model, { files: { 'src-tokenizer.json': JSON.stringify(tokenizer) } });
  saveTrainerCheckpoint(path.join(dir, 'trainer'), 'last', {
    model: model.stateDict(), optimizer: optimizer.stateDict(),
    state: {
      format: 'gloss-trainer-state', version: 1, step: steps, epoch: 0, epochsCompleted: 0, lr: 3e-3, tokens: 0,
      rng: { data: g.getState() }, data: null, history: [], best: null, badValidations: 0,
    },
    saveExtras: (d) => fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify(model.config)),
  });
  const finalLoss = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
  return { dir, node: decodeSources(model, tokenizer), finalLoss };
}
