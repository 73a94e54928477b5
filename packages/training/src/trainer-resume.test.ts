// Exact resume, proven with real processes: the tiny task (__fixtures__/tiny-run.ts: dropout from a seeded
// Generator, shuffled batches from BatchIterator, 2 batches per update, AdamW, warm-up + cosine, clipping,
// validation every 6 updates, last/ every 5) is trained for 24 updates without interruption, then killed with
// SIGKILL — once in the middle of an update, once while a checkpoint is being committed — and resumed. The
// resumed runs must repeat the uninterrupted run's numbers bit for bit and end with identical weights.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKSUM_KEY } from '@gloss/tensor';
import { loadSafetensors } from '@gloss/tensor/node';
import { loadCheckpoint, readTrainerState } from './checkpoint/checkpoint.js';
import { METRICS_FILE, readMetrics, type MetricsRecord } from './metrics-log.js';
import type { StepRecord } from './trainer-options.js';

const SCRIPT = fileURLToPath(new URL('./__fixtures__/tiny-run.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-resume-'));

interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; losses: StepRecord[] }

/** Runs tiny-run.ts in a child Node process with `env`, in run directory `name`. */
function run(name: string, env: Record<string, string> = {}): Promise<RunResult> {
  const dir = path.join(root, name);
  const losses = path.join(root, `${name}.${env.RESUME ? 'resumed' : 'first'}.jsonl`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: PACKAGE, env: { ...process.env, RUN_DIR: dir, LOSSES: losses, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const text = fs.existsSync(losses) ? fs.readFileSync(losses, 'utf8') : '';
      resolve({ code, signal, stdout, stderr, losses: text.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

const bytes = (file: string) => fs.readFileSync(file);
/** A run's metrics.jsonl without the elapsed times (the one thing that differs between runs). */
const metrics = (name: string) => readMetrics(path.join(root, name, METRICS_FILE)).map(({ elapsed, ...r }: MetricsRecord) => r);
let full: RunResult;
let killed: RunResult;
let killedInCommit: RunResult;
let nan: RunResult;
let resumedKilled: RunResult;
let resumedInCommit: RunResult;
/** What the run killed during a commit left on disk, seen before it is resumed. */
let leftover: { tmpComplete: boolean; lastStep: number; snapshot15: boolean };

beforeAll(async () => {
  [full, killed, killedInCommit, nan] = await Promise.all([
    run('full'),
    run('killed', { KILL_AT_STEP: '13' }),             // last/ holds step 10; killed inside update 13
    run('killed-in-commit', { KILL_IN_COMMIT: '15' }), // killed after writing last.tmp/ for step 15, before the swap
    run('nan', { NAN_AT_STEP: '8' }),
  ]);
  const dir = path.join(root, 'killed-in-commit');
  leftover = {
    tmpComplete: fs.existsSync(path.join(dir, 'last.tmp', 'trainer-state.json')),
    lastStep: loadCheckpoint(path.join(dir, 'last')).state.step,                // loads: sizes and SHA-256 verified
    snapshot15: fs.existsSync(path.join(dir, 'step-00000015')),
  };
  [resumedKilled, resumedInCommit] = await Promise.all([run('killed', { RESUME: '1' }), run('killed-in-commit', { RESUME: '1' })]);
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('exact resume after SIGKILL', () => {
  it('the uninterrupted run trains (loss falls) and writes last/, best/, step snapshots and averaged/', () => {
    expect(full.code, full.stderr).toBe(0);
    expect(full.losses.map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(full.losses.at(-1)!.loss).toBeLessThan(full.losses[0].loss - 0.4);
    expect(new Set(full.losses.map((r) => r.epoch)).size).toBeGreaterThan(3);       // several epochs: the iterator state matters
    const dir = path.join(root, 'full');
    expect(fs.readdirSync(dir).sort()).toEqual(['averaged', 'best', 'last', 'metrics.jsonl', 'step-00000015', 'step-00000020', 'step-00000024']);
    expect(readTrainerState(path.join(dir, 'last')).step).toBe(24);
    const lines = full.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === 'train')).toHaveLength(24);
    expect(lines.filter((l) => l.event === 'valid').map((l) => l.step)).toEqual([6, 12, 18, 24]);
    expect(lines.at(-1)).toMatchObject({ event: 'done', step: 24, stopReason: 'maxSteps' });
  });

  it('every model.safetensors it writes (last/, best/, step-N/, averaged/) records the SHA-256 of its data, and a flipped byte is refused naming the file', () => {
    const dir = path.join(root, 'full');
    for (const sub of ['last', 'best', 'step-00000015', 'step-00000020', 'step-00000024', 'averaged']) {
      const file = path.join(dir, sub, 'model.safetensors');
      const bytes = fs.readFileSync(file);
      const start = 8 + Number(bytes.readBigUInt64LE(0));
      const header = JSON.parse(bytes.subarray(8, start).toString('utf8')) as { __metadata__?: Record<string, string> };
      expect(header.__metadata__?.[CHECKSUM_KEY], file).toBe(createHash('sha256').update(bytes.subarray(start)).digest('hex'));
      const flipped = path.join(root, `flipped-${sub}.safetensors`);
      bytes[start + ((bytes.length - start) >> 1)] ^= 0x01;              // one bit in the middle of the tensor data
      fs.writeFileSync(flipped, bytes);
      expect(() => loadSafetensors(flipped)).toThrow(`loadSafetensors: ${flipped} is corrupt: the SHA-256 of its tensor data is `);
    }
  });

  it('killed inside update 13 and resumed from step 10, it repeats every number of the uninterrupted run', () => {
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.losses.map((r) => r.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const resumed = resumedKilled;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.split('\n')[0]).toContain('"event":"resume","step":10');
    const stitched = [...killed.losses.filter((r) => r.step <= 10), ...resumed.losses];
    expect(stitched).toEqual(full.losses);                                            // loss, nll, lr, gradNorm, tokens, epoch: bit-equal
    for (const file of ['last/model.safetensors', 'last/optimizer.safetensors', 'best/model.safetensors', 'averaged/model.safetensors']) {
      expect(bytes(path.join(root, 'killed', file)).equals(bytes(path.join(root, 'full', file))), file).toBe(true);
    }
    const a = readTrainerState(path.join(root, 'full', 'last'));
    const b = readTrainerState(path.join(root, 'killed', 'last'));
    expect(b.history).toEqual(a.history);
    expect([b.rng, b.data, b.best]).toEqual([a.rng, a.data, a.best]);
    expect(metrics('killed')).toEqual(metrics('full'));                              // each step once, as uninterrupted
    expect(metrics('full').filter((r) => r.type === 'train').map((r) => r.step)).toEqual(full.losses.map((r) => r.step));
  });

  it('killed between writing a checkpoint and committing it, the previous last/ survives, loads, and resumes exactly', () => {
    expect(killedInCommit.signal).toBe('SIGKILL');
    const dir = path.join(root, 'killed-in-commit');
    expect(leftover).toEqual({ tmpComplete: true, lastStep: 10, snapshot15: false }); // the new one was complete, last/ still step 10
    const resumed = resumedInCommit;
    expect(resumed.code, resumed.stderr).toBe(0);
    const first = JSON.parse(resumed.stdout.split('\n')[0]);
    expect(first).toMatchObject({ event: 'resume', step: 10, recovered: ['removed the unfinished last.tmp/'] });
    expect([...killedInCommit.losses.filter((r) => r.step <= 10), ...resumed.losses]).toEqual(full.losses);
    expect(bytes(path.join(dir, 'last/model.safetensors')).equals(bytes(path.join(root, 'full', 'last/model.safetensors')))).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.old'))).toEqual([]);
    expect(metrics('killed-in-commit')).toEqual(metrics('full'));
  });

  it('a NaN loss stops the run with an error naming the step, keeping the last good checkpoint', () => {
    const r = nan;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TrainingError: Trainer: step 8: the loss is NaN (batch 1 of 2); training stopped, the last good checkpoint,');
    expect(r.stderr).toContain('(step 5), is kept');
    expect(loadCheckpoint(path.join(root, 'nan', 'last')).state.step).toBe(5);
    expect(r.losses.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
