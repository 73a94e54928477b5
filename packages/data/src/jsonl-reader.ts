// JSON Lines pairs: one JSON object per line with the source and target under named fields
// (default {"src", "tgt"}; e.g. {"article", "summary"} for summarization corpora).
import { CorpusReader, lineRecordSource, quoteLine, type ParseLine, type ReaderOptions } from './corpus-reader.js';
import { DataError } from './errors.js';
import type { TextSource } from './text-source.js';

/** Options of `readJsonlPairs`. */
export interface JsonlReaderOptions extends ReaderOptions {
  /** Field names of source and target. Default { src: 'src', tgt: 'tgt' }. */
  readonly fields?: { readonly src: string; readonly tgt: string };
}

/** A parser for JSONL lines whose source and target are the string fields `fields.src`, `fields.tgt`. */
export function jsonlLineParser(fields: { readonly src: string; readonly tgt: string }): ParseLine {
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { error: `invalid JSON (${(error as Error).message}): ${quoteLine(text)}` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { error: `expected a JSON object with "${fields.src}" and "${fields.tgt}", got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
    }
    const record = value as Record<string, unknown>;
    for (const name of [fields.src, fields.tgt]) {
      if (!(name in record)) return { error: `missing field "${name}" (fields present: ${Object.keys(record).map((k) => `"${k}"`).join(', ') || 'none'})` };
      if (typeof record[name] !== 'string') return { error: `field "${name}" must be a string, got ${record[name] === null ? 'null' : typeof record[name]}` };
    }
    return { src: record[fields.src] as string, tgt: record[fields.tgt] as string };
  };
}

/**
 * Reads JSON Lines pairs from `source` (textSource(…); in Node, @gloss/data/node's readJsonlPairs takes a path).
 * @example
 * const reader = readJsonlPairs(textSource(await (await fetch('cnn.jsonl')).text(), 'cnn.jsonl'), { fields: { src: 'article', tgt: 'summary' } });
 * for await (const { src, tgt } of reader) { … }
 */
export function readJsonlPairs(source: TextSource, options: JsonlReaderOptions = {}): CorpusReader {
  const fields = options.fields ?? { src: 'src', tgt: 'tgt' };
  if (typeof fields.src !== 'string' || typeof fields.tgt !== 'string') {
    throw new DataError('readJsonlPairs', `fields must be { src: string, tgt: string }, got ${JSON.stringify(fields)}`);
  }
  return new CorpusReader(lineRecordSource('readJsonlPairs', source, jsonlLineParser(fields)), options);
}
