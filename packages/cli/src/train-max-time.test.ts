// `gloss train --max-time` on a small generated corpus (reverse a sequence of words): the run stops on the clock,
// with the cosine schedule's total estimated after warm-up, and writes metrics.jsonl; run again with a longer
// budget it resumes, keeps that total, and metrics.jsonl still has every step once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '@gloss/tensor';
import { readMetrics } from '@gloss/training/node';
import { main } from './main.js';
import { memoryIo } from './io.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-max-time-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const WORDS = ['red', 'blue', 'green', 'cat', 'dog', 'runs'];
function corpus(seed: number, n: number): string {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 2 + g.int(4) }, () => WORDS[g.int(WORDS.length)]);
    return `${s.join(' ')}\t${[...s].reverse().join(' ')}\n`;
  }).join('');
}

const state = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'last', 'trainer-state.json'), 'utf8'));
const events = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);

describe('gloss train --max-time', () => {
  it('stops once the budget is spent, plans the cosine total after warm-up, writes metrics.jsonl, and resumes with a longer budget', async () => {
    fs.writeFileSync(path.join(root, 'train.tsv'), corpus(1, 300));
    fs.writeFileSync(path.join(root, 'valid.tsv'), corpus(2, 20));
    const out = path.join(root, 'run');
    const args = ['train', '--train', path.join(root, 'train.tsv'), '--valid', path.join(root, 'valid.tsv'), '--out', out,
      '--tokenizer', 'word', '--d-model', '16', '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1',
      '--dim-feedforward', '32', '--max-tokens', '200', '--schedule', 'cosine', '--warmup', '10', '--metric', 'loss',
      '--validate-every', '25', '--max-epochs', '0', '--backend', 'cpu', '--log', 'jsonl',
      // CPU seconds: on a loaded CI machine 3 wall seconds may not reach the 10 warm-up steps the plan waits for
      // (the budget logic is the same on either clock; the test below checks what the CPU clock counts).
      '--clock', 'cpu'];
    const io = memoryIo();
    expect(await main([...args, '--max-time', '3s'], io)).toBe(0);
    const ev = events(io.stdout);
    const done = ev.find((e) => e.event === 'done')!;
    expect(done.stopReason).toBe('maxTime');
    expect(done.elapsed).toBeGreaterThanOrEqual(3);
    // planned after the 10 warm-up steps, and possibly revised once at half the budget (the first steps compile)
    const plans = ev.filter((e) => e.event === 'plan');
    expect(plans[0]).toMatchObject({ step: 10, maxTime: 3 });
    expect(plans.length).toBeLessThanOrEqual(2);
    const plan = plans.at(-1)!;
    expect(plan.plannedSteps).toBeGreaterThan(10);

    const records = readMetrics(path.join(out, 'metrics.jsonl'));
    const train = records.filter((r) => r.type === 'train');
    expect(train.map((r) => r.step)).toEqual(Array.from({ length: done.step }, (_, i) => i + 1));
    expect(train.at(-2)!.elapsed).toBeLessThanOrEqual(3.001);                // the last update began inside the budget (elapsed is rounded to the ms)
    expect(records.filter((r) => r.type === 'valid').at(-1)).toMatchObject({ step: done.step, metrics: { loss: expect.any(Number) } });
    expect(state(out)).toMatchObject({ step: done.step, plannedSteps: plan.plannedSteps });

    const again = memoryIo();
    expect(await main([...args, '--max-time', '4s'], again)).toBe(0);
    const ev2 = events(again.stdout);
    expect(ev2[0]).toMatchObject({ event: 'resume', step: done.step });
    expect(ev2.some((e) => e.event === 'plan')).toBe(false);                 // the total stays fixed
    const done2 = ev2.find((e) => e.event === 'done')!;
    expect(done2).toMatchObject({ stopReason: 'maxTime' });
    expect(done2.elapsed).toBeGreaterThanOrEqual(4);
    expect(state(out).plannedSteps).toBe(plan.plannedSteps);
    const steps = readMetrics(path.join(out, 'metrics.jsonl')).filter((r) => r.type === 'train').map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: done2.step }, (_, i) => i + 1));
  }, 60_000);

  it('--clock cpu counts the budget in this process\'s CPU seconds, and a run cannot resume on the other clock', async () => {
    const out = path.join(root, 'cpu-run');
    const args = ['train', '--train', path.join(root, 'train.tsv'), '--out', out, '--tokenizer', 'word', '--d-model', '16',
      '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1', '--dim-feedforward', '32', '--max-tokens', '200',
      '--metric', 'loss', '--max-epochs', '0', '--backend', 'cpu', '--log', 'quiet', '--max-time', '1s'];
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    expect(await main([...args, '--clock', 'cpu'], memoryIo())).toBe(0);
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const wall = (performance.now() - wall0) / 1000;
    const last = readMetrics(path.join(out, 'metrics.jsonl')).filter((r) => r.type === 'train').at(-1)!;
    expect(last.elapsed).toBeGreaterThanOrEqual(1);
    expect(last.elapsed).toBeLessThanOrEqual(cpuSeconds + 0.01);            // CPU seconds, never more than the process spent
    expect(wall).toBeGreaterThan(0);
    const io = memoryIo();
    expect(await main([...args, '--max-time', '2s'], io)).toBe(1);         // the default clock is wall
    expect(io.stderr).toMatch(/cannot resume .*clock was "cpu", now "wall"/);
  }, 60_000);
});
