import { describe, expect, it } from 'vitest';
import { constant, inverseSqrt, noam, warmupCosine, warmupLinear } from './schedules.js';

describe('schedules', () => {
  it('noam: dModel^-0.5 · min(step^-0.5, step · warmup^-1.5), peaking at warmup (hand-checked)', () => {
    const s = noam({ dModel: 512, warmup: 4000 });
    expect(s(1)).toBeCloseTo(512 ** -0.5 * 4000 ** -1.5, 15);
    expect(s(4000)).toBeCloseTo(1 / Math.sqrt(512 * 4000), 15);       // 6.9877e-4
    expect(s(16000)).toBeCloseTo(s(4000) / 2, 15);                     // ∝ step^-0.5 after warmup
    expect(s(2000)).toBeCloseTo(s(4000) / 2, 15);                      // linear before
    expect(noam({ dModel: 512, warmup: 4000, factor: 2 })(100)).toBeCloseTo(2 * s(100), 15);
    expect(s(0)).toBe(0);
  });

  it('inverseSqrt equals noam with peak = factor·(dModel·warmup)^-0.5 (fairseq relation)', () => {
    const n = noam({ dModel: 256, warmup: 100, factor: 1.5 });
    const f = inverseSqrt({ warmup: 100, peak: 1.5 / Math.sqrt(256 * 100) });
    for (const step of [1, 50, 99, 100, 101, 1000, 12345]) expect(f(step)).toBeCloseTo(n(step), 14);
    expect(inverseSqrt({ warmup: 10, peak: 1, init: 0.5 })(5)).toBeCloseTo(0.75, 15);
  });

  it('warmupCosine: linear to peak, half a cosine to min at total, then min', () => {
    const s = warmupCosine({ warmup: 10, total: 110, peak: 1e-3, min: 1e-5 });
    expect(s(5)).toBeCloseTo(5e-4, 15);
    expect(s(10)).toBeCloseTo(1e-3, 15);
    expect(s(60)).toBeCloseTo(1e-5 + (1e-3 - 1e-5) / 2, 15);           // halfway: cos(π/2) = 0
    expect(s(110)).toBeCloseTo(1e-5, 15);
    expect(s(500)).toBeCloseTo(1e-5, 15);
    for (let t = 11; t <= 110; t++) expect(s(t)).toBeLessThanOrEqual(s(t - 1));
  });

  it('warmupLinear: linear to peak, linear to min at total (HF get_linear_schedule_with_warmup)', () => {
    const s = warmupLinear({ warmup: 4, total: 12, peak: 0.8 });
    expect([0, 2, 4, 8, 12, 20].map(s)).toEqual([0, 0.4, 0.8, 0.4, 0, 0]);
    expect(warmupLinear({ warmup: 0, total: 10, peak: 1, min: 0.5 })(5)).toBeCloseTo(0.75, 15);
  });

  it('constant gives the same rate at every step', () => {
    expect([1, 10, 1e6].map(constant(3e-4))).toEqual([3e-4, 3e-4, 3e-4]);
  });

  it('refuses bad arguments, naming them', () => {
    expect(() => noam({ dModel: 0, warmup: 10 })).toThrow('noam: dModel must be a finite number > 0, got 0');
    expect(() => warmupCosine({ warmup: 10, total: 5, peak: 1 })).toThrow('warmupCosine: warmup and total must be integers with warmup ≤ total, got warmup 10 and total 5');
    expect(() => warmupLinear({ warmup: 1, total: 5, peak: 1, min: 2 })).toThrow('warmupLinear: min 2 is above peak 1');
    expect(() => constant(NaN)).toThrow('constant: lr must be a finite number ≥ 0, got NaN');
  });
});
