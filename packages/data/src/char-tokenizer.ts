// CharTokenizer: one token per Unicode code point (after NFC, so é is one token), spaces included.
import { normalizeText, type NormalizeOptions } from './normalize.js';
import {
  checkTokenizerJSON, idsToTokens, resolveNormalization,
  type CharTokenizerJSON, type DecodeOptions, type Tokenizer,
} from './tokenizer.js';
import { countTokens, Vocab } from './vocab.js';

/** Options of `CharTokenizer.train`. */
export interface CharTokenizerOptions extends NormalizeOptions {
  /** Characters seen fewer times encode to `<unk>`. Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary, the four specials included. Default unlimited. */
  readonly maxSize?: number;
}

/**
 * Character-level tokenizer: each code point of the normalized text is a token.
 * @example
 * const tok = CharTokenizer.train(['hello world']);
 * tok.tokenize('hold');  // ['h', 'o', 'l', 'd']
 */
export class CharTokenizer implements Tokenizer {
  readonly kind = 'char' as const;
  readonly normalization: Required<NormalizeOptions>;

  constructor(readonly vocab: Vocab, normalization: NormalizeOptions = {}) {
    this.normalization = resolveNormalization(normalization);
  }

  /** Builds the character vocabulary of `corpus`. */
  static train(corpus: Iterable<string>, options: CharTokenizerOptions = {}): CharTokenizer {
    const normalization = resolveNormalization(options);
    const counts = new Map<string, number>();
    for (const text of corpus) countTokens(normalizeText(text, normalization), counts);
    const vocab = Vocab.build(counts, { minFrequency: options.minFrequency, maxSize: options.maxSize });
    return new CharTokenizer(vocab, normalization);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  tokenize(text: string): string[] {
    return Array.from(normalizeText(text, this.normalization));
  }

  encode(text: string): number[] {
    return this.tokenize(text).map((char) => this.vocab.idOf(char));
  }

  decode(ids: ArrayLike<number>, options?: DecodeOptions): string {
    return idsToTokens('CharTokenizer.decode', this.vocab, ids, options).join('');
  }

  toJSON(): CharTokenizerJSON {
    return { type: 'char', version: 1, normalization: this.normalization, vocab: this.vocab.toJSON() };
  }

  static fromJSON(json: CharTokenizerJSON): CharTokenizer {
    checkTokenizerJSON('CharTokenizer.fromJSON', json, 'char');
    return new CharTokenizer(Vocab.fromJSON(json.vocab), json.normalization);
  }
}
