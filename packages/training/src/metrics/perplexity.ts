// Perplexity = exp(Σ NLL / tokens), the exponentiated mean negative log-likelihood per token (natural log,
// as PyTorch's cross_entropy), and a streaming accumulator whose sum is compensated (Neumaier) and resumable.
import { ValueError } from '@gloss/tensor';

// Float32 losses of near-perfect predictions can sum to a hair below zero; anything more negative per token
// means log-likelihoods were passed where negative log-likelihoods belong.
const NEGATIVE_TOLERANCE = 1e-6;

function checkArgs(op: string, sumNll: number, numTokens: number): void {
  if (typeof sumNll !== 'number' || Number.isNaN(sumNll) || sumNll === -Infinity) {
    throw new ValueError(op, `sumNll must be a number ≥ 0 (or +Infinity), got ${sumNll}`);
  }
  if (!(Number.isFinite(numTokens) && numTokens >= 0)) {
    throw new ValueError(op, `numTokens must be a finite number ≥ 0, got ${numTokens}`);
  }
}

function checkSign(op: string, sumNll: number, numTokens: number): void {
  if (sumNll < -NEGATIVE_TOLERANCE * Math.max(numTokens, 1)) {
    throw new ValueError(op, `sumNll is ${sumNll} over ${numTokens} tokens; a negative log-likelihood is ≥ 0 (pass −log p, not log p)`);
  }
}

/**
 * Perplexity of `numTokens` tokens whose negative log-likelihoods (natural log) sum to `sumNll`:
 * exp(sumNll / numTokens). The mean is taken before exp, so long corpora do not overflow; a mean NLL above
 * ~709.78 (exp's limit) or an infinite NLL (a probability of 0) gives Infinity, the true value.
 * @throws ValueError for numTokens 0 (undefined), NaN, or a clearly negative sum.
 * @example
 * perplexity(4 * Math.log(8), 4);  // 8: each token had probability 1/8
 */
export function perplexity(sumNll: number, numTokens: number): number {
  checkArgs('perplexity', sumNll, numTokens);
  if (numTokens === 0) throw new ValueError('perplexity', 'numTokens is 0: the perplexity of no tokens is undefined');
  checkSign('perplexity', sumNll, numTokens);
  return Math.exp(sumNll / numTokens);
}

/** What PerplexityAccumulator.toJSON writes; fromJSON restores the exact state. */
export interface PerplexityState {
  readonly sum: number;
  readonly compensation: number;
  readonly numTokens: number;
  readonly infinite: boolean;
}

/**
 * Streaming perplexity over batches: add each batch's summed NLL and token count, read the value at the
 * end. The running sum is compensated (Neumaier), so millions of small batch sums lose no precision.
 * @example
 * const ppl = new PerplexityAccumulator();
 * for (const batch of batches) ppl.add(batchSumNll, batch.numTokens);
 * ppl.value();  // exp(total NLL / total tokens)
 */
export class PerplexityAccumulator {
  private sum = 0;
  private compensation = 0;
  private tokens = 0;
  private infinite = false;

  /** Adds a batch: the sum of its tokens' negative log-likelihoods and how many tokens they were. */
  add(sumNll: number, numTokens: number): this {
    checkArgs('PerplexityAccumulator.add', sumNll, numTokens);
    checkSign('PerplexityAccumulator.add', sumNll, numTokens);
    this.tokens += numTokens;
    if (sumNll === Infinity) this.infinite = true;
    else this.accumulate(sumNll);
    return this;
  }

  /** Neumaier's compensated summation: keeps the low-order bits that `sum + x` rounds away. */
  private accumulate(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? (this.sum - t) + x : (x - t) + this.sum;
    this.sum = t;
  }

  /** Adds one token per entry of `nlls` (per-token negative log-likelihoods). */
  addTokens(nlls: ArrayLike<number>): this {
    for (let i = 0; i < nlls.length; i++) this.add(nlls[i], 1);
    return this;
  }

  /** Adds another accumulator's totals (e.g. from another worker or shard). */
  merge(other: PerplexityAccumulator): this {
    const s = other.toJSON();
    this.accumulate(s.sum);
    this.accumulate(s.compensation);
    this.tokens += s.numTokens;
    this.infinite ||= s.infinite;
    return this;
  }

  /** Tokens added so far. */
  get numTokens(): number {
    return this.tokens;
  }

  /** Σ NLL so far (Infinity once any token had probability 0). */
  get sumNll(): number {
    return this.infinite ? Infinity : this.sum + this.compensation;
  }

  /** Mean NLL per token (the cross-entropy in nats). */
  meanNll(): number {
    if (this.tokens === 0) throw new ValueError('PerplexityAccumulator.meanNll', 'no tokens added yet');
    return this.sumNll / this.tokens;
  }

  /** exp(mean NLL). */
  value(): number {
    if (this.tokens === 0) throw new ValueError('PerplexityAccumulator.value', 'no tokens added yet: the perplexity of no tokens is undefined');
    return Math.exp(this.meanNll());
  }

  /** Empties the accumulator for the next evaluation. */
  reset(): this {
    this.sum = 0;
    this.compensation = 0;
    this.tokens = 0;
    this.infinite = false;
    return this;
  }

  /** The exact state, JSON-safe (for checkpoints that resume mid-evaluation). */
  toJSON(): PerplexityState {
    return { sum: this.sum, compensation: this.compensation, numTokens: this.tokens, infinite: this.infinite };
  }

  /** Restores an accumulator written by toJSON. */
  static fromJSON(state: PerplexityState): PerplexityAccumulator {
    const ok = state !== null && typeof state === 'object' && Number.isFinite(state.sum) && Number.isFinite(state.compensation) &&
      Number.isFinite(state.numTokens) && state.numTokens >= 0 && typeof state.infinite === 'boolean';
    if (!ok) throw new ValueError('PerplexityAccumulator.fromJSON', `expected { sum, compensation, numTokens, infinite }, got ${JSON.stringify(state)}`);
    const acc = new PerplexityAccumulator();
    acc.sum = state.sum;
    acc.compensation = state.compensation;
    acc.tokens = state.numTokens;
    acc.infinite = state.infinite;
    return acc;
  }
}
