// Errors of the training loop and of checkpoints. Both name the step or the file that went wrong.
import { GlossError } from '@gloss/tensor';

/**
 * Training cannot go on: a non-finite loss or gradient (naming the step and the quantity), a bad option,
 * a validation result without the metric asked for. The last good checkpoint is always kept.
 */
export class TrainingError extends GlossError {}

/** A checkpoint is missing, incomplete or corrupt: the message names the directory and the file. */
export class CheckpointError extends GlossError {}
