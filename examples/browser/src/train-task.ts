// The training run the browser suite compares between Node and a Web Worker: a small transformer on the reverse
// task, 50 AdamW steps with warmup-cosine, dropout 0.1, everything seeded — the losses, step by step.
import { Generator, tensor } from '@gloss/tensor';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { AdamW, clipGradNorm, labelSmoothedCrossEntropy, warmupCosine } from '@gloss/training';

const VOCAB = 12;   // ids 0–3 special (pad, bos, eos, unk), symbols 4–11

/** Trains for `steps` and returns each step's loss (mean over target tokens). */
export function trainLosses(steps = 50): number[] {
  const data = new Generator(21);
  const model = new Seq2SeqTransformer({
    srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 32, numHeads: 4, numEncoderLayers: 1, numDecoderLayers: 1,
    dimFeedforward: 64, dropout: 0.1, maxLen: 16,
  }, { generator: new Generator(3) });
  model.train();
  const optimizer = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
  const schedule = warmupCosine({ warmup: 10, total: steps, peak: 3e-3 });
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const rows = Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => 4 + Math.floor(data.random() * (VOCAB - 4))));
    const src = tensor(rows, undefined, 'int32');                                       // [8, 6]
    const tgtIn = tensor(rows.map((r) => [1, ...[...r].reverse()]), undefined, 'int32');  // [8, 7]: bos + reversed
    const tgtOut = tensor(rows.map((r) => [...[...r].reverse(), 2]), undefined, 'int32'); // [8, 7]: reversed + eos
    const { loss } = labelSmoothedCrossEntropy(model.forward(src, tgtIn), tgtOut, { padId: 0, smoothing: 0.1 });
    optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(model.parameters(), 1);
    optimizer.lr = schedule(step);
    optimizer.step();
    losses.push(loss.value.item());
  }
  return losses;
}
