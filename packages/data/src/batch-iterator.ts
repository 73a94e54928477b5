// BatchIterator: epochs of length-bucketed batches in a seeded random order, resumable from a JSON state.
// Resume replays the planning of the current epoch from the generator state saved at its start.
import { Generator, type GeneratorState } from '@gloss/tensor';
import { planBatches, type BucketOptions, type ExampleLength } from './bucketing.js';
import { collate, type Batch, type Example } from './collate.js';
import { DataError } from './errors.js';

/** Options of BatchIterator: how to cut batches, and the seed of their order. */
export interface BatchIteratorOptions extends BucketOptions {
  /** Seed of the shuffling. Default 0. */
  readonly seed?: number | string;
}

/** Where a BatchIterator stands, as JSON: restoring it yields exactly the remaining batches. */
export interface BatchIteratorState {
  readonly version: 1;
  /** 0-based epoch in progress. */
  readonly epoch: number;
  /** Batches of this epoch already handed out. */
  readonly index: number;
  /** Generator state at the start of this epoch, before its batches were planned. */
  readonly epochRngState: GeneratorState;
  /** Number of examples and a hash of their lengths, to refuse a state from another dataset. */
  readonly numExamples: number;
  readonly lengthsHash: number;
}

/**
 * Endless epochs of padded batches over `examples`. Each epoch plans new batches (planBatches) with the
 * seeded generator; `getState()` / `setState()` save and restore the position exactly.
 * @example
 * const batches = new BatchIterator(examples, { maxTokens: 4096, seed: 1 });
 * for (const batch of batches) train(batch);     // one epoch
 * save(batches.getState());                       // …later: batches.setState(state)
 */
export class BatchIterator implements Iterable<Batch> {
  private readonly lengths: ExampleLength[];
  private readonly rng: Generator;
  private readonly lengthsHash: number;
  private epochNumber = 0;
  private position = 0;
  private epochRngState: GeneratorState;
  private plan: number[][];

  constructor(private readonly examples: readonly Example[], private readonly options: BatchIteratorOptions) {
    if (examples.length === 0) throw new DataError('BatchIterator', 'expected at least one example, got 0');
    this.lengths = examples.map(({ src, tgt }) => ({ srcLen: src.length, tgtLen: tgt.length }));
    this.lengthsHash = hashLengths(this.lengths);
    this.rng = new Generator(options.seed ?? 0);
    this.epochRngState = this.rng.getState();
    this.plan = planBatches(this.lengths, options, this.rng);
  }

  /** 0-based epoch in progress. */
  get epoch(): number {
    return this.epochNumber;
  }

  /** Batches of the current epoch already handed out. */
  get index(): number {
    return this.position;
  }

  /** Number of batches in the current epoch. */
  get batchesInEpoch(): number {
    return this.plan.length;
  }

  /** Example indices of the current epoch's batches, in order (for inspection and tests). */
  epochPlan(): number[][] {
    return this.plan.map((batch) => [...batch]);
  }

  /** The next batch, starting a new epoch when the current one is used up. */
  next(): Batch {
    if (this.position >= this.plan.length) this.startEpoch(this.epochNumber + 1);
    const indices = this.plan[this.position++];
    return collate(indices.map((i) => this.examples[i]), indices);
  }

  /** The remaining batches of the current epoch; the iterator then stands at the start of the next. */
  *[Symbol.iterator](): Iterator<Batch> {
    if (this.position >= this.plan.length) this.startEpoch(this.epochNumber + 1);
    while (this.position < this.plan.length) yield this.next();
  }

  getState(): BatchIteratorState {
    return {
      version: 1, epoch: this.epochNumber, index: this.position, epochRngState: this.epochRngState,
      numExamples: this.examples.length, lengthsHash: this.lengthsHash,
    };
  }

  /** Restores a position saved by getState on an iterator over the same examples and options. */
  setState(state: BatchIteratorState): void {
    if (state?.version !== 1) throw new DataError('BatchIterator.setState', `expected a state with version 1, got ${JSON.stringify(state?.version)}`);
    if (state.numExamples !== this.examples.length || state.lengthsHash !== this.lengthsHash) {
      throw new DataError('BatchIterator.setState', `the state was saved for ${state.numExamples} examples with lengths hash ${state.lengthsHash}, but this iterator has ${this.examples.length} with hash ${this.lengthsHash}`);
    }
    this.rng.setState(state.epochRngState);
    const plan = planBatches(this.lengths, this.options, this.rng);
    if (!Number.isInteger(state.index) || state.index < 0 || state.index > plan.length) {
      throw new DataError('BatchIterator.setState', `index ${state.index} is out of range for an epoch of ${plan.length} batches`);
    }
    this.epochNumber = state.epoch;
    this.position = state.index;
    this.epochRngState = state.epochRngState;
    this.plan = plan;
  }

  private startEpoch(epoch: number): void {
    this.epochNumber = epoch;
    this.position = 0;
    this.epochRngState = this.rng.getState();
    this.plan = planBatches(this.lengths, this.options, this.rng);
  }
}

/** FNV-1a over the lengths: cheap evidence that a saved state belongs to these examples. */
function hashLengths(lengths: readonly ExampleLength[]): number {
  let hash = 0x811c9dc5;
  for (const { srcLen, tgtLen } of lengths) {
    for (const value of [srcLen, tgtLen]) {
      hash = Math.imul(hash ^ value, 0x01000193) >>> 0;
    }
  }
  return hash;
}
