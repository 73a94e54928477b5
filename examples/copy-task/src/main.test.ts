import { describe, expect, it } from 'vitest';
import { runCopyTask } from './main.js';

describe('copy-task example', () => {
  it('learns to copy unseen sequences in a reduced run', () => {
    const lines: string[] = [];
    const r = runCopyTask({ steps: 300, log: (l) => lines.push(l) });
    expect(lines).toHaveLength(6);
    expect(r.firstLoss).toBeGreaterThan(2.5);               // ≈ ln 14 at the start
    expect(r.lastLoss).toBeLessThan(0.05);
    expect(r.exactMatch).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});

describe('the README library example', () => {
  it('learns its two sentences and beam search returns the first one', async () => {
    const { readmeExample } = await import('./readme-example.js');
    expect(readmeExample()).toEqual([4, 5, 6, 7]);
  });
});
