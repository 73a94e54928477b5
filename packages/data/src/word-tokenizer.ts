// WordTokenizer: words, punctuation and symbols as tokens, with SentencePiece-style ▁ marking the pieces
// that follow a space, so decode restores the spacing exactly.
import { DataError } from './errors.js';
import { normalizeText, WORD_BOUNDARY, type NormalizeOptions } from './normalize.js';
import { joinPieces, preTokenize } from './pre-tokenize.js';
import {
  checkTokenizerJSON, idsToTokens, resolveNormalization,
  type DecodeOptions, type Tokenizer, type WordTokenizerJSON,
} from './tokenizer.js';
import { countTokens, UNK_ID, Vocab } from './vocab.js';

/** Options of `WordTokenizer.train`. */
export interface WordTokenizerOptions extends NormalizeOptions {
  /** Words seen fewer times encode to `<unk>`. Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary (specials and ▁ included); the most frequent words are kept. Default unlimited. */
  readonly maxSize?: number;
}

/**
 * Word-level tokenizer. Text is split into words (letters, digits and marks of any script, inner
 * apostrophes kept), single CJK characters, emoji and single punctuation/symbol characters; a piece
 * that follows a space carries a leading ▁ (`"Hi, you"` → `▁Hi , ▁you`). An unknown `▁word` encodes
 * to `▁ <unk>`, so even then the spacing survives decode.
 * @example
 * const tok = WordTokenizer.train(["Don't panic, Arthur."]);
 * tok.tokenize("Don't panic.");  // ["▁Don't", '▁panic', '.']
 */
export class WordTokenizer implements Tokenizer {
  readonly kind = 'word' as const;
  readonly normalization: Required<NormalizeOptions>;
  private readonly boundaryId: number;

  constructor(readonly vocab: Vocab, normalization: NormalizeOptions = {}) {
    this.normalization = resolveNormalization(normalization);
    const boundaryId = vocab.lookup(WORD_BOUNDARY);
    if (boundaryId === undefined) {
      throw new DataError('WordTokenizer', `the vocabulary must contain the word-boundary token ${WORD_BOUNDARY} (U+2581)`);
    }
    this.boundaryId = boundaryId;
  }

  /** Builds the word vocabulary of `corpus`; ▁ is always in it (id 4). */
  static train(corpus: Iterable<string>, options: WordTokenizerOptions = {}): WordTokenizer {
    const normalization = resolveNormalization(options);
    const counts = new Map<string, number>();
    for (const text of corpus) countTokens(preTokenize(normalizeText(text, normalization), 'word'), counts);
    const vocab = Vocab.build(counts, {
      minFrequency: options.minFrequency, maxSize: options.maxSize, reserved: [WORD_BOUNDARY],
    });
    return new WordTokenizer(vocab, normalization);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of preTokenize(normalizeText(text, this.normalization), 'word')) {
      const id = this.vocab.lookup(piece);
      if (id !== undefined) {
        ids.push(id);
      } else if (piece.startsWith(WORD_BOUNDARY)) {
        // Unknown "▁word": keep the space as ▁, then the bare word if known, else <unk>.
        ids.push(this.boundaryId, this.vocab.idOf(piece.slice(WORD_BOUNDARY.length)));
      } else {
        ids.push(UNK_ID);
      }
    }
    return ids;
  }

  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.vocab.tokenOf(id));
  }

  decode(ids: ArrayLike<number>, options?: DecodeOptions): string {
    return joinPieces(idsToTokens('WordTokenizer.decode', this.vocab, ids, options).join(''));
  }

  toJSON(): WordTokenizerJSON {
    return { type: 'word', version: 1, normalization: this.normalization, vocab: this.vocab.toJSON() };
  }

  static fromJSON(json: WordTokenizerJSON): WordTokenizer {
    checkTokenizerJSON('WordTokenizer.fromJSON', json, 'word');
    return new WordTokenizer(Vocab.fromJSON(json.vocab), json.normalization);
  }
}
