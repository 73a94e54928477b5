// Tokenizers of a run, without the file system (so a web page uses the same code): trained on the training
// pairs as gloss train's config asks, turned into token-id examples, written to a checkpoint's files and read back.
import {
  BpeTokenizer, CharTokenizer, WordTokenizer, tokenizerFromJSON, type Example, type SentencePair, type Tokenizer,
} from '@gloss/data';
import { CliError } from './errors.js';

export interface TokenizerSpec {
  tokenizer: string;
  vocabSize: number;
  minFrequency: number;
  sharedVocab: boolean;
  lowercase: boolean;
}

export interface Tokenizers {
  src: Tokenizer;
  tgt: Tokenizer;
}

function train(kind: string, texts: string[], spec: TokenizerSpec): Tokenizer {
  const normalization = { lowercase: spec.lowercase };
  switch (kind) {
    case 'bpe': return BpeTokenizer.train(texts, { ...normalization, vocabSize: spec.vocabSize, minFrequency: Math.max(2, spec.minFrequency) });
    case 'word': return WordTokenizer.train(texts, { ...normalization, maxSize: spec.vocabSize, minFrequency: spec.minFrequency });
    case 'char': return CharTokenizer.train(texts, { ...normalization, maxSize: spec.vocabSize, minFrequency: spec.minFrequency });
    default: throw new CliError(`unknown tokenizer "${kind}" (expected bpe, word or char)`);
  }
}

/** Trains the tokenizers on the training pairs: one for both sides, or one per side. */
export function trainTokenizers(pairs: readonly SentencePair[], spec: TokenizerSpec): Tokenizers {
  if (spec.sharedVocab) {
    const tok = train(spec.tokenizer, pairs.flatMap((p) => [p.src, p.tgt]), spec);
    return { src: tok, tgt: tok };
  }
  return {
    src: train(spec.tokenizer, pairs.map((p) => p.src), spec),
    tgt: train(spec.tokenizer, pairs.map((p) => p.tgt), spec),
  };
}

/**
 * Token-id examples of pairs; pairs with an empty side after tokenizing, or longer than maxLength, are dropped
 * (counted). The ids of all examples live in two packed buffers (one per side) and each example's src and tgt
 * are views of them: ~170 bytes of JavaScript heap per example instead of ~600 for two small arrays of its own,
 * so the garbage collector, which marks the whole heap several times a training step, has a sixth as much to mark.
 */
export function encodePairs(pairs: readonly SentencePair[], tok: Tokenizers, maxLength = Infinity): { examples: Example[]; dropped: number } {
  const src = new PackedIds();
  const tgt = new PackedIds();
  let dropped = 0;
  for (const p of pairs) {
    const s = tok.src.encode(p.src);
    const t = tok.tgt.encode(p.tgt);
    if (s.length === 0 || t.length === 0 || s.length > maxLength || t.length + 1 > maxLength) { dropped++; continue; }
    src.push(s);
    tgt.push(t);
  }
  const srcViews = src.views();
  const tgtViews = tgt.views();
  return { examples: srcViews.map((v, i) => ({ src: v, tgt: tgtViews[i] })), dropped };
}

/** Id sequences appended into one growing Int32Array; views() cuts it into one subarray per sequence. */
class PackedIds {
  private ids = new Int32Array(1 << 16);
  private size = 0;
  private readonly ends: number[] = [];

  push(seq: readonly number[]): void {
    if (this.size + seq.length > this.ids.length) {
      const grown = new Int32Array(Math.max(2 * this.ids.length, this.size + seq.length));
      grown.set(this.ids.subarray(0, this.size));
      this.ids = grown;
    }
    for (let i = 0; i < seq.length; i++) this.ids[this.size + i] = seq[i];
    this.size += seq.length;
    this.ends.push(this.size);
  }

  views(): Int32Array[] {
    const ids = this.ids.slice(0, this.size);
    return this.ends.map((end, i) => ids.subarray(i === 0 ? 0 : this.ends[i - 1], end));
  }
}

/** Tokenizer files in a checkpoint directory: one shared file, or one per side. */
export const TOKENIZER_FILES = { shared: 'tokenizer.json', src: 'tokenizer.src.json', tgt: 'tokenizer.tgt.json' } as const;

/** The files that hold `tok`, by name, for saveCheckpoint's extras. */
export function tokenizerFiles(tok: Tokenizers): Record<string, string> {
  if (tok.src === tok.tgt) return { [TOKENIZER_FILES.shared]: JSON.stringify(tok.src) };
  return { [TOKENIZER_FILES.src]: JSON.stringify(tok.src), [TOKENIZER_FILES.tgt]: JSON.stringify(tok.tgt) };
}

/**
 * The tokenizers of a checkpoint from its files: `read(name)` gives a file's text, or null when it is absent;
 * `where` (a directory, a URL, a file picker's selection) names the checkpoint in errors.
 */
export function tokenizersFromFiles(read: (name: string) => string | null, where: string): Tokenizers {
  const load = (name: string, text: string): Tokenizer => {
    try {
      return tokenizerFromJSON(JSON.parse(text));
    } catch (e) {
      throw new CliError(`${where}/${name}: cannot load the tokenizer: ${(e as Error).message}`, 1);
    }
  };
  const shared = read(TOKENIZER_FILES.shared);
  if (shared !== null) {
    const tok = load(TOKENIZER_FILES.shared, shared);
    return { src: tok, tgt: tok };
  }
  const src = read(TOKENIZER_FILES.src);
  if (src !== null) {
    const tgt = read(TOKENIZER_FILES.tgt);
    if (tgt === null) throw new CliError(`${where}/${TOKENIZER_FILES.tgt}: cannot load the tokenizer: the file is missing (${TOKENIZER_FILES.src} is there)`, 1);
    return { src: load(TOKENIZER_FILES.src, src), tgt: load(TOKENIZER_FILES.tgt, tgt) };
  }
  throw new CliError(`${where}: no tokenizer in this checkpoint (expected ${TOKENIZER_FILES.shared}, or ${TOKENIZER_FILES.src} and ${TOKENIZER_FILES.tgt})`, 1);
}
