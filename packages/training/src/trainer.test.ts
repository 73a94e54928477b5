import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator, tensor, zeros } from '@gloss/tensor';
import { sqrt, sum, variable } from '@gloss/autograd';
import type { Batch } from '@gloss/data';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TinyModel, tinyBatches, tinyExamples, tinyTrainer } from './__fixtures__/tiny-task.js';
import { loadCheckpoint, readTrainerState } from './checkpoint/checkpoint.js';
import { batchIteratorSource, type DataSource } from './data-source.js';
import { SGD } from './optim/sgd.js';
import type { LogStream } from './progress.js';
import { constant, warmupCosine } from './schedules.js';
import { Trainer } from './trainer.js';
import type { StepRecord, TrainableModel } from './trainer-options.js';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-trainer-')); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A stream that records what is written; a terminal if `isTTY`. */
function capture(isTTY = false): LogStream & { text: string } {
  return { text: '', isTTY, columns: 120, write(s: string) { this.text += s; return true; } };
}

/** The same fixed batches forever, as a DataSource. */
function fixedSource(batches: Batch[]): DataSource<Batch> {
  let i = 0;
  return {
    next: () => batches[i++ % batches.length],
    get epoch() { return Math.floor(Math.max(i - 1, 0) / batches.length); },
    get epochsCompleted() { return Math.floor(i / batches.length); },
    getState: () => i,
    setState: (s) => { i = s as number; },
  };
}

const grads = (model: TrainableModel) => model.namedParameters().map(([, p]) => Array.from(p.grad!.data));

describe('Trainer updates', () => {
  it('accumulates exactly: one update over 2 batches moves SGD by −lr · (Σ grads of the summed losses) / Σ tokens', async () => {
    const batches = [...tinyBatches(tinyExamples(20, 1), 2)].slice(0, 2);
    const model = new TinyModel(1, new Generator(0), { p: 0 });
    // expected: backward through the two summed losses by hand
    const l0 = model.loss(batches[0]);
    const l1 = model.loss(batches[1]);
    sum(l0.sum).add(l1.sum).backward();
    const g = grads(model);
    const before = model.namedParameters().map(([, p]) => Array.from(p.value.data));
    for (const [, p] of model.namedParameters()) p.zeroGrad();
    const n = l0.numTokens + l1.numTokens;
    const records: StepRecord[] = [];
    const trainer = new Trainer({
      model, optimizer: new SGD(model.namedParameters(), { lr: 0.5 }), data: fixedSource(batches),
      lossFn: (b) => model.loss(b), maxSteps: 1, accumulate: 2, log: 'quiet', onStep: (r) => records.push(r),
    });
    await trainer.fit();
    model.namedParameters().forEach(([, p], i) => p.value.data.forEach((v, j) => {
      expect(v).toBeCloseTo(before[i][j] - (0.5 * g[i][j]) / n, 6);
    }));
    expect(records[0]).toMatchObject({ step: 1, numTokens: n });
    expect(records[0].loss).toBeCloseTo((l0.sum.item() + l1.sum.item()) / n, 6);
  });

  it('clips the normalized gradient to clipNorm and reports the norm before clipping', async () => {
    const batches = [...tinyBatches(tinyExamples(20, 1), 2)].slice(0, 1);
    const model = new TinyModel(1, new Generator(0), { p: 0 });
    const before = model.namedParameters().map(([, p]) => Array.from(p.value.data));
    const records: StepRecord[] = [];
    await new Trainer({
      model, optimizer: new SGD(model.namedParameters(), { lr: 1 }), data: fixedSource(batches),
      lossFn: (b) => model.loss(b), maxSteps: 1, clipNorm: 0.05, log: 'quiet', onStep: (r) => records.push(r),
    }).fit();
    let sq = 0;
    model.namedParameters().forEach(([, p], i) => p.value.data.forEach((v, j) => { sq += (v - before[i][j]) ** 2; }));
    expect(records[0].gradNorm).toBeGreaterThan(0.05);
    expect(Math.sqrt(sq)).toBeCloseTo(0.05, 5);                         // ‖Δp‖ = lr · clipNorm
  });

  it('sets the optimizer lr from the schedule before every update', async () => {
    const { trainer } = tinyTrainer({ maxSteps: 6, validateEvery: undefined, validate: undefined, onStep: (r) => lrs.push(r.lr) });
    const lrs: number[] = [];
    await trainer.fit();
    expect(lrs.slice(0, 4)).toEqual([0.005, 0.01, 0.015, 0.02]);         // warm-up 4 to peak 0.02
  });

  it('stops after maxEpochs epochs of the data source', async () => {
    const { trainer, data } = tinyTrainer({ maxSteps: undefined, maxEpochs: 2, validateEvery: undefined });
    const result = await trainer.fit();
    expect(result.stopReason).toBe('maxEpochs');
    expect(data.epochsCompleted).toBe(2);
  });

  it('throws a TrainingError naming the step and the parameter when a gradient is not finite', async () => {
    const w = variable(zeros([2]), { requiresGrad: true, name: 'w' });
    const model: TrainableModel = {
      namedParameters: () => [['scale.w', w]], stateDict: () => ({ 'scale.w': w.value.clone() }),
      loadStateDict: () => undefined, train: () => undefined, eval: () => undefined,
    };
    const trainer = new Trainer({
      model, optimizer: new SGD([['scale.w', w]], { lr: 0.1 }), data: fixedSource([{} as Batch]), maxSteps: 3, log: 'quiet',
      lossFn: () => ({ sum: sum(sqrt(w)), numTokens: 2 }),                // d√w/dw = ∞ at 0, the loss itself is 0
    });
    await expect(trainer.fit()).rejects.toThrow('Trainer: step 1: the gradient norm is Infinity (first non-finite gradient: scale.w); training stopped, no checkpoint was written');
  });
});

