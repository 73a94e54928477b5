// @gloss/training: optimizers, learning-rate schedules, losses, gradient clipping and the Trainer with exact resume.
export { TrainingError, CheckpointError } from './errors.js';
export { Optimizer, type NamedParameters, type ParamsInput, type StepOptions, type OptimizerStateDict, type OptimizerMeta } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { type Schedule, constant, noam, inverseSqrt, warmupCosine, warmupLinear, type NoamOptions, type InverseSqrtOptions, type WarmupDecayOptions } from './schedules.js';
export { clipGradNorm, gradNorm } from './clip-grad-norm.js';
export { labelSmoothedCrossEntropy, evaluateLoss, type TokenLoss, type LabelSmoothedLoss, type LabelSmoothedCrossEntropyOptions, type EvaluationResult } from './loss.js';
export { type DataSource, batchIteratorSource } from './data-source.js';
export { Trainer } from './trainer.js';
export type { TrainerOptions, TrainableModel, TrainResult, StepRecord, EarlyStopping, MetricChoice } from './trainer-options.js';
export { type LogMode, type LogStream, type TrainRecord } from './progress.js';
export { METRICS_FILE, readMetrics, type MetricsRecord, type TrainMetricsRecord, type ValidMetricsRecord } from './metrics-log.js';
export type { Clock } from './time-budget.js';
export { saveCheckpoint, loadCheckpoint, type LoadedCheckpoint, type TrainerState, type ValidationRecord, type BestMetric } from './checkpoint/checkpoint.js';
export { averageCheckpoints } from './checkpoint/average.js';
export * from './metrics/index.js';
