// A tiny deterministic sequence task for the Trainer's tests: reverse a short token sequence. The model is
// built from autograd ops (shared embedding, masked mean-pool of the source, a ReLU layer with dropout drawn
// from a seeded Generator, an output projection), and batches come shuffled from @gloss/data's BatchIterator,
// so both the RNG state and the iterator's position matter for exact resume.
import { formatShape, Generator, randn, Tensor, zeros } from '@gloss/tensor';
import { add, div, dropout, embedding, matmul, mul, relu, sum, unsqueeze, variable, type Variable } from '@gloss/autograd';
import { BatchIterator, type Batch, type Example } from '@gloss/data';
import { batchIteratorSource } from '../data-source.js';
import { evaluateLoss, labelSmoothedCrossEntropy, type LabelSmoothedLoss } from '../loss.js';
import { AdamW } from '../optim/adam.js';
import { warmupCosine } from '../schedules.js';
import { Trainer } from '../trainer.js';
import type { TrainableModel, TrainerOptions } from '../trainer-options.js';

export const VOCAB = 16;

/** [vocab→dModel] embedding, [dModel→hidden] ReLU layer with dropout, [hidden→vocab] projection. */
export class TinyModel implements TrainableModel {
  training = true;
  private readonly params: [string, Variable][];
  /** Dropout probability after the ReLU. */
  private readonly p: number;

  constructor(seed: number, private readonly dropoutGenerator: Generator, { dModel = 16, hidden = 32, p = 0.2 } = {}) {
    const g = new Generator(seed);
    const param = (shape: number[], scale: number) => variable(randn(shape, { generator: g }).mul(scale), { requiresGrad: true });
    this.params = [
      ['embed.weight', param([VOCAB, dModel], 0.5)],
      ['linear1.weight', param([dModel, hidden], dModel ** -0.5)],
      ['linear1.bias', variable(zeros([hidden]), { requiresGrad: true })],
      ['linear2.weight', param([hidden, VOCAB], hidden ** -0.5)],
      ['linear2.bias', variable(zeros([VOCAB]), { requiresGrad: true })],
    ];
    this.p = p;
  }

  namedParameters(): [string, Variable][] {
    return this.params.map(([n, v]) => [n, v]);
  }

  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.params.map(([n, v]) => [n, v.value.clone()]));
  }

  loadStateDict(state: Record<string, Tensor>): this {
    for (const [n, v] of this.params) {
      const t = state[n];
      if (!t || t.size !== v.size) throw new Error(`TinyModel.loadStateDict: ${n} is ${t ? formatShape(t.shape) : 'missing'}, expected ${formatShape(v.shape)}`);
      v.value = t.clone();
    }
    return this;
  }

  train(mode = true): this {
    this.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** batch → logits [batch, tgtLen, vocab]. */
  forward(batch: Batch): Variable {
    const [E, W1, b1, W2, b2] = this.params.map(([, v]) => v);
    const [B, S] = batch.src.shape;
    const keep = new Float32Array(B * S);
    const lengths = new Float32Array(B);
    for (let i = 0; i < B * S; i++) {
      keep[i] = batch.srcPadding.data[i] ? 0 : 1;
      lengths[Math.floor(i / S)] += keep[i];
    }
    const src = mul(embedding(E, batch.src), new Tensor(keep, [B, S, 1]));                  // [B, S, D]
    const pooled = div(sum(src, 1), new Tensor(lengths, [B, 1]));                            // [B, D]
    const h = add(embedding(E, batch.tgtIn), unsqueeze(pooled, 1));                          // [B, T, D]
    const a = dropout(relu(add(matmul(h, W1), b1)), this.p, { training: this.training, generator: this.dropoutGenerator }); // [B, T, H]
    return add(matmul(a, W2), b2);                                                           // [B, T, V]
  }

  loss(batch: Batch, smoothing = 0.1): LabelSmoothedLoss {
    return labelSmoothedCrossEntropy(this.forward(batch), batch.tgtOut, { padId: 0, smoothing });
  }
}

/** `n` examples: a random sequence of ids 4…VOCAB−1 (2 to 7 long) and its reverse. */
export function tinyExamples(n: number, seed: number): Example[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const src = Array.from({ length: 2 + g.int(6) }, () => 4 + g.int(VOCAB - 4));
    return { src, tgt: [...src].reverse() };
  });
}

/** The batches of the tiny task: shuffled buckets of at most 48 padded tokens. */
export function tinyBatches(examples: readonly Example[], seed: number): BatchIterator {
  return new BatchIterator(examples, { maxTokens: 48, seed });
}

/**
 * The tiny task's Trainer: AdamW with warm-up and cosine decay, 2 batches per update, clipping at 1, validation
 * every 6 updates, last/ every 5, 3 snapshots and the average of the last 2. `options` override any of that.
 */
export function tinyTrainer(options: Partial<TrainerOptions<Batch>> = {}) {
  const dropout = new Generator(3);
  const model = new TinyModel(1, dropout);
  const data = batchIteratorSource(tinyBatches(tinyExamples(40, 2), 4));
  const valid = [...tinyBatches(tinyExamples(12, 99), 5)];
  const maxSteps = options.maxSteps ?? 24;
  const trainer: Trainer<Batch> = new Trainer<Batch>({
    model,
    optimizer: new AdamW(model.namedParameters(), { lr: 0.01, weightDecay: 0.01 }),
    schedule: warmupCosine({ warmup: 4, total: maxSteps, peak: 0.02, min: 0.001 }),
    data,
    lossFn: (batch) => model.loss(batch),
    validate: () => {
      const { loss, ppl } = evaluateLoss(valid, (b) => model.loss(b));
      return { loss, ppl };
    },
    generators: { dropout },
    maxSteps,
    accumulate: 2,
    clipNorm: 1,
    validateEvery: 6,
    log: 'quiet',
    ...(options.dir ? { checkpointEvery: 5, keepLast: 3, averageLast: 2 } : {}),
    ...options,
  });
  return { trainer, model, data, dropout };
}
