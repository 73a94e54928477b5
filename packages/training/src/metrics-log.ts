// dir/metrics.jsonl: one JSON line per optimizer update and one per validation, for plots and reports. On resume
// it is cut back (atomically) to the records of the restored step and before, so after any kill and resume every
// step appears exactly once. Lines are buffered and written at least at every validation and checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '@gloss/tensor/node';
import { writeFileDurable } from './checkpoint/atomic-dir.js';
import type { StepRecord } from './trainer-options.js';

export const METRICS_FILE = 'metrics.jsonl';

/** One update: `tokens` are the update's target tokens, `elapsed` the run's seconds when it was written; no `nll` when the loss reports none. */
export interface TrainMetricsRecord {
  type: 'train';
  step: number;
  epoch: number;
  loss: number;
  nll?: number;
  lr: number;
  gradNorm: number;
  tokens: number;
  elapsed: number;
}

/** One validation: what validate() returned at `step`. */
export interface ValidMetricsRecord {
  type: 'valid';
  step: number;
  elapsed: number;
  metrics: Record<string, number>;
}

export type MetricsRecord = TrainMetricsRecord | ValidMetricsRecord;

/** Buffered lines are written after this many milliseconds even without a validation or checkpoint. */
const FLUSH_MS = 1000;

/** The metrics.jsonl of one run directory, opened for appending. */
export class MetricsLog {
  readonly file: string;
  private pending = '';
  private lastFlush = Date.now();

  /** Opens `dir/metrics.jsonl`, keeping only its records with step ≤ `upToStep` (0 for a new run: an empty file). */
  constructor(dir: string, upToStep: number) {
    this.file = path.join(dir, METRICS_FILE);
    fs.mkdirSync(dir, { recursive: true });
    truncateMetrics(this.file, upToStep);
  }

  train(r: StepRecord, elapsed: number): void {
    const rec: TrainMetricsRecord = {
      type: 'train', step: r.step, epoch: r.epoch, loss: r.loss, ...(Number.isNaN(r.nll) ? {} : { nll: r.nll }),
      lr: r.lr, gradNorm: r.gradNorm, tokens: r.numTokens, elapsed: seconds(elapsed),
    };
    this.add(rec);
  }

  valid(step: number, elapsed: number, metrics: Record<string, number>): void {
    this.add({ type: 'valid', step, elapsed: seconds(elapsed), metrics });
    this.flush();
  }

  /** Writes the buffered lines; `durable` also fsyncs them (before a checkpoint commits, so a resume never lacks them). */
  flush(durable = false): void {
    this.lastFlush = Date.now();
    if (!this.pending && !durable) return;
    const fd = fs.openSync(this.file, 'a');
    try {
      if (this.pending) fs.writeSync(fd, this.pending);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.pending = '';
  }

  private add(rec: MetricsRecord): void {
    this.pending += `${JSON.stringify(rec)}\n`;
    if (Date.now() - this.lastFlush >= FLUSH_MS) this.flush();
  }
}

/** Reads a metrics.jsonl; a line cut short by a kill is skipped. */
export function readMetrics(file: string): MetricsRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as MetricsRecord] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Rewrites `file` (via file.tmp and a rename) with only its records of step ≤ `upToStep`, unless it holds no
 * others. A line without its newline was cut short by a kill and is dropped; `step` is each record's second key.
 */
function truncateMetrics(file: string, upToStep: number): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').slice(0, -1);
  const kept = lines.filter((line) => {
    const m = /^\{"type":"\w+","step":(\d+)[,}]/.exec(line);
    return m !== null && Number(m[1]) <= upToStep;
  });
  const keptText = kept.map((l) => `${l}\n`).join('');
  if (keptText === text) return;
  const tmp = `${file}.tmp`;
  writeFileDurable(tmp, keptText);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Elapsed seconds to the millisecond. */
function seconds(x: number): number {
  return Math.round(x * 1000) / 1000;
}
