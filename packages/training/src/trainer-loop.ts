// The Trainer: a model-agnostic train/validate loop (minGPT's trainer, fairseq's update semantics) with gradient
// accumulation, clipping, a schedule, validation every N steps, early stopping, best/last checkpoints written
// atomically, snapshot averaging, a time budget, a per-step metrics.jsonl, and exact resume: a run killed anywhere
// and resumed from last/ repeats the uninterrupted run's losses bit for bit. It keeps its run in a RunStorage
// (storage/run-storage.ts) and imports no Node module, so it runs in a page's Worker (memoryStorage); the Trainer
// of @gloss/training/node (trainer.ts) adds the `dir` option (directoryStorage).
import { defaultGenerator } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';
import { decodeTrainerCheckpoint, encodeTrainerCheckpoint, type BestMetric, type TrainerState, type ValidationRecord } from './checkpoint/codec.js';
import { clipCoefficient, gradNorm } from './clip-grad-norm.js';
import { CheckpointError, TrainingError } from './errors.js';
import { Progress, type LogStream } from './progress.js';
import type { MetricsSink, RunStorage } from './storage/run-storage.js';
import type { Schedule } from './schedules.js';
import { PLAN_MIN_STEPS, REVISE_MIN_CHANGE, TimeBudget } from './time-budget.js';
import { checkTrainerOptions, type StepRecord, type TrainerOptions, type TrainResult } from './trainer-options.js';

/**
 * Trains `model` on `data` with `lossFn` (see TrainerOptions); `fit()` resolves when maxSteps, maxEpochs, maxTime
 * or early stopping ends the run. Exact resume: `resume: true` continues from `last`. With a `storage` (or, from
 * @gloss/training/node, a `dir`), checkpoints are kept there and every update and validation is appended to its
 * metrics log (dir/metrics.jsonl).
 * @example
 * const model = new Seq2SeqTransformer({ srcVocabSize: 8000, tgtVocabSize: 8000, dModel: 256 }, { generator });
 * const lossFn = (b: Batch) => labelSmoothedCrossEntropy(model.forward(b.src, b.tgtIn), b.tgtOut, { padId: 0, smoothing: 0.1 });
 * const trainer = new Trainer({
 *   model, optimizer: new AdamW(model.namedParameters(), { lr: 5e-4, betas: [0.9, 0.98] }),
 *   schedule: noam({ dModel: 256, warmup: 4000 }), data: batchIteratorSource(batches),
 *   lossFn, validate: () => ({ ...evaluateLoss(valid, lossFn), bleu: corpusBleu(translate(validSources), [validRefs]).score }),
 *   generators: { model: generator }, storage: memoryStorage(), maxSteps: 20000, validateEvery: 1000, checkpointEvery: 1000,
 *   earlyStopping: { metric: 'bleu', mode: 'max', patience: 5 }, clipNorm: 1,
 * });
 * const { best } = await trainer.fit();
 */
export class Trainer<B> {
  private readonly options: TrainerOptions<B>;
  /** Where checkpoints and metrics go (none: nothing is saved). */
  private readonly storage: RunStorage | undefined;
  private step = 0;
  private tokens = 0;
  private lr: number;
  private history: ValidationRecord[] = [];
  private best: BestMetric | null = null;
  private badValidations = 0;
  private savedStep = -1;
  /** The run's elapsed seconds before the current fit() (restored from last/ on resume). */
  private elapsedBefore = 0;
  /** The schedule's total when it was estimated from maxTime (null: not yet, or not estimated). */
  private plannedSteps: number | null = null;
  /** Whether plannedSteps has had its one revision at half the budget (then it stays fixed). */
  private planRevised = false;
  /** TimeBudget.stepsMeasured when this fit() planned (or resumed with a plan): the revision times the updates since. */
  private planMark = 0;
  /** The schedule in use: `schedule`, or `scheduleFor` of the total known so far. */
  private schedule: Schedule | undefined;
  private budget: TimeBudget | null = null;
  private metrics: MetricsSink | null = null;
  /** The optimizer's parameters (clipped and checked) and all of the model's (their gradients are cleared each step). */
  private readonly params: Variable[];
  private readonly modelParams: Variable[];

