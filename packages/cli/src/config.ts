// The training configuration of `gloss train`: one flat object whose every field is also a flag
// (`dModel` ↔ `--d-model`), with defaults, and validation whose errors name the field, what it must be
// and what came. Sections below are for reading only; the names are unique across them.
import { DEFAULT_TRANSFORMER_CONFIG, resolveConfig as resolveTransformerConfig, type TransformerConfigInput } from '@gloss/transformer';
import {
  ATTENTION_TYPES, ATTENTION_VARIANT_FIELDS, ATTENTION_VARIANT_HELP, DEFAULT_ATTENTION_VARIANT, FEATURE_MAPS, STRIDED_PATTERNS, resolveAttentionVariant,
} from '@gloss/transformer';
import { parseDuration } from './duration.js';
import { CliError } from './errors.js';

/** 'duration': seconds, written as a number or as text such as "1h30m" (parseDuration). */
type FieldType = 'string' | 'int' | 'number' | 'bool' | 'duration';

interface Field {
  type: FieldType;
  section: string;
  help: string;
  default?: string | number | boolean;
  /** Allowed values of a string field. */
  choices?: readonly string[];
  /** Smallest allowed value of a numeric field (inclusive unless minExclusive). */
  min?: number;
  minExclusive?: boolean;
  max?: number;
}

/**
 * gloss train's model: @gloss/transformer's TransformerConfig, whose defaults (DEFAULT_TRANSFORMER_CONFIG, the
 * paper's base model) it keeps but for these sizes — a model that trains on a CPU in minutes, not days.
 */
export const TRAIN_MODEL_DEFAULTS = { dModel: 256, numHeads: 4, numEncoderLayers: 3, numDecoderLayers: 3, dimFeedforward: 1024 } as const;
const modelDefault = <K extends keyof typeof DEFAULT_TRANSFORMER_CONFIG>(k: K): (typeof DEFAULT_TRANSFORMER_CONFIG)[K] =>
  (TRAIN_MODEL_DEFAULTS as Partial<typeof DEFAULT_TRANSFORMER_CONFIG>)[k] ?? DEFAULT_TRANSFORMER_CONFIG[k];

