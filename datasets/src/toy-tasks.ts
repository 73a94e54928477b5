// The copy and reverse sanity tasks (the Annotated Transformer's copy task, JoeyNMT's reverse task):
// random symbol sequences, as token strings for a tokenizer or as ids ready for a model.
import { Generator, ValueError } from '@gloss/tensor';

/** Options of the toy tasks. */
export interface ToyTaskOptions {
  /** Seed of the Generator every symbol is drawn from. */
  readonly seed: number | string;
  /** Number of pairs. */
  readonly count: number;
  /** Symbols are 1 … vocabSize − 1, as in the Annotated Transformer (0 is its padding). Default 11. */
  readonly vocabSize?: number;
  /** Sequence length, or the longest when `minLength` is given. Default 10. */
  readonly length?: number;
  /** Shortest sequence; lengths are uniform in [minLength, length]. Default `length` (all equal). */
  readonly minLength?: number;
}

/** A toy pair as space-separated symbols: { src: '3 7 1 9', tgt: '9 1 7 3' }. */
export interface ToyPair {
  readonly src: string;
  readonly tgt: string;
}

/** A toy pair as ids (see TOY_ID_OFFSET), without <bos>/<eos>: batching adds them. */
export interface ToyIdPair {
  readonly src: Int32Array;
  readonly tgt: Int32Array;
}

/**
 * Id of symbol k is k + TOY_ID_OFFSET, so ids 0–3 stay @gloss/data's <pad>, <bos>, <eos>, <unk> and
 * symbol 1 is id 4. A model for the id variant needs `vocabSize + TOY_ID_OFFSET` embeddings.
 */
export const TOY_ID_OFFSET = 3;

/**
 * The id → token table of the id variant, index = id: ['<pad>', '<bos>', '<eos>', '<unk>', '1', …,
 * String(vocabSize − 1)] — `new Vocab(toyTaskTokens(11))` in @gloss/data gives exactly these ids.
 */
export function toyTaskTokens(vocabSize = 11): string[] {
  checkVocabSize('toyTaskTokens', vocabSize);
  return ['<pad>', '<bos>', '<eos>', '<unk>', ...Array.from({ length: vocabSize - 1 }, (_, i) => String(i + 1))];
}

function checkVocabSize(op: string, vocabSize: number): void {
  if (!Number.isInteger(vocabSize) || vocabSize < 2) {
    throw new ValueError(op, `vocabSize must be an integer ≥ 2 (symbols are 1 … vocabSize − 1), got ${vocabSize}`);
  }
}

/** Draws `count` symbol sequences (values 1 … vocabSize − 1). */
function symbolSequences(op: string, options: ToyTaskOptions): Int32Array[] {
  const { seed, count, vocabSize = 11, length = 10, minLength = length } = options;
  checkVocabSize(op, vocabSize);
  if (!Number.isInteger(count) || count < 0) throw new ValueError(op, `count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(length) || length < 1) throw new ValueError(op, `length must be a positive integer, got ${length}`);
  if (!Number.isInteger(minLength) || minLength < 1 || minLength > length) {
    throw new ValueError(op, `minLength must be an integer in [1, length = ${length}], got ${minLength}`);
  }
  const g = new Generator(seed);
  return Array.from({ length: count }, () => {
    const n = minLength + g.int(length - minLength + 1);
    return Int32Array.from({ length: n }, () => 1 + g.int(vocabSize - 1));
  });
}

const toText = (symbols: Int32Array): string => Array.from(symbols).join(' ');
const toIds = (symbols: Int32Array): Int32Array => symbols.map((s) => s + TOY_ID_OFFSET);

/**
 * Copy task: the target is the source.
 * @example
 * copyTask({ seed: 0, count: 1, vocabSize: 11, length: 4 });  // [{ src: '2 5 7 2', tgt: '2 5 7 2' }]
 */
export function copyTask(options: ToyTaskOptions): ToyPair[] {
  return symbolSequences('copyTask', options).map((s) => ({ src: toText(s), tgt: toText(s) }));
}

/** Reverse task: the target is the source backwards ('2 5 7 2' → '2 7 5 2'). Same draws as copyTask for a seed. */
export function reverseTask(options: ToyTaskOptions): ToyPair[] {
  return symbolSequences('reverseTask', options).map((s) => ({ src: toText(s), tgt: toText(s.slice().reverse()) }));
}

/** Copy task as ids (symbol k → id k + TOY_ID_OFFSET); the same sequences as copyTask for the same options. */
export function copyTaskIds(options: ToyTaskOptions): ToyIdPair[] {
  return symbolSequences('copyTaskIds', options).map((s) => ({ src: toIds(s), tgt: toIds(s) }));
}

/** Reverse task as ids; the same sequences as reverseTask for the same options. */
export function reverseTaskIds(options: ToyTaskOptions): ToyIdPair[] {
  return symbolSequences('reverseTaskIds', options).map((s) => ({ src: toIds(s), tgt: toIds(s).reverse() }));
}