  constructor(options: TrainerOptions<B>) {
    checkTrainerOptions(options);
    if (options.dir !== undefined && !options.storage) {
      throw new TrainingError('Trainer', `dir '${options.dir}' needs the Trainer of @gloss/training/node (a run directory); here pass storage (memoryStorage())`);
    }
    this.options = options;
    this.storage = options.storage;
    this.lr = options.optimizer.lr;
    this.modelParams = options.model.namedParameters().map(([, p]) => p);
    const owned = new Set(this.modelParams);
    this.params = options.optimizer.params.map(([, p]) => p);
    const foreign = options.optimizer.params.filter(([, p]) => !owned.has(p)).map(([n]) => n);
    if (foreign.length) throw new TrainingError('Trainer', `the optimizer holds parameters the model does not: ${foreign.join(', ')}`);
  }

  /** Updates done so far. */
  get stepsDone(): number {
    return this.step;
  }

  /** Trains until maxSteps, maxEpochs, maxTime or early stopping; resumes first when `resume` is set. */
  async fit(): Promise<TrainResult> {
    const options = this.options;
    // Without process.stdout (a page, a Worker) and no output given, the default log is quiet.
    const output = options.output ?? (globalThis as { process?: { stdout?: LogStream } }).process?.stdout;
    if (!output && options.log !== undefined && options.log !== 'quiet') {
      throw new TrainingError('Trainer', `log '${options.log}' needs an output stream here (there is no process.stdout): pass output`);
    }
    const progress = output
      ? new Progress(options.log ?? 'auto', output, { maxSteps: options.maxSteps, maxTime: options.maxTime })
      : new Progress('quiet', { write: () => {} }, { maxSteps: options.maxSteps, maxTime: options.maxTime });
    const storage = this.storage;
    const budget = new TimeBudget(options.clock ?? (() => performance.now() / 1000), this.elapsedBefore);
    this.budget = budget;
    try {
      if (storage) {
        this.prepareStorage(storage, progress);
        this.metrics = storage.openMetrics(this.step);
      }
      this.schedule = this.initialSchedule();
      this.planMark = 0;   // this fit()'s budget measures from its own first update
      const start = { step: this.step, elapsed: budget.elapsed };
      const planAt = Math.max(options.planAfter ?? 0, PLAN_MIN_STEPS);
      const logEvery = options.logEvery ?? 10;
      let interval = { sum: 0, nll: 0, tokens: 0, since: budget.now() };
      let stopReason: TrainResult['stopReason'] | null = null;
      options.model.train(true);
      while (stopReason === null) {
        if (options.signal?.aborted) stopReason = 'interrupted';
        else if (options.maxSteps !== undefined && this.step >= options.maxSteps) stopReason = 'maxSteps';
        else if (options.maxEpochs !== undefined && options.data.epochsCompleted >= options.maxEpochs) stopReason = 'maxEpochs';
        else if (options.maxTime !== undefined && budget.elapsed >= options.maxTime) stopReason = 'maxTime';
        if (stopReason !== null) break;

        const began = budget.now();
        const r = this.trainStep();
        this.metrics?.train(r, budget.elapsed);
        options.onStep?.(r);
        interval.sum += r.loss * r.numTokens;
        interval.nll += r.nll * r.numTokens;
        interval.tokens += r.numTokens;
        const boundary = this.step % logEvery === 0 || this.step === options.maxSteps;
        if (progress.mode === 'bar' || boundary) {
          const seconds = budget.now() - interval.since;
          const n = Math.max(interval.tokens, 1);
          progress.train({
            step: r.step, epoch: r.epoch, loss: interval.sum / n, ...(Number.isNaN(r.nll) ? {} : { ppl: Math.exp(interval.nll / n) }),
            lr: r.lr, gradNorm: r.gradNorm, tokensPerSec: interval.tokens / Math.max(seconds, 1e-9), elapsed: budget.elapsed,
          }, { start, force: boundary });
        }
        if (boundary) interval = { sum: 0, nll: 0, tokens: 0, since: budget.now() };
        budget.record('step', began);
        // the total is estimated at planAt, from at least PLAN_MIN_STEPS updates timed in this fit() (later after a resume)
        const timed = this.step - start.step >= PLAN_MIN_STEPS;
        if (options.scheduleFor && options.maxTime !== undefined && this.plannedSteps === null && this.step >= planAt && timed) this.plan(progress);
        // …and revised once at half the budget, from the step times since (a machine whose load changed, warm caches)
        else if (options.scheduleFor && options.maxTime !== undefined && this.plannedSteps !== null && !this.planRevised &&
          budget.elapsed >= options.maxTime / 2 && budget.stepsMeasured - this.planMark >= PLAN_MIN_STEPS) this.revisePlan(progress);

        if (options.validate && options.validateEvery && this.step % options.validateEvery === 0 && (await this.validate(progress))) stopReason = 'earlyStopping';
        if (storage && options.checkpointEvery && this.step % options.checkpointEvery === 0) this.saveLast(progress);
        if (options.signal) await yieldToEvents(); // lets a Ctrl-C handler run
      }
      const interrupted = stopReason === 'interrupted';
      const lastValidated = this.history.at(-1)?.step;
      const validateAtEnd = !interrupted && options.validate !== undefined && this.step > 0 && lastValidated !== this.step;
      if (validateAtEnd) await this.validate(progress);
      const result: TrainResult = {
        step: this.step, epoch: options.data.epoch, stopReason, best: this.best, history: this.history, elapsed: 0,
        ...(this.plannedSteps !== null ? { plannedSteps: this.plannedSteps } : {}),
      };
      if (storage) {
        // last/ holds every validation: one at the end that follows a checkpoint of the same step is saved again
        if (this.savedStep !== this.step || validateAtEnd) this.saveLast(progress);
        result.lastDir = storage.locate('last');
        if (storage.list().includes('best')) result.bestDir = storage.locate('best');
        if (options.averageLast && !interrupted) {
          const { location, from } = storage.average(options.averageLast);
          progress.event('average', { step: this.step, dir: location, from: from.map((f) => f.split(/[/\\]/).at(-1)!) });
          result.averagedDir = location;
        }
      }
      result.elapsed = budget.elapsed;
      progress.event('done', { step: this.step, stopReason, best: this.best, elapsed: result.elapsed });
      this.metrics?.flush();
      return result;
    } finally {
      try {
        this.metrics?.flush();
      } catch {
        // only reached when fit() is already failing (a full disk, say): that error is the one to report
      }
      this.metrics = null;
      this.elapsedBefore = budget.elapsed;
      progress.close();
    }
  }