/** Every field of a training configuration: name → type, default and meaning. */
export const CONFIG_FIELDS = {
  // data
  train: { type: 'string', section: 'data', help: 'training corpus: a .tsv of source<TAB>target, a .jsonl, or a prefix for parallel files (PREFIX.SRC_LANG / PREFIX.TGT_LANG); each may be gzipped (.gz)' },
  valid: { type: 'string', section: 'data', help: 'validation corpus, same format as train' },
  test: { type: 'string', section: 'data', help: 'test corpus, scored after training with the best checkpoint' },
  format: { type: 'string', section: 'data', choices: ['auto', 'tsv', 'parallel', 'jsonl'], default: 'auto', help: 'corpus format; auto: .jsonl[.gz] → jsonl, .tsv/.txt[.gz] → tsv, else parallel (PREFIX.LANG or PREFIX.LANG.gz)' },
  srcLang: { type: 'string', section: 'data', default: 'src', help: 'parallel files: source file suffix (train.de → de)' },
  tgtLang: { type: 'string', section: 'data', default: 'tgt', help: 'parallel files: target file suffix' },
  srcField: { type: 'string', section: 'data', default: 'src', help: 'jsonl: source field name (article for summarization)' },
  tgtField: { type: 'string', section: 'data', default: 'tgt', help: 'jsonl: target field name (summary for summarization)' },
  maxLength: { type: 'int', section: 'data', default: 256, min: 1, help: 'drop training pairs whose source or target has more tokens' },
  onError: { type: 'string', section: 'data', choices: ['throw', 'skip'], default: 'throw', help: 'malformed corpus lines: refuse the corpus, or skip them with a count' },
  // tokenizer
  tokenizer: { type: 'string', section: 'tokenizer', choices: ['bpe', 'word', 'char'], default: 'bpe', help: 'tokenizer kind, trained on the training corpus' },
  vocabSize: { type: 'int', section: 'tokenizer', default: 8000, min: 8, help: 'bpe: vocabulary size target; word/char: largest vocabulary kept' },
  minFrequency: { type: 'int', section: 'tokenizer', default: 1, min: 1, help: 'smallest count for a merge (bpe) or a token (word/char)' },
  sharedVocab: { type: 'bool', section: 'tokenizer', default: true, help: 'one tokenizer for source and target' },
  lowercase: { type: 'bool', section: 'tokenizer', default: false, help: 'lowercase text before tokenizing' },
  // model
  // model: TransformerConfig's fields (MODEL_FIELDS), defaults from modelDefault; TransformerConfig validates them
  dModel: { type: 'int', section: 'model', default: modelDefault('dModel'), min: 1, help: 'model width' },
  numHeads: { type: 'int', section: 'model', default: modelDefault('numHeads'), min: 1, help: 'attention heads (must divide dModel)' },
  numEncoderLayers: { type: 'int', section: 'model', default: modelDefault('numEncoderLayers'), min: 0, help: 'encoder layers' },
  numDecoderLayers: { type: 'int', section: 'model', default: modelDefault('numDecoderLayers'), min: 1, help: 'decoder layers' },
  dimFeedforward: { type: 'int', section: 'model', default: modelDefault('dimFeedforward'), min: 1, help: 'feed-forward inner width' },
  dropout: { type: 'number', section: 'model', default: modelDefault('dropout'), min: 0, max: 1, help: 'dropout probability' },
  attentionDropout: { type: 'number', section: 'model', min: -1, max: 1, default: -1, help: 'dropout on attention weights (-1: same as dropout, as nn.Transformer; applied inside the fused attention kernel)' },
  activation: { type: 'string', section: 'model', choices: ['relu', 'gelu'], default: modelDefault('activation'), help: 'feed-forward activation' },
  normFirst: { type: 'bool', section: 'model', default: modelDefault('normFirst'), help: 'pre-LN layers (post-LN, as in the paper, by default)' },
  shareEmbeddings: { type: 'bool', section: 'model', default: modelDefault('shareEmbeddings'), help: 'one embedding for source and target (needs sharedVocab)' },
  tieOutput: { type: 'bool', section: 'model', default: modelDefault('tieOutput'), help: 'tie the output projection to the target embedding' },
  maxLen: { type: 'int', section: 'model', default: modelDefault('maxLen'), min: 1, help: 'longest sequence the positional encoding covers (at least maxLength + 1 is used)' },
  // attention: the self-attention variant (TransformerConfig's fields; defaults, help and checks from @gloss/attention)
  attentionType: { type: 'string', section: 'attention', choices: ATTENTION_TYPES, default: DEFAULT_ATTENTION_VARIANT.attentionType, help: ATTENTION_VARIANT_HELP.attentionType },
  attentionWindow: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.attentionWindow, help: ATTENTION_VARIANT_HELP.attentionWindow },
  globalTokens: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.globalTokens, help: ATTENTION_VARIANT_HELP.globalTokens },
  attentionStride: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.attentionStride, help: ATTENTION_VARIANT_HELP.attentionStride },
  stridedPattern: { type: 'string', section: 'attention', choices: STRIDED_PATTERNS, default: DEFAULT_ATTENTION_VARIANT.stridedPattern, help: ATTENTION_VARIANT_HELP.stridedPattern },
  summaryTokens: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.summaryTokens, help: ATTENTION_VARIANT_HELP.summaryTokens },
  blockSize: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.blockSize, help: ATTENTION_VARIANT_HELP.blockSize },
  windowBlocks: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.windowBlocks, help: ATTENTION_VARIANT_HELP.windowBlocks },
  globalBlocks: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.globalBlocks, help: ATTENTION_VARIANT_HELP.globalBlocks },
  randomBlocks: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.randomBlocks, help: ATTENTION_VARIANT_HELP.randomBlocks },
  projectedLength: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.projectedLength, help: ATTENTION_VARIANT_HELP.projectedLength },
  featureMap: { type: 'string', section: 'attention', choices: FEATURE_MAPS, default: DEFAULT_ATTENTION_VARIANT.featureMap, help: ATTENTION_VARIANT_HELP.featureMap },
  randomFeatures: { type: 'int', section: 'attention', default: DEFAULT_ATTENTION_VARIANT.randomFeatures, help: ATTENTION_VARIANT_HELP.randomFeatures },
  // training
  out: { type: 'string', section: 'training', help: 'run directory: checkpoints last/ and best/, metrics.jsonl (one JSON line per step and per validation)' },
  seed: { type: 'int', section: 'training', default: 1, min: 0, help: 'seed of every random choice (init, dropout, batch order)' },
  maxSteps: { type: 'int', section: 'training', default: 0, min: 0, help: 'stop after this many optimizer steps (0: no limit)' },
  maxEpochs: { type: 'int', section: 'training', default: 10, min: 0, help: 'stop after this many epochs (0: no limit)' },
  maxTime: { type: 'duration', section: 'training', default: 0, help: 'stop once training has run this long, summed across resumes: 90 (seconds), 90s, 8m, 1h30m (0: no limit)' },
  clock: { type: 'string', section: 'training', choices: ['wall', 'cpu'], default: 'wall', help: "what maxTime and metrics.jsonl's elapsed count: wall-clock seconds, or this process's CPU seconds over all its threads (compares runs fairly on a machine busy with other work)" },
  maxTokens: { type: 'int', section: 'training', default: 4096, min: 1, help: 'tokens per batch (padded, the larger side)' },
  batchSize: { type: 'int', section: 'training', default: 256, min: 1, help: 'sentences per batch at most' },
  optimizer: { type: 'string', section: 'training', choices: ['adam', 'adamw', 'sgd'], default: 'adam', help: 'optimizer' },
  lr: { type: 'number', section: 'training', default: 1e-3, min: 0, minExclusive: true, help: 'peak learning rate (noam: the factor)' },
  schedule: { type: 'string', section: 'training', choices: ['noam', 'cosine', 'linear', 'constant'], default: 'cosine', help: 'learning-rate schedule (warmup, then decay)' },
  warmup: { type: 'int', section: 'training', default: 1000, min: 0, help: 'warmup steps' },
  minLr: { type: 'number', section: 'training', default: 0, min: 0, help: 'cosine/linear: learning rate at the end' },
  beta1: { type: 'number', section: 'training', default: 0.9, min: 0, max: 1, help: 'Adam β₁' },
  beta2: { type: 'number', section: 'training', default: 0.98, min: 0, max: 1, help: 'Adam β₂' },
  weightDecay: { type: 'number', section: 'training', default: 0, min: 0, help: 'weight decay (decoupled for adamw)' },
  momentum: { type: 'number', section: 'training', default: 0.9, min: 0, max: 1, help: 'sgd momentum' },
  labelSmoothing: { type: 'number', section: 'training', default: 0.1, min: 0, max: 1, help: 'label smoothing of the cross-entropy' },
  clipNorm: { type: 'number', section: 'training', default: 1, min: 0, help: 'clip gradients to this global norm (0: off)' },
  accumulate: { type: 'int', section: 'training', default: 1, min: 1, help: 'batches per optimizer step' },
  validateEvery: { type: 'int', section: 'training', default: 1000, min: 1, help: 'validate (and checkpoint) every N steps and at the end' },
  metric: { type: 'string', section: 'training', choices: ['bleu', 'chrf', 'rougeL', 'loss'], default: 'bleu', help: 'validation metric for best/ and early stopping' },
  patience: { type: 'int', section: 'training', default: 0, min: 0, help: 'stop after N validations without improvement (0: never)' },
  averageLast: { type: 'int', section: 'training', default: 0, min: 0, help: 'also write averaged/: the mean of the last N checkpoints (0: off)' },
  validSentences: { type: 'int', section: 'training', default: 500, min: 0, help: 'sentences decoded for the validation metric (0: all)' },
  testSentences: { type: 'int', section: 'training', default: 0, min: 0, help: 'sentences of the test corpus scored after training (0: all)' },
  beam: { type: 'int', section: 'training', default: 1, min: 1, help: 'beam size when decoding the test corpus after training (1: greedy)' },
  validBeam: { type: 'int', section: 'training', default: 1, min: 1, help: 'beam size when decoding validSentences for the validation metric (1: greedy, the cheap default)' },
  lengthPenalty: { type: 'number', section: 'training', default: 0.6, min: 0, help: 'GNMT length penalty α for beam search' },
  backend: { type: 'string', section: 'training', default: 'auto', help: 'compute backend: auto (measured here), cpu, reference, gpu, or a gpu.js mode: webasm, headlessgl, webgl2, webgl, gpu:cpu (also GLOSS_BACKEND)' },
  threads: { type: 'int', section: 'training', default: 0, min: 0, help: 'threads of the matmul and attention kernels, the caller included (0: the default, one per core up to 4; 1: single-threaded)' },
  log: { type: 'string', section: 'training', choices: ['auto', 'bar', 'jsonl', 'quiet'], default: 'auto', help: 'progress: bar on a terminal, JSONL lines otherwise' },
  resume: { type: 'bool', section: 'training', default: true, help: 'continue from OUT/last when it exists' },
} as const satisfies Record<string, Field>;

