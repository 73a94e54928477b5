import { describe, expect, it } from 'vitest';
import { TimeBudget, UNMEASURED_MARGIN } from './time-budget.js';

/** A budget on a clock the test moves by hand, with the given parts already measured. */
function measured({ steps = [] as number[], validations = [] as number[], checkpoints = [] as number[] }) {
  const clock = { t: 50 };
  const budget = new TimeBudget(() => clock.t);
  for (const [kind, xs] of [['step', steps], ['validation', validations], ['checkpoint', checkpoints]] as const) {
    for (const x of xs) {
      const since = budget.now();
      clock.t += x;
      budget.record(kind, since);
    }
  }
  return { budget, clock };
}

describe('TimeBudget', () => {
  it('counts elapsed seconds from its start, on top of a restored checkpoint\'s', () => {
    const { budget, clock } = measured({ steps: [2, 3] });
    expect(budget.elapsed).toBe(5);
    budget.restore(100);
    clock.t += 1;
    expect(budget.elapsed).toBe(106);
  });

  it('takes the step time from the later half of the measured steps (the first ones compile)', () => {
    expect(measured({ steps: [9, 5, 1, 1.5] }).budget.stepSeconds).toBe(1.25);
    expect(measured({ steps: [9, 5, 1] }).budget.stepSeconds).toBe(3);
    expect(measured({}).budget.stepSeconds).toBeNaN();
  });

  it('plans the updates that fit the rest of the budget with the periodic validations and checkpoints', () => {
    const { budget } = measured({ steps: [5, 1, 1, 1], validations: [3], checkpoints: [0.5] });
    const run = { step: 4, elapsed: 20, maxTime: 120, validateEvery: 10, checkpointEvery: 5 };
    // 100 s left at 1 + 3/10 + 0.5/5 = 1.4 s per update: 71 more
    expect(budget.plan(run)).toBe(4 + 71);
    expect(budget.plan({ ...run, maxSteps: 50 })).toBe(50);
    expect(budget.plan({ ...run, validateEvery: undefined, checkpointEvery: undefined })).toBe(4 + 100);
    expect(budget.plan({ ...run, elapsed: 130 })).toBe(4);                     // already over: no more updates
  });

  it('keeps back UNMEASURED_MARGIN of the rest while a validation or checkpoint that will come is unmeasured', () => {
    const { budget } = measured({ steps: [1, 1], checkpoints: [0.5] });
    const run = { step: 2, elapsed: 20, maxTime: 120, validateEvery: 10, checkpointEvery: 5 };
    // 100 s − 5 s margin, at 1 + 0.5/5 = 1.1 s per update: 86 more
    expect(UNMEASURED_MARGIN).toBe(0.05);
    expect(budget.plan(run)).toBe(2 + 86);
    expect(budget.plan({ ...run, validateEvery: undefined })).toBe(2 + 90);      // no validation to come: no margin
  });
});
