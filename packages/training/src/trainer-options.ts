// The Trainer's options and results, and the checks of the options, so a typo fails before the first step
// rather than hours in.
import type { Generator, Tensor } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';
import type { CommitHooks } from './checkpoint/atomic-dir.js';
import type { RunStorage } from './storage/run-storage.js';
import type { BestMetric, ValidationRecord } from './checkpoint/checkpoint.js';
import type { DataSource } from './data-source.js';
import { TrainingError } from './errors.js';
import type { TokenLoss } from './loss.js';
import type { Optimizer } from './optim/optimizer.js';
import type { LogMode, LogStream } from './progress.js';
import type { Schedule } from './schedules.js';
import type { Clock } from './time-budget.js';

/** What the Trainer needs of a model: the methods of @gloss/transformer's Module. */
export interface TrainableModel {
  namedParameters(): [string, Variable][];
  stateDict(): Record<string, Tensor>;
  loadStateDict(state: Record<string, Tensor>, options?: { strict?: boolean }): unknown;
  train(mode?: boolean): unknown;
  eval(): unknown;
}

/** Which validation metric is best: 'min' for loss or perplexity, 'max' for BLEU or chrF. */
export interface MetricChoice {
  metric: string;
  mode: 'min' | 'max';
}

/** Stop after `patience` validations in a row without a new best `metric`. */
export interface EarlyStopping extends MetricChoice {
  patience: number;
}

export interface TrainerOptions<B> extends CommitHooks {
  model: TrainableModel;
  optimizer: Optimizer<any>;
  data: DataSource<B>;
  /** One batch → its summed token loss and token count (labelSmoothedCrossEntropy returns exactly this). */
  lossFn: (batch: B) => TokenLoss;
  /** lr of update `step`; default: the optimizer's lr, unchanged. */
  schedule?: Schedule;
  /**
   * Instead of `schedule`: the schedule of a run of `totalSteps` updates (warmupCosine, warmupLinear). The total is
   * maxSteps; under maxTime it is estimated from the measured step time after planAfter updates, revised once at half
   * the budget from the step times since (when it moves by more than 5%), and then fixed (TrainResult.plannedSteps,
   * saved for resume; never more than maxSteps). Until then the updates use
   * scheduleFor(Number.MAX_SAFE_INTEGER): warm-up, then the peak.
   * @example scheduleFor: (total) => warmupCosine({ warmup: 4000, total, peak: 5e-4 }), planAfter: 4000
   */
  scheduleFor?: (totalSteps: number) => Schedule;
  /**
   * Under maxTime with scheduleFor: the update after which the total is estimated; the schedule's warm-up. At least
   * (and default) 10; a run resumed before the total was fixed times 10 updates of its own first.
   */
  planAfter?: number;
  /** Metrics on held-out data (loss, ppl, bleu …), run in eval mode every validateEvery steps and at the end. */
  validate?: () => Record<string, number> | Promise<Record<string, number>>;
  /** Generators the run draws from (dropout's …), saved and restored by name; the global one is always included. */
  generators?: Record<string, Generator>;
  /**
   * Run directory: last/, best/, step-N/ snapshots, averaged/, metrics.jsonl (the Trainer of @gloss/training/node).
   * Without it or `storage` nothing is saved.
   */
  dir?: string;
  /** Where the run is kept instead of a directory: memoryStorage() in a page or a Worker (see RunStorage). */
  storage?: RunStorage;
  /** Continue from dir/last/ (required to reuse a directory that holds one). Default false. */
  resume?: boolean;
  /** Stop after this many updates, once this many epochs are drawn, or once maxTime is spent (at least one is required). */
  maxSteps?: number;
  maxEpochs?: number;
  /**
   * Time budget in seconds: the run stops once its elapsed time — seconds inside fit(), summed across resumes
   * (saved in last/) — reaches it, then validates and checkpoints as at any stop. It may change on resume; a
   * planned total of scheduleFor, once fixed, does not.
   */
  maxTime?: number;
  /** Seconds from a monotonic clock, for the elapsed time. Default performance.now() / 1000. */
  clock?: Clock;
  /**
   * Ends the run early once aborted (gloss train aborts it on Ctrl-C): the update in progress finishes, last/ is
   * saved — resumable, and a resumed run repeats the uninterrupted one exactly — without the end-of-run validation
   * or averaging, and fit() resolves with stopReason 'interrupted'. While it is set, fit() yields to the event loop
   * after every update, so that signal handlers and timers get to run.
   */
  signal?: AbortSignal;
  /** Batches per update; their token losses are summed and divided by their total tokens. Default 1. */
  accumulate?: number;
  /** Clip the global gradient norm (after token normalization) to this. */
  clipNorm?: number;
  validateEvery?: number;
  /** Save last/ every N updates (and always at the end). */
  checkpointEvery?: number;
  earlyStopping?: EarlyStopping;
  /** What best/ tracks when there is no earlyStopping. Default: 'loss', 'min' if validate returns a loss. */
  bestMetric?: MetricChoice;
  /** Weights-only snapshots step-N/ to keep (at least averageLast). Default 0. */
  keepLast?: number;
  /** At the end, write averaged/ from the newest k snapshots. Default 0 (off). */
  averageLast?: number;
  /** 'auto' (bar on a TTY, JSON lines otherwise), 'bar', 'jsonl' or 'quiet'. Default 'auto'. */
  log?: LogMode;
  /** Steps per logged interval. Default 10. */
  logEvery?: number;
  /** Where logs go. Default process.stdout. */
  output?: LogStream;
  /** Writes the caller's files (config.json, tokenizers) into each checkpoint directory before it is committed. */
  saveExtras?: (dir: string) => void;
  /** Called after every update with that update's exact numbers. */
  onStep?: (record: StepRecord) => void;
}

