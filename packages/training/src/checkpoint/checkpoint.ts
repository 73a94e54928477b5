// One checkpoint directory: model.safetensors (model.stateDict()), optimizer.safetensors (its state tensors,
// the scalars as JSON in the header metadata), the caller's extras, and trainer-state.json, written last,
// with the size and SHA-256 of both weight files so a damaged file is refused by name on load. Each weight file
// also carries the SHA-256 of its tensor data in its own header (as every gloss checkpoint's does; @gloss/tensor/node).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeSafetensors, type GeneratorState, type Tensor } from '@gloss/tensor';
import { encodeSafetensorsWithChecksum } from '@gloss/tensor/node';
import { CheckpointError } from '../errors.js';
import type { OptimizerMeta, OptimizerStateDict } from '../optim/optimizer.js';
import { commitDir, writeFileDurable, type CommitHooks } from './atomic-dir.js';

export const MODEL_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const STATE_FILE = 'trainer-state.json';
const OPTIMIZER_META_KEY = 'gloss.optimizer';

/** One validation: the step and the metrics validate() returned. */
export interface ValidationRecord {
  step: number;
  metrics: Record<string, number>;
}

/** The best validation so far on the chosen metric. */
export interface BestMetric {
  metric: string;
  mode: 'min' | 'max';
  value: number;
  step: number;
}

/** trainer-state.json: everything besides the tensors that exact resume needs, plus the file checksums. */
export interface TrainerState {
  format: 'gloss-trainer-state';
  version: 1;
  /** Optimizer updates done. */
  step: number;
  /** The step the schedule was last evaluated at (= step: schedules are pure functions of it). */
  scheduleStep: number;
  /** 0-based epoch of the last batch drawn, and epochs fully drawn. */
  epoch: number;
  epochsCompleted: number;
  /** Learning rate of the last update. */
  lr: number;
  /** Non-pad target tokens trained on. */
  tokens: number;
  /** Generator.getState() of every generator the run draws from (`default` is the global one). */
  rng: Record<string, GeneratorState>;
  /** The data source's getState(). */
  data: unknown;
  /** Every validation so far. */
  history: ValidationRecord[];
  best: BestMetric | null;
  /** Validations since the best one (early stopping's patience counter). */
  badValidations: number;
  /** Seconds spent in fit() on this run up to this checkpoint, summed across resumes (absent in older states: 0). */
  elapsed?: number;
  /** The total the schedule was built with when it was estimated from a time budget; fixed once set (absent: none). */
  plannedSteps?: number | null;
  /** Size and SHA-256 of each weight file, checked on load. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** What a checkpoint holds, as read back. */
export interface LoadedCheckpoint {
  dir: string;
  model: Map<string, Tensor>;
  /** null for a weights-only directory (a step-N snapshot, averaged/). */
  optimizer: OptimizerStateDict | null;
  state: TrainerState;
}

export interface SaveCheckpointOptions extends CommitHooks {
  model: Readonly<Record<string, Tensor>>;
  optimizer: OptimizerStateDict;
  state: Omit<TrainerState, 'files'>;
  /** Writes the caller's files (config.json, tokenizers) into the new directory before it is committed. */
  saveExtras?: (dir: string) => void;
}

/**
 * Atomically writes (or replaces) the checkpoint `root/name` and returns its path. Refuses a full disk naming the
 * checkpoint, the bytes it needs and those free (CheckpointError), keeping the previous one.
 */
export function saveCheckpoint(root: string, name: string, { model, optimizer, state, saveExtras, beforeCommit }: SaveCheckpointOptions): string {
  const weights: [string, Uint8Array][] = [
    [MODEL_FILE, encodeSafetensorsWithChecksum(model)],
    [OPTIMIZER_FILE, encodeSafetensorsWithChecksum(optimizer.tensors, { [OPTIMIZER_META_KEY]: JSON.stringify(optimizer.meta) })],
  ];
  const files: TrainerState['files'] = Object.fromEntries(weights.map(([file, bytes]) => [file, { bytes: bytes.byteLength, sha256: sha256(bytes) }]));
  const stateText = `${JSON.stringify({ ...state, files }, null, 1)}\n`;
  const bytes = weights.reduce((n, [, b]) => n + b.byteLength, stateText.length);
  return commitDir(root, name, (dir) => {
    for (const [file, data] of weights) writeFileDurable(path.join(dir, file), data);
    saveExtras?.(dir);
    writeFileDurable(path.join(dir, STATE_FILE), stateText);
  }, { beforeCommit, bytes });
}

/**
 * Reads a checkpoint directory, refusing (CheckpointError naming the file) a missing or unparsable
 * trainer-state.json, a weight file whose size or SHA-256 differs from the one recorded, or bad safetensors.
 */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const state = readTrainerState(dir);
  const read = (file: string): Uint8Array | null => {
    const expected = state.files[file];
    if (!expected) return null;
    const where = path.join(dir, file);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(where);
    } catch (e) {
      throw new CheckpointError('loadCheckpoint', `${where} is missing or unreadable (${(e as NodeJS.ErrnoException).code}); the checkpoint is incomplete`);
    }
    if (bytes.byteLength !== expected.bytes) {
      throw new CheckpointError('loadCheckpoint', `${where} is corrupt: ${bytes.byteLength} bytes, but ${STATE_FILE} recorded ${expected.bytes}`);
    }
    const hash = sha256(bytes);
    if (hash !== expected.sha256) {
      throw new CheckpointError('loadCheckpoint', `${where} is corrupt: its SHA-256 is ${hash}, but ${STATE_FILE} recorded ${expected.sha256}`);
    }
    return bytes;
  };
  const modelBytes = read(MODEL_FILE);
  if (!modelBytes) throw new CheckpointError('loadCheckpoint', `${path.join(dir, STATE_FILE)} lists no ${MODEL_FILE}`);
  const model = decode(modelBytes, path.join(dir, MODEL_FILE)).tensors;
  const optimizerBytes = read(OPTIMIZER_FILE);
  let optimizer: OptimizerStateDict | null = null;
  if (optimizerBytes) {
    const where = path.join(dir, OPTIMIZER_FILE);
    const { tensors, metadata } = decode(optimizerBytes, where);
    let meta: OptimizerMeta;
    try {
      meta = JSON.parse(metadata[OPTIMIZER_META_KEY]);
    } catch {
      throw new CheckpointError('loadCheckpoint', `${where} has no readable "${OPTIMIZER_META_KEY}" metadata`);
    }
    optimizer = { tensors: Object.fromEntries(tensors), meta };
  }
  return { dir, model, optimizer, state };
}

/** Parses and checks `dir/trainer-state.json`. */
export function readTrainerState(dir: string): TrainerState {
  const where = path.join(dir, STATE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(where, 'utf8');
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where} is missing or unreadable (${(e as NodeJS.ErrnoException).code}); not a complete checkpoint`);
  }
  let state: TrainerState;
  try {
    state = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where} is corrupt: not valid JSON (${(e as Error).message})`);
  }
  if (state?.format !== 'gloss-trainer-state' || state.version !== 1 || !Number.isInteger(state.step) || typeof state.files !== 'object') {
    throw new CheckpointError('loadCheckpoint', `${where} is not a gloss trainer state (version 1)`);
  }
  return state;
}

function decode(bytes: Uint8Array, where: string) {
  try {
    return decodeSafetensors(bytes, where);
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where} is corrupt: ${(e as Error).message}`);
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