  /** `schedule`; or `scheduleFor` of the fixed planned total, of maxSteps, or (until a budget's total is planned) of a far-away one. */
  private initialSchedule(): Schedule | undefined {
    const options = this.options;
    if (!options.scheduleFor) return options.schedule;
    if (this.plannedSteps !== null) return options.scheduleFor(this.plannedSteps);
    return options.scheduleFor(options.maxTime === undefined ? options.maxSteps! : Number.MAX_SAFE_INTEGER);
  }

  /**
   * Estimates from the measured times how many updates fit maxTime and builds the schedule over that total. A plan
   * made past half the budget is final; one made before it gets one revision there (revisePlan).
   */
  private plan(progress: Progress): void {
    const budget = this.budget!;
    this.plannedSteps = this.estimateSteps();
    this.planRevised = budget.elapsed >= this.options.maxTime! / 2;
    this.planMark = budget.stepsMeasured;
    this.schedule = this.options.scheduleFor!(this.plannedSteps);
    progress.event('plan', { step: this.step, plannedSteps: this.plannedSteps, stepSeconds: budget.stepSeconds, elapsed: budget.elapsed, maxTime: this.options.maxTime });
  }

  /**
   * At half the budget, estimates the total again from the step times measured since the plan (or since a resume): a
   * plan made while the machine was busier or slower than it is now (or the reverse) would otherwise end the
   * schedule early, leaving updates at its floor, or cut it short. The schedule moves to the new total only when it
   * differs by more than REVISE_MIN_CHANGE; either way the total is then fixed.
   */
  private revisePlan(progress: Progress): void {
    const budget = this.budget!;
    this.planRevised = true;
    const revised = this.estimateSteps(this.planMark);
    if (Math.abs(revised - this.plannedSteps!) <= REVISE_MIN_CHANGE * this.plannedSteps!) return;
    progress.event('plan', {
      step: this.step, plannedSteps: revised, previous: this.plannedSteps, stepSeconds: budget.stepSeconds, elapsed: budget.elapsed, maxTime: this.options.maxTime,
    });
    this.plannedSteps = revised;
    this.schedule = this.options.scheduleFor!(revised);
  }

