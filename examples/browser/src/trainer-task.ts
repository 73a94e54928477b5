// The Trainer run the browser suite compares between Node and a Web Worker: the reverse task's transformer under
// @gloss/training's Trainer over memoryStorage (AdamW, warmup-cosine, dropout 0.1, 2 batches per update, clipping,
// validation, last/best checkpoints every 10 updates, all seeded) — uninterrupted, and stopped at `stopAt` then
// resumed from its last checkpoint in the same storage.
import { Generator } from '@gloss/tensor';
import { BatchIterator, type Batch, type Example } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { AdamW, batchIteratorSource, evaluateLoss, labelSmoothedCrossEntropy, memoryStorage, Trainer, warmupCosine, type MemoryStorage } from '@gloss/training';

const VOCAB = 12;   // ids 0–3 special (pad, bos, eos, unk), symbols 4–11

function examples(n: number, seed: number): Example[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const src = Array.from({ length: 2 + g.int(6) }, () => 4 + g.int(VOCAB - 4));
    return { src, tgt: [...src].reverse() };
  });
}

/** One Trainer over `storage`; `stopAfter` updates (then it stops as if interrupted) or until `steps`. */
async function fit(storage: MemoryStorage, steps: number, { resume = false, stopAfter = Infinity } = {}): Promise<number[]> {
  const generator = new Generator(3);
  const model = new Seq2SeqTransformer({
    srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 32, numHeads: 4, numEncoderLayers: 1, numDecoderLayers: 1,
    dimFeedforward: 64, dropout: 0.1, maxLen: 16,
  }, { generator });
  const lossFn = (b: Batch) => labelSmoothedCrossEntropy(model.forward(b.src, b.tgtIn), b.tgtOut, { padId: 0, smoothing: 0.1 });
  const valid = [...new BatchIterator(examples(16, 9), { maxTokens: 64, seed: 2 })];
  let reads = 0;
  const losses: number[] = [];
  await new Trainer<Batch>({
    model, optimizer: new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 }),
    schedule: warmupCosine({ warmup: 5, total: steps, peak: 3e-3 }),
    data: batchIteratorSource(new BatchIterator(examples(64, 7), { maxTokens: 64, seed: 1 })),
    lossFn, validate: () => ({ loss: evaluateLoss(valid, lossFn).loss }),
    generators: { model: generator }, maxSteps: steps, accumulate: 2, clipNorm: 1, validateEvery: 10, checkpointEvery: 10,
    storage, resume, log: 'quiet', onStep: (r) => losses.push(r.loss),
    // read once before each update: aborted from the (stopAfter + 1)-th read on
    signal: stopAfter < Infinity ? { get aborted() { return reads++ >= stopAfter; } } as AbortSignal : undefined,
  }).fit();
  return losses;
}

export interface TrainerRun {
  /** Each update's loss, uninterrupted. */
  readonly losses: number[];
  /** Stopped after `stopAt` updates, then resumed from last: the two fits' losses, concatenated. */
  readonly resumed: number[];
  /** The checkpoints in the storage at the end, and last's step. */
  readonly checkpoints: string[];
}

export async function trainerRun(steps = 30, stopAt = 15): Promise<TrainerRun> {
  const storage = memoryStorage();
  const losses = await fit(storage, steps);
  const interrupted = memoryStorage();
  const first = await fit(interrupted, steps, { stopAfter: stopAt });
  const rest = await fit(interrupted, steps, { resume: true });
  return { losses, resumed: [...first, ...rest], checkpoints: storage.list().sort() };
}
