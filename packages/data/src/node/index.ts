// @gloss/data/node: corpus readers over file paths (plain or gzip), with the same errors (file:line) as the main
// entry's readers over a TextSource; fileSource turns a path into a TextSource.
import type { ReaderOptions, CorpusReader } from '../corpus-reader.js';
import { fileSource } from '../file-bytes.js';
import { readJsonlPairs as readJsonlSource, type JsonlReaderOptions } from '../jsonl-reader.js';
import { readParallelFiles as readParallelSources } from '../parallel-reader.js';
import type { TextSource } from '../text-source.js';
import { readTsvPairs as readTsvSource } from '../tsv-reader.js';

export { fileSource };

const toSource = (input: string | TextSource): TextSource => (typeof input === 'string' ? fileSource(input) : input);

/**
 * Reads tab-separated pairs (Tatoeba/Anki `deu.txt`: English<TAB>German<TAB>attribution) from a file path.
 * @example
 * const pairs = await readTsvPairs('deu.txt', { onError: 'skip', maxLength: 100 }).toArray();
 */
export function readTsvPairs(path: string | TextSource, options?: ReaderOptions): CorpusReader {
  return readTsvSource(toSource(path), options);
}

/**
 * Reads line-aligned parallel files (Multi30k/WMT: train.de + train.en). Files with different line counts are an
 * error naming both files and both counts; under onError 'skip' each unmatched line counts as malformed.
 * @example
 * const reader = readParallelFiles('train.de', 'train.en', { maxLength: 250 });
 */
export function readParallelFiles(srcPath: string | TextSource, tgtPath: string | TextSource, options?: ReaderOptions): CorpusReader {
  return readParallelSources(toSource(srcPath), toSource(tgtPath), options);
}

/**
 * Reads JSON Lines pairs from a file path.
 * @example
 * const reader = readJsonlPairs('cnn.jsonl', { fields: { src: 'article', tgt: 'summary' } });
 */
export function readJsonlPairs(path: string | TextSource, options?: JsonlReaderOptions): CorpusReader {
  return readJsonlSource(toSource(path), options);
}
