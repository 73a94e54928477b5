// `gloss train`: corpus → tokenizers → Seq2SeqTransformer → Trainer (validation with BLEU/chrF/ROUGE, best and
// last checkpoints, exact resume) → test scores with the best checkpoint. `train()` is the same as a library call.
import fs from 'node:fs';
import path from 'node:path';
import { Generator, setMatmulThreads } from '@gloss/tensor';
import { BatchIterator, type Batch, type Example, type SentencePair } from '@gloss/data';
import { ATTENTION_VARIANT_FIELDS, type Seq2SeqTransformer } from '@gloss/transformer';
import { loadCheckpoint } from '@gloss/transformer/node';
import { batchIteratorSource, type Schedule, type StepRecord, type TrainResult } from '@gloss/training';
import { Trainer } from '@gloss/training/node';
import { CONFIG_FIELDS, checkFields, fieldsHelp, flagName, parseFieldValue, resolveConfig, type ConfigField, type TrainConfig } from '../config.js';
import { parseArgs, unexpectedArgument, type FlagSpec } from '../args.js';
import { CliError } from '../errors.js';
import { encodePairs, loadTokenizers, readCorpus, trainTokenizers, type Tokenizers } from '../corpus.js';
import {
  TRAIN_CONFIG_FILE, buildModel, checkpointExtraFiles, lengthSortedBatches, makeOptimizer, makeSchedule, trainingLoss, validator,
} from '../train-setup.js';
import { decodeText, scoreText, type Scores } from '../decode-text.js';
import { useBackend } from '../backend.js';
import { onInterrupt, type Interrupt } from '../interrupt.js';
import { acquireRunLock } from '../run-lock.js';
import type { Io } from '../io.js';

export { TRAIN_CONFIG_FILE, lengthSortedBatches };

export const TRAIN_HELP = `Usage: gloss train [--config FILE] [--FIELD VALUE …]

Trains a transformer on a parallel corpus. Every config field is also a flag (dModel ↔ --d-model); flags
override the config file. Paths in a config file are relative to the file. The run directory (--out) gets
last/ (every validation; resumable), best/ (best validation metric; a complete checkpoint for gloss translate)
and metrics.jsonl (one JSON line per step and per validation). Running the same command again resumes from
last/.

One trainer per run directory: while it runs, --out holds train.lock (its pid, host and start time); a second
gloss train on it is refused naming the first, and a lock whose process is gone is taken over with a note.
gloss translate, evaluate, inspect and report need no lock and only ever read complete checkpoints.
Ctrl-C (or SIGTERM) finishes the current step, saves last/, says how to resume and exits 130 (143 for SIGTERM);
the same command then resumes exactly. A second Ctrl-C quits at once, leaving the previous last/ intact.
A checkpoint that does not fit on the disk is refused naming it, the bytes needed and free; the previous one stays.

--max-time 8m stops once the run has trained 8 minutes (summed across resumes; then it validates and checkpoints),
or earlier at --max-steps / --max-epochs (--max-epochs 0 to train by time alone). With the cosine or linear
schedule and --max-steps 0, the schedule's total is estimated from the measured step time after warm-up, revised
once at half the budget (so a machine that got busier or quieter since does not end the schedule early or cut it
short), then fixed: a resumed run may be given a longer --max-time, but the schedule keeps that total (and its floor
after it).

  --config FILE                      JSON file with any of the fields below
  --quiet, -q                        no progress output (same as --log quiet); errors still go to stderr
${fieldsHelp()}`;

/** The fields that fix the model, tokenizers and data: a resumed run must not change them. */
const FROZEN: readonly ConfigField[] = [
  'train', 'format', 'srcLang', 'tgtLang', 'srcField', 'tgtField', 'maxLength', 'tokenizer', 'vocabSize', 'minFrequency',
  'sharedVocab', 'lowercase', 'dModel', 'numHeads', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout',
  'attentionDropout', 'clock', 'activation', 'normFirst', 'shareEmbeddings', 'tieOutput', 'maxLen', 'seed', 'maxTokens', 'batchSize', 'optimizer',
  ...ATTENTION_VARIANT_FIELDS,
];

