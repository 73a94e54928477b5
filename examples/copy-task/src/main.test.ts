import { describe, expect, it } from 'vitest';
import { runCopyTask } from './main.js';

describe('copy-task example', () => {
  it('learns to copy unseen sequences in a reduced run', () => {
    const lines: string[] = [];
    const r = runCopyTask({ steps: 300, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(6);
    expect(r.firstLoss).toBeGreaterThan(2.5);               // ≈ ln 14 at the start
    expect(r.lastLoss).toBeLessThan(0.8);                   // the label-smoothing floor is ≈ 0.5
    expect(r.exactMatch).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
