// Length bucketing: examples sorted by padded length (ties in random order) and cut greedily into batches under a
// padded-token budget or a sentence count, then the batch order shuffled (fairseq's batch_by_size).
import { DataError } from './errors.js';

/** How batches are cut. At least one of maxTokens and batchSize must be given; both may be. */
export interface BucketOptions {
  /** Most padded tokens per batch: batch × max(srcLen, tgtLen), with tgtLen counting <bos>/<eos>. */
  readonly maxTokens?: number;
  /** Most examples per batch. */
  readonly batchSize?: number;
  /** Shuffle ties within a length and the order of batches. Default true; false gives sorted order. */
  readonly shuffle?: boolean;
}

/** Source and target lengths of one example, in tokens, without <bos>/<eos>. */
export interface ExampleLength {
  readonly srcLen: number;
  readonly tgtLen: number;
}

/** What the planner needs from a random generator (the tensor package's Generator fits). */
export interface Shuffler {
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T;
}

/** Padded size of one example: the longer side, the target counted with its <bos>/<eos> (+1). */
export function paddedLength({ srcLen, tgtLen }: ExampleLength): number {
  return Math.max(srcLen, tgtLen + 1);
}

/**
 * Groups example indices into batches of similar length. Indices are shuffled, then stably sorted by
 * (paddedLength, srcLen, tgtLen), so equal lengths come in random order; batches are filled greedily while
 * `size × longest paddedLength ≤ maxTokens` and `size ≤ batchSize`; finally the batch order is shuffled.
 * Every index appears in exactly one batch. Throws DataError when one example alone exceeds maxTokens.
 * @example
 * planBatches(lengths, { maxTokens: 4096 }, new Generator(1));  // [[17, 3, 250], [8, 91], …]
 */
export function planBatches(lengths: readonly ExampleLength[], options: BucketOptions, rng: Shuffler): number[][] {
  const { maxTokens = Infinity, batchSize = Infinity, shuffle = true } = options;
  if (options.maxTokens === undefined && options.batchSize === undefined) {
    throw new DataError('planBatches', 'give maxTokens, batchSize or both, got neither');
  }
  for (const [name, value] of [['maxTokens', maxTokens], ['batchSize', batchSize]] as const) {
    if (!(value >= 1) || (value !== Infinity && !Number.isInteger(value))) {
      throw new DataError('planBatches', `${name} must be a positive integer, got ${value}`);
    }
  }
  const order = Array.from(lengths, (_, i) => i);
  if (shuffle) rng.shuffle(order);
  // Stable sort: equal lengths keep their shuffled order. Padded length first, since it is what the budget counts.
  const sizes = lengths.map(paddedLength);
  order.sort((a, b) => sizes[a] - sizes[b] || lengths[a].srcLen - lengths[b].srcLen || lengths[a].tgtLen - lengths[b].tgtLen);

  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const index of order) {
    const size = sizes[index];
    if (size > maxTokens) {
      throw new DataError('planBatches', `example ${index} needs ${size} padded tokens (srcLen ${lengths[index].srcLen}, tgtLen ${lengths[index].tgtLen} + 1) but maxTokens is ${maxTokens}; filter it with maxLength when reading`);
    }
    const grown = Math.max(longest, size);
    if (current.length > 0 && ((current.length + 1) * grown > maxTokens || current.length + 1 > batchSize)) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(index);
    longest = Math.max(longest, size);
  }
  if (current.length > 0) batches.push(current);
  if (shuffle) rng.shuffle(batches);
  return batches;
}
