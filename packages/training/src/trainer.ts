// The Trainer of @gloss/training/node: trainer-loop.ts's Trainer with the `dir` option, a run directory
// (directoryStorage: checkpoints committed atomically, snapshots, averaged/, metrics.jsonl; saveExtras and
// beforeCommit act on each checkpoint directory).
import { Trainer as StorageTrainer } from './trainer-loop.js';
import { directoryStorage } from './storage/directory-storage.js';
import type { TrainerOptions } from './trainer-options.js';

/**
 * The Trainer (see trainer-loop.ts) whose `dir` is a run directory on disk.
 * @example new Trainer({ model, optimizer, data, lossFn, dir: 'runs/de-en', maxSteps: 20000, checkpointEvery: 1000, saveExtras });
 */
export class Trainer<B> extends StorageTrainer<B> {
  constructor(options: TrainerOptions<B>) {
    const { dir, saveExtras, beforeCommit } = options;
    super(dir !== undefined && !options.storage ? { ...options, storage: directoryStorage(dir, { saveExtras, beforeCommit }) } : options);
  }
}
