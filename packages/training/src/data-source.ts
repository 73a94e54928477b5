// What the Trainer draws batches from: an endless, resumable stream (its position is saved in checkpoints),
// and the adapter for @gloss/data's BatchIterator.
import type { Batch, BatchIterator, BatchIteratorState } from '@gloss/data';

/** An endless stream of batches whose position can be saved as JSON and restored exactly. */
export interface DataSource<B> {
  /** The next batch (a new epoch starts by itself when one is used up). */
  next(): B;
  /** 0-based epoch of the last batch handed out. */
  readonly epoch: number;
  /** Epochs fully handed out: the Trainer stops at maxEpochs. */
  readonly epochsCompleted: number;
  /** Where the stream stands, as JSON. */
  getState(): unknown;
  /** Restores a position from getState(), on a source over the same data. */
  setState(state: unknown): void;
}

/**
 * A BatchIterator as a DataSource: its state (epoch, index, the epoch's generator state) goes into every
 * checkpoint, so a resumed run sees exactly the batches the uninterrupted one would have.
 * @example
 * const data = batchIteratorSource(new BatchIterator(examples, { maxTokens: 4096, seed: 1 }));
 */
export function batchIteratorSource(iterator: BatchIterator): DataSource<Batch> {
  return {
    next: () => iterator.next(),
    get epoch() {
      return iterator.epoch;
    },
    get epochsCompleted() {
      return iterator.index >= iterator.batchesInEpoch ? iterator.epoch + 1 : iterator.epoch;
    },
    getState: () => iterator.getState(),
    setState: (state) => iterator.setState(state as BatchIteratorState),
  };
}
