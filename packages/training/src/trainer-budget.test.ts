// The Trainer's time budget and metrics.jsonl on the tiny task, on an injected clock that advances 1 s per batch
// (2 s per update: 2 batches each), 3 s per validation and 0.5 s per checkpoint commit, so every number is exact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Batch } from '@gloss/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tinyBatches, tinyExamples, tinyTrainer } from './__fixtures__/tiny-task.js';
import { readTrainerState } from './checkpoint/checkpoint.js';
import { evaluateLoss } from './loss.js';
import { METRICS_FILE, readMetrics, type MetricsRecord } from './metrics-log.js';
import type { LogStream } from './progress.js';
import { warmupCosine } from './schedules.js';
import type { StepRecord, TrainerOptions } from './trainer-options.js';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-budget-')); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const STEP = 2;
const VALID = 3;
const COMMIT = 0.5;
const valid = [...tinyBatches(tinyExamples(12, 99), 5)];
/** Warm-up 10 = planAfter: the updates before the total is fixed are the same whatever it becomes. */
const scheduleFor = (total: number) => warmupCosine({ warmup: 10, total, peak: 0.02, min: 0.001 });

/**
 * The tiny task on a fake clock (starting at `t0`); `throwAt` stops the process-like run inside that update;
 * `stepSeconds(update)` changes what an update costs (default STEP).
 */
function clocked(options: Partial<TrainerOptions<Batch>>, { t0 = 0, throwAt = 0, stepSeconds = (_: number): number => STEP } = {}) {
  const clock = { t: t0 };
  const steps: StepRecord[] = [];
  const run = tinyTrainer({
    schedule: undefined, maxSteps: undefined, clock: () => clock.t, onStep: (r) => steps.push(r),
    lossFn: (b) => {
      if (run.trainer.stepsDone + 1 === throwAt) throw new Error('killed');
      clock.t += stepSeconds(run.trainer.stepsDone + 1) / 2;
      return run.model.loss(b);
    },
    validate: () => {
      clock.t += VALID;
      return { loss: evaluateLoss(valid, (b) => run.model.loss(b)).loss };
    },
    beforeCommit: () => { clock.t += COMMIT; },
    ...options,
  });
  return { ...run, clock, steps };
}

const noElapsed = (records: MetricsRecord[]) => records.map(({ elapsed, ...r }) => r);

