import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { configFromArgs } from './commands/train.js';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads plain seconds and hours, minutes and seconds in that order', () => {
    expect(parseDuration('90', 'maxTime')).toBe(90);
    expect(parseDuration('0', 'maxTime')).toBe(0);
    expect(parseDuration('2.5', 'maxTime')).toBe(2.5);
    expect(parseDuration('90s', 'maxTime')).toBe(90);
    expect(parseDuration('8m', 'maxTime')).toBe(480);
    expect(parseDuration('1h30m', 'maxTime')).toBe(5400);
    expect(parseDuration('1h0m30s', 'maxTime')).toBe(3630);
    expect(parseDuration('1.5h', 'maxTime')).toBe(5400);
    expect(parseDuration(' 3s ', 'maxTime')).toBe(3);
  });

  it('refuses anything else, naming the field and the text', () => {
    for (const bad of ['', 'm', '8x', '-5', '30m1h', '1h1h', '5 m', '1e3', 'soon']) {
      expect(() => parseDuration(bad, '--max-time: maxTime'), bad).toThrow(`--max-time: maxTime must be a duration such as 90 (seconds), 90s, 8m or 1h30m, got "${bad}"`);
    }
  });

  it('is how --max-time and a config file\'s maxTime are read', () => {
    const base = ['--train', 't', '--out', 'o', '--valid', 'v'];
    expect(configFromArgs([...base, '--max-time', '1h30m']).maxTime).toBe(5400);
    expect(configFromArgs(base).maxTime).toBe(0);
    expect(() => configFromArgs([...base, '--max-time', '8x'])).toThrow('--max-time: maxTime must be a duration such as 90 (seconds), 90s, 8m or 1h30m, got "8x"');
    const file = { train: 't', out: 'o', valid: 'v' };
    expect(resolveConfig({ ...file, maxTime: '8m' }).maxTime).toBe(480);
    expect(resolveConfig({ ...file, maxTime: 90 }).maxTime).toBe(90);
    expect(() => resolveConfig({ ...file, maxTime: 'later' }, 'cfg.json')).toThrow('cfg.json: maxTime must be a duration such as 90 (seconds), 90s, 8m or 1h30m, got "later"');
    expect(() => resolveConfig({ ...file, maxTime: -1 }, 'cfg.json')).toThrow('cfg.json: maxTime must be seconds ≥ 0 or a duration such as "1h30m", got -1');
    // a budget alone is an end
    expect(resolveConfig({ ...file, maxSteps: 0, maxEpochs: 0, maxTime: '3s' }).maxTime).toBe(3);
    expect(() => resolveConfig({ ...file, maxSteps: 0, maxEpochs: 0 })).toThrow('set maxSteps, maxEpochs or maxTime (all are 0: training would never stop)');
  });
});
