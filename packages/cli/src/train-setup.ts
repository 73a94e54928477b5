// What gloss train builds from its config, without the file system, so that a web page trains the same model the
// same way: the transformer, the optimizer, the learning-rate schedule, the fixed validation batches, and the files
// that make a checkpoint complete for gloss translate (config.json, tokenizers, train-config.json).
import { Generator } from '@gloss/tensor';
import { collate, planBatches, type Batch, type Example } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { Adam, AdamW, SGD, constant, evaluateLoss, noam, warmupCosine, warmupLinear, type EvaluationResult, type Optimizer, type Schedule } from '@gloss/training';
import { modelConfig, type TrainConfig } from './config.js';
import { tokenizerFiles, type Tokenizers } from './tokenizers.js';

/** The run's configuration in each checkpoint (what a resume checks against). */
export const TRAIN_CONFIG_FILE = 'train-config.json';

/** The model gloss train builds for `config` over the tokenizers' vocabularies, initialized from `generator`. */
export function buildModel(config: TrainConfig, tok: Tokenizers, generator: Generator): Seq2SeqTransformer {
  return new Seq2SeqTransformer(modelConfig(config, tok.src.vocab.size, tok.tgt.vocab.size), { generator });
}

/** Fixed batches for evaluation: sorted by length (planBatches without shuffling), under `maxTokens` padded tokens. */
export function lengthSortedBatches(examples: readonly Example[], maxTokens: number): Batch[] {
  const lengths = examples.map((e) => ({ srcLen: e.src.length, tgtLen: e.tgt.length }));
  const longest = Math.max(0, ...lengths.map((l) => Math.max(l.srcLen, l.tgtLen + 1)));
  return planBatches(lengths, { maxTokens: Math.max(maxTokens, longest), shuffle: false }, new Generator(0))
    .map((rows) => collate(rows.map((r) => examples[r]), rows));
}

/** The validation loss: unsmoothed, so loss = NLL; through tokenLoss, as training, without [tokens, vocab] logits in memory. */
export function validationLoss(model: Seq2SeqTransformer, batches: readonly Batch[]): EvaluationResult {
  return evaluateLoss(batches, (b: Batch) => model.tokenLoss(b.src, b.tgtIn, b.tgtOut, { srcPadding: b.srcPadding, tgtPadding: b.tgtPadding }));
}

/** The optimizer of `config` over the model's parameters. */
export function makeOptimizer(c: TrainConfig, model: Seq2SeqTransformer): Optimizer<any> {
  const params = model.namedParameters();
  switch (c.optimizer) {
    case 'sgd': return new SGD(params, { lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay });
    case 'adamw': return new AdamW(params, { lr: c.lr, betas: [c.beta1, c.beta2], eps: 1e-9, weightDecay: c.weightDecay });
    default: return new Adam(params, { lr: c.lr, betas: [c.beta1, c.beta2], eps: 1e-9, weightDecay: c.weightDecay });
  }
}

/** The learning-rate schedule of `config` over `total` updates (cosine and linear decay to minLr by then). */
export function makeSchedule(c: TrainConfig, total: number): Schedule {
  switch (c.schedule) {
    case 'noam': return noam({ dModel: c.dModel, warmup: Math.max(1, c.warmup), factor: c.lr });
    case 'cosine': return warmupCosine({ warmup: c.warmup, total: Math.max(total, c.warmup + 1), peak: c.lr, min: c.minLr });
    case 'linear': return warmupLinear({ warmup: c.warmup, total: Math.max(total, c.warmup + 1), peak: c.lr, min: c.minLr });
    default: return constant(c.lr);
  }
}

/** The files besides the Trainer's that make a checkpoint complete for gloss translate, by name. */
export function checkpointExtraFiles(model: Seq2SeqTransformer, tok: Tokenizers, config: TrainConfig): Record<string, string> {
  return {
    'config.json': `${JSON.stringify(model.config, null, 2)}\n`,
    ...tokenizerFiles(tok),
    [TRAIN_CONFIG_FILE]: `${JSON.stringify(config, null, 2)}\n`,
  };
}