export type ConfigField = keyof typeof CONFIG_FIELDS;

/** The config fields that are TransformerConfig's, copied as they are (attentionDropout and maxLen are mapped). */
const MODEL_FIELDS = [
  'dModel', 'numHeads', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout', 'activation', 'normFirst',
  'shareEmbeddings', 'tieOutput',
] as const satisfies readonly (ConfigField & keyof TransformerConfigInput)[];
type ValueOf<F extends Field> = F['type'] extends 'bool' ? boolean : F['type'] extends 'string' ? string : number;
/** A complete, validated training configuration. `train` and `out` are required; the rest have defaults. */
export type TrainConfig = { -readonly [K in ConfigField]: ValueOf<(typeof CONFIG_FIELDS)[K]> } & { valid: string; test: string };

const REQUIRED: readonly ConfigField[] = ['train', 'out'];

/** `dModel` → `d-model`. */
export function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `d-model` → `dModel`. */
export function fieldName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Parses one flag's text into the field's type, refusing what does not fit. */
export function parseFieldValue(field: ConfigField, text: string, where: string): string | number | boolean {
  const spec: Field = CONFIG_FIELDS[field];
  switch (spec.type) {
    case 'bool':
      if (text === 'true' || text === '') return true;
      if (text === 'false') return false;
      throw new CliError(`${where}: ${field} must be true or false, got "${text}"`);
    case 'duration':
      return parseDuration(text, `${where}: ${field}`);
    case 'int': case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new CliError(`${where}: ${field} must be a number, got "${text}"`);
      return n;
    }
    default:
      return text;
  }
}

