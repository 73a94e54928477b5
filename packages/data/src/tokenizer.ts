// The one interface every tokenizer implements, its saved form, and the helpers they share.
import { DataError } from './errors.js';
import type { NormalizeOptions } from './normalize.js';
import { BOS_ID, EOS_ID, PAD_ID, type Vocab, type VocabJSON } from './vocab.js';

/** Which tokenizer a saved JSON describes. */
export type TokenizerKind = 'char' | 'word' | 'bpe';

/** Options of `decode`. */
export interface DecodeOptions {
  /** Keep `<pad>`, `<bos>`, `<eos>` in the text instead of dropping them. Default false. */
  readonly keepSpecial?: boolean;
}

/**
 * A deterministic text ↔ ids mapping. Text is normalized first (NFC, optional lowercase, whitespace runs
 * → one space, trimmed), and `decode(encode(s))` equals the normalized `s` whenever every token of
 * `s` is in the vocabulary (always, for BpeTokenizer with byte fallback).
 * @example
 * const ids = tokenizer.encode('Hello, world!');   // number[]
 * tokenizer.decode(ids);                            // 'Hello, world!'
 */
export interface Tokenizer {
  readonly kind: TokenizerKind;
  readonly vocab: Vocab;
  /** vocab.size: the model's embedding rows. */
  readonly vocabSize: number;
  readonly normalization: Required<NormalizeOptions>;
  /** Ids of the text's tokens, without `<bos>`/`<eos>` (the batcher adds those). */
  encode(text: string): number[];
  /** The tokens `encode` would produce, as strings (for inspection). */
  tokenize(text: string): string[];
  /** Text of `ids`; throws DataError naming the id and vocabSize for an id out of range. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  toJSON(): TokenizerJSON;
}

interface TokenizerJSONBase {
  readonly version: 1;
  readonly normalization: Required<NormalizeOptions>;
  readonly vocab: VocabJSON;
}
export interface CharTokenizerJSON extends TokenizerJSONBase { readonly type: 'char' }
export interface WordTokenizerJSON extends TokenizerJSONBase { readonly type: 'word' }
export interface BpeTokenizerJSON extends TokenizerJSONBase {
  readonly type: 'bpe';
  readonly unknown: UnknownHandling;
  /** Merges in the order they were learned: [left, right], the merged token is left + right. */
  readonly merges: readonly (readonly [string, string])[];
}
/** The saved form of any tokenizer; `tokenizerFromJSON` reads it back. */
export type TokenizerJSON = CharTokenizerJSON | WordTokenizerJSON | BpeTokenizerJSON;

/** What BPE does with a character it never saw: UTF-8 bytes as `<0xNN>` tokens, or `<unk>`. */
export type UnknownHandling = 'byte' | 'unk';

/** Normalization options with their defaults filled in, as tokenizers store them. */
export function resolveNormalization(options: NormalizeOptions = {}): Required<NormalizeOptions> {
  return { lowercase: options.lowercase ?? false };
}

/**
 * Maps ids to tokens for decode: validates every id against the vocabulary, drops `<pad>`/`<bos>`/`<eos>`
 * unless `keepSpecial`.
 */
export function idsToTokens(op: string, vocab: Vocab, ids: ArrayLike<number>, options: DecodeOptions = {}): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size) {
      throw new DataError(op, `id ${id} at position ${i} is out of range for vocabSize ${vocab.size} (ids 0..${vocab.size - 1})`);
    }
    if (!options.keepSpecial && (id === PAD_ID || id === BOS_ID || id === EOS_ID)) continue;
    tokens.push(vocab.tokenOf(id));
  }
  return tokens;
}

/** Checks the parts every saved tokenizer has, naming the expected type when the JSON is another. */
export function checkTokenizerJSON(op: string, json: TokenizerJSON, type: TokenizerKind): void {
  if (!json || typeof json !== 'object') throw new DataError(op, `expected a saved ${type} tokenizer object, got ${String(json)}`);
  if (json.type !== type) throw new DataError(op, `expected type '${type}', got ${JSON.stringify(json.type)}`);
  if (json.version !== 1) throw new DataError(op, `expected version 1, got ${JSON.stringify(json.version)}`);
}
