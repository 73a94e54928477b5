import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRICS_FILE, MetricsLog, readMetrics } from './metrics-log.js';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-metrics-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const step = (n: number, nll = 4.8) => ({ step: n, epoch: 0, loss: 5.01, nll, lr: 5e-4, gradNorm: 1.3, numTokens: 2210 });

describe('MetricsLog', () => {
  it('writes train and valid records in their format, nll left out when NaN, elapsed to the millisecond', () => {
    const log = new MetricsLog(dir, 0);
    log.train(step(12), 37.5204);
    log.train(step(13, NaN), 38);
    log.valid(13, 40.1, { loss: 3.1, bleu: 18.4 });
    expect(fs.readFileSync(path.join(dir, METRICS_FILE), 'utf8')).toBe(
      '{"type":"train","step":12,"epoch":0,"loss":5.01,"nll":4.8,"lr":0.0005,"gradNorm":1.3,"tokens":2210,"elapsed":37.52}\n'
      + '{"type":"train","step":13,"epoch":0,"loss":5.01,"lr":0.0005,"gradNorm":1.3,"tokens":2210,"elapsed":38}\n'
      + '{"type":"valid","step":13,"elapsed":40.1,"metrics":{"loss":3.1,"bleu":18.4}}\n');
  });

  it('on opening keeps the records up to the restored step and drops a line a kill cut short', () => {
    const log = new MetricsLog(dir, 0);
    for (let n = 1; n <= 4; n++) log.train(step(n), n);
    log.valid(4, 5, { loss: 3 });
    log.flush();
    const file = path.join(dir, METRICS_FILE);
    fs.appendFileSync(file, '{"type":"train","step":5,"epoch":0,"lo');
    expect(readMetrics(file).map((r) => r.step)).toEqual([1, 2, 3, 4, 4]);
    new MetricsLog(dir, 3);
    expect(readMetrics(file).map((r) => `${r.type} ${r.step}`)).toEqual(['train 1', 'train 2', 'train 3']);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    new MetricsLog(dir, 0);                                                       // a new run in the same directory
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});
