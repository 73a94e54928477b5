// What gloss train builds from its config, without the file system, so that a web page trains the same model the
// same way: the transformer, the optimizer, the learning-rate schedule, the fixed validation batches, and the files
// that make a checkpoint complete for gloss translate (config.json, tokenizers, train-config.json).
import { Generator } from '@gloss/tensor';
import { collate, planBatches, type Batch, type Example, type SentencePair } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { Adam, AdamW, SGD, constant, evaluateLoss, noam, warmupCosine, warmupLinear, type Optimizer, type Schedule, type TokenLoss } from '@gloss/training';
import { modelConfig, type TrainConfig } from './config.js';
import { decodeText, scoreText } from './decode-text.js';
import { encodePairs, tokenizerFiles, type Tokenizers } from './tokenizers.js';

/** The run's configuration in each checkpoint (what a resume checks against). */
export const TRAIN_CONFIG_FILE = 'train-config.json';

/** The model gloss train builds for `config` over the tokenizers' vocabularies, initialized from `generator`. */
export function buildModel(config: TrainConfig, tok: Tokenizers, generator: Generator): Seq2SeqTransformer {
  return new Seq2SeqTransformer(modelConfig(config, tok.src.vocab.size, tok.tgt.vocab.size), { generator });
}

/**
 * The training loss of a batch: the output projection and the loss only where the target is not padding (the same
 * sums as labelSmoothedCrossEntropy(model.forward(…)), with one exp per real logit).
 */
export function trainingLoss(config: TrainConfig, model: Seq2SeqTransformer): (b: Batch) => TokenLoss {
  return (b) => model.tokenLoss(b.src, b.tgtIn, b.tgtOut, { labelSmoothing: config.labelSmoothing, srcPadding: b.srcPadding, tgtPadding: b.tgtPadding });
}

/** Fixed batches for evaluation: sorted by length (planBatches without shuffling), under `maxTokens` padded tokens. */
export function lengthSortedBatches(examples: readonly Example[], maxTokens: number): Batch[] {
  const lengths = examples.map((e) => ({ srcLen: e.src.length, tgtLen: e.tgt.length }));
  const longest = Math.max(0, ...lengths.map((l) => Math.max(l.srcLen, l.tgtLen + 1)));
  return planBatches(lengths, { maxTokens: Math.max(maxTokens, longest), shuffle: false }, new Generator(0))
    .map((rows) => collate(rows.map((r) => examples[r]), rows));
}

/**
 * Validation on held-out `pairs`: loss and perplexity over all of them in fixed length-sorted batches (unsmoothed,
 * so loss = NLL; through tokenLoss, as training, without [tokens, vocab] logits in memory), and unless the metric is
 * the loss, BLEU and chrF (ROUGE-L for metric rougeL) of the first validSentences decoded with width validBeam.
 * `onDecoded` sees those sentences and their translations (the web app shows a few).
 */
export function validator(config: TrainConfig, model: Seq2SeqTransformer, tok: Tokenizers, pairs: readonly SentencePair[],
  onDecoded?: (pairs: readonly SentencePair[], hyps: readonly string[]) => void): () => Record<string, number> {
  const batches = lengthSortedBatches(encodePairs(pairs, tok, model.config.maxLen - 1).examples, config.maxTokens);
  const withRouge = config.metric === 'rougeL';
  return () => {
    const loss = evaluateLoss(batches, (b: Batch) => model.tokenLoss(b.src, b.tgtIn, b.tgtOut, { srcPadding: b.srcPadding, tgtPadding: b.tgtPadding }));
    const metrics: Record<string, number> = { loss: loss.loss, ppl: loss.ppl };
    if (config.metric !== 'loss') {
      const subset = config.validSentences > 0 ? pairs.slice(0, config.validSentences) : pairs;
      const hyps = decodeText(model, tok, subset.map((p) => p.src), { beam: config.validBeam, lengthPenalty: config.lengthPenalty }).map((d) => d.text);
      const scores = scoreText(hyps, subset.map((p) => p.tgt), withRouge);
      metrics.bleu = scores.bleu;
      metrics.chrf = scores.chrf;
      if (withRouge) metrics.rougeL = scores.rougeL!;
      onDecoded?.(subset, hyps);
    }
    return metrics;
  };
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