/**
 * The TransformerConfig a training config asks for, given the tokenizers' vocabulary sizes: the model fields as
 * they are, attentionDropout −1 as "same as dropout" (left to TransformerConfig), and a positional table that covers
 * maxLength tokens plus <bos>/<eos>.
 */
export function modelConfig(c: TrainConfig, srcVocabSize: number, tgtVocabSize: number): TransformerConfigInput {
  const fields = Object.fromEntries(MODEL_FIELDS.map((k) => [k, c[k]])) as Pick<TransformerConfigInput, (typeof MODEL_FIELDS)[number]>;
  return {
    srcVocabSize, tgtVocabSize, ...fields,
    ...(c.attentionDropout >= 0 ? { attentionDropout: c.attentionDropout } : {}),
    maxLen: Math.max(c.maxLen, c.maxLength + 1),
    // the self-attention variant's fields, and the seed of its random parts (BigBird's blocks, FAVOR+'s features)
    ...Object.fromEntries(ATTENTION_VARIANT_FIELDS.map((k) => [k, c[k]])), attentionSeed: c.seed,
  };
}

/**
 * Fills defaults and validates: every key known, each value of the field's type and range, required fields
 * present, and the fields that depend on each other consistent. `source` names where values came from.
 */
export function resolveConfig(values: Readonly<Record<string, unknown>>, source = 'config'): TrainConfig {
  const out: Record<string, unknown> = checkFields(values, source);
  for (const [key, spec] of Object.entries(CONFIG_FIELDS) as [ConfigField, Field][]) {
    if (out[key] === undefined) out[key] = spec.default ?? (spec.type === 'string' ? '' : undefined);
  }
  for (const key of REQUIRED) {
    if (!out[key]) throw new CliError(`${source}: "${key}" is required (--${flagName(key)}): ${CONFIG_FIELDS[key].help}`);
  }
  const c = out as TrainConfig;
  if (c.attentionDropout < 0 && c.attentionDropout !== -1) throw new CliError(`${source}: attentionDropout must be in [0, 1], or -1 for "same as dropout", got ${c.attentionDropout}`);
  try {
    resolveAttentionVariant(c as Parameters<typeof resolveAttentionVariant>[0], 'attention');
  } catch (e) {
    throw new CliError(`${source}: ${(e as Error).message.replace(/^attention: /, '')}`);
  }
  try {   // the model's own rules (dModel divisible by numHeads, …), checked by their owner before any corpus is read
    resolveTransformerConfig(modelConfig(c, 8, 8));
  } catch (e) {
    throw new CliError(`${source}: ${(e as Error).message}`);
  }
  if (c.shareEmbeddings && !c.sharedVocab) throw new CliError(`${source}: shareEmbeddings needs sharedVocab (one vocabulary for both sides)`);
  if (c.maxSteps === 0 && c.maxEpochs === 0 && c.maxTime === 0) throw new CliError(`${source}: set maxSteps, maxEpochs or maxTime (all are 0: training would never stop)`);
  if (c.metric !== 'loss' && !c.valid) throw new CliError(`${source}: metric "${c.metric}" needs a validation corpus ("valid")`);
  if (c.patience > 0 && !c.valid) throw new CliError(`${source}: patience needs a validation corpus ("valid")`);
  return c;
}

