// A Trainer checkpoint as named files, on @gloss/transformer's codec (encodeCheckpointFiles): model.safetensors
// (model.stateDict(), every state_dict name, so any Module resumes exactly), optimizer.safetensors (its state
// tensors, the scalars as JSON in the header metadata), the caller's files (config.json, tokenizers), and
// trainer-state.json, last, with the size and SHA-256 of both weight files, so a damaged file is refused by name on
// load. Bytes in and out: @gloss/training/node commits them to a directory atomically; a page reads them from fetch.
import { decodeSafetensors, sha256 as plainSha256, type GeneratorState, type Sha256, type Tensor } from '@gloss/tensor';
import { encodeCheckpointFiles, type CheckpointFiles } from '@gloss/transformer';
import { CheckpointError } from '../errors.js';
import type { OptimizerMeta, OptimizerStateDict } from '../optim/optimizer.js';

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
  /** The total the schedule was built with when it was estimated from a time budget (absent: none). */
  plannedSteps?: number | null;
  /** Whether that total was revised at half the budget (or first planned past it); fixed from then on (absent: false). */
  planRevised?: boolean;
  /** Size and SHA-256 of each weight file, checked on load. */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** What a Trainer checkpoint holds. */
export interface TrainerCheckpoint {
  model: Readonly<Record<string, Tensor>>;
  optimizer: OptimizerStateDict;
  state: Omit<TrainerState, 'files'>;
  /** More files, by plain name (config.json, tokenizers). */
  files?: Readonly<Record<string, string | Uint8Array>>;
}

/** A Trainer checkpoint as read back. */
export interface DecodedTrainerCheckpoint {
  model: Map<string, Tensor>;
  /** null for a weights-only checkpoint (a step-N snapshot, averaged/). */
  optimizer: OptimizerStateDict | null;
  state: TrainerState;
}

/**
 * The files of a Trainer checkpoint, trainer-state.json last (it records the other weight files' sizes and
 * digests). `hash` is the SHA-256 (default @gloss/tensor's plain TypeScript one; Node passes its native one).
 * @example for (const [name, data] of encodeTrainerCheckpoint({ model: m.stateDict(), optimizer: o.stateDict(), state })) store.set(name, data);
 */
export function encodeTrainerCheckpoint({ model, optimizer, state, files }: TrainerCheckpoint, hash: Sha256 = plainSha256): CheckpointFiles {
  for (const name of [OPTIMIZER_FILE, STATE_FILE]) {
    if (files && name in files) throw new CheckpointError('encodeTrainerCheckpoint', `extra file name '${name}' is one of the checkpoint's own files`);
  }
  const optimizerBytes = encodeCheckpointFiles({ weights: optimizer.tensors, metadata: { [OPTIMIZER_META_KEY]: JSON.stringify(optimizer.meta) } }, hash)
    .get(MODEL_FILE) as Uint8Array;
  const out = encodeCheckpointFiles({ weights: model, files: { ...files, [OPTIMIZER_FILE]: optimizerBytes } }, hash, 'encodeTrainerCheckpoint');
  const recorded: TrainerState['files'] = {};
  for (const file of [MODEL_FILE, OPTIMIZER_FILE]) {
    const bytes = out.get(file) as Uint8Array;
    recorded[file] = { bytes: bytes.byteLength, sha256: hash(bytes) };
  }
  out.set(STATE_FILE, `${JSON.stringify({ ...state, files: recorded }, null, 1)}\n`);
  return out;
}

/** Reads one file of a checkpoint; throws (with `code`, as Node's fs does, or a message) when it is absent. */
export type CheckpointReader = (file: string) => Uint8Array;

export interface DecodeTrainerCheckpointOptions {
  /** A file's name in errors (a path, a URL). Default `checkpoint/<file>`. */
  where?: (file: string) => string;
  hash?: Sha256;
}

