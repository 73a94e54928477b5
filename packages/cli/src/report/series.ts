// What the report draws and tabulates, computed from a run's records: smoothed training curves (means over
// windows of N steps), tokens per second, the summary of a run, and its configuration beside the others'.
import { CONFIG_FIELDS } from '../config.js';
import type { ReportRun, TrainRecord, ValidRecord } from './runs.js';

export type Point = readonly [x: number, y: number];

/** About this many smoothed points per curve, whatever the run's length. */
export const SMOOTHED_POINTS = 100;

/** The window, in steps, over which training curves are averaged: 1 for short runs, count/100 rounded up for long ones. */
export function smoothingWindow(count: number): number {
  return Math.max(1, Math.ceil(count / SMOOTHED_POINTS));
}

/**
 * Means of consecutive windows of `n` records: (mean x, mean y) per window, non-finite y (a diverged loss)
 * left out of the mean; a window with none is dropped.
 */
export function windowMeans(points: readonly Point[], n: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += n) {
    let sx = 0, sy = 0, count = 0;
    for (const [x, y] of points.slice(i, i + n)) {
      if (!Number.isFinite(y)) continue;
      sx += x; sy += y; count++;
    }
    if (count > 0) out.push([sx / count, sy / count]);
  }
  return out;
}

/** Raw points drawn at most: a longer series keeps each bucket's lowest and highest point, in order. */
export const MAX_RAW_POINTS = 2000;

/** `points` thinned to at most about `max` (the envelope of buckets: the spikes stay visible). Non-finite y dropped. */
export function thin(points: readonly Point[], max = MAX_RAW_POINTS): Point[] {
  const finite = points.filter((p) => Number.isFinite(p[1]));
  if (finite.length <= max) return finite;
  const size = Math.ceil(finite.length / Math.floor(max / 2));
  const out: Point[] = [];
  for (let i = 0; i < finite.length; i += size) {
    const bucket = finite.slice(i, i + size);
    let lo = 0, hi = 0;
    bucket.forEach((p, j) => { if (p[1] < bucket[lo][1]) lo = j; if (p[1] > bucket[hi][1]) hi = j; });
    for (const j of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push(bucket[j]);
  }
  return out;
}

/**
 * Training throughput: target tokens per second of step time over windows of `n` steps, at each window's end
 * (elapsed seconds). A step's time runs from the record before it, or from a validation between them when there
 * is one, so validation pauses do not count. A window without tokens or time is dropped.
 */
export function tokensPerSecond(train: readonly TrainRecord[], valid: readonly ValidRecord[], n: number): Point[] {
  const out: Point[] = [];
  let v = 0;
  let prev: TrainRecord | undefined;
  let tokens = 0, seconds = 0, count = 0;
  for (const r of train) {
    let start = prev?.elapsed ?? 0;
    while (v < valid.length && valid[v].step < r.step) {
      if (prev && valid[v].step >= prev.step) start = Math.max(start, valid[v].elapsed);
      v++;
    }
    tokens += r.tokens ?? 0;
    seconds += Math.max(0, r.elapsed - start);
    prev = r;
    if (++count === n || r === train[train.length - 1]) {
      if (tokens > 0 && seconds > 0) out.push([r.elapsed, tokens / seconds]);
      tokens = 0; seconds = 0; count = 0;
    }
  }
  return out;
}

/** Whether a larger value of this validation metric is better (BLEU, chrF, ROUGE) or worse (loss, perplexity). */
export function higherIsBetter(metric: string): boolean {
  return !['loss', 'ppl', 'nll'].includes(metric);
}

export interface RunSummary {
  /** The last step recorded (0 before the first). */
  steps: number;
  epochs: number;
  /** Seconds of training, the last record's. */
  elapsed: number;
  tokens: number;
  /** Tokens per second of step time over the whole run (validations left out). */
  tokensPerSecond: number;
  /** Mean training loss over the last smoothing window; null before the first step. */
  finalLoss: number | null;
  validations: number;
  /** The best validation value of `metric` (the run's configured metric when it was recorded). */
  best: { metric: string; value: number; step: number } | null;
}

/** The metric the run picks its best checkpoint by: its config's `metric` if recorded, else bleu, else loss. */
export function selectionMetric(run: ReportRun): string | null {
  const recorded = new Set(run.valid.flatMap((v) => Object.keys(v.metrics)));
  const configured = typeof run.config?.metric === 'string' ? run.config.metric : '';
  return [configured, 'bleu', 'loss'].find((m) => recorded.has(m)) ?? recorded.values().next().value ?? null;
}

export function summarize(run: ReportRun): RunSummary {
  const last = run.train.at(-1);
  const lastValid = run.valid.at(-1);
  const elapsed = Math.max(last?.elapsed ?? 0, lastValid?.elapsed ?? 0);
  const tokens = run.train.reduce((s, r) => s + (r.tokens ?? 0), 0);
  const losses = windowMeans(run.train.slice(-smoothingWindow(run.train.length)).map((r) => [r.step, r.loss]), Infinity);
  const metric = selectionMetric(run);
  let best: RunSummary['best'] = null;
  if (metric) {
    const sign = higherIsBetter(metric) ? 1 : -1;
    for (const v of run.valid) {
      const value = v.metrics[metric];
      if (value !== undefined && (best === null || sign * (value - best.value) > 0)) best = { metric, value, step: v.step };
    }
  }
  return {
    steps: Math.max(last?.step ?? 0, lastValid?.step ?? 0), epochs: last?.epoch ?? 0, elapsed, tokens,
    tokensPerSecond: tokensPerSecond(run.train, run.valid, Infinity)[0]?.[1] ?? 0, finalLoss: losses[0]?.[1] ?? null,
    validations: run.valid.length, best,
  };
}

export interface ConfigRow {
  field: string;
  /** One per run, as JSON text; '' where the run has no value (or no config yet). */
  values: string[];
  /** True when the runs' values are not all equal. */
  differs: boolean;
}

/** The runs' configurations side by side: gloss train's fields in their order, then any others, differing rows marked. */
export function configRows(runs: readonly ReportRun[]): ConfigRow[] {
  const known = Object.keys(CONFIG_FIELDS);
  const others = [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))].filter((k) => !known.includes(k)).sort();
  return [...known, ...others]
    .filter((field) => runs.some((r) => r.config && field in r.config))
    .map((field) => {
      const values = runs.map((r) => (r.config && field in r.config ? JSON.stringify(r.config[field]) : ''));
      return { field, values, differs: values.some((v) => v !== values[0]) };
    });
}