  /** budget.plan for now; `stepsFrom`: time the updates measured from that index on. */
  private estimateSteps(stepsFrom?: number): number {
    const options = this.options;
    const budget = this.budget!;
    return budget.plan({
      step: this.step, elapsed: budget.elapsed, maxTime: options.maxTime!, maxSteps: options.maxSteps,
      validateEvery: options.validate ? options.validateEvery : undefined, checkpointEvery: this.storage ? options.checkpointEvery : undefined,
      stepsFrom,
    });
  }

  /** One update: `accumulate` batches forward and backward, then normalize, check, clip and step. */
  private trainStep(): StepRecord {
    const options = this.options;
    const step = this.step + 1;
    const accumulate = options.accumulate ?? 1;
    for (const p of this.modelParams) p.zeroGrad();
    let sum = 0;
    let nll = 0;
    let tokens = 0;
    for (let k = 0; k < accumulate; k++) {
      const out = options.lossFn(options.data.next());
      const s = out.sum.item();
      if (!Number.isFinite(s)) throw this.nonFinite(step, `the loss is ${s}${accumulate > 1 ? ` (batch ${k + 1} of ${accumulate})` : ''}`);
      out.sum.backward();
      sum += s;
      nll += out.nllSum ?? NaN;
      tokens += out.numTokens;
    }
    // Backward ran on summed losses: dividing by the update's total tokens gives the exact per-token mean.
    const scale = 1 / Math.max(tokens, 1);
    const norm = gradNorm(this.params) * scale;
    if (!Number.isFinite(norm)) {
      const bad = options.optimizer.params.find(([, p]) => p.grad && !(p.grad.data as Float32Array).every(Number.isFinite));
      throw this.nonFinite(step, `the gradient norm is ${norm}${bad ? ` (first non-finite gradient: ${bad[0]})` : ''}`);
    }
    const coef = options.clipNorm ? clipCoefficient(norm, options.clipNorm) : 1;
    this.lr = this.schedule ? this.schedule(step) : options.optimizer.lr;
    options.optimizer.lr = this.lr;
    options.optimizer.step({ gradScale: scale * coef });
    for (const p of this.modelParams) p.zeroGrad(); // the gradients' memory is free until the next backward
    this.step = step;
    this.tokens += tokens;
    return { step, epoch: options.data.epoch, loss: sum * scale, nll: nll * scale, lr: this.lr, gradNorm: norm, numTokens: tokens };
  }

  private nonFinite(step: number, what: string): TrainingError {
    const kept = this.storage && this.savedStep >= 0
      ? `the last good checkpoint, ${this.storage.locate('last')} (step ${this.savedStep}), is kept`
      : 'no checkpoint was written';
    return new TrainingError('Trainer', `step ${step}: ${what}; training stopped, ${kept}. Lower the learning rate or set clipNorm.`);
  }

  /** Runs validate() in eval mode, records it, saves best/ on improvement; true when early stopping says stop. */
  private async validate(progress: Progress): Promise<boolean> {
    const options = this.options;
    const began = this.budget!.now();
    options.model.eval();
    let metrics: Record<string, number>;
    try {
      metrics = await options.validate!();
    } finally {
      options.model.train(true);
    }
    this.history.push({ step: this.step, metrics });
    this.metrics?.valid(this.step, this.budget!.elapsed, metrics);
    const choice = options.earlyStopping ?? options.bestMetric ?? { metric: 'loss', mode: 'min' as const };
    const value = metrics[choice.metric];
    if (value === undefined) {
      if (options.earlyStopping || options.bestMetric) {
        throw new TrainingError('Trainer', `validate() returned no '${choice.metric}' (it returned ${Object.keys(metrics).join(', ') || 'nothing'}) at step ${this.step}`);
      }
      progress.event('valid', { step: this.step, ...metrics });
      this.budget!.record('validation', began);
      return false;
    }
    const improved = !Number.isNaN(value) && (this.best === null || (choice.mode === 'min' ? value < this.best.value : value > this.best.value));
    if (improved) {
      this.best = { metric: choice.metric, mode: choice.mode, value, step: this.step };
      this.badValidations = 0;
    } else this.badValidations++;
    progress.event('valid', { step: this.step, ...metrics, best: improved });
    if (improved && this.storage) {
      const dir = this.save('best');
      progress.event('checkpoint', { step: this.step, dir });
    }
    const stop = options.earlyStopping !== undefined && this.badValidations >= options.earlyStopping.patience;
    if (stop) progress.event('early-stop', { step: this.step, metric: choice.metric, best: this.best, patience: options.earlyStopping!.patience });
    this.budget!.record('validation', began);
    return stop;
  }

