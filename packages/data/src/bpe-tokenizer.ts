// BpeTokenizer: subword units learned by byte-pair encoding over ▁-marked pieces (SentencePiece-style
// spacing), with byte fallback or <unk> for characters the training corpus did not have.
import { learnBpe, mergePair } from './bpe-train.js';
import { BYTE_TOKENS, joinWithBytes, utf8Bytes } from './byte-tokens.js';
import { DataError } from './errors.js';
import { normalizeText, type NormalizeOptions } from './normalize.js';
import { joinPieces, preTokenize } from './pre-tokenize.js';
import {
  checkTokenizerJSON, idsToTokens, resolveNormalization,
  type BpeTokenizerJSON, type DecodeOptions, type Tokenizer, type UnknownHandling,
} from './tokenizer.js';
import { countTokens, SPECIAL_TOKENS, UNK_ID, Vocab } from './vocab.js';

/** Options of `BpeTokenizer.train`. */
export interface BpeTokenizerOptions extends NormalizeOptions {
  /** Target vocabulary size: specials, byte tokens, characters and merged tokens together. Default 8000. */
  readonly vocabSize?: number;
  /** A pair must occur at least this often to be merged. Default 2. */
  readonly minFrequency?: number;
  /** Characters seen fewer times are left out of the alphabet (bytes or <unk> then). Default 1. */
  readonly minCharFrequency?: number;
  /** Unseen characters: 'byte' (UTF-8 bytes as `<0xNN>` tokens, ids 4–259) or 'unk'. Default 'byte'. */
  readonly unknown?: UnknownHandling;
}

/** Pair of vocabulary ids as one Map key. */
const SHIFT = 2 ** 24;
/** Encoded pieces kept for reuse; the cache is cleared when it grows past this. */
const CACHE_LIMIT = 100_000;

/**
 * Byte-pair-encoding tokenizer. Vocabulary: the 4 specials, then (byte fallback) the 256 byte tokens,
 * then the characters, then merged tokens in the order learned. Merges never cross a piece boundary:
 * a piece is a word (with its leading ▁), a CJK run, an emoji or one punctuation character.
 * @example
 * const tok = BpeTokenizer.train(sentences, { vocabSize: 8000 });
 * tok.tokenize('lower');          // e.g. ['▁low', 'er']
 * tok.decode(tok.encode('naïve 🙂'));  // 'naïve 🙂', unseen characters included
 */
export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly normalization: Required<NormalizeOptions>;
  readonly merges: readonly (readonly [string, string])[];
  readonly unknown: UnknownHandling;
  private readonly ranks = new Map<number, { rank: number; id: number }>();
  private readonly cache = new Map<string, number[]>();

  constructor(readonly vocab: Vocab, merges: readonly (readonly [string, string])[], options: { unknown?: UnknownHandling } & NormalizeOptions = {}) {
    this.normalization = resolveNormalization(options);
    this.unknown = options.unknown ?? 'byte';
    this.merges = merges.map(([left, right]) => [left, right] as const);
    if (this.unknown === 'byte') {
      BYTE_TOKENS.forEach((token, byte) => {
        if (vocab.lookup(token) !== SPECIAL_TOKENS.length + byte) {
          throw new DataError('BpeTokenizer', `byte fallback needs ${token} at id ${SPECIAL_TOKENS.length + byte}, got id ${vocab.lookup(token)}`);
        }
      });
    }
    this.merges.forEach(([left, right], rank) => {
      const [a, b, id] = [left, right, left + right].map((token) => vocab.lookup(token));
      if (a === undefined || b === undefined || id === undefined) {
        throw new DataError('BpeTokenizer', `merge ${rank} (${JSON.stringify(left)} + ${JSON.stringify(right)}) uses a token missing from the vocabulary`);
      }
      const key = a * SHIFT + b;
      if (!this.ranks.has(key)) this.ranks.set(key, { rank, id });
    });
  }

  /** Learns merges from `corpus` until the vocabulary reaches `vocabSize` or no pair is frequent enough. */
  static train(corpus: Iterable<string>, options: BpeTokenizerOptions = {}): BpeTokenizer {
    const { vocabSize = 8000, minFrequency = 2, minCharFrequency = 1, unknown = 'byte' } = options;
    const normalization = resolveNormalization(options);
    const reserved = unknown === 'byte' ? [...SPECIAL_TOKENS, ...BYTE_TOKENS] : [...SPECIAL_TOKENS];
    if (!Number.isInteger(vocabSize) || vocabSize < reserved.length) {
      throw new DataError('BpeTokenizer.train', `vocabSize must be an integer >= ${reserved.length} (the special${unknown === 'byte' ? ' and byte' : ''} tokens), got ${vocabSize}`);
    }
    const counts = new Map<string, number>();
    for (const text of corpus) countTokens(preTokenize(normalizeText(text, normalization), 'subword'), counts);
    const model = learnBpe(counts, {
      maxTokens: vocabSize - reserved.length, minFrequency, minCharFrequency, reserved: new Set(reserved),
    });
    const vocab = new Vocab(
      [...reserved, ...model.alphabet, ...model.mergedTokens],
      [...reserved.map(() => 0), ...model.counts],
    );
    return new BpeTokenizer(vocab, model.merges, { unknown, ...normalization });
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of preTokenize(normalizeText(text, this.normalization), 'subword')) {
      for (const id of this.encodePiece(piece)) ids.push(id);
    }
    return ids;
  }

  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.vocab.tokenOf(id));
  }

  decode(ids: ArrayLike<number>, options?: DecodeOptions): string {
    return joinPieces(joinWithBytes(idsToTokens('BpeTokenizer.decode', this.vocab, ids, options)));
  }

  toJSON(): BpeTokenizerJSON {
    return {
      type: 'bpe', version: 1, normalization: this.normalization, unknown: this.unknown,
      vocab: this.vocab.toJSON(), merges: this.merges.map(([left, right]) => [left, right]),
    };
  }

  static fromJSON(json: BpeTokenizerJSON): BpeTokenizer {
    checkTokenizerJSON('BpeTokenizer.fromJSON', json, 'bpe');
    if (!Array.isArray(json.merges)) throw new DataError('BpeTokenizer.fromJSON', `expected merges to be an array of [left, right], got ${typeof json.merges}`);
    return new BpeTokenizer(Vocab.fromJSON(json.vocab), json.merges, { unknown: json.unknown, ...json.normalization });
  }

  /** Ids of one piece: characters, then the lowest-ranked merge applied everywhere, repeatedly. */
  private encodePiece(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    // Known characters as ids; an unknown character as -(code point + 1), which no merge matches.
    let symbols = Array.from(piece, (char) => this.vocab.lookup(char) ?? -((char.codePointAt(0) as number) + 1));
    for (;;) {
      let best: { rank: number; id: number } | undefined;
      let bestAt = -1;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const merge = this.ranks.get(symbols[i] * SHIFT + symbols[i + 1]);
        if (symbols[i] >= 0 && symbols[i + 1] >= 0 && merge && (!best || merge.rank < best.rank)) {
          best = merge;
          bestAt = i;
        }
      }
      if (!best) break;
      symbols = mergePair(symbols, symbols[bestAt], symbols[bestAt + 1], best.id);
    }
    const ids: number[] = [];
    for (const symbol of symbols) {
      if (symbol >= 0) ids.push(symbol);
      else if (this.unknown === 'unk') ids.push(UNK_ID);
      else for (const byte of utf8Bytes(String.fromCodePoint(-symbol - 1))) ids.push(SPECIAL_TOKENS.length + byte);
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }
}
