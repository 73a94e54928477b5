// Two parallel files, line i of one translating line i of the other (Multi30k/WMT: train.de + train.en).
import { CorpusReader, type RawRecord, type ReaderOptions, type RecordSource } from './corpus-reader.js';
import { readLines, readLinesSync, type RawLine } from './line-reader.js';
import type { TextSource } from './text-source.js';

/**
 * Reads line-aligned parallel files (TextSources; in Node, @gloss/data/node's readParallelFiles takes paths).
 * Files with different line counts are an error naming both files and both counts; under onError 'skip' each
 * unmatched line counts as malformed.
 * @example
 * const reader = readParallelFiles(textSource(deFile), textSource(enFile), { maxLength: 250 });
 * for await (const { src, tgt } of reader) { … }
 */
export function readParallelFiles(srcSource: TextSource, tgtSource: TextSource, options?: ReaderOptions): CorpusReader {
  const srcPath = srcSource.name;
  const tgtPath = tgtSource.name;
  const source: RecordSource = {
    op: 'readParallelFiles',
    async *records() {
      const src = readLines(srcSource);
      const tgt = readLines(tgtSource);
      try {
        for (let line = 0; ; line++) {
          const [a, b] = await Promise.all([src.next(), tgt.next()]);
          if (a.done && b.done) return;
          if (!a.done && !b.done) {
            yield pairRecord(srcPath, tgtPath, a.value, b.value);
            continue;
          }
          // One file ended: count the rest of the other so the error can name both counts.
          const longer = a.done ? tgt : src;
          let total = line + 1;
          while (!(await longer.next()).done) total++;
          yield* unmatchedRecords(srcPath, tgtPath, a.done ? line : total, a.done ? total : line);
          return;
        }
      } finally {
        await Promise.all([src.return(undefined), tgt.return(undefined)]);
      }
    },
    *recordsSync() {
      const src = readLinesSync(srcSource);
      const tgt = readLinesSync(tgtSource);
      for (let line = 0; ; line++) {
        const [a, b] = [src.next(), tgt.next()];
        if (a.done && b.done) return;
        if (!a.done && !b.done) {
          yield pairRecord(srcPath, tgtPath, a.value, b.value);
          continue;
        }
        const longer = a.done ? tgt : src;
        let total = line + 1;
        while (!longer.next().done) total++;
        yield* unmatchedRecords(srcPath, tgtPath, a.done ? line : total, a.done ? total : line);
        return;
      }
    },
  };
  return new CorpusReader(source, options);
}

function pairRecord(srcPath: string, tgtPath: string, a: RawLine, b: RawLine): RawRecord {
  if (a.error !== undefined) return { file: srcPath, line: a.line, error: a.error };
  if (b.error !== undefined) return { file: tgtPath, line: b.line, error: b.error };
  if (a.text.trim() === '' && b.text.trim() === '') return { file: srcPath, line: a.line, blank: true };
  return { file: srcPath, line: a.line, src: a.text, tgt: b.text };
}

/** One error record per line of the longer file that has no partner. */
function* unmatchedRecords(srcPath: string, tgtPath: string, srcLines: number, tgtLines: number): Generator<RawRecord> {
  const file = srcLines > tgtLines ? srcPath : tgtPath;
  const error = `line counts differ: ${srcPath} has ${srcLines} lines but ${tgtPath} has ${tgtLines}`;
  for (let line = Math.min(srcLines, tgtLines) + 1; line <= Math.max(srcLines, tgtLines); line++) {
    yield { file, line, error };
  }
}
