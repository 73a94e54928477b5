// @gloss/cli: the `gloss` command, and its commands as functions for programs (the examples use them).
export { main, MAIN_HELP } from './main.js';
export { train, configFromArgs, type TrainSummary, type TrainRunOptions } from './commands/train.js';
export { resolveConfig, modelConfig, CONFIG_FIELDS, TRAIN_MODEL_DEFAULTS, type TrainConfig, type ConfigField } from './config.js';
export { decodeText, scoreText, type DecodeTextOptions, type DecodedText, type Scores } from './decode-text.js';
export { loadTokenizers, trainTokenizers, readCorpus, encodePairs, tokenizerFiles, type Tokenizers } from './corpus.js';
export { resolveCheckpointDir } from './commands/inspect.js';
export { CliError } from './errors.js';
export { acquireRunLock, LOCK_FILE, type LockHolder, type RunLock } from './run-lock.js';
export { onInterrupt, type Interrupt } from './interrupt.js';
export { processIo, memoryIo, type Io } from './io.js';
export { attentionHtml, type AttentionViewInput } from './attention-view.js';
export { attentionPage, checkpointAttentionPage } from './commands/translate.js';
export { reportPage } from './commands/report.js';
export { readRuns, type ReportRun } from './report/runs.js';
export { renderReport, type ReportData } from './report/page.js';
export { runAttention } from './report/attention.js';
