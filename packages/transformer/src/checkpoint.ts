// gloss's one checkpoint codec: a checkpoint is a set of named files — config.json (the TransformerConfig),
// model.safetensors (the weights by PyTorch state_dict name, with the SHA-256 of their data in its header) and any
// extra files (tokenizers; @gloss/training adds optimizer.safetensors and trainer-state.json). Plain bytes in and
// out, so a web page reads what Node wrote (fetch, a File, IndexedDB); @gloss/transformer/node and
// @gloss/training/node write them to a directory atomically and read them back.
import { decodeSafetensorsChecked, encodeSafetensorsWithChecksum, Generator, ValueError, type FloatDType, type Sha256, type Tensor } from '@gloss/tensor';
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

export interface DecodedCheckpoint {
  model: Seq2SeqTransformer;
  config: TransformerConfig;
  /** The safetensors header's metadata. */
  metadata: Record<string, string>;
}

export interface DecodeCheckpointOptions {
  /** Parameter dtype of the model built. Default float32. */
  dtype?: FloatDType;
  /** Seeds the model's dropout masks if it is trained further. Default new Generator(0) (the default generator is left alone). */
  generator?: Generator;
  /** Where the files came from (a directory or URL), for error messages: `${source}/config.json`. Default 'checkpoint'. */
  source?: string;
  /** SHA-256 used to check the weights' recorded digest (default: @gloss/tensor's plain TypeScript one). */
  hash?: Sha256;
}

/** A checkpoint's files by name, in the order a writer commits them (config.json or trainer-state.json last). */
export type CheckpointFiles = Map<string, string | Uint8Array>;

/** What encodeCheckpointFiles writes: the weights, and optionally the config, header metadata and extra files. */
export interface CheckpointParts extends CheckpointExtras {
  /** The tensors of model.safetensors, by name. */
  weights: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;
  /** Written as config.json, last, when given. */
  config?: unknown;
}

/**
 * The files of a checkpoint: the extra files, then model.safetensors (with the SHA-256 of its data in the header,
 * by `hash`: @gloss/tensor's plain TypeScript one by default), then config.json when `config` is given. Every
 * gloss checkpoint (encodeCheckpoint's, the Trainer's) is made here.
 */
export function encodeCheckpointFiles({ weights, config, metadata, files: extra }: CheckpointParts, hash?: Sha256, op = 'encodeCheckpointFiles'): CheckpointFiles {
  checkExtraFileNames(op, { files: extra });
  const files: CheckpointFiles = new Map(Object.entries(extra ?? {}));
  files.set(WEIGHTS_FILE, encodeSafetensorsWithChecksum(weights, { ...metadata }, hash));
  if (config !== undefined) files.set(CONFIG_FILE, `${JSON.stringify(config, null, 2)}\n`);
  return files;
}

/** Checks the extra file names of `extras` (plain names, neither config.json nor model.safetensors). */
export function checkExtraFileNames(op: string, extras: CheckpointExtras): void {
  for (const name of Object.keys(extras.files ?? {})) {
    if (name === CONFIG_FILE || name === WEIGHTS_FILE || /[/\\]/.test(name) || name === '.' || name === '..' || name === '') {
      throw new ValueError(op, `extra file name '${name}' must be a plain file name other than ${CONFIG_FILE} and ${WEIGHTS_FILE}`);
    }
  }
}

/**
 * The files of a checkpoint of `model`, by name, in the order a writer should commit them: the extra files, then
 * model.safetensors, then config.json. A tied or shared weight is stored once, under its first name.
 * @example const files = encodeCheckpoint(model, { files: { 'tokenizer.json': JSON.stringify(tokenizer) } });
 */
export function encodeCheckpoint(model: Seq2SeqTransformer, extras: CheckpointExtras = {}, hash?: Sha256): CheckpointFiles {
  const weights = new Map<string, Tensor>(model.namedParameters().map(([name, p]) => [name, p.value]));
  return encodeCheckpointFiles({ weights, config: model.config, files: extras.files, metadata: { format: 'pt', ...extras.metadata } }, hash, 'encodeCheckpoint');
}

/**
 * Builds the model of a checkpoint from its two files: config.json's text (or bytes) and model.safetensors' bytes,
 * as written by encodeCheckpoint, saveCheckpoint or the PyTorch module (F16/BF16 weights widen to float32).
 * Refuses, naming the file: bad JSON or config fields, a truncated or corrupt safetensors file or bad header, and
 * weights that do not fit the config (listing missing keys, unexpected keys, shape mismatches). The model comes
 * back in eval mode (call train() to go on training).
 * @example
 * const get = async (name: string) => new Uint8Array(await (await fetch(`ckpt/${name}`)).arrayBuffer());
 * const { model } = decodeCheckpoint({ config: await get('config.json'), weights: await get('model.safetensors') }, { source: 'ckpt' });
 */
export function decodeCheckpoint(files: { config: string | Uint8Array; weights: Uint8Array },
  { dtype = 'float32', generator = new Generator(0), source = 'checkpoint', hash }: DecodeCheckpointOptions = {}): DecodedCheckpoint {
  const text = typeof files.config === 'string' ? files.config : new TextDecoder().decode(files.config);
  return decodeCheckpointAt(text, () => files.weights, `${source}/${CONFIG_FILE}`, `${source}/${WEIGHTS_FILE}`, { dtype, generator, hash });
}

/**
 * decodeCheckpoint with the two files' names for errors given whole (@gloss/transformer/node passes file paths);
 * the weights are read only once the config is known to be good.
 */
export function decodeCheckpointAt(text: string, readWeights: () => Uint8Array, configPath: string, weightsPath: string,
  { dtype = 'float32', generator = new Generator(0), hash }: Omit<DecodeCheckpointOptions, 'source'> = {}): DecodedCheckpoint {
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
  const { tensors, metadata } = decodeSafetensorsChecked(readWeights(), weightsPath, hash);
  const model = new Seq2SeqTransformer(config, { dtype, generator });
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    if (e instanceof StateDictError) {
      throw new StateDictError(`loadCheckpoint(${weightsPath})`, [...e.missing], [...e.unexpected], [...e.mismatched]);
    }
    throw new ValueError('loadCheckpoint', `${weightsPath}: ${(e as Error).message}`);
  }
  return { model: model.eval(), config, metadata };
}
