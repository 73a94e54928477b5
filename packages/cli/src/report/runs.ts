// A `gloss train` run directory as the report reads it: the records of RUN/metrics.jsonl (one JSON object per
// line: `train` per optimizer step, `valid` per validation) and the run's configuration (last/ or best/
// train-config.json). Bad data is refused naming file:line.
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';

/** One optimizer step. `tokens`: target tokens of the step; `elapsed`: seconds of training so far. */
export interface TrainRecord {
  type: 'train';
  step: number;
  epoch?: number;
  loss: number;
  nll?: number;
  lr?: number;
  gradNorm?: number;
  tokens?: number;
  elapsed: number;
}

/** One validation: any of loss, ppl, bleu, chrf, rougeL. */
export interface ValidRecord {
  type: 'valid';
  step: number;
  elapsed: number;
  metrics: Record<string, number>;
}

export interface ReportRun {
  /** How the run is labelled on the page: its directory's name (the path as given when two names clash). */
  name: string;
  /** The run directory, as given. */
  dir: string;
  /** RUN/last/train-config.json or RUN/best/train-config.json; null before the first checkpoint is written. */
  config: Record<string, unknown> | null;
  train: TrainRecord[];
  valid: ValidRecord[];
}

export const METRICS_FILE = 'metrics.jsonl';
const CONFIG_FILE = 'train-config.json';

const TRAIN_NUMBERS = { step: true, loss: true, elapsed: true, epoch: false, nll: false, lr: false, gradNorm: false, tokens: false } as const;

/**
 * The records of a metrics.jsonl text; `file` names it in errors (`runs/a/metrics.jsonl:7: …`). Blank lines are
 * skipped, as are records of other types (for forward compatibility), and a last line without its newline that
 * is not JSON yet (the trainer is writing it). After a resume, a record whose step is not past the one before
 * it replaces the records from that step on, so each step is counted once.
 */
export function parseMetrics(text: string, file: string): { train: TrainRecord[]; valid: ValidRecord[] } {
  const train: TrainRecord[] = [];
  const valid: ValidRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) return;   // no newline yet: a line being written
      throw new CliError(`${where}: not a JSON object (${(e as Error).message})`, 1);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`${where}: expected a JSON object, got ${line.slice(0, 40)}`, 1);
    const record = json as Record<string, unknown>;
    if (record.type === 'train') supersede(train, checkTrain(record, where));
    else if (record.type === 'valid') supersede(valid, checkValid(record, where));
    else if (typeof record.type !== 'string') throw new CliError(`${where}: expected a "type" of "train" or "valid", got ${JSON.stringify(record.type)}`, 1);
  });
  return { train, valid };
}

/** Appends `r`, first dropping the records at or past its step (a resumed run repeats them). */
function supersede<R extends { step: number }>(records: R[], r: R): void {
  while (records.length > 0 && records[records.length - 1].step >= r.step) records.pop();
  records.push(r);
}

function checkNumber(record: Record<string, unknown>, key: string, required: boolean, where: string): void {
  const v = record[key];
  if (v === undefined && !required) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    // A diverged loss is data, not a malformed line: JSON has no NaN, so the trainer writes null.
    if (v === null && key !== 'step' && key !== 'elapsed') { delete record[key]; return; }
    throw new CliError(`${where}: a ${record.type} record needs a number "${key}", got ${v === undefined ? 'none' : JSON.stringify(v)}`, 1);
  }
}

function checkTrain(record: Record<string, unknown>, where: string): TrainRecord {
  for (const [key, required] of Object.entries(TRAIN_NUMBERS)) checkNumber(record, key, required, where);
  if (record.loss === undefined) record.loss = NaN;
  return record as unknown as TrainRecord;
}

function checkValid(record: Record<string, unknown>, where: string): ValidRecord {
  checkNumber(record, 'step', true, where);
  checkNumber(record, 'elapsed', true, where);
  const metrics = record.metrics;
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    throw new CliError(`${where}: a valid record needs an object "metrics", got ${metrics === undefined ? 'none' : JSON.stringify(metrics)}`, 1);
  }
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new CliError(`${where}: metric "${k}" must be a number, got ${JSON.stringify(v)}`, 1);
  }
  return record as unknown as ValidRecord;
}

/** The run's train-config.json (last/ first: it is rewritten at every validation), or null when there is none yet. */
export function readRunConfig(dir: string): Record<string, unknown> | null {
  for (const sub of ['last', 'best']) {
    const file = path.join(dir, sub, CONFIG_FILE);
    if (!fs.existsSync(file)) continue;
    try {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
      throw new Error('expected a JSON object');
    } catch (e) {
      throw new CliError(`${file}: not a training configuration (${(e as Error).message})`, 1);
    }
  }
  return null;
}

/** Reads run directories: their metrics and configs. Refuses a missing directory or metrics.jsonl. */
export function readRuns(dirs: readonly string[]): ReportRun[] {
  const runs = dirs.map((dir): ReportRun => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`run directory not found: ${dir}`, 1);
    const file = path.join(dir, METRICS_FILE);
    if (!fs.existsSync(file)) throw new CliError(`${file}: not found (is ${dir} a gloss train run directory?)`, 1);
    const { train, valid } = parseMetrics(fs.readFileSync(file, 'utf8'), file);
    return { name: path.basename(path.resolve(dir)), dir, config: readRunConfig(dir), train, valid };
  });
  const clash = new Set(runs.map((r) => r.name).filter((n, i, all) => all.indexOf(n) !== i));
  for (const r of runs) if (clash.has(r.name)) r.name = r.dir;
  return runs;
}
