// Corpora and tokenizers for the CLI: read a corpus in any format the readers take, train the tokenizers
// the configuration asks for, and turn text pairs into token-id examples.
import fs from 'node:fs';
import type { CorpusReader, ReaderOptions, SentencePair } from '@gloss/data';
import { readJsonlPairs, readParallelFiles, readTsvPairs } from '@gloss/data/node';
import { CliError } from './errors.js';
import { tokenizersFromFiles, type Tokenizers } from './tokenizers.js';

export { trainTokenizers, encodePairs, tokenizerFiles, TOKENIZER_FILES, type TokenizerSpec, type Tokenizers } from './tokenizers.js';

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

/** Reads the tokenizers saved in a checkpoint directory. */
export function loadTokenizers(dir: string): Tokenizers {
  return tokenizersFromFiles((name) => {
    const file = `${dir}/${name}`;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  }, dir);
}
