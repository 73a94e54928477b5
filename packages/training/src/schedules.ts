// Learning-rate schedules as pure functions of the update number (1 for the first update), so resuming
// needs only the step count. The Trainer sets `optimizer.lr = schedule(step)` before update `step`.
import { ValueError } from '@gloss/tensor';

/** The learning rate of update `step` (1-based: the first update is step 1). */
export type Schedule = (step: number) => number;

/** The same learning rate for every step (torch.optim's default, no scheduler). */
export function constant(lr: number): Schedule {
  check('constant', 'lr', lr);
  return () => lr;
}

export interface NoamOptions {
  /** Model width: the peak rate scales as dModel^-0.5. */
  dModel: number;
  /** Updates of linear warm-up; the peak is at step = warmup. */
  warmup: number;
  /** Multiplier. Default 1 (the paper's), annotated-transformer uses 1 to 2. */
  factor?: number;
}

/**
 * "Attention Is All You Need" §5.3: lr = factor · dModel^-0.5 · min(step^-0.5, step · warmup^-1.5) —
 * linear warm-up to factor·(dModel·warmup)^-0.5, then inverse square root. As annotated-transformer's
 * NoamOpt (which increments its step before computing the rate). It equals fairseq's inverse_sqrt with
 * peak lr = factor·(dModel·warmup)^-0.5 and warmup_init_lr 0, except that fairseq uses the rate after
 * n updates for update n + 1 (it sets lr after each step), i.e. one step later than here.
 * @example optimizer.lr = noam({ dModel: 512, warmup: 4000 })(step)
 */
export function noam({ dModel, warmup, factor = 1 }: NoamOptions): Schedule {
  check('noam', 'dModel', dModel, true);
  check('noam', 'warmup', warmup, true);
  check('noam', 'factor', factor);
  const scale = factor * dModel ** -0.5;
  return (step) => (step <= 0 ? 0 : scale * Math.min(step ** -0.5, step * warmup ** -1.5));
}

export interface InverseSqrtOptions {
  /** Updates of linear warm-up from `init` to `peak`. */
  warmup: number;
  /** The rate at step = warmup. */
  peak: number;
  /** Rate at step 0. Default 0. */
  init?: number;
}

/**
 * fairseq's inverse_sqrt: linear warm-up init → peak over `warmup` updates, then peak·√(warmup/step).
 * Evaluated at the update's own number (fairseq applies it one update later; see noam).
 */
export function inverseSqrt({ warmup, peak, init = 0 }: InverseSqrtOptions): Schedule {
  check('inverseSqrt', 'warmup', warmup, true);
  check('inverseSqrt', 'peak', peak);
  check('inverseSqrt', 'init', init);
  return (step) => (step < warmup ? init + (step * (peak - init)) / warmup : peak * Math.sqrt(warmup / step));
}

export interface WarmupDecayOptions {
  /** Updates of linear warm-up from 0 to `peak` (0: start at peak). */
  warmup: number;
  /** The last update of the decay: from here on the rate is `min`. */
  total: number;
  /** The rate at step = warmup. */
  peak: number;
  /** The floor the decay ends at. Default 0. */
  min?: number;
}

/**
 * Linear warm-up to `peak`, then half a cosine down to `min` at `total` (SGDR without restarts). As Hugging
 * Face's get_cosine_schedule_with_warmup (min 0) evaluated at the update's own number: HF's LambdaLR gives
 * the first update lambda(0) = 0, here the first update gets peak/warmup.
 */
export function warmupCosine(options: WarmupDecayOptions): Schedule {
  const { warmup, total, peak, min } = checkDecay('warmupCosine', options);
  return (step) => {
    if (step < warmup) return (peak * Math.max(step, 0)) / warmup;
    const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
    return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

/**
 * Linear warm-up to `peak`, then a straight line down to `min` at `total`; Hugging Face's
 * get_linear_schedule_with_warmup (min 0), with the same one-step note as warmupCosine.
 */
export function warmupLinear(options: WarmupDecayOptions): Schedule {
  const { warmup, total, peak, min } = checkDecay('warmupLinear', options);
  return (step) => {
    if (step < warmup) return (peak * Math.max(step, 0)) / warmup;
    const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
    return peak + (min - peak) * progress;
  };
}

function checkDecay(op: string, { warmup, total, peak, min = 0 }: WarmupDecayOptions): Required<WarmupDecayOptions> {
  check(op, 'warmup', warmup);
  check(op, 'total', total);
  check(op, 'peak', peak);
  check(op, 'min', min);
  if (!Number.isInteger(warmup) || !Number.isInteger(total) || total < warmup) {
    throw new ValueError(op, `warmup and total must be integers with warmup ≤ total, got warmup ${warmup} and total ${total}`);
  }
  if (min > peak) throw new ValueError(op, `min ${min} is above peak ${peak}`);
  return { warmup, total, peak, min };
}

function check(op: string, what: string, value: number, positive = false): void {
  if (!(Number.isFinite(value) && (positive ? value > 0 : value >= 0))) {
    throw new ValueError(op, `${what} must be a finite number ${positive ? '> 0' : '≥ 0'}, got ${value}`);
  }
}