describe('Trainer maxTime', () => {
  it('stops within one update plus validation of the budget, validates and checkpoints, and says so', async () => {
    const { trainer, steps } = clocked({ dir: root, maxTime: 25 });
    const result = await trainer.fit();
    // after update 10: 20 s + 3.5 (validation at 6, best/ committed) + 2 · 0.5 (last/ at 5 and 10) = 24.5 < 25: one more
    expect(result).toMatchObject({ stopReason: 'maxTime', step: 11 });
    const records = readMetrics(path.join(root, METRICS_FILE));
    const train = records.filter((r) => r.type === 'train');
    expect(train.map((r) => r.step)).toEqual(steps.map((r) => r.step));
    expect(train.at(-2)!.elapsed).toBeLessThan(25);                             // the last update began inside the budget
    expect(result.elapsed).toBeGreaterThanOrEqual(25);
    expect(result.elapsed).toBeLessThanOrEqual(25 + STEP + VALID + 2 * COMMIT);
    expect(records.at(-1)).toMatchObject({ type: 'valid', step: 11 });
    expect(readTrainerState(path.join(root, 'last'))).toMatchObject({ step: 11, elapsed: result.elapsed - COMMIT });
  });

  it('writes metrics.jsonl in its format: one line per update and per validation', async () => {
    const { trainer, steps } = clocked({ dir: root, maxSteps: 6, validateEvery: 3 });
    await trainer.fit();
    const lines = fs.readFileSync(path.join(root, METRICS_FILE), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type} ${l.step}`)).toEqual(['train 1', 'train 2', 'train 3', 'valid 3', 'train 4', 'train 5', 'train 6', 'valid 6']);
    expect(Object.keys(lines[0])).toEqual(['type', 'step', 'epoch', 'loss', 'nll', 'lr', 'gradNorm', 'tokens', 'elapsed']);
    expect(lines[0]).toEqual({
      type: 'train', step: 1, epoch: steps[0].epoch, loss: steps[0].loss, nll: steps[0].nll, lr: steps[0].lr,
      gradNorm: steps[0].gradNorm, tokens: steps[0].numTokens, elapsed: STEP,
    });
    expect(lines[3]).toEqual({ type: 'valid', step: 3, elapsed: 3 * STEP + VALID, metrics: { loss: expect.any(Number) } });
    expect(Object.keys(lines[3])).toEqual(['type', 'step', 'elapsed', 'metrics']);
  });

  it('fixes the planned total after planAfter updates, and a killed and resumed run repeats the run with that total as maxSteps', async () => {
    const budget = { dir: path.join(root, 'budget'), maxTime: 80, scheduleFor, planAfter: 10 };
    const whole = clocked(budget);
    const result = await whole.trainer.fit();
    const planned = result.plannedSteps!;
    // at step 10 (before its checkpoint), 20 + 3.5 + 0.5 = 24 s spent; 56 s left at 2 + 3.5/6 + 0.5/5 s per update: 20 more
    expect(planned).toBe(10 + 20);
    expect(readTrainerState(path.join(budget.dir, 'last')).plannedSteps).toBe(planned);
    expect(Math.abs(result.step - planned)).toBeLessThanOrEqual(1);

    // The same run with the budget replaced by the planned total.
    const fixed = clocked({ dir: path.join(root, 'fixed'), maxSteps: planned, scheduleFor });
    await fixed.trainer.fit();
    const common = Math.min(planned, result.step);
    expect(whole.steps.slice(0, common)).toEqual(fixed.steps.slice(0, common));

    // Killed inside update 13 (last/ holds step 10, the total fixed at 10), resumed on a clock that starts elsewhere.
    const dir = path.join(root, 'killed');
    const killed = clocked({ ...budget, dir }, { throwAt: 13 });
    await expect(killed.trainer.fit()).rejects.toThrow('killed');
    expect(readMetrics(path.join(dir, METRICS_FILE)).filter((r) => r.type === 'train').map((r) => r.step).at(-1)).toBe(12);
    const resumed = clocked({ ...budget, dir, resume: true }, { t0: 5000 });
    const again = await resumed.trainer.fit();
    expect(again.plannedSteps).toBe(planned);
    expect([...killed.steps.slice(0, 10), ...resumed.steps]).toEqual(whole.steps);
    expect(again.elapsed).toBeLessThanOrEqual(budget.maxTime + STEP + VALID + 2 * COMMIT);
    // metrics.jsonl: every step once, the same records as the uninterrupted run's apart from elapsed
    const records = readMetrics(path.join(dir, METRICS_FILE));
    expect(noElapsed(records)).toEqual(noElapsed(readMetrics(path.join(budget.dir, METRICS_FILE))));
    expect(records.filter((r) => r.type === 'train').map((r) => r.step)).toEqual(whole.steps.map((r) => r.step));
  });

  it('keeps the planned total when a resumed run is given a longer budget', async () => {
    const budget = { dir: root, maxTime: 40, scheduleFor, planAfter: 10 };
    const first = await clocked(budget).trainer.fit();
    const longer = clocked({ ...budget, maxTime: 60, resume: true });
    const more = await longer.trainer.fit();
    expect(more.plannedSteps).toBe(first.plannedSteps);
    expect(more.step).toBeGreaterThan(first.step);
    expect(longer.steps.at(-1)!.lr).toBeCloseTo(0.001, 12);                    // past the planned total: the schedule's floor
    expect(more.elapsed).toBeGreaterThanOrEqual(60);
  });

  it('revises the planned total once at half the budget when the step time has changed since the plan', async () => {
    const events: Record<string, unknown>[] = [];
    const output: LogStream = { write(line: string) { events.push(JSON.parse(line)); return true; } };
    // updates cost 2 s until update 12, then 1 s (the machine got quieter): the plan at update 10 undercounts
    const faster = (update: number) => (update <= 12 ? STEP : STEP / 2);
    const budget = { dir: root, maxTime: 80, scheduleFor, planAfter: 10, log: 'jsonl' as const, output, logEvery: 1000 };
    const run = clocked(budget, { stepSeconds: faster });
    const result = await run.trainer.fit();
    const plans = events.filter((e) => e.event === 'plan');
    expect(plans).toHaveLength(2);
    expect(plans[0]).toMatchObject({ step: 10, plannedSteps: 30 });              // as the test above: 2 s an update
    const revised = plans[1] as { step: number; elapsed: number; plannedSteps: number; previous: number };
    expect(revised.previous).toBe(30);
    expect(revised.elapsed).toBeGreaterThanOrEqual(40);                         // at half the budget
    expect(revised.plannedSteps).toBeGreaterThan(30 * 1.05);
    expect(result.plannedSteps).toBe(revised.plannedSteps);
    // timed by the updates since the plan (two of them still slow): within 10% of the updates the budget allowed,
    // where the plan said 30 of 42
    expect(Math.abs(result.step - revised.plannedSteps)).toBeLessThanOrEqual(0.1 * result.step);
    expect(readTrainerState(path.join(root, 'last'))).toMatchObject({ plannedSteps: revised.plannedSteps, planRevised: true });
    // the schedule follows the new total: a few updates at its floor, where the first plan left a dozen
    expect(run.steps.filter((r) => r.lr <= 0.001 + 1e-12).length).toBeLessThanOrEqual(4);
    // a resumed run with a longer budget keeps the revised total
    const longer = await clocked({ ...budget, maxTime: 100, resume: true }, { stepSeconds: faster }).trainer.fit();
    expect(longer.plannedSteps).toBe(revised.plannedSteps);
  });

  it('does not revise a total that still holds at half the budget, nor one first planned past it', async () => {
    const events: Record<string, unknown>[] = [];
    const output: LogStream = { write(line: string) { events.push(JSON.parse(line)); return true; } };
    await clocked({ dir: path.join(root, 'steady'), maxTime: 80, scheduleFor, planAfter: 10, log: 'jsonl', output, logEvery: 1000 }).trainer.fit();
    expect(events.filter((e) => e.event === 'plan')).toHaveLength(1);
    events.length = 0;
    // planAfter 25: the total is first estimated at update 25, ~62 s into an 80 s budget
    const late = await clocked({ dir: path.join(root, 'late'), maxTime: 80, scheduleFor, planAfter: 25, log: 'jsonl', output, logEvery: 1000 },
      { stepSeconds: (u) => (u <= 20 ? STEP : STEP / 2) }).trainer.fit();
    expect(events.filter((e) => e.event === 'plan')).toHaveLength(1);
    expect(readTrainerState(path.join(root, 'late', 'last'))).toMatchObject({ plannedSteps: late.plannedSteps, planRevised: true });
  });

  it('resumes a checkpoint written without elapsed or plannedSteps, counting from 0', async () => {
    await clocked({ dir: root, maxSteps: 5 }).trainer.fit();
    const file = path.join(root, 'last', 'trainer-state.json');
    const { elapsed, plannedSteps, ...old } = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect([elapsed, plannedSteps]).toEqual([5 * STEP + VALID + 2 * COMMIT, null]);  // the commits of last/ at 5 and of best/ at the end
    fs.writeFileSync(file, JSON.stringify(old));
    const result = await clocked({ dir: root, maxSteps: 6, resume: true }).trainer.fit();
    expect(result.elapsed).toBeGreaterThanOrEqual(STEP + VALID + COMMIT);
    expect(result.elapsed).toBeLessThanOrEqual(STEP + VALID + 2 * COMMIT);
  });

  it('shows elapsed of the budget and the ETA from it in the bar and the JSON lines', async () => {
    const bar: LogStream & { text: string } = { text: '', isTTY: true, columns: 160, write(s: string) { this.text += s; return true; } };
    await clocked({ maxTime: 40, log: 'bar', logEvery: 2, output: bar, validateEvery: 100 }).trainer.fit();
    expect(bar.text).toMatch(/\rstep 2 · epoch 1 █{2}░{18} │ loss \d\.\d{4} │ [\d.]+ tok\/s │ lr 1\.00e-2 │ 4s\/40s │ ETA 36s\x1b\[K/);
    expect(bar.text).toMatch(/\ndone: step 20 │ stopReason maxTime │ best loss [\d.]+ @ step 20 │ elapsed 43s\n$/);
    const jsonl: LogStream & { text: string } = { text: '', write(s: string) { this.text += s; return true; } };
    await clocked({ maxTime: 40, maxSteps: 30, log: 'jsonl', logEvery: 5, output: jsonl, validateEvery: 100 }).trainer.fit();
    const train = jsonl.text.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'train');
    expect(train[0]).toMatchObject({ step: 5, elapsed: 10, eta: 30 });           // the budget ends before step 30
  });

  it('refuses bad budget options, naming them', () => {
    expect(() => tinyTrainer({ maxTime: 0 })).toThrow('Trainer: maxTime must be a finite number of seconds > 0, got 0');
    expect(() => tinyTrainer({ maxTime: Infinity })).toThrow('maxTime must be a finite number of seconds > 0, got Infinity');
    expect(() => tinyTrainer({ scheduleFor })).toThrow('Trainer: set schedule or scheduleFor, not both');
    expect(() => tinyTrainer({ schedule: undefined, scheduleFor, maxSteps: undefined, maxEpochs: 2 })).toThrow('scheduleFor needs maxSteps or maxTime: the total it is built for');
    expect(() => tinyTrainer({ schedule: undefined, scheduleFor, planAfter: 5 })).toThrow('planAfter needs scheduleFor and maxTime');
  });
});
