// CorpusReader: the filtering and error policy shared by every corpus format. A format supplies raw
// records (a pair, or why its line is malformed); the reader drops empty and over-long pairs, skips or
// refuses malformed ones, and counts everything in `stats`.
import { DataError } from './errors.js';
import { readLines, readLinesSync, type RawLine } from './line-reader.js';
import type { TextSource } from './text-source.js';

/** One sentence pair read from a corpus; `line` is the 1-based line it came from. */
export interface SentencePair {
  readonly src: string;
  readonly tgt: string;
  readonly line: number;
}

/** A malformed line that was skipped (onError: 'skip'). */
export interface ReaderIssue {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** What one pass over a corpus saw. Reset at the start of every pass. */
export interface ReaderStats {
  /** Lines (for parallel files: line pairs) read. */
  lines: number;
  /** Pairs handed out. */
  kept: number;
  /** Blank lines and pairs with a blank side. */
  empty: number;
  /** Pairs with a side longer than maxLength. */
  tooLong: number;
  /** Malformed lines skipped. */
  malformed: number;
  /** The first `maxIssues` malformed lines, with file, line and what was wrong. */
  issues: ReaderIssue[];
}

/** Options every corpus reader takes. */
export interface ReaderOptions {
  /** Malformed lines: 'throw' a DataError naming file:line (default), or 'skip' them and count. */
  readonly onError?: 'skip' | 'throw';
  /** Drop pairs whose source or target is longer than this, measured by `lengthOf`. Default: no limit. */
  readonly maxLength?: number;
  /** Length of one side: code points by default; pass `(t) => tokenizer.encode(t).length` for tokens. */
  readonly lengthOf?: (text: string) => number;
  /** How many skipped lines `stats.issues` keeps. Default 100. */
  readonly maxIssues?: number;
}

/** What a format hands the reader for one line: a pair (sides may be blank) or an error. */
export type RawRecord =
  | { readonly file: string; readonly line: number; readonly src: string; readonly tgt: string; readonly error?: undefined; readonly blank?: undefined }
  | { readonly file: string; readonly line: number; readonly error: string; readonly blank?: undefined }
  | { readonly file: string; readonly line: number; readonly blank: true; readonly error?: undefined };

/** A corpus format: the same records, streamed or read whole. */
export interface RecordSource {
  /** Operation name used in errors, e.g. 'readTsvPairs'. */
  readonly op: string;
  records(): AsyncIterable<RawRecord>;
  recordsSync(): Iterable<RawRecord>;
}

/**
 * A corpus of sentence pairs, read lazily: `for await` streams it, `for … of` (or `[...reader]`) reads
 * it synchronously, which suits small files. Each pass re-reads the file and resets `stats`.
 * @example
 * const reader = readTsvPairs(fileSource('deu.txt'), { onError: 'skip', maxLength: 200 });   // fileSource: @gloss/data/node
 * for await (const { src, tgt } of reader) { … }
 * console.log(reader.stats);  // { lines, kept, empty, tooLong, malformed, issues }
 */
export class CorpusReader implements AsyncIterable<SentencePair>, Iterable<SentencePair> {
  stats: ReaderStats = emptyStats();
  private readonly onError: 'skip' | 'throw';

  constructor(private readonly source: RecordSource, private readonly options: ReaderOptions = {}) {
    this.onError = options.onError ?? 'throw';
    if (this.onError !== 'skip' && this.onError !== 'throw') {
      throw new DataError(source.op, `onError must be 'skip' or 'throw', got ${JSON.stringify(options.onError)}`);
    }
    const { maxLength } = options;
    if (maxLength !== undefined && !(maxLength >= 0)) {
      throw new DataError(source.op, `maxLength must be a non-negative number, got ${maxLength}`);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SentencePair> {
    this.stats = emptyStats();
    for await (const record of this.source.records()) {
      const pair = this.accept(record);
      if (pair) yield pair;
    }
  }

  *[Symbol.iterator](): Iterator<SentencePair> {
    this.stats = emptyStats();
    for (const record of this.source.recordsSync()) {
      const pair = this.accept(record);
      if (pair) yield pair;
    }
  }

  /** Reads the whole corpus (streaming) into an array. */
  async toArray(): Promise<SentencePair[]> {
    const pairs: SentencePair[] = [];
    for await (const pair of this) pairs.push(pair);
    return pairs;
  }

  /** Applies the error policy and the filters to one record; the pair to hand out, if any. */
  private accept(record: RawRecord): SentencePair | undefined {
    const stats = this.stats;
    stats.lines++;
    if (record.error !== undefined) {
      if (this.onError === 'throw') {
        throw new DataError(this.source.op, record.error, { file: record.file, line: record.line });
      }
      stats.malformed++;
      if (stats.issues.length < (this.options.maxIssues ?? 100)) {
        stats.issues.push({ file: record.file, line: record.line, message: record.error });
      }
      return undefined;
    }
    if (record.blank) {
      stats.empty++;
      return undefined;
    }
    const src = record.src.trim();
    const tgt = record.tgt.trim();
    if (src === '' || tgt === '') {
      stats.empty++;
      return undefined;
    }
    const { maxLength, lengthOf = countCodePoints } = this.options;
    if (maxLength !== undefined && (lengthOf(src) > maxLength || lengthOf(tgt) > maxLength)) {
      stats.tooLong++;
      return undefined;
    }
    stats.kept++;
    return { src, tgt, line: record.line };
  }
}

/** What a one-line-per-pair format makes of a decoded line: the two sides, or what is wrong. */
export type ParseLine = (text: string) => { src: string; tgt: string } | { error: string };

/** A RecordSource for formats with one pair per line (TSV, JSONL): blank lines are 'blank' records. */
export function lineRecordSource(op: string, source: TextSource, parse: ParseLine): RecordSource {
  const file = source.name;
  const toRecord = (raw: RawLine): RawRecord => {
    if (raw.error !== undefined) return { file, line: raw.line, error: raw.error };
    if (raw.text.trim() === '') return { file, line: raw.line, blank: true };
    return { file, line: raw.line, ...parse(raw.text) };
  };
  return {
    op,
    async *records() {
      for await (const raw of readLines(source)) yield toRecord(raw);
    },
    *recordsSync() {
      for (const raw of readLinesSync(source)) yield toRecord(raw);
    },
  };
}

/** Number of Unicode code points (what a reader counts as characters). */
export function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++; // low surrogates complete a pair already counted
  }
  return count;
}

/** Shortened JSON of a line, for error messages. */
export function quoteLine(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function emptyStats(): ReaderStats {
  return { lines: 0, kept: 0, empty: 0, tooLong: 0, malformed: 0, issues: [] };
}