/** A reader over files already in memory (encodeTrainerCheckpoint's, or fetched): absent names throw ENOENT. */
export function memoryReader(files: ReadonlyMap<string, string | Uint8Array>): CheckpointReader {
  return (file) => {
    const data = files.get(file);
    if (data === undefined) throw Object.assign(new Error(`no file ${file}`), { code: 'ENOENT' });
    return typeof data === 'string' ? new TextEncoder().encode(data) : data;
  };
}

/**
 * Decodes a Trainer checkpoint, refusing (CheckpointError naming the file) a missing or unparsable
 * trainer-state.json, a weight file whose size or SHA-256 differs from the one recorded, or bad safetensors.
 */
export function decodeTrainerCheckpoint(read: CheckpointReader, { where = (f) => `checkpoint/${f}`, hash = plainSha256 }: DecodeTrainerCheckpointOptions = {}): DecodedTrainerCheckpoint {
  const state = decodeTrainerState(read, where);
  const weightFile = (file: string): Uint8Array | null => {
    const expected = state.files[file];
    if (!expected) return null;
    let bytes: Uint8Array;
    try {
      bytes = read(file);
    } catch (e) {
      throw new CheckpointError('loadCheckpoint', `${where(file)} is missing or unreadable (${reasonOf(e)}); the checkpoint is incomplete`);
    }
    if (bytes.byteLength !== expected.bytes) {
      throw new CheckpointError('loadCheckpoint', `${where(file)} is corrupt: ${bytes.byteLength} bytes, but ${STATE_FILE} recorded ${expected.bytes}`);
    }
    const digest = hash(bytes);
    if (digest !== expected.sha256) {
      throw new CheckpointError('loadCheckpoint', `${where(file)} is corrupt: its SHA-256 is ${digest}, but ${STATE_FILE} recorded ${expected.sha256}`);
    }
    return bytes;
  };
  const modelBytes = weightFile(MODEL_FILE);
  if (!modelBytes) throw new CheckpointError('loadCheckpoint', `${where(STATE_FILE)} lists no ${MODEL_FILE}`);
  const model = decode(modelBytes, where(MODEL_FILE)).tensors;
  const optimizerBytes = weightFile(OPTIMIZER_FILE);
  let optimizer: OptimizerStateDict | null = null;
  if (optimizerBytes) {
    const { tensors, metadata } = decode(optimizerBytes, where(OPTIMIZER_FILE));
    let meta: OptimizerMeta;
    try {
      meta = JSON.parse(metadata[OPTIMIZER_META_KEY]);
    } catch {
      throw new CheckpointError('loadCheckpoint', `${where(OPTIMIZER_FILE)} has no readable "${OPTIMIZER_META_KEY}" metadata`);
    }
    optimizer = { tensors: Object.fromEntries(tensors), meta };
  }
  return { model, optimizer, state };
}

/** Parses and checks trainer-state.json. */
export function decodeTrainerState(read: CheckpointReader, where: (file: string) => string = (f) => `checkpoint/${f}`): TrainerState {
  let text: string;
  try {
    text = new TextDecoder().decode(read(STATE_FILE));
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where(STATE_FILE)} is missing or unreadable (${reasonOf(e)}); not a complete checkpoint`);
  }
  let state: TrainerState;
  try {
    state = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where(STATE_FILE)} is corrupt: not valid JSON (${(e as Error).message})`);
  }
  if (state?.format !== 'gloss-trainer-state' || state.version !== 1 || !Number.isInteger(state.step) || typeof state.files !== 'object') {
    throw new CheckpointError('loadCheckpoint', `${where(STATE_FILE)} is not a gloss trainer state (version 1)`);
  }
  return state;
}

const reasonOf = (e: unknown): string => (e as { code?: string }).code ?? (e as Error).message;

function decode(bytes: Uint8Array, where: string) {
  try {
    return decodeSafetensors(bytes, where);
  } catch (e) {
    throw new CheckpointError('loadCheckpoint', `${where} is corrupt: ${(e as Error).message}`);
  }
}
