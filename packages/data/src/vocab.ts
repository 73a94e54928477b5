// Vocab: the token ↔ id table shared by every tokenizer, with the four special tokens at fixed ids.
import { DataError } from './errors.js';

/** Padding: fills batches to a common length; masked out of attention and loss. */
export const PAD_ID = 0;
/** Beginning of sequence: the first decoder input. */
export const BOS_ID = 1;
/** End of sequence: the last decoder target; decoding stops on it. */
export const EOS_ID = 2;
/** Unknown token: what a token missing from the vocabulary encodes to. */
export const UNK_ID = 3;
/** The special tokens, index = id. Every Vocab starts with exactly these. */
export const SPECIAL_TOKENS: readonly string[] = ['<pad>', '<bos>', '<eos>', '<unk>'];

/** What `Vocab.toJSON` writes: tokens in id order and their corpus frequencies. */
export interface VocabJSON {
  readonly tokens: readonly string[];
  readonly frequencies: readonly number[];
}

/** Options of `Vocab.build`. */
export interface VocabBuildOptions {
  /** Tokens seen fewer times than this are left out (they will encode to `<unk>`). Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary, specials and reserved tokens included; the most frequent tokens are kept. */
  readonly maxSize?: number;
  /** Tokens always present, right after the specials, in this order (e.g. byte tokens). */
  readonly reserved?: readonly string[];
}

/**
 * An immutable token ↔ id table. Ids 0–3 are `<pad>`, `<bos>`, `<eos>`, `<unk>`; then reserved tokens;
 * then corpus tokens by descending frequency, ties broken by code-unit order so building is deterministic.
 * @example
 * const vocab = Vocab.build(new Map([['a', 5], ['b', 2], ['c', 1]]), { minFrequency: 2 });
 * vocab.idOf('a');  // 4
 * vocab.idOf('c');  // 3 (UNK_ID)
 */
export class Vocab {
  private readonly tokens: readonly string[];
  private readonly frequencies: readonly number[];
  private readonly ids = new Map<string, number>();

  /** Tokens in id order; they must start with SPECIAL_TOKENS and be unique. */
  constructor(tokens: readonly string[], frequencies?: readonly number[]) {
    SPECIAL_TOKENS.forEach((special, id) => {
      if (tokens[id] !== special) {
        throw new DataError('Vocab', `id ${id} must be ${special}, got ${JSON.stringify(tokens[id])}`);
      }
    });
    if (frequencies !== undefined && frequencies.length !== tokens.length) {
      throw new DataError('Vocab', `got ${tokens.length} tokens but ${frequencies.length} frequencies`);
    }
    tokens.forEach((token, id) => {
      if (typeof token !== 'string') throw new DataError('Vocab', `token ${id} must be a string, got ${typeof token}`);
      const previous = this.ids.get(token);
      if (previous !== undefined) {
        throw new DataError('Vocab', `token ${JSON.stringify(token)} appears twice, at ids ${previous} and ${id}`);
      }
      this.ids.set(token, id);
    });
    this.tokens = [...tokens];
    this.frequencies = frequencies ? [...frequencies] : tokens.map(() => 0);
  }

  /**
   * Builds a vocabulary from token counts (a Map, entries, or a plain token stream to count).
   * @example
   * Vocab.build(['a', 'b', 'a']).tokensInOrder();  // ['<pad>', '<bos>', '<eos>', '<unk>', 'a', 'b']
   */
  static build(counts: ReadonlyMap<string, number> | Iterable<string>, options: VocabBuildOptions = {}): Vocab {
    const { minFrequency = 1, maxSize = Infinity, reserved = [] } = options;
    const fixed = [...SPECIAL_TOKENS, ...reserved];
    if (maxSize < fixed.length) {
      throw new DataError('Vocab.build', `maxSize ${maxSize} is smaller than the ${fixed.length} special and reserved tokens`);
    }
    const table = counts instanceof Map ? (counts as ReadonlyMap<string, number>) : countTokens(counts as Iterable<string>);
    const fixedSet = new Set(fixed);
    const ranked = [...table.entries()]
      .filter(([token, count]) => count >= minFrequency && !fixedSet.has(token))
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, maxSize - fixed.length);
    return new Vocab(
      [...fixed, ...ranked.map(([token]) => token)],
      [...fixed.map((token) => table.get(token) ?? 0), ...ranked.map(([, count]) => count)],
    );
  }

  /** Number of tokens, specials included: the model's vocabSize. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or UNK_ID when it is not in the vocabulary. */
  idOf(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** The id of `token`, or undefined when it is not in the vocabulary. */
  lookup(token: string): number | undefined {
    return this.ids.get(token);
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The token with id `id`; throws DataError naming the id and the vocabulary size when out of range. */
  tokenOf(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
      throw new DataError('Vocab.tokenOf', `id ${id} is out of range for a vocabulary of size ${this.tokens.length} (ids 0..${this.tokens.length - 1})`);
    }
    return this.tokens[id];
  }

  /** How often `token` was seen when the vocabulary was built (0 for specials and unseen tokens). */
  frequencyOf(token: string): number {
    const id = this.ids.get(token);
    return id === undefined ? 0 : this.frequencies[id];
  }

  /** All tokens, index = id. */
  tokensInOrder(): string[] {
    return [...this.tokens];
  }

  toJSON(): VocabJSON {
    return { tokens: [...this.tokens], frequencies: [...this.frequencies] };
  }

  static fromJSON(json: VocabJSON): Vocab {
    if (!json || !Array.isArray(json.tokens)) {
      throw new DataError('Vocab.fromJSON', `expected { tokens: string[], frequencies: number[] }, got ${describe(json)}`);
    }
    return new Vocab(json.tokens, Array.isArray(json.frequencies) ? json.frequencies : undefined);
  }
}

/** Counts how often each token occurs. */
export function countTokens(tokens: Iterable<string>, into: Map<string, number> = new Map()): Map<string, number> {
  for (const token of tokens) into.set(token, (into.get(token) ?? 0) + 1);
  return into;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