/**
 * Checks each given field on its own — known name, type, range — without defaults or the checks that relate
 * fields (a config file may leave `valid` to a flag). Returns the defined values.
 */
export function checkFields(values: Readonly<Record<string, unknown>>, source = 'config'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!(key in CONFIG_FIELDS)) {
      const near = closest(key, Object.keys(CONFIG_FIELDS));
      throw new CliError(`${source}: unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    if (value !== undefined) out[key] = checkValue(key as ConfigField, value, source);
  }
  return out;
}

function checkValue(key: ConfigField, value: unknown, source: string): string | number | boolean {
  const spec: Field = CONFIG_FIELDS[key];
  const got = `${JSON.stringify(value)}`;
  switch (spec.type) {
    case 'bool':
      if (typeof value !== 'boolean') throw new CliError(`${source}: ${key} must be true or false, got ${got}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new CliError(`${source}: ${key} must be a string, got ${got}`);
      if (spec.choices && !spec.choices.includes(value)) {
        throw new CliError(`${source}: ${key} must be one of ${spec.choices.join(', ')}, got ${got}`);
      }
      return value;
    case 'duration':
      if (typeof value === 'string') return parseDuration(value, `${source}: ${key}`);
      if (typeof value !== 'number' || !(value >= 0 && Number.isFinite(value))) throw new CliError(`${source}: ${key} must be seconds ≥ 0 or a duration such as "1h30m", got ${got}`);
      return value;
    default: {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new CliError(`${source}: ${key} must be a number, got ${got}`);
      if (spec.type === 'int' && !Number.isInteger(value)) throw new CliError(`${source}: ${key} must be an integer, got ${got}`);
      if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) {
        throw new CliError(`${source}: ${key} must be ${spec.minExclusive ? '>' : '≥'} ${spec.min}, got ${got}`);
      }
      if (spec.max !== undefined && value > spec.max) throw new CliError(`${source}: ${key} must be ≤ ${spec.max}, got ${got}`);
      return value;
    }
  }
}

/** The known name nearest to `name` by edit distance, if it is close enough to be a typo. */
export function closest(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) { bestD = d; best = n; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The fields of one section, for --help. */
export function fieldsHelp(): string {
  const lines: string[] = [];
  let section = '';
  for (const [key, spec] of Object.entries(CONFIG_FIELDS) as [ConfigField, Field][]) {
    if (spec.section !== section) { section = spec.section; lines.push('', `${section}:`); }
    const kind = spec.choices ? spec.choices.join('|') : spec.type === 'bool' ? '' : spec.type === 'string' ? 'TEXT' : spec.type === 'duration' ? 'DURATION' : 'N';
    const flag = `  --${flagName(key)}${kind ? ` ${kind}` : ''}`;
    const def = spec.default !== undefined && spec.default !== '' ? ` (default ${spec.default})` : '';
    lines.push(`${flag.padEnd(34)} ${spec.help}${def}`);
  }
  return lines.join('\n');
}
