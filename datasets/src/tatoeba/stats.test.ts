import { describe, expect, it } from 'vitest';
import { splitTatoeba } from './split.js';
import { describeTatoeba, quantile, wordCount } from './stats.js';

describe('quantile', () => {
  it('takes the nearest rank: the median of 1…10 is 5, the 90th percentile 9', () => {
    const values = [10, 3, 1, 8, 5, 2, 9, 4, 7, 6];
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.9)).toBe(9);
    expect(quantile(values, 1)).toBe(10);
    expect(quantile([7], 0.5)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('describeTatoeba', () => {
  it('gives pairs, distinct English and word-length quantiles per split, and the drops', () => {
    expect(wordCount('Va !')).toBe(2);
    const text = 'Hi.\tSalut !\nHi.\tSalut.\nGo.\tVa\u202F!\nGo.\tVa !\nRun now!\tCours vite !\nno tab\n';
    const { splits, report } = splitTatoeba(text, { seed: 0, valid: 1, test: 1 });
    const lines = describeTatoeba('en-fr', 'French', splits, report);
    expect(lines[0]).toBe('en-fr: 6 lines, 3 distinct English sentences; 1 lines normalized (U+202F in 1, U+00A0 in 0, U+2009 in 0, U+200B in 0); ' +
      `dropped 1 malformed, 1 duplicate pairs after normalization, ${report.heldOutExtra} further translations of valid/test sentences`);
    expect(lines).toHaveLength(4);
    const train = splits.train;
    expect(lines[1]).toBe(`  train: ${train.length} pairs, 1 distinct English; English words median ${wordCount(train[0].src)}, p90 ${wordCount(train[0].src)}; ` +
      `French words median ${quantile(train.map((p) => wordCount(p.tgt)), 0.5)}, p90 ${quantile(train.map((p) => wordCount(p.tgt)), 0.9)}`);
    expect(lines[2]).toMatch(/^ {2}valid: 1 pairs, 1 distinct English; English words median \d, p90 \d; French words median \d, p90 \d$/);
  });
});
