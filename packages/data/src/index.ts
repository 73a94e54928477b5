// @gloss/data: tokenizers (char, word, BPE), vocabularies, streaming corpus readers, length-bucketed batching.
// Readers take a TextSource (a string, bytes, a File, a stream); @gloss/data/node adds file paths.
export { DataError, type DataLocation } from './errors.js';
export { Vocab, PAD_ID, BOS_ID, EOS_ID, UNK_ID, SPECIAL_TOKENS, type VocabJSON, type VocabBuildOptions } from './vocab.js';
export { normalizeText, type NormalizeOptions } from './normalize.js';
export { preTokenize, type PreTokenizeMode } from './pre-tokenize.js';
export type {
  Tokenizer, TokenizerKind, TokenizerJSON, DecodeOptions, UnknownHandling,
  CharTokenizerJSON, WordTokenizerJSON, BpeTokenizerJSON,
} from './tokenizer.js';
export { CharTokenizer, type CharTokenizerOptions } from './char-tokenizer.js';
export { WordTokenizer, type WordTokenizerOptions } from './word-tokenizer.js';
export { BpeTokenizer, type BpeTokenizerOptions } from './bpe-tokenizer.js';
export { tokenizerFromJSON } from './load-tokenizer.js';
export { textSource, type TextSource } from './text-source.js';
export { CorpusReader, type SentencePair, type ReaderOptions, type ReaderStats, type ReaderIssue } from './corpus-reader.js';
export { readTsvPairs } from './tsv-reader.js';
export { readParallelFiles } from './parallel-reader.js';
export { readJsonlPairs, type JsonlReaderOptions } from './jsonl-reader.js';
export { collate, type Batch, type Example } from './collate.js';
export { planBatches, type BucketOptions, type ExampleLength } from './bucketing.js';
export { BatchIterator, type BatchIteratorOptions, type BatchIteratorState } from './batch-iterator.js';
