// Trainer checkpoint directories: encodeTrainerCheckpoint's files (codec.ts) committed atomically to `root/name`
// (atomic-dir.ts: a temporary directory, fsynced, swapped in), and read back through decodeTrainerCheckpoint with
// Node's fs and native SHA-256. Each weight file also carries the SHA-256 of its tensor data in its own header.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CommitHooks } from './atomic-dir.js';
import { commitCheckpointFiles } from '../storage/directory-storage.js';
import { decodeTrainerCheckpoint, decodeTrainerState, encodeTrainerCheckpoint, type DecodedTrainerCheckpoint, type TrainerCheckpoint, type TrainerState } from './codec.js';

export { MODEL_FILE, OPTIMIZER_FILE, STATE_FILE, type BestMetric, type TrainerState, type ValidationRecord } from './codec.js';

/** What a checkpoint directory holds, as read back. */
export interface LoadedCheckpoint extends DecodedTrainerCheckpoint {
  dir: string;
}

export interface SaveCheckpointOptions extends CommitHooks, Omit<TrainerCheckpoint, 'files'> {
  /** Writes the caller's files (config.json, tokenizers) into the new directory before it is committed. */
  saveExtras?: (dir: string) => void;
}

/**
 * Atomically writes (or replaces) the checkpoint `root/name` and returns its path. Refuses a full disk naming the
 * checkpoint, the bytes it needs and those free (CheckpointError), keeping the previous one.
 */
export function saveCheckpoint(root: string, name: string, { model, optimizer, state, saveExtras, beforeCommit }: SaveCheckpointOptions): string {
  return commitCheckpointFiles(root, name, encodeTrainerCheckpoint({ model, optimizer, state }, sha256), { saveExtras, beforeCommit });
}

/** Node's reader: the file's bytes, or fs's error (its code names why). */
const readerOf = (dir: string) => (file: string): Uint8Array => fs.readFileSync(path.join(dir, file));

/**
 * Reads a checkpoint directory, refusing (CheckpointError naming the file) a missing or unparsable
 * trainer-state.json, a weight file whose size or SHA-256 differs from the one recorded, or bad safetensors.
 */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  return { dir, ...decodeTrainerCheckpoint(readerOf(dir), { where: (file) => path.join(dir, file), hash: sha256 }) };
}

/** Parses and checks `dir/trainer-state.json`. */
export function readTrainerState(dir: string): TrainerState {
  return decodeTrainerState(readerOf(dir), (file) => path.join(dir, file));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