describe('Trainer validation', () => {
  it('stops early after `patience` validations without a new best, keeping best/ at the best step', async () => {
    const scores = [3, 2, 2.5, 2.1, 2.2, 1];
    let k = 0;
    const { trainer } = tinyTrainer({
      dir: root, maxSteps: 100, validateEvery: 2, earlyStopping: { metric: 'bleu', mode: 'min', patience: 3 }, validate: () => ({ bleu: scores[k++] }),
    });
    const result = await trainer.fit();
    expect(result).toMatchObject({ stopReason: 'earlyStopping', step: 10, best: { metric: 'bleu', value: 2, step: 4 } });
    expect(result.history.map((h) => h.metrics.bleu)).toEqual([3, 2, 2.5, 2.1, 2.2]);
    expect(readTrainerState(path.join(root, 'best')).step).toBe(4);
    expect(readTrainerState(path.join(root, 'last')).step).toBe(10);
  });

  it('tracks a metric to maximize, runs validate in eval mode, and validates at the end', async () => {
    const modes: boolean[] = [];
    const { trainer, model } = tinyTrainer({
      maxSteps: 5, validateEvery: 2, bestMetric: { metric: 'chrf', mode: 'max' }, validate: () => { modes.push(model.training); return { chrf: 50 + modes.length }; },
    });
    const result = await trainer.fit();
    expect(result.history.map((h) => h.step)).toEqual([2, 4, 5]);
    expect(result.best).toEqual({ metric: 'chrf', mode: 'max', value: 53, step: 5 });
    expect(modes).toEqual([false, false, false]);
    expect(model.training).toBe(true);
  });

  it('names a metric validate() did not return', async () => {
    const { trainer } = tinyTrainer({ maxSteps: 4, validateEvery: 2, earlyStopping: { metric: 'bleu', mode: 'max', patience: 2 }, validate: () => ({ loss: 1 }) });
    await expect(trainer.fit()).rejects.toThrow("Trainer: validate() returned no 'bleu' (it returned loss) at step 2");
  });
});

