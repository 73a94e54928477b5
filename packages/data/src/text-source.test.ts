// Corpus text from memory, Blobs and web streams (what a page hands the readers), plain and gzip, with the same
// lines and file:line errors as files on disk.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLines, readLinesSync } from './line-reader.js';
import { textSource } from './text-source.js';
import { readTsvPairs } from './tsv-reader.js';

const TEXT = '\uFEFFhi\tHallo\r\n\nbye\tTschüss\nno tab here\n';

async function lines(source: ReturnType<typeof textSource>) {
  const out = [];
  for await (const line of readLines(source)) out.push(line);
  return out;
}

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += chunk));
    },
  });
}

describe('textSource', () => {
  const bytes = new TextEncoder().encode(TEXT);
  const expected = [{ line: 1, text: 'hi\tHallo' }, { line: 2, text: '' }, { line: 3, text: 'bye\tTschüss' }, { line: 4, text: 'no tab here' }];

  it('gives the same lines from a string, bytes, a Blob and a stream split mid-character, streamed and (where it can) whole', async () => {
    expect(await lines(textSource(TEXT))).toEqual(expected);
    expect([...readLinesSync(textSource(TEXT))]).toEqual(expected);
    expect([...readLinesSync(textSource(bytes))]).toEqual(expected);
    expect(await lines(textSource(new Blob([bytes])))).toEqual(expected);
    expect(await lines(textSource(streamOf(bytes, 3)))).toEqual(expected);
  });

  it('gunzips gzip bytes, Blobs and streams, and refuses to read them synchronously', async () => {
    const gz = new Uint8Array(gzipSync(bytes));
    expect(await lines(textSource(gz, 'pairs.tsv.gz'))).toEqual(expected);
    expect(await lines(textSource(new Blob([gz])))).toEqual(expected);
    expect(await lines(textSource(streamOf(gz, 5), 'pairs.tsv.gz'))).toEqual(expected);
    expect(() => [...readLinesSync(textSource(gz, 'pairs.tsv.gz'))]).toThrow('pairs.tsv.gz: readLines: this source can only be streamed');
  });

  it('reports a truncated gzip stream naming the source', async () => {
    const gz = new Uint8Array(gzipSync(bytes)).subarray(0, 20);
    await expect(lines(textSource(gz, 'cut.gz'))).rejects.toThrow('cut.gz: readLines: cannot decompress the file: gzip stream is truncated or corrupt');
  });

  it('feeds the readers with file:line errors under the given name', async () => {
    const reader = readTsvPairs(textSource(TEXT, 'upload.tsv'));
    await expect(reader.toArray()).rejects.toThrow('upload.tsv:4: readTsvPairs: expected at least 2 tab-separated fields');
    const skipping = readTsvPairs(textSource(new Blob([bytes]), 'upload.tsv'), { onError: 'skip' });
    expect((await skipping.toArray()).map((p) => p.tgt)).toEqual(['Hallo', 'Tschüss']);
    expect(skipping.stats.issues).toEqual([{ file: 'upload.tsv', line: 4, message: expect.stringContaining('expected at least 2') }]);
  });

  it('reads a ReadableStream once and says so on a second pass', async () => {
    const reader = readTsvPairs(textSource(streamOf(bytes, 4), 'once.tsv'), { onError: 'skip' });
    expect((await reader.toArray()).length).toBe(2);
    await expect(reader.toArray()).rejects.toThrow('once.tsv: readLines: a ReadableStream can be read once');
  });
});
