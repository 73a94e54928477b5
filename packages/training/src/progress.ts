// Training output: a one-line progress bar redrawn with \r on a terminal (step/total, loss, tokens/s, lr, elapsed
// of the time budget, ETA),
// one JSON object per line otherwise (for log files and tools), or nothing ('quiet': errors are thrown).
import { ValueError } from '@gloss/tensor';

/** 'auto' picks 'bar' when the stream is a TTY and 'jsonl' otherwise. */
export type LogMode = 'auto' | 'bar' | 'jsonl' | 'quiet';

/** Where output goes: process.stdout, or anything with write (and isTTY / columns if it is a terminal). */
export interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** One logged training interval, ending at `step`. */
export interface TrainRecord {
  step: number;
  epoch: number;
  /** Mean loss per token over the interval. */
  loss: number;
  /** Perplexity exp(nll) over the interval, when the loss reports nllSum. */
  ppl?: number;
  lr: number;
  gradNorm: number;
  /** Non-pad target tokens per second over the interval. */
  tokensPerSec: number;
  /** The run's elapsed seconds (fit() time summed across resumes). */
  elapsed: number;
}

/** The ends the ETA is computed from: a step count, a time budget in seconds, or both (the earlier one). */
export interface ProgressLimits {
  maxSteps?: number;
  maxTime?: number;
}

/** Writes train records and events in the chosen mode. */
export class Progress {
  readonly mode: 'bar' | 'jsonl' | 'quiet';
  private lastDraw = 0;
  private barShown = false;

  constructor(mode: LogMode, private readonly stream: LogStream, private readonly limits: ProgressLimits = {}) {
    if (!['auto', 'bar', 'jsonl', 'quiet'].includes(mode)) throw new ValueError('Trainer', `log must be 'auto', 'bar', 'jsonl' or 'quiet', got '${mode}'`);
    this.mode = mode === 'auto' ? (stream.isTTY ? 'bar' : 'jsonl') : mode;
  }

  /**
   * A training interval: a JSON line (with `eta`, seconds, when there is a time budget), or a redraw of the bar (at
   * most 10 per second unless `force`). `start` is where this fit() began: the step and elapsed seconds.
   */
  train(r: TrainRecord, { start, force = false }: { start: { step: number; elapsed: number }; force?: boolean }): void {
    const { maxSteps: total, maxTime } = this.limits;
    const rate = r.step > start.step ? (r.elapsed - start.elapsed) / (r.step - start.step) : NaN;
    const eta = Math.min(total && r.step > start.step ? (total - r.step) * rate : Infinity, maxTime ? Math.max(0, maxTime - r.elapsed) : Infinity);
    if (this.mode === 'jsonl') this.line({ event: 'train', ...r, ...(maxTime ? { eta } : {}) });
    if (this.mode !== 'bar') return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const parts = [total ? `step ${r.step}/${total} ${bar(r.step / total)}` : `step ${r.step} · epoch ${r.epoch + 1}${maxTime ? ` ${bar(r.elapsed / maxTime)}` : ''}`,
      `loss ${r.loss.toFixed(4)}`, `${si(r.tokensPerSec)} tok/s`, `lr ${r.lr.toExponential(2)}`];
    if (maxTime) parts.push(`${duration(r.elapsed)}/${duration(maxTime)}`);
    if (Number.isFinite(eta)) parts.push(`ETA ${duration(eta)}`);
    const width = Math.max(20, (this.stream.columns ?? 100) - 1);
    const text = parts.join(' │ ').slice(0, width);
    this.stream.write(`\r${text}\x1b[K`);
    this.barShown = true;
  }

  /** Anything else (valid, checkpoint, resume, stop, done): a JSON line, or a text line above the bar. */
  event(event: string, fields: Record<string, unknown>): void {
    if (this.mode === 'jsonl') this.line({ event, ...fields });
    if (this.mode !== 'bar') return;
    const text = Object.entries(fields).filter(([, v]) => v !== false && v !== undefined && v !== null)
      .map(([k, v]) => (v === true ? k : `${k} ${k === 'elapsed' ? duration(v as number) : human(v)}`)).join(' │ ');
    this.stream.write(`${this.barShown ? '\r\x1b[K' : ''}${event}: ${text}\n`);
    this.barShown = false; // the bar's line now holds this text: the next record draws it anew below
    this.lastDraw = 0;
  }

  /** Ends the bar's line. */
  close(): void {
    if (this.mode === 'bar' && this.barShown) this.stream.write('\n');
    this.barShown = false;
  }

  private line(obj: Record<string, unknown>): void {
    this.stream.write(`${JSON.stringify(obj)}\n`);
  }
}

/** A field's value for a human: 5 significant digits, a best metric as "loss 2.5726 @ step 6", lists joined. */
function human(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5);
  if (Array.isArray(v)) return v.map(human).join(', ');
  if (typeof v === 'object' && v !== null && 'metric' in v && 'value' in v && 'step' in v) {
    const b = v as { metric: string; value: number; step: number };
    return `${b.metric} ${human(b.value)} @ step ${b.step}`;
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A 20-cell bar for a fraction in [0, 1]. */
function bar(fraction: number): string {
  const cells = Math.round(Math.min(1, Math.max(0, fraction)) * 20);
  return `${'█'.repeat(cells)}${'░'.repeat(20 - cells)}`;
}

/** 5234 → "5.2k". */
function si(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
}

/** Seconds → "1h02m", "3m05s", "12s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
