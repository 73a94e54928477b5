// expF32 and the float32 cross-entropy kernels that use it, against Math.exp and the float64 kernels.
import { describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { crossEntropy, crossEntropyBackward, crossEntropyWithGrad } from './cross-entropy.js';
import { expF32 } from './exp-f32.js';

describe('expF32', () => {
  it('is within 1e-8 relative of Math.exp across the normal range', () => {
    const g = new Generator(1);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (g.random() - 0.5) * 1400;
      const e = Math.exp(x);
      if (e > 1e-300 && e < 1e300) worst = Math.max(worst, Math.abs(expF32(x) - e) / e);
    }
    expect(worst).toBeLessThan(1e-8);
    expect(worst).toBeGreaterThan(0);                  // an approximation indeed: this test measures it
  });

  it('is exact at 0 and follows Math.exp outside the fast range (infinities, NaN, subnormals)', () => {
    expect(expF32(0)).toBe(1);
    for (const x of [-Infinity, Infinity, NaN, -750, -710, 710, 1e6]) expect(expF32(x)).toBe(Math.exp(x));
  });
});

describe('float32 cross-entropy kernels', () => {
  it('agree with the float64 kernels to float32 precision, ignored rows included', () => {
    const g = new Generator(2);
    const rows = 40, vocab = 301, smoothing = 0.1, ignore = 0;
    const logits64 = Float64Array.from({ length: rows * vocab }, () => g.normal() * 4);
    const logits32 = Float32Array.from(logits64);
    const targets = Int32Array.from({ length: rows }, (_, r) => (r % 7 === 0 ? ignore : 1 + g.int(vocab - 1)));
    const loss32 = new Float32Array(rows), lse32 = new Float32Array(rows);
    const loss64 = new Float64Array(rows), lse64 = new Float64Array(rows);
    crossEntropy(logits32, targets, rows, vocab, ignore, smoothing, loss32, lse32);
    crossEntropy(Float64Array.from(logits32), targets, rows, vocab, ignore, smoothing, loss64, lse64);
    for (let r = 0; r < rows; r++) {
      expect(Math.abs(loss32[r] - loss64[r])).toBeLessThanOrEqual(2e-7 * Math.abs(loss64[r]) + 1e-7);
      expect(Math.abs(lse32[r] - lse64[r])).toBeLessThanOrEqual(2e-7 * Math.abs(lse64[r]) + 1e-7);
    }
    const dloss = Float32Array.from({ length: rows }, () => g.random());
    const d32 = new Float32Array(rows * vocab), d64 = new Float64Array(rows * vocab);
    crossEntropyBackward(dloss, logits32, targets, lse32, rows, vocab, ignore, smoothing, d32);
    crossEntropyBackward(Float64Array.from(dloss), Float64Array.from(logits32), targets, lse64, rows, vocab, ignore, smoothing, d64);
    for (let i = 0; i < d32.length; i++) expect(Math.abs(d32[i] - d64[i])).toBeLessThanOrEqual(1e-6 * Math.abs(d64[i]) + 1e-9);
    expect(Array.from(d32.subarray(0, vocab)).every((v) => v === 0)).toBe(true);      // row 0 is ignored
  });

  it('crossEntropyWithGrad gives the loss, lse and backward of the float64 kernels in one pass, also in place', () => {
    const g = new Generator(3);
    const rows = 30, vocab = 257, smoothing = 0.2, ignore = 0;
    const logits32 = Float32Array.from({ length: rows * vocab }, () => g.normal() * 4);
    const targets = Int32Array.from({ length: rows }, (_, r) => (r % 6 === 0 ? ignore : 1 + g.int(vocab - 1)));
    const scale = Float32Array.from({ length: rows }, () => g.random());
    const logits64 = Float64Array.from(logits32);
    const loss64 = new Float64Array(rows), lse64 = new Float64Array(rows), d64 = new Float64Array(rows * vocab);
    crossEntropy(logits64, targets, rows, vocab, ignore, smoothing, loss64, lse64);
    crossEntropyBackward(Float64Array.from(scale), logits64, targets, lse64, rows, vocab, ignore, smoothing, d64);
    for (const inPlace of [false, true]) {
      const x = logits32.slice();
      const d = inPlace ? x : new Float32Array(rows * vocab);
      const loss = new Float32Array(rows), lse = new Float32Array(rows);
      crossEntropyWithGrad(x, targets, rows, vocab, ignore, smoothing, scale, loss, lse, d);
      for (let r = 0; r < rows; r++) {
        expect(Math.abs(loss[r] - loss64[r])).toBeLessThanOrEqual(2e-7 * Math.abs(loss64[r]) + 1e-7);
        expect(Math.abs(lse[r] - lse64[r])).toBeLessThanOrEqual(2e-7 * Math.abs(lse64[r]) + 1e-7);
      }
      for (let i = 0; i < d.length; i++) expect(Math.abs(d[i] - d64[i])).toBeLessThanOrEqual(1e-6 * Math.abs(d64[i]) + 1e-8);
    }
    // One scale for every row (a 'sum' or 'mean' reduction), float64 logits.
    const loss = new Float64Array(rows), lse = new Float64Array(rows), d = new Float64Array(rows * vocab);
    crossEntropyWithGrad(logits64, targets, rows, vocab, ignore, smoothing, 0.5, loss, lse, d);
    const half = new Float64Array(rows * vocab);
    crossEntropyBackward(new Float64Array(rows).fill(0.5), logits64, targets, lse64, rows, vocab, ignore, smoothing, half);
    for (let i = 0; i < d.length; i++) expect(Math.abs(d[i] - half[i])).toBeLessThanOrEqual(1e-15);
    expect(Array.from(loss)).toEqual(Array.from(loss64));
  });
});
