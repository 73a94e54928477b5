// @gloss/training: optimizers, learning-rate schedules, losses, gradient clipping, metrics, the Trainer over a
// RunStorage (memoryStorage here) and Trainer checkpoints as bytes (encodeTrainerCheckpoint, decodeTrainerCheckpoint);
// run directories on disk (the Trainer's `dir`, checkpoint directories, the metrics log) are in @gloss/training/node.
export { TrainingError, CheckpointError } from './errors.js';
export { Optimizer, type NamedParameters, type ParamsInput, type StepOptions, type OptimizerStateDict, type OptimizerMeta } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { type Schedule, constant, noam, inverseSqrt, warmupCosine, warmupLinear, type NoamOptions, type InverseSqrtOptions, type WarmupDecayOptions } from './schedules.js';
export { clipGradNorm, gradNorm } from './clip-grad-norm.js';
export { labelSmoothedCrossEntropy, evaluateLoss, type TokenLoss, type LabelSmoothedLoss, type LabelSmoothedCrossEntropyOptions, type EvaluationResult } from './loss.js';
export { type DataSource, batchIteratorSource } from './data-source.js';
export { Trainer } from './trainer-loop.js';
export { memoryStorage, type RunStorage, type MemoryStorage, type MetricsSink } from './storage/run-storage.js';
export type { TrainerOptions, TrainableModel, TrainResult, StepRecord, EarlyStopping, MetricChoice } from './trainer-options.js';
export { type LogMode, type LogStream, type TrainRecord } from './progress.js';
export type { MetricsRecord, TrainMetricsRecord, ValidMetricsRecord } from './metrics-log.js';
export type { Clock } from './time-budget.js';
export type { LoadedCheckpoint } from './checkpoint/checkpoint.js';
export {
  encodeTrainerCheckpoint, decodeTrainerCheckpoint, memoryReader,
  type TrainerCheckpoint, type DecodedTrainerCheckpoint, type CheckpointReader, type DecodeTrainerCheckpointOptions,
  type TrainerState, type ValidationRecord, type BestMetric,
} from './checkpoint/codec.js';
export {
  corpusBleu, sentenceBleu, bleuStatistics, mergeBleuStatistics, computeBleu, formatBleu, SACREBLEU_VERSION,
  tokenize13a, tokenizeIntl, preprocessForBleu, BLEU_TOKENIZERS,
  corpusChrF, sentenceChrF, chrFStatistics, formatChrF,
  rouge, sentenceRouge, rougeTokenize, lcsLength,
  perplexity, PerplexityAccumulator,
  transposeReferences,
  type BleuOptions, type BleuScore, type BleuStatistics, type BleuSmoothMethod, type BleuTokenizerName,
  type ChrFOptions, type ChrFScore, type ChrFStatistics, type RougeOptions, type RougeResult, type RougeScore,
  type PerplexityState, type References,
} from './metrics/index.js';