/** One update's numbers. */
export interface StepRecord {
  step: number;
  epoch: number;
  /** Mean token loss of the update's batches. */
  loss: number;
  /** Mean −log p per token (NaN if the loss does not report nllSum). */
  nll: number;
  lr: number;
  /** Global gradient norm after token normalization, before clipping. */
  gradNorm: number;
  numTokens: number;
}

export interface TrainResult {
  step: number;
  epoch: number;
  stopReason: 'maxSteps' | 'maxEpochs' | 'maxTime' | 'earlyStopping' | 'interrupted';
  best: BestMetric | null;
  history: ValidationRecord[];
  /** The run's elapsed seconds, summed across resumes. */
  elapsed: number;
  /** The total scheduleFor was built with, when it was estimated from maxTime. */
  plannedSteps?: number;
  /** Paths of last/, best/ and averaged/ when they were written. */
  lastDir?: string;
  bestDir?: string;
  averagedDir?: string;
}


/** Throws a TrainingError naming the first bad option. */
export function checkTrainerOptions<B>(options: TrainerOptions<B>): void {
  const fail = (why: string): never => {
    throw new TrainingError('Trainer', why);
  };
  const positiveInt = (name: string, v: number | undefined, min = 1) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) fail(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  for (const name of ['model', 'optimizer', 'data', 'lossFn'] as const) if (!options[name]) fail(`the '${name}' option is required`);
  if (options.maxSteps === undefined && options.maxEpochs === undefined && options.maxTime === undefined) fail('set maxSteps, maxEpochs or maxTime (or several): training needs an end');
  positiveInt('maxSteps', options.maxSteps, 0);
  positiveInt('maxEpochs', options.maxEpochs);
  if (options.maxTime !== undefined && !(typeof options.maxTime === 'number' && options.maxTime > 0 && Number.isFinite(options.maxTime))) fail(`maxTime must be a finite number of seconds > 0, got ${options.maxTime}`);
  if (options.clock !== undefined && typeof options.clock !== 'function') fail('clock must be a function returning seconds');
  if (options.schedule && options.scheduleFor) fail('set schedule or scheduleFor, not both');
  if (options.scheduleFor && options.maxSteps === undefined && options.maxTime === undefined) fail('scheduleFor needs maxSteps or maxTime: the total it is built for');
  positiveInt('planAfter', options.planAfter);
  if (options.planAfter !== undefined && !(options.scheduleFor && options.maxTime !== undefined)) fail('planAfter needs scheduleFor and maxTime (it says when the planned total is estimated)');
  positiveInt('accumulate', options.accumulate);
  positiveInt('validateEvery', options.validateEvery);
  positiveInt('checkpointEvery', options.checkpointEvery);
  positiveInt('logEvery', options.logEvery);
  positiveInt('keepLast', options.keepLast, 0);
  positiveInt('averageLast', options.averageLast, 0);
  if (options.clipNorm !== undefined && !(options.clipNorm > 0 && Number.isFinite(options.clipNorm))) fail(`clipNorm must be a finite number > 0, got ${options.clipNorm}`);
  if (!options.dir && !options.storage) {
    for (const name of ['resume', 'checkpointEvery', 'keepLast', 'averageLast'] as const) if (options[name]) fail(`${name} needs a checkpoint directory (the 'dir' option)`);
  }
  if (options.storage && !options.dir) {
    for (const name of ['saveExtras', 'beforeCommit'] as const) if (options[name]) fail(`${name} acts on a checkpoint directory (the 'dir' option), not on storage ${options.storage.location}`);
  }
  if (options.validateEvery && !options.validate) fail('validateEvery needs a validate function');
  for (const [name, choice] of [['earlyStopping', options.earlyStopping], ['bestMetric', options.bestMetric]] as const) {
    if (!choice) continue;
    if (typeof choice.metric !== 'string' || !choice.metric) fail(`${name}.metric must name a metric validate() returns, got ${JSON.stringify(choice.metric)}`);
    if (choice.mode !== 'min' && choice.mode !== 'max') fail(`${name}.mode must be 'min' or 'max', got ${JSON.stringify(choice.mode)}`);
    if (!options.validate) fail(`${name} needs a validate function`);
  }
  if (options.earlyStopping) positiveInt('earlyStopping.patience', options.earlyStopping.patience);
}