describe('Trainer checkpoints', () => {
  it('refuses to overwrite a run directory that holds last/ unless resuming, and to resume from nothing', async () => {
    await tinyTrainer({ dir: root, maxSteps: 5 }).trainer.fit();
    await expect(tinyTrainer({ dir: root, maxSteps: 5 }).trainer.fit()).rejects.toThrow(`${root} already holds checkpoints (averaged, best, last, step-00000005); pass resume: true to continue that run`);
    const empty = path.join(root, 'empty');
    await expect(tinyTrainer({ dir: empty, resume: true, maxSteps: 5 }).trainer.fit()).rejects.toThrow(`resume: there is no checkpoint to resume in ${empty} (no last/)`);
  });

  it('resumes in-process to the same weights as an uninterrupted run, and a finished run resumes to a no-op', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await tinyTrainer({ dir: a, maxSteps: 12 }).trainer.fit();
    const schedule = warmupCosine({ warmup: 4, total: 12, peak: 0.02, min: 0.001 }); // the 12-step run's
    await tinyTrainer({ dir: b, maxSteps: 7, schedule }).trainer.fit();  // stops at 7 (saved), then continues to 12
    const resumed = await tinyTrainer({ dir: b, maxSteps: 12, resume: true }).trainer.fit();
    expect(resumed.step).toBe(12);
    expect(fs.readFileSync(path.join(a, 'last/model.safetensors')).equals(fs.readFileSync(path.join(b, 'last/model.safetensors')))).toBe(true);
    const again = await tinyTrainer({ dir: b, maxSteps: 12, resume: true }).trainer.fit();
    expect(again.step).toBe(12);
  });

  it('stops when its signal is aborted: finishes the update, saves last/ without validating or averaging, and resumes to the uninterrupted run', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await tinyTrainer({ dir: a, maxSteps: 12 }).trainer.fit();
    const controller = new AbortController();
    const schedule = warmupCosine({ warmup: 4, total: 12, peak: 0.02, min: 0.001 });
    // aborted from a macrotask, as a signal handler is: it runs only because fit() yields to the event loop
    const onStep = (r: StepRecord) => { if (r.step === 7) setImmediate(() => controller.abort()); };
    const stopped = await tinyTrainer({ dir: b, maxSteps: 12, schedule, signal: controller.signal, onStep }).trainer.fit();
    expect(stopped).toMatchObject({ step: 7, stopReason: 'interrupted' });
    expect(stopped.averagedDir).toBeUndefined();
    expect(readTrainerState(path.join(b, 'last')).step).toBe(7);
    expect(readTrainerState(path.join(b, 'last')).history.map((h) => h.step)).toEqual([6]);   // no validation at the stop
    expect(fs.existsSync(path.join(b, 'averaged'))).toBe(false);
    const resumed = await tinyTrainer({ dir: b, maxSteps: 12, resume: true }).trainer.fit();
    expect(resumed.step).toBe(12);
    for (const name of ['last', 'best', 'averaged']) {
      expect(fs.readFileSync(path.join(a, name, 'model.safetensors')).equals(fs.readFileSync(path.join(b, name, 'model.safetensors')))).toBe(true);
    }
    const noTime = (dir: string) => fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').replace(/"elapsed":[\d.e-]+/g, '');
    expect(noTime(b)).toBe(noTime(a));
  });

  it('refuses to resume from a corrupt checkpoint, naming the file', async () => {
    await tinyTrainer({ dir: root, maxSteps: 5 }).trainer.fit();
    const file = path.join(root, 'last', 'model.safetensors');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(file, bytes);
    await expect(tinyTrainer({ dir: root, maxSteps: 8, resume: true }).trainer.fit()).rejects.toThrow(`loadCheckpoint: ${file} is corrupt: its SHA-256 is`);
  });

  it('refuses a checkpoint of another model or another set of generators, naming the file', async () => {
    await tinyTrainer({ dir: root, maxSteps: 5 }).trainer.fit();
    const other = new TinyModel(1, new Generator(0), { hidden: 8 });
    const mismatch = tinyTrainer({ dir: root, maxSteps: 8, resume: true, model: other, optimizer: new SGD(other.namedParameters(), { lr: 0.1 }) });
    await expect(mismatch.trainer.fit()).rejects.toThrow(`${path.join(root, 'last', 'model.safetensors')} does not fit this run: TinyModel.loadStateDict: linear1.weight is [16, 32], expected [16, 8]`);
    const gens = tinyTrainer({ dir: root, maxSteps: 8, resume: true, generators: { dropout: new Generator(3), noise: new Generator(4) } });
    await expect(gens.trainer.fit()).rejects.toThrow('trainer-state.json holds generators [default, dropout] but this run has [default, dropout, noise]');
  });

  it('writes best/ as a complete checkpoint with the caller\'s extras, and averaged/ from the newest snapshots', async () => {
    const { trainer } = tinyTrainer({ dir: root, maxSteps: 10, keepLast: 2, averageLast: 2, saveExtras: (d) => fs.writeFileSync(path.join(d, 'config.json'), '{}') });
    const result = await trainer.fit();
    expect(fs.readdirSync(root).sort()).toEqual(['averaged', 'best', 'last', 'metrics.jsonl', 'step-00000005', 'step-00000010']);
    expect(fs.readdirSync(result.bestDir!).sort()).toEqual(['config.json', 'model.safetensors', 'optimizer.safetensors', 'trainer-state.json']);
    expect(loadCheckpoint(result.bestDir!).optimizer).not.toBeNull();
    const five = loadCheckpoint(path.join(root, 'last')).model;          // last = step 10
    const avg = (await import('./checkpoint/average.js')).averageCheckpoints([path.join(root, 'step-00000005'), path.join(root, 'step-00000010')]);
    const w = avg['linear2.bias'].data;
    const s5 = (await import('@gloss/tensor/node')).loadSafetensors(path.join(root, 'step-00000005/model.safetensors')).tensors.get('linear2.bias')!.data;
    five.get('linear2.bias')!.data.forEach((v, i) => expect(w[i]).toBeCloseTo((v + s5[i]) / 2, 6));
  });
});

