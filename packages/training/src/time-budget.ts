// A run's time budget (the Trainer's maxTime): the elapsed seconds of fit() summed across resumes, the durations
// of steps, validations and checkpoints measured on the way, and from them the number of updates that fit the
// budget — the total a cosine or linear schedule needs (`plannedSteps`), estimated after the warm-up and revised once
// at half the budget.

/** Seconds from a monotonic clock; the Trainer's default is performance.now() / 1000. */
export type Clock = () => number;

/** The fewest updates measured before the total is estimated, however short the warm-up. */
export const PLAN_MIN_STEPS = 10;

/** The revision at half the budget moves the schedule only when the new total differs by more than this share. */
export const REVISE_MIN_CHANGE = 0.05;

/**
 * Share of the remaining budget kept back for validations or checkpoints that will happen but have not been
 * measured yet when the total is estimated (say validateEvery is 1000 and the estimate is made at step 10).
 */
export const UNMEASURED_MARGIN = 0.05;

/** What the estimate of the planned total needs to know about the run. */
export interface PlanInputs {
  /** Updates done, and the run's elapsed seconds, now. */
  step: number;
  elapsed: number;
  maxTime: number;
  /** Also stop here (the estimate never exceeds it). */
  maxSteps?: number;
  /** A validation every N updates (undefined: none before the end). */
  validateEvery?: number;
  /** last/ written every N updates (undefined: none before the end). */
  checkpointEvery?: number;
  /** Time updates by the ones measured from this index on (stepsMeasured at an earlier moment) instead of stepSeconds. */
  stepsFrom?: number;
}

/** Measured durations of the parts of a run, in seconds, and the run's elapsed time. */
export class TimeBudget {
  private readonly steps: number[] = [];
  private readonly validations: number[] = [];
  private readonly checkpoints: number[] = [];
  private origin: number;

  /** `restored`: the elapsed seconds saved with the checkpoint this run resumes from (0 for a new run). */
  constructor(private readonly clock: Clock, private restored = 0) {
    this.origin = clock();
  }

  /** Seconds of fit() on this run so far, summed across resumes. */
  get elapsed(): number {
    return this.restored + (this.clock() - this.origin);
  }

  /** Counts on from a checkpoint's elapsed seconds (the time after it was saved was lost with the process that wrote it). */
  restore(elapsed: number): void {
    this.restored = elapsed;
  }

  /** The clock now: pass it to `record` when the part ends. */
  now(): number {
    return this.clock();
  }

  /** Records a step, validation or checkpoint that began at `since` (a `now()`) and ends now. */
  record(kind: 'step' | 'validation' | 'checkpoint', since: number): void {
    (kind === 'step' ? this.steps : kind === 'validation' ? this.validations : this.checkpoints).push(this.clock() - since);
  }

  /** Updates measured in this fit() so far. */
  get stepsMeasured(): number {
    return this.steps.length;
  }

  /** Mean seconds per update over those measured from index `from` on (NaN when none). */
  stepSecondsFrom(from: number): number {
    const xs = this.steps.slice(from);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  }

  /** Mean seconds per update over the later half of the updates measured in this fit() (the first ones compile and warm caches). */
  get stepSeconds(): number {
    const later = this.steps.slice(Math.floor(this.steps.length / 2));
    return later.length ? later.reduce((a, b) => a + b, 0) / later.length : NaN;
  }

  /**
   * The updates this run can make within maxTime: the updates done plus those that fit in the remaining budget at
   * the measured step time plus the periodic validations and checkpoints at their measured times, or, while one
   * that will come has not been measured yet, UNMEASURED_MARGIN of the remaining budget kept back for them. The
   * final validation and checkpoint come after the budget (the run stops once it is spent) and are not counted.
   * Never more than maxSteps, never fewer than the updates done.
   */
  plan(p: PlanInputs): number {
    const remaining = p.maxTime - p.elapsed;
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const valid = p.validateEvery ? mean(this.validations) : 0;
    const ckpt = p.checkpointEvery ? mean(this.checkpoints) : 0;
    const margin = valid === null || ckpt === null ? UNMEASURED_MARGIN * remaining : 0;
    const perStep = (p.stepsFrom === undefined ? this.stepSeconds : this.stepSecondsFrom(p.stepsFrom)) + (p.validateEvery ? (valid ?? 0) / p.validateEvery : 0) + (p.checkpointEvery ? (ckpt ?? 0) / p.checkpointEvery : 0);
    const left = Math.floor((remaining - margin) / perStep);
    const planned = p.step + (Number.isFinite(left) ? Math.max(0, left) : 0);
    return p.maxSteps === undefined ? planned : Math.min(planned, Math.max(p.maxSteps, p.step));
  }
}
