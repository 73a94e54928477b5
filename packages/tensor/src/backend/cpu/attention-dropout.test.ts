// The attention dropout mask (the definition the kernels mirror): kept fraction ≈ 1 − p, no structure
// across batch, head, query or key, the edge cases p = 0 and p = 1, and attentionDropoutMask's errors.
import { describe, expect, it } from 'vitest';
import { attentionDropoutMask } from '../../ops/attention.js';
import { dropoutFactor, dropoutThreshold, mix32 } from './attention-dropout.js';

const [B, H, T] = [4, 4, 64];
/** keep[b][h][i][j] as 0/1 from the materialized mask. */
function keptOf(p: number, seed: [number, number]): Float32Array {
  const m = attentionDropoutMask([B, H, T, T], { p, seed });
  return m.data as Float32Array;
}

describe('attention dropout mask', () => {
  it('keeps about 1 − p of the weights, scaled by 1/(1 − p)', () => {
    for (const p of [0.1, 0.5]) {
      const m = keptOf(p, [12345, 678]);
      const kept = m.filter((x) => x !== 0);
      // n = 65536 weights: 5 standard deviations of a binomial fraction is under 0.01.
      expect(Math.abs(kept.length / m.length - (1 - p))).toBeLessThan(0.01);
      expect(kept.every((x) => x === Math.fround(1 / (1 - p)))).toBe(true);
    }
  });

  it('is not constant along batch, head, query or key, and neighbours are uncorrelated', () => {
    const p = 0.5;
    const m = keptOf(p, [1, 2]);
    const at = (b: number, h: number, i: number, j: number): number => +(m[((b * H + h) * T + i) * T + j] !== 0);
    const differs = (f: (x: number) => number): number => {
      let n = 0;
      for (let x = 0; x < T; x++) n += +(f(x) !== f(x + 1));
      return n / T;
    };
    // Along each axis, about half of neighbouring pairs differ (p = 0.5); a mask constant along an axis gives 0.
    expect(differs((j) => at(1, 2, 3, j % T))).toBeGreaterThan(0.3);
    expect(differs((i) => at(1, 2, i % T, 3))).toBeGreaterThan(0.3);
    let headsDiffer = 0;
    let batchDiffer = 0;
    for (let x = 0; x < T * T; x++) {
      const [i, j] = [Math.floor(x / T), x % T];
      headsDiffer += +(at(0, 0, i, j) !== at(0, 1, i, j));
      batchDiffer += +(at(0, 0, i, j) !== at(1, 0, i, j));
    }
    expect(Math.abs(headsDiffer / (T * T) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(batchDiffer / (T * T) - 0.5)).toBeLessThan(0.04);
    // Correlation of keep(i, j) with keep(i, j + 1) and keep(i + 1, j) over the whole mask: |r| ≪ 1.
    for (const [di, dj] of [[0, 1], [1, 0]]) {
      let sxy = 0, sx = 0, n = 0;
      for (let bh = 0; bh < B * H; bh++) {
        for (let i = 0; i + di < T; i++) {
          for (let j = 0; j + dj < T; j++) {
            const x = at(Math.floor(bh / H), bh % H, i, j);
            sxy += x * at(Math.floor(bh / H), bh % H, i + di, j + dj);
            sx += x;
            n++;
          }
        }
      }
      const mean = sx / n;
      const r = (sxy / n - mean * mean) / (mean * (1 - mean));
      expect(Math.abs(r)).toBeLessThan(0.03);
    }
  });

  it('changes with either seed word', () => {
    const a = keptOf(0.5, [1, 2]);
    expect(keptOf(0.5, [1, 3])).not.toEqual(a);
    expect(keptOf(0.5, [0, 2])).not.toEqual(a);
    expect(keptOf(0.5, [1, 2])).toEqual(a);
  });

  it('keeps everything at p = 0 and nothing at p = 1', () => {
    expect(dropoutThreshold(0)).toBe(0);
    expect(dropoutThreshold(1)).toBe(0xffffffff);
    expect(Array.from(attentionDropoutMask([1, 1, 3, 5], { p: 0, seed: [4, 5] }).data).every((x) => x === 1)).toBe(true);
    expect(dropoutFactor({ p: 1, seed: [4, 5] }, 0, 0, 0)).toBe(0);
    expect(Array.from(attentionDropoutMask([1, 2, 3, 5], { p: 1, seed: [4, 5] }, 'float64').data).every((x) => x === 0)).toBe(true);
  });

  it('mixes with a bijection whose output bits are balanced', () => {
    // mix32 of 0…2¹⁶−1: all distinct (it is invertible) and each output bit set about half the time.
    const seen = new Set<number>();
    const ones = new Array(32).fill(0);
    for (let x = 0; x < 1 << 16; x++) {
      const y = mix32(x);
      seen.add(y);
      for (let b = 0; b < 32; b++) ones[b] += (y >>> b) & 1;
    }
    expect(seen.size).toBe(1 << 16);
    for (const n of ones) expect(Math.abs(n / (1 << 16) - 0.5)).toBeLessThan(0.02);
  });

  it('names the argument in its errors', () => {
    expect(() => attentionDropoutMask([2, 3], { p: 0.1, seed: [1, 2] })).toThrow('attentionDropoutMask: shape must be [batch, heads, tq, tk], got [2, 3]');
    expect(() => attentionDropoutMask([1, 1, 2, 2], { p: 1.5, seed: [1, 2] })).toThrow('attentionDropoutMask: dropout.p must be in [0, 1], got 1.5');
    expect(() => attentionDropoutMask([1, 1, 2, 2], { p: 0.1, seed: [1, -2] })).toThrow('attentionDropoutMask: dropout.seed must be two unsigned 32-bit integers, got [1,-2]');
  });
});
