import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { parseMetrics, readRuns } from './runs.js';

const train = (step: number, loss = 5) => JSON.stringify({ type: 'train', step, epoch: 0, loss, lr: 5e-4, gradNorm: 1.3, tokens: 100, elapsed: step });
const valid = (step: number, bleu: number) => JSON.stringify({ type: 'valid', step, elapsed: step + 0.5, metrics: { loss: 3, bleu } });

describe('parseMetrics', () => {
  it('reads train and valid records, skipping blank lines and other record types', () => {
    const text = [train(1), '', train(2, 4.5), valid(2, 10), JSON.stringify({ type: 'test', bleu: 1 }), ''].join('\n');
    const { train: t, valid: v } = parseMetrics(text, 'm.jsonl');
    expect(t.map((r) => [r.step, r.loss])).toEqual([[1, 5], [2, 4.5]]);
    expect(v).toEqual([{ type: 'valid', step: 2, elapsed: 2.5, metrics: { loss: 3, bleu: 10 } }]);
  });

  it('names file:line of a malformed record', () => {
    const bad = (lines: string[]) => () => parseMetrics(`${lines.join('\n')}\n`, 'runs/a/metrics.jsonl');
    expect(bad([train(1), '{"type":"train","step":2,']))
      .toThrow(/^runs\/a\/metrics\.jsonl:2: not a JSON object \(/);
    expect(bad([train(1), train(2), '{"type":"train","step":3,"loss":"high","elapsed":3}']))
      .toThrow('runs/a/metrics.jsonl:3: a train record needs a number "loss", got "high"');
    expect(bad(['{"type":"train","loss":1,"elapsed":3}'])).toThrow('runs/a/metrics.jsonl:1: a train record needs a number "step", got none');
    expect(bad(['{"type":"valid","step":1,"elapsed":3}'])).toThrow('runs/a/metrics.jsonl:1: a valid record needs an object "metrics", got none');
    expect(bad(['{"type":"valid","step":1,"elapsed":3,"metrics":{"bleu":"x"}}'])).toThrow('runs/a/metrics.jsonl:1: metric "bleu" must be a number, got "x"');
    expect(bad(['[1,2]'])).toThrow('runs/a/metrics.jsonl:1: expected a JSON object, got [1,2]');
    expect(bad(['{"step":1}'])).toThrow('runs/a/metrics.jsonl:1: expected a "type" of "train" or "valid", got undefined');
    try { bad(['x'])(); } catch (e) { expect((e as CliError).exitCode).toBe(1); }
  });

  it('ignores a last line still being written (no newline yet), and keeps a diverged loss as NaN', () => {
    const { train: t } = parseMetrics(`${train(1)}\n{"type":"train","st`, 'm.jsonl');
    expect(t).toHaveLength(1);
    const nan = parseMetrics('{"type":"train","step":1,"loss":null,"elapsed":1}\n', 'm.jsonl').train[0];
    expect(nan.loss).toBeNaN();
  });

  it('after a resume, the repeated steps replace the ones recorded before it', () => {
    const text = [train(1), train(2), train(3), valid(2, 5), train(2, 4), train(3, 3), valid(2, 6)].join('\n');
    const { train: t, valid: v } = parseMetrics(text, 'm.jsonl');
    expect(t.map((r) => [r.step, r.loss])).toEqual([[1, 5], [2, 4], [3, 3]]);
    expect(v.map((r) => r.metrics.bleu)).toEqual([6]);
  });
});

describe('readRuns', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-runs-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads metrics and the config of last/ (else best/), names clashing runs by their path', () => {
    for (const [dir, sub] of [['a/run', 'last'], ['b/run', 'best'], ['c', '']]) {
      fs.mkdirSync(path.join(root, dir, sub), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'metrics.jsonl'), `${train(1)}\n`);
      if (sub) fs.writeFileSync(path.join(root, dir, sub, 'train-config.json'), JSON.stringify({ dModel: sub === 'last' ? 32 : 64 }));
    }
    const runs = readRuns(['a/run', 'b/run', 'c'].map((d) => path.join(root, d)));
    expect(runs.map((r) => r.name)).toEqual([path.join(root, 'a/run'), path.join(root, 'b/run'), 'c']);
    expect(runs.map((r) => r.config?.dModel ?? null)).toEqual([32, 64, null]);
  });

  it('refuses a missing run directory, a missing metrics.jsonl and a broken config, naming them', () => {
    const nope = path.join(root, 'nope');
    expect(() => readRuns([nope])).toThrow(`run directory not found: ${nope}`);
    fs.mkdirSync(path.join(root, 'empty'));
    expect(() => readRuns([path.join(root, 'empty')])).toThrow(`${path.join(root, 'empty', 'metrics.jsonl')}: not found (is ${path.join(root, 'empty')} a gloss train run directory?)`);
    fs.writeFileSync(path.join(root, 'a/run/last/train-config.json'), '{"dModel":');
    expect(() => readRuns([path.join(root, 'a/run')])).toThrow(new RegExp(`^${path.join(root, 'a/run/last/train-config.json')}: not a training configuration`));
  });
});
