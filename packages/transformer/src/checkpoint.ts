// Checkpoints: a directory with config.json (the TransformerConfig) and model.safetensors (every parameter by
// its PyTorch state_dict name, float32 unless the model is float64), plus any extra files (tokenizers, say).
// The same directory loads into the PyTorch module of docs/pytorch-interop.md and back.
import fs from 'node:fs';
import path from 'node:path';
import { Generator, ValueError, type FloatDType, type Tensor } from '@gloss/tensor';
import { loadSafetensors, saveSafetensors, writeFileAtomic } from '@gloss/tensor/node';
import { resolveConfig, type TransformerConfig } from './config.js';
import { StateDictError } from './module.js';
import { Seq2SeqTransformer } from './seq2seq-transformer.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';

export interface CheckpointExtras {
  /** More files to write beside the model, by name (no directories): e.g. { 'tokenizer.json': json }. */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** String metadata stored in the safetensors header (beside format: 'pt'). */
  metadata?: Readonly<Record<string, string>>;
}

export interface LoadedCheckpoint {
  model: Seq2SeqTransformer;
  config: TransformerConfig;
  /** The directory it was read from (extra files are there). */
  dir: string;
  /** The safetensors header's metadata. */
  metadata: Record<string, string>;
}

/**
 * Writes `model` to `dir` (created if needed): extra files, then model.safetensors, then config.json, each
 * atomically (a temporary file renamed over the old one), so a crash leaves every file either old or new, never
 * torn. A tied or shared weight is stored once, under its first name.
 * @example saveCheckpoint('runs/de-en/best', model, { files: { 'tokenizer.json': JSON.stringify(tokenizer) } });
 */
export function saveCheckpoint(dir: string, model: Seq2SeqTransformer, extras: CheckpointExtras = {}): void {
  const files = extras.files ?? {};
  for (const name of Object.keys(files)) {
    if (name === CONFIG_FILE || name === WEIGHTS_FILE || name !== path.basename(name) || name === '.' || name === '..' || name === '') {
      throw new ValueError('saveCheckpoint', `extra file name '${name}' must be a plain file name other than ${CONFIG_FILE} and ${WEIGHTS_FILE}`);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileAtomic(path.join(dir, name), data);
  const tensors = new Map<string, Tensor>(model.namedParameters().map(([name, p]) => [name, p.value]));
  saveSafetensors(path.join(dir, WEIGHTS_FILE), tensors, { format: 'pt', ...extras.metadata });
  writeFileAtomic(path.join(dir, CONFIG_FILE), `${JSON.stringify(model.config, null, 2)}\n`);
}

export interface LoadCheckpointOptions {
  /** Parameter dtype of the model built. Default float32. */
  dtype?: FloatDType;
  /** Seeds the model's dropout masks if it is trained further. Default new Generator(0) (the default generator is left alone). */
  generator?: Generator;
}

/**
 * Reads a checkpoint written by saveCheckpoint or from the PyTorch module (F16/BF16 weights widen to float32).
 * Refuses, naming the file: a missing or unreadable file, bad JSON or config fields, a truncated safetensors file
 * or bad header, and weights that do not fit the config (listing missing keys, unexpected keys, shape mismatches).
 * The model comes back in eval mode (call train() to go on training).
 * @example const { model, config } = loadCheckpoint('runs/de-en/best');
 */
export function loadCheckpoint(dir: string, { dtype = 'float32', generator = new Generator(0) }: LoadCheckpointOptions = {}): LoadedCheckpoint {
  const configPath = path.join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    throw new ValueError('loadCheckpoint', `cannot read ${configPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValueError('loadCheckpoint', `${configPath} is not valid JSON (${(e as Error).message})`);
  }
  let config: TransformerConfig;
  try {
    config = resolveConfig(json as TransformerConfig);
  } catch (e) {
    throw new ValueError('loadCheckpoint', `${configPath}: ${(e as Error).message}`);
  }
  const weightsPath = path.join(dir, WEIGHTS_FILE);
  const { tensors, metadata } = loadSafetensors(weightsPath);
  const model = new Seq2SeqTransformer(config, { dtype, generator });
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    if (e instanceof StateDictError) {
      throw new StateDictError(`loadCheckpoint(${weightsPath})`, [...e.missing], [...e.unexpected], [...e.mismatched]);
    }
    throw new ValueError('loadCheckpoint', `${weightsPath}: ${(e as Error).message}`);
  }
  return { model: model.eval(), config, dir, metadata };
}