/** Reads --config and the flags into a validated TrainConfig. */
export function configFromArgs(argv: readonly string[]): TrainConfig {
  const specs: Record<string, FlagSpec> = { config: { type: 'string' }, quiet: { type: 'bool', short: 'q' } };
  for (const [k, f] of Object.entries(CONFIG_FIELDS)) specs[k] = { type: f.type === 'bool' ? 'bool' : 'string' };
  const { flags, positionals } = parseArgs(argv, specs, 'train');
  if (positionals.length > 0) throw new CliError(unexpectedArgument(argv, positionals[0], specs, 'options are --name value; see gloss train --help'));
  let values: Record<string, unknown> = {};
  let source = 'flags';
  if (typeof flags.config === 'string') {
    const file = flags.config;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
      throw new CliError(`--config ${file}: ${why}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`--config ${file}: expected a JSON object of config fields`);
    values = checkFields(json as Record<string, unknown>, file);   // errors name the file; flags may complete it
    for (const key of ['train', 'valid', 'test', 'out'] as const) {
      if (typeof values[key] === 'string' && values[key] !== '') values[key] = path.resolve(path.dirname(file), values[key] as string);
    }
    source = `${file} and flags`;
  }
  for (const [k, v] of Object.entries(flags)) {
    if (k === 'config') continue;
    if (k === 'quiet') continue;
    values[k] = typeof v === 'boolean' ? v : parseFieldValue(k as ConfigField, v as string, `--${flagName(k)}`);
  }
  if (flags.quiet === true) values.log = 'quiet';
  return resolveConfig(values, source);
}

export async function runTrain(argv: string[], io: Io): Promise<number> {
  const config = configFromArgs(argv);
  const interrupt = onInterrupt((line) => io.err(`${line}\n`));
  try {
    const { result } = await train(config, { io, interrupt });
    if (result.stopReason !== 'interrupted') return 0;
    io.err(`gloss train: interrupted at step ${result.step}; saved ${result.lastDir}${path.sep} (resumable). ` +
      `To resume, run the same command again${config.resume ? '' : ' without --no-resume'}: gloss train ${shellQuote(argv)}\n`);
    return interrupt.exitCode();
  } finally {
    interrupt.dispose();
  }
}

/** argv as one line a POSIX shell reads back as the same words. */
function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface TrainSummary {
  result: TrainResult;
  /** The checkpoint used for the test scores: averaged/, else best/, else last/. */
  checkpointDir: string;
  test?: Scores & { sentences: number; samples: { src: string; ref: string; hyp: string }[] };
  seconds: number;
}

export interface TrainRunOptions {
  io: Io;
  onStep?: (record: StepRecord) => void;
  /** Sample translations printed after the test scores. Default 5. */
  samples?: number;
  /** Armed while the Trainer runs: a Ctrl-C ends training after the current update with last/ saved; no test scores then. */
  interrupt?: Interrupt;
}

/**
 * Trains as `gloss train` does, from a resolved config; prints progress and the test scores. Holds the run
 * directory's lock (RUN/train.lock) throughout: a second trainer on the same --out is refused naming this one.
 */
export async function train(config: TrainConfig, options: TrainRunOptions): Promise<TrainSummary> {
  const lock = acquireRunLock(config.out, (line) => options.io.err(`${line}\n`));
  try {
    return await trainLocked(config, options);
  } finally {
    lock.release();
  }
}

async function trainLocked(config: TrainConfig, { io, onStep, samples = 5, interrupt }: TrainRunOptions): Promise<TrainSummary> {
  const started = performance.now();
  const note = (line: string) => { if (config.log !== 'quiet') io.err(`${line}\n`); };
  setMatmulThreads(config.threads);   // 0: the default; before the backend line, which names the thread count
  note(`backend: ${await useBackend(config.backend)}`);

  const lastDir = path.join(config.out, 'last');
  const resuming = config.resume && fs.existsSync(path.join(lastDir, 'trainer-state.json'));
  if (!resuming && fs.existsSync(lastDir)) {
    throw new CliError(`${config.out} already holds a run (last/); resume it (drop --no-resume) or choose another --out`, 1);
  }
  if (resuming) checkResumable(config, lastDir);

  const { tok, examples } = readTrainingSet(config, resuming ? lastDir : null, note);
  const generator = new Generator(config.seed);
  const model = buildModel(config, tok, generator);
  note(`model: ${model.numParameters().toLocaleString('en-US')} parameters`);
  const trainer = makeTrainer(config, model, generator, tok, examples, { resuming, io, onStep, interrupt });
  interrupt?.arm();
  const result = await trainer.fit().finally(() => interrupt?.dispose());

  const checkpointDir = result.averagedDir ?? result.bestDir ?? result.lastDir ?? lastDir;
  const summary: TrainSummary = { result, checkpointDir, seconds: 0 };
  if (config.test && result.stopReason !== 'interrupted') summary.test = scoreTest(config, checkpointDir, tok, samples, io);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * The training corpus read, its tokenizers (trained, or a resumed run's from last/) and the examples that fit
 * maxLength. The sentences themselves are not kept: only the ids live on through training, which keeps the heap small.
 */
function readTrainingSet(config: TrainConfig, resumeFrom: string | null, note: (line: string) => void): { tok: Tokenizers; examples: Example[] } {
  const { pairs, reader } = readCorpus(config.train, config);
  const s = reader.stats;
  note(`train: ${config.train}: ${s.kept} pairs (${s.empty} empty, ${s.malformed} malformed skipped)`);
  const tok = resumeFrom ? loadTokenizers(resumeFrom) : trainTokenizers(pairs, config);
  const trainSet = encodePairs(pairs, tok, config.maxLength);
  if (trainSet.examples.length === 0) throw new CliError(`${config.train}: no training pairs left after tokenizing and the maxLength (${config.maxLength}) filter`, 1);
  note(`tokenizer: ${tok.src.kind}, vocabulary ${tok.src === tok.tgt ? tok.src.vocab.size : `${tok.src.vocab.size} / ${tok.tgt.vocab.size}`}; ` +
    `${trainSet.examples.length} training examples (${trainSet.dropped} longer than ${config.maxLength} tokens dropped)`);
  return { tok, examples: trainSet.examples };
}

/** The Trainer of this config: batches, optimizer, schedule, loss, validation, checkpoints, budget and logging. */
function makeTrainer(config: TrainConfig, model: Seq2SeqTransformer, generator: Generator, tok: Tokenizers, examples: Example[],
  { resuming, io, onStep, interrupt }: { resuming: boolean } & Pick<TrainRunOptions, 'io' | 'onStep' | 'interrupt'>): Trainer<Batch> {
  const batches = new BatchIterator(examples, { maxTokens: config.maxTokens, batchSize: config.batchSize, seed: config.seed });
  const stepsPerEpoch = Math.ceil(batches.batchesInEpoch / config.accumulate);
  const maxSteps = config.maxSteps > 0 ? config.maxSteps : config.maxEpochs > 0 ? config.maxEpochs * stepsPerEpoch : undefined;
  const lossFn = trainingLoss(config, model);
  const validate = config.valid ? validator(config, model, tok, readHeldOut(config.valid, config)) : undefined;
  const metricChoice = { metric: config.metric, mode: config.metric === 'loss' ? 'min' as const : 'max' as const };
  return new Trainer<Batch>({
    model, optimizer: makeOptimizer(config, model), data: batchIteratorSource(batches), lossFn, ...scheduleOptions(config, maxSteps),
    validate, generators: { model: generator }, dir: config.out, resume: resuming,
    maxSteps, maxEpochs: config.maxSteps > 0 || config.maxEpochs === 0 ? undefined : config.maxEpochs, accumulate: config.accumulate,
    maxTime: config.maxTime > 0 ? config.maxTime : undefined, ...(config.clock === 'cpu' ? { clock: cpuSeconds } : {}),
    clipNorm: config.clipNorm > 0 ? config.clipNorm : undefined,
    validateEvery: validate ? config.validateEvery : undefined, checkpointEvery: config.validateEvery,
    ...(validate ? { bestMetric: metricChoice } : {}),
    ...(validate && config.patience > 0 ? { earlyStopping: { ...metricChoice, patience: config.patience } } : {}),
    keepLast: config.averageLast, averageLast: config.averageLast,
    log: config.log as 'auto', output: { write: (t: string) => io.out(t), isTTY: io.isTTY },
    saveExtras: (dir) => writeExtras(dir, model, tok, config), onStep, signal: interrupt?.signal,
  });
}

/** The test corpus (its first testSentences) decoded by the checkpoint in `checkpointDir` with width beam, scored and printed with samples. */
function scoreTest(config: TrainConfig, checkpointDir: string, tok: Tokenizers, samples: number, io: Io): NonNullable<TrainSummary['test']> {
  const withRouge = config.metric === 'rougeL';
  const all = readHeldOut(config.test, config);
  const pairs = config.testSentences > 0 ? all.slice(0, config.testSentences) : all;
  const { model: best } = loadCheckpoint(checkpointDir);
  const hyps = decodeText(best, tok, pairs.map((p) => p.src), { beam: config.beam, lengthPenalty: config.lengthPenalty }).map((d) => d.text);
  const scores = scoreText(hyps, pairs.map((p) => p.tgt), withRouge);
  const shown = pairs.slice(0, samples).map((p, i) => ({ src: p.src, ref: p.tgt, hyp: hyps[i] }));
  const lines = [
    '', `test (${pairs.length} sentences, ${path.basename(checkpointDir)}/, beam ${config.beam}):`,
    `  BLEU ${scores.bleu.toFixed(2)}   ${scores.bleuSignature}`,
    `  chrF ${scores.chrf.toFixed(2)}   ${scores.chrfSignature}`,
  ];
  if (withRouge) lines.push(`  ROUGE-1/2/L F1 ${scores.rouge1!.toFixed(2)} / ${scores.rouge2!.toFixed(2)} / ${scores.rougeL!.toFixed(2)}`);
  for (const x of shown) lines.push('', `  src  ${x.src}`, `  ref  ${x.ref}`, `  hyp  ${x.hyp}`);
  io.out(`${lines.join('\n')}\n`);
  return { ...scores, sentences: pairs.length, samples: shown };
}

/** The pairs of a validation or test corpus. */
function readHeldOut(file: string, config: TrainConfig): SentencePair[] {
  const { pairs } = readCorpus(file, config);
  if (pairs.length === 0) throw new CliError(`${file}: no sentence pairs`, 1);
  return pairs;
}

/** The schedule; for cosine/linear under a time budget without maxSteps, a factory whose total the Trainer estimates after warm-up. */
function scheduleOptions(c: TrainConfig, maxSteps: number | undefined): { schedule: Schedule } | { scheduleFor: (total: number) => Schedule; planAfter?: number } {
  if (c.maxTime > 0 && c.maxSteps === 0 && (c.schedule === 'cosine' || c.schedule === 'linear')) {
    return { scheduleFor: (total) => makeSchedule(c, total), ...(c.warmup > 0 ? { planAfter: c.warmup } : {}) };
  }
  return { schedule: makeSchedule(c, maxSteps ?? 0) };
}

/** This process's CPU time in seconds, every thread's (the Trainer's clock under --clock cpu). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** What makes a checkpoint directory complete for gloss translate: the model config, tokenizers and this run's config. */
function writeExtras(dir: string, model: Seq2SeqTransformer, tok: Tokenizers, config: TrainConfig): void {
  for (const [name, text] of Object.entries(checkpointExtraFiles(model, tok, config))) fs.writeFileSync(path.join(dir, name), text);
}

/** Refuses to resume a run whose model, tokenizer or data fields differ from the ones it was started with. */
function checkResumable(config: TrainConfig, lastDir: string): void {
  const file = path.join(lastDir, TRAIN_CONFIG_FILE);
  if (!fs.existsSync(file)) return;
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const changed = FROZEN.filter((k) => saved[k] !== undefined && saved[k] !== config[k]);
  if (changed.length > 0) {
    throw new CliError(`cannot resume ${config.out}: ${changed.map((k) => `${k} was ${JSON.stringify(saved[k])}, now ${JSON.stringify(config[k])}`).join('; ')} ` +
      '(start a new run with another --out, or restore those values)', 1);
  }
}
