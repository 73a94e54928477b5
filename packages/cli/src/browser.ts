// @gloss/cli/browser: the parts of gloss train and gloss translate that need no file system, for a web page that
// trains and translates the way the command does (examples/web): text decoding (greedy, beam, n-best, attention),
// BLEU/chrF, the training config and its defaults, the model, optimizer and schedule gloss train builds, tokenizers
// to and from a checkpoint's files, the attention view's heatmaps and the report's SVG line chart.
export { decodeText, scoreText, type DecodeTextOptions, type DecodedText, type Scores } from './decode-text.js';
export { CONFIG_FIELDS, resolveConfig, type TrainConfig, type ConfigField } from './config.js';
export { CliError } from './errors.js';
export { useBackend, cpuKernels, BACKEND_NAMES } from './backend.js';
export {
  trainTokenizers, encodePairs, tokenizerFiles, tokenizersFromFiles, TOKENIZER_FILES, type TokenizerSpec, type Tokenizers,
} from './tokenizers.js';
export { buildModel, trainingLoss, validator, makeOptimizer, makeSchedule, lengthSortedBatches, checkpointExtraFiles, TRAIN_CONFIG_FILE } from './train-setup.js';
export { attentionHeatmap, attentionColor, attentionSections, ATTENTION_LEGEND, type AttentionViewInput } from './attention-view.js';
export { lineChart, niceTicks, formatNumber, type ChartSpec, type ChartSeries } from './report/svg-chart.js';
export { windowMeans, smoothingWindow, tokensPerSecond, thin, type Point } from './report/series.js';
export type { TrainRecord, ValidRecord } from './report/runs.js';