  private saveLast(progress: Progress): void {
    const options = this.options;
    const began = this.budget!.now();
    this.metrics?.flush(true); // on disk before last/ commits: a resume from it never lacks a record
    const dir = this.save('last');
    this.savedStep = this.step;
    const keep = Math.max(options.keepLast ?? 0, options.averageLast ?? 0);
    if (keep > 0) this.storage!.snapshot(dir, this.step, keep);
    progress.event('checkpoint', { step: this.step, dir });
    this.budget!.record('checkpoint', began);
  }

  private save(name: 'last' | 'best'): string {
    const options = this.options;
    const rng: TrainerState['rng'] = { default: defaultGenerator().getState() };
    for (const [k, g] of Object.entries(options.generators ?? {})) rng[k] = g.getState();
    const state: Omit<TrainerState, 'files'> = {
      format: 'gloss-trainer-state', version: 1, step: this.step, epoch: options.data.epoch,
      epochsCompleted: options.data.epochsCompleted, lr: this.lr, tokens: this.tokens, rng, data: options.data.getState(),
      history: this.history, best: this.best, badValidations: this.badValidations, elapsed: this.budget!.elapsed, plannedSteps: this.plannedSteps,
      ...(this.planRevised ? { planRevised: true } : {}),
    };
    const storage = this.storage!;
    return storage.commit(name, encodeTrainerCheckpoint({ model: options.model.stateDict(), optimizer: options.optimizer.stateDict(), state }, storage.hash));
  }

  /** Cleans what a kill left behind, then resumes from last/ or refuses to overwrite it. */
  private prepareStorage(storage: RunStorage, progress: Progress): void {
    const options = this.options;
    const notes = storage.recover();
    if (!options.resume) {
      const taken = storage.list();
      if (taken.length) {
        throw new TrainingError('Trainer', `${storage.location} already holds checkpoints (${taken.sort().join(', ')}); pass resume: true to continue that run, or use another directory`);
      }
      return;
    }
    if (!storage.list().includes('last')) throw new CheckpointError('Trainer', `resume: there is no checkpoint to resume in ${storage.location} (no last/)`);
    this.restore(storage);
    progress.event('resume', { step: this.step, elapsed: this.budget!.elapsed, dir: storage.locate('last'), ...(notes.length ? { recovered: notes } : {}) });
  }

  private restore(storage: RunStorage): void {
    const options = this.options;
    const dir = storage.locate('last');
    const where = (file: string) => storage.where('last', file);
    const ckpt = decodeTrainerCheckpoint(storage.reader('last')!, { where, hash: storage.hash });
    const s = ckpt.state;
    const fail = (what: string, e: unknown) => new CheckpointError('Trainer', `${where(what)} does not fit this run: ${(e as Error).message}`);
    try {
      options.model.loadStateDict(Object.fromEntries(ckpt.model), { strict: true });
    } catch (e) {
      throw fail('model.safetensors', e);
    }
    if (!ckpt.optimizer) throw new CheckpointError('Trainer', `${dir} has no optimizer.safetensors; it cannot be resumed`);
    try {
      options.optimizer.loadStateDict(ckpt.optimizer);
    } catch (e) {
      throw fail('optimizer.safetensors', e);
    }
    const named = { default: defaultGenerator(), ...options.generators };
    const saved = Object.keys(s.rng ?? {});
    const missing = Object.keys(named).filter((k) => !saved.includes(k));
    const extra = saved.filter((k) => !(k in named));
    if (missing.length || extra.length) {
      throw new CheckpointError('Trainer', `${where('trainer-state.json')} holds generators [${saved.join(', ')}] but this run has [${Object.keys(named).join(', ')}]`);
    }
    try {
      for (const [k, g] of Object.entries(named)) g.setState(s.rng[k]);
      options.data.setState(s.data);
    } catch (e) {
      throw fail('trainer-state.json', e);
    }
    this.step = s.step;
    this.tokens = s.tokens;
    this.lr = s.lr;
    this.history = s.history;
    this.best = s.best;
    this.badValidations = s.badValidations;
    this.savedStep = s.step;
    this.budget!.restore(s.elapsed ?? 0);
    this.plannedSteps = s.plannedSteps ?? null;
    this.planRevised = s.planRevised ?? false;
  }
}

/** Lets pending events run (Node's setImmediate; a macrotask elsewhere). */
function yieldToEvents(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
