// Tab-separated sentence pairs, one per line: `source<TAB>target[<TAB>ignored…]` (Tatoeba/Anki format).
import { CorpusReader, lineRecordSource, quoteLine, type ParseLine, type ReaderOptions } from './corpus-reader.js';
import type { TextSource } from './text-source.js';

/** Splits one TSV line: the first two fields are source and target; later fields are ignored. */
export const parseTsvLine: ParseLine = (text) => {
  const fields = text.split('\t');
  if (fields.length < 2) {
    return { error: `expected at least 2 tab-separated fields (source<TAB>target), got 1: ${quoteLine(text)}` };
  }
  return { src: fields[0], tgt: fields[1] };
};

/**
 * Reads tab-separated pairs (Tatoeba/Anki `deu.txt`: English<TAB>German<TAB>attribution) from `source`
 * (textSource(text | bytes | File | stream); in Node, @gloss/data/node's readTsvPairs takes a path).
 * @example
 * const pairs = await readTsvPairs(textSource(file), { onError: 'skip', maxLength: 100 }).toArray();
 */
export function readTsvPairs(source: TextSource, options?: ReaderOptions): CorpusReader {
  return new CorpusReader(lineRecordSource('readTsvPairs', source, parseTsvLine), options);
}
