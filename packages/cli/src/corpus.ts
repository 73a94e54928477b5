// Corpora and tokenizers for the CLI: read a corpus in any format the readers take, train the tokenizers
// the configuration asks for, and turn text pairs into token-id examples.
import fs from 'node:fs';
import {
  BpeTokenizer, CharTokenizer, WordTokenizer, tokenizerFromJSON,
  type CorpusReader, type Example, type ReaderOptions, type SentencePair, type Tokenizer,
} from '@gloss/data';
import { readJsonlPairs, readParallelFiles, readTsvPairs } from '@gloss/data/node';
import { CliError } from './errors.js';

export interface CorpusSpec {
  format: string;
  srcLang: string;
  tgtLang: string;
  srcField: string;
  tgtField: string;
  onError: string;
}

/** The format `auto` stands for, from the path (a .gz ending aside): .jsonl → jsonl, .tsv/.txt → tsv, else parallel files. */
export function detectFormat(path: string, format: string): 'tsv' | 'parallel' | 'jsonl' {
  if (format !== 'auto') return format as 'tsv' | 'parallel' | 'jsonl';
  if (/\.jsonl(\.gz)?$/i.test(path)) return 'jsonl';
  if (/\.(tsv|txt)(\.gz)?$/i.test(path)) return 'tsv';
  return 'parallel';
}

/** The file of one side of a parallel corpus: PREFIX.LANG, else PREFIX.LANG.gz; a CliError naming both when neither exists. */
function parallelFile(prefix: string, lang: string): string {
  const plain = `${prefix}.${lang}`;
  if (fs.existsSync(plain)) return plain;
  if (fs.existsSync(`${plain}.gz`)) return `${plain}.gz`;
  throw new CliError(`corpus file not found: ${plain} (nor ${plain}.gz)`, 1);
}

/** A reader over `path` in the spec's format, plain or gzip (the readers gunzip); missing files are a CliError naming them. */
export function openCorpus(path: string, spec: CorpusSpec, options: ReaderOptions = {}): CorpusReader {
  const format = detectFormat(path, spec.format);
  const opts = { ...options, onError: spec.onError as 'throw' | 'skip' };
  const need = (file: string): string => {
    if (!fs.existsSync(file)) throw new CliError(`corpus file not found: ${file}`, 1);
    return file;
  };
  switch (format) {
    case 'jsonl': return readJsonlPairs(need(path), { ...opts, fields: { src: spec.srcField, tgt: spec.tgtField } });
    case 'tsv': return readTsvPairs(need(path), opts);
    case 'parallel': return readParallelFiles(parallelFile(path, spec.srcLang), parallelFile(path, spec.tgtLang), opts);
  }
}

/** All pairs of a corpus, read whole (the CLI's corpora fit in memory). */
export function readCorpus(path: string, spec: CorpusSpec, options: ReaderOptions = {}): { pairs: SentencePair[]; reader: CorpusReader } {
  const reader = openCorpus(path, spec, options);
  return { pairs: [...reader], reader };
}

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

/** Reads the tokenizers saved in a checkpoint directory. */
export function loadTokenizers(dir: string): Tokenizers {
  const read = (name: string): Tokenizer => {
    const file = `${dir}/${name}`;
    try {
      return tokenizerFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (e) {
      throw new CliError(`${file}: cannot load the tokenizer: ${(e as Error).message}`, 1);
    }
  };
  if (fs.existsSync(`${dir}/${TOKENIZER_FILES.shared}`)) {
    const tok = read(TOKENIZER_FILES.shared);
    return { src: tok, tgt: tok };
  }
  if (fs.existsSync(`${dir}/${TOKENIZER_FILES.src}`)) return { src: read(TOKENIZER_FILES.src), tgt: read(TOKENIZER_FILES.tgt) };
  throw new CliError(`${dir}: no tokenizer in this checkpoint (expected ${TOKENIZER_FILES.shared}, or ${TOKENIZER_FILES.src} and ${TOKENIZER_FILES.tgt})`, 1);
}
