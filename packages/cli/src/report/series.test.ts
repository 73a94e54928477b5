import { describe, expect, it } from 'vitest';
import { configRows, selectionMetric, smoothingWindow, summarize, thin, tokensPerSecond, windowMeans, type Point } from './series.js';
import { niceTicks, formatNumber } from './svg-chart.js';
import type { ReportRun, TrainRecord } from './runs.js';

const rec = (step: number, loss: number, tokens: number, elapsed: number): TrainRecord => ({ type: 'train', step, loss, tokens, elapsed });

describe('report series', () => {
  it('averages windows of n points, leaving out non-finite values', () => {
    expect(windowMeans([[1, 2], [2, 4], [3, NaN], [4, 8], [5, 10]], 2)).toEqual([[1.5, 3], [4, 8], [5, 10]]);
    expect(smoothingWindow(50)).toBe(1);
    expect(smoothingWindow(1001)).toBe(11);
  });

  it('thins a long series to the envelope of its buckets, keeping the spikes', () => {
    const points: Point[] = Array.from({ length: 10_000 }, (_, i) => [i, i === 5000 ? 99 : i % 7]);
    const thinned = thin(points, 1000);
    expect(thinned.length).toBeLessThanOrEqual(1000);
    expect(thinned.some((p) => p[1] === 99)).toBe(true);
    expect(thinned.map((p) => p[0])).toEqual([...thinned.map((p) => p[0])].sort((a, b) => a - b));
    expect(thin([[0, 1], [1, NaN]])).toEqual([[0, 1]]);
  });

  it('measures tokens per second over windows of steps, leaving out the time of validations between them', () => {
    const train = [rec(1, 5, 100, 1), rec(2, 5, 300, 2), rec(3, 5, 200, 4), rec(4, 5, 200, 5), rec(5, 5, 100, 6)];
    expect(tokensPerSecond(train, [], 2)).toEqual([[2, 200], [5, 400 / 3], [6, 100]]);
    const validation = { type: 'valid' as const, step: 2, elapsed: 3.5, metrics: {} };   // 1.5 s between steps 2 and 3
    expect(tokensPerSecond(train, [validation], 2)).toEqual([[2, 200], [5, 400 / 1.5], [6, 100]]);
  });

  it('summarizes a run: steps, time, throughput (the validation at step 1 takes 0.5 s), final loss, best of the configured metric', () => {
    const run: ReportRun = {
      name: 'a', dir: 'a', config: { metric: 'chrf' },
      train: [rec(1, 6, 100, 1), rec(2, 4, 100, 2)],
      valid: [{ type: 'valid', step: 1, elapsed: 1.5, metrics: { bleu: 30, chrf: 40 } }, { type: 'valid', step: 2, elapsed: 3, metrics: { bleu: 20, chrf: 45 } }],
    };
    expect(summarize(run)).toEqual({ steps: 2, epochs: 0, elapsed: 3, tokens: 200, tokensPerSecond: 200 / 1.5, finalLoss: 4, validations: 2, best: { metric: 'chrf', value: 45, step: 2 } });
    expect(selectionMetric({ ...run, config: null })).toBe('bleu');
    const lossOnly = { ...run, config: { metric: 'loss' }, valid: [3, 2.5, 2.7].map((loss, i) => ({ type: 'valid' as const, step: i, elapsed: i, metrics: { loss } })) };
    expect(summarize(lossOnly).best).toEqual({ metric: 'loss', value: 2.5, step: 1 });
  });

  it('lines up the configs, marking the fields that differ', () => {
    const run = (config: Record<string, unknown> | null): ReportRun => ({ name: 'r', dir: 'r', config, train: [], valid: [] });
    const rows = configRows([run({ dModel: 32, lr: 0.001, zeta: 1 }), run({ dModel: 64, lr: 0.001 }), run(null)]);
    expect(rows).toEqual([
      { field: 'dModel', values: ['32', '64', ''], differs: true },
      { field: 'lr', values: ['0.001', '0.001', ''], differs: true },
      { field: 'zeta', values: ['1', '', ''], differs: true },
    ]);
    expect(configRows([run({ lr: 1 }), run({ lr: 1 })])[0].differs).toBe(false);
  });

  it('picks round ticks and short labels', () => {
    expect(niceTicks(0.13, 0.92)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0, 1000, 4)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect([0.0005, 12000, 2.5, 1234567, 0].map(formatNumber)).toEqual(['5e-4', '12k', '2.5', '1.23M', '0']);
  });
});