describe('Trainer options and output', () => {
  it('refuses bad options before training, naming them', () => {
    expect(() => tinyTrainer({ maxSteps: undefined })).toThrow('Trainer: set maxSteps, maxEpochs or maxTime (or several): training needs an end');
    expect(() => tinyTrainer({ accumulate: 0 })).toThrow('Trainer: accumulate must be an integer ≥ 1, got 0');
    expect(() => tinyTrainer({ checkpointEvery: 5 })).toThrow("checkpointEvery needs a checkpoint directory (the 'dir' option)");
    expect(() => tinyTrainer({ validate: undefined })).toThrow('validateEvery needs a validate function');
    expect(() => tinyTrainer({ earlyStopping: { metric: 'bleu', mode: 'up' as 'max', patience: 1 } })).toThrow("earlyStopping.mode must be 'min' or 'max', got \"up\"");
    expect(() => tinyTrainer({ clipNorm: -1 })).toThrow('clipNorm must be a finite number > 0, got -1');
    const stranger = variable(tensor([1]), { requiresGrad: true });
    expect(() => tinyTrainer({ optimizer: new SGD([['stranger', stranger]], { lr: 1 }) })).toThrow('the optimizer holds parameters the model does not: stranger');
  });

  it('writes one JSON object per line when the output is not a terminal', async () => {
    const out = capture(false);
    await tinyTrainer({ maxSteps: 4, validateEvery: 2, log: 'auto', logEvery: 2, output: out }).trainer.fit();
    const lines = out.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['train', 'valid', 'train', 'valid', 'done']);
    expect(Object.keys(lines[0])).toEqual(['event', 'step', 'epoch', 'loss', 'ppl', 'lr', 'gradNorm', 'tokensPerSec', 'elapsed']);
    expect(lines[2].step).toBe(4);
  });

  it('redraws a progress bar with \\r on a terminal: step/total, loss, tokens/s, lr, ETA', async () => {
    const out = capture(true);
    await tinyTrainer({ maxSteps: 4, validateEvery: 4, log: 'auto', logEvery: 2, output: out, schedule: constant(3e-4) }).trainer.fit();
    expect(out.text).toMatch(/\rstep 2\/4 █{10}░{10} │ loss \d\.\d{4} │ [\d.]+k? tok\/s │ lr 3\.00e-4 │ ETA \d+s\x1b\[K/);
    expect(out.text).toMatch(/\r\x1b\[Kvalid: step 4 │ loss \d\.\d{4} │ ppl [\d.]+ │ best\n/);
    expect(out.text).toMatch(/\ndone: step 4 │ stopReason maxSteps │ best loss \d\.\d{4} @ step 4 │ elapsed \d+s\n$/);
  });

  it('prints nothing when quiet', async () => {
    const out = capture(true);
    await tinyTrainer({ maxSteps: 4, validateEvery: 2, log: 'quiet', output: out }).trainer.fit();
    expect(out.text).toBe('');
  });
});

describe('batchIteratorSource', () => {
  it('counts completed epochs and restores its position', () => {
    const it = tinyBatches(tinyExamples(10, 1), 1);
    const src = batchIteratorSource(it);
    const n = it.batchesInEpoch;
    for (let i = 0; i < n; i++) src.next();
    expect([src.epoch, src.epochsCompleted]).toEqual([0, 1]);
    const state = JSON.parse(JSON.stringify(src.getState()));
    const next = src.next();
    expect([src.epoch, src.epochsCompleted]).toEqual([1, 1]);
    const other = batchIteratorSource(tinyBatches(tinyExamples(10, 1), 1));
    other.setState(state);
    expect(other.next().indices).toEqual(next.indices);
  });
});
