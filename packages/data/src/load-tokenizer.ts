// tokenizerFromJSON: reads back any saved tokenizer, choosing the class by its `type`.
import { BpeTokenizer } from './bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { DataError } from './errors.js';
import type { Tokenizer, TokenizerJSON } from './tokenizer.js';
import { WordTokenizer } from './word-tokenizer.js';

/**
 * The tokenizer `json` (from `toJSON`, possibly through JSON.stringify/parse) describes.
 * @example
 * const copy = tokenizerFromJSON(JSON.parse(JSON.stringify(tokenizer)));
 */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  switch (json?.type) {
    case 'char': return CharTokenizer.fromJSON(json);
    case 'word': return WordTokenizer.fromJSON(json);
    case 'bpe': return BpeTokenizer.fromJSON(json);
    default:
      throw new DataError('tokenizerFromJSON', `expected type 'char', 'word' or 'bpe', got ${JSON.stringify((json as { type?: unknown } | undefined)?.type)}`);
  }
}
