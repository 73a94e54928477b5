// Checkpoint directories: the files of encodeCheckpoint (config.json, model.safetensors, extra files such as
// tokenizer.json) written atomically to a directory, and read back. The same directory loads into the PyTorch
// module of docs/pytorch-interop.md and back.
import fs from 'node:fs';
import path from 'node:path';
import { ValueError } from '@gloss/tensor';
import { sha256, writeFileAtomic } from '@gloss/tensor/node';
import type { Seq2SeqTransformer } from '../seq2seq-transformer.js';
import { CONFIG_FILE, WEIGHTS_FILE, decodeCheckpointAt, encodeCheckpoint, type CheckpointExtras, type DecodeCheckpointOptions, type DecodedCheckpoint } from '../checkpoint.js';

export interface LoadedCheckpoint extends DecodedCheckpoint {
  /** The directory it was read from (extra files are there). */
  dir: string;
}

export type LoadCheckpointOptions = Omit<DecodeCheckpointOptions, 'source' | 'hash'>;

/**
 * Writes `model` to `dir` (created if needed): extra files, then model.safetensors, then config.json, each
 * atomically (a temporary file renamed over the old one), so a crash leaves every file either old or new, never
 * torn. A tied or shared weight is stored once, under its first name.
 * @example saveCheckpoint('runs/de-en/best', model, { files: { 'tokenizer.json': JSON.stringify(tokenizer) } });
 */
export function saveCheckpoint(dir: string, model: Seq2SeqTransformer, extras: CheckpointExtras = {}): void {
  for (const name of Object.keys(extras.files ?? {})) {
    if (name === CONFIG_FILE || name === WEIGHTS_FILE || name !== path.basename(name) || name === '.' || name === '..' || name === '') {
      throw new ValueError('saveCheckpoint', `extra file name '${name}' must be a plain file name other than ${CONFIG_FILE} and ${WEIGHTS_FILE}`);
    }
  }
  const files = encodeCheckpoint(model, extras, sha256);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of files) writeFileAtomic(path.join(dir, name), data);
}

/**
 * Reads a checkpoint written by saveCheckpoint or from the PyTorch module (F16/BF16 weights widen to float32).
 * Refuses, naming the file: a missing or unreadable file, bad JSON or config fields, a truncated safetensors file
 * or bad header, and weights that do not fit the config (listing missing keys, unexpected keys, shape mismatches).
 * The model comes back in eval mode (call train() to go on training).
 * @example const { model, config } = loadCheckpoint('runs/de-en/best');
 */
export function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): LoadedCheckpoint {
  const configPath = path.join(dir, CONFIG_FILE);
  const weightsPath = path.join(dir, WEIGHTS_FILE);
  const text = readOrThrow(configPath, 'utf8');
  return { ...decodeCheckpointAt(text, () => readOrThrow(weightsPath), configPath, weightsPath, { ...options, hash: sha256 }), dir };
}

function readOrThrow(file: string): Uint8Array;
function readOrThrow(file: string, encoding: 'utf8'): string;
function readOrThrow(file: string, encoding?: 'utf8'): string | Uint8Array {
  try {
    return encoding ? fs.readFileSync(file, encoding) : fs.readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    // The weights' read error is loadSafetensors', as it was when the directory reader called it.
    throw new ValueError(encoding ? 'loadCheckpoint' : 'loadSafetensors', `cannot read ${file}: ${reason}`);
  }
}
