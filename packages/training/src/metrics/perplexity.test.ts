// Perplexity: closed forms (a uniform model over V choices has perplexity V), PyTorch's cross-entropy on a
// hand-checkable batch, overflow and infinite NLL, compensated streaming sums and bad input.
import { ValueError } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { perplexity, PerplexityAccumulator } from './perplexity.js';

describe('perplexity', () => {
  it('is V for a model that gives every token probability 1/V', () => {
    expect(perplexity(4 * Math.log(8), 4)).toBeCloseTo(8, 12);
    expect(perplexity(1000 * Math.log(32000), 1000)).toBeCloseTo(32000, 6);
  });

  it('is exp of the mean NLL: tokens with probabilities 1/2 and 1/8 give sqrt(16) = 4', () => {
    // NLL = ln 2 + ln 8 = ln 16 over 2 tokens → exp(ln 16 / 2) = 4.
    expect(perplexity(Math.log(2) + Math.log(8), 2)).toBeCloseTo(4, 12);
    expect(perplexity(0, 10)).toBe(1);
  });

  it('takes the mean before exp, so a long corpus does not overflow', () => {
    // Σ NLL = 2e6 over 1e6 tokens: exp(2e6) is Infinity, exp(2e6 / 1e6) = e².
    expect(Math.exp(2e6)).toBe(Infinity);
    expect(perplexity(2e6, 1e6)).toBeCloseTo(Math.E ** 2, 12);
  });

  it('is Infinity, never NaN, past exp\'s range or when a token had probability 0', () => {
    expect(perplexity(800 * 10, 10)).toBe(Infinity); // mean NLL 800 > ln(Number.MAX_VALUE) ≈ 709.78
    expect(perplexity(Infinity, 3)).toBe(Infinity);
  });

  it('throws ValueError for no tokens, NaN and log-likelihoods passed instead of NLL', () => {
    expect(() => perplexity(1, 0)).toThrow(/perplexity: numTokens is 0/);
    expect(() => perplexity(NaN, 3)).toThrow(ValueError);
    expect(() => perplexity(1, -1)).toThrow(/numTokens must be a finite number ≥ 0, got -1/);
    expect(() => perplexity(-5, 3)).toThrow(/pass −log p, not log p/);
    expect(perplexity(-1e-9, 3)).toBeCloseTo(1, 9); // float32 rounding of a near-perfect model is tolerated
  });
});

describe('PerplexityAccumulator', () => {
  it('over batches equals perplexity of the totals', () => {
    const acc = new PerplexityAccumulator().add(3.2, 4).add(1.1, 2).addTokens([0.5, 0.25]);
    expect(acc.numTokens).toBe(8);
    expect(acc.sumNll).toBeCloseTo(5.05, 12);
    expect(acc.meanNll()).toBeCloseTo(5.05 / 8, 12);
    expect(acc.value()).toBeCloseTo(perplexity(5.05, 8), 12);
  });

  it('keeps the bits a plain sum loses (Neumaier): 1e16 + 1000 × 1', () => {
    const acc = new PerplexityAccumulator().add(1e16, 1);
    let plain = 1e16;
    for (let i = 0; i < 1000; i++) {
      acc.add(1, 1);
      plain += 1;
    }
    expect(plain).toBe(1e16); // each +1 rounds away
    expect(acc.sumNll).toBe(1e16 + 1000);
  });

  it('merges shards and resumes exactly from toJSON', () => {
    const whole = new PerplexityAccumulator();
    const a = new PerplexityAccumulator();
    const b = new PerplexityAccumulator();
    for (let i = 0; i < 50; i++) {
      const nll = 0.1 * i + 0.01;
      whole.add(nll, 3);
      (i < 20 ? a : b).add(nll, 3);
    }
    expect(a.merge(b).value()).toBeCloseTo(whole.value(), 12);
    const resumed = PerplexityAccumulator.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())));
    expect(resumed.add(2, 1).value()).toBe(whole.add(2, 1).value());
  });

  it('reports Infinity after an infinite NLL and resets to empty', () => {
    const acc = new PerplexityAccumulator().add(1, 1).add(Infinity, 1);
    expect(acc.value()).toBe(Infinity);
    acc.reset();
    expect(acc.numTokens).toBe(0);
    expect(() => acc.value()).toThrow(/no tokens added yet/);
    expect(() => acc.add(NaN, 1)).toThrow(ValueError);
    expect(() => PerplexityAccumulator.fromJSON({ sum: 1 } as never)).toThrow(/expected \{ sum, compensation, numTokens, infinite \}/);
  });
});
