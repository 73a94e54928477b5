// The bytes of a corpus file, gunzipped on the way when it is gzip: streamed (zlib.createGunzip) or read
// whole (gunzipSync). A file is gzip when its name ends in .gz or its bytes start with the magic 1f 8b.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
// Node only: @gloss/data/node's fileSource is built on it.
import { DataError } from './errors.js';
import { isGzip, type TextSource } from './text-source.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The TextSource of the file at `path` (plain or gzip), streamed with fileChunks and read whole with readFileBytes;
 * errors name `path`.
 * @example for await (const pair of readTsvPairs(fileSource('deu.txt.gz'))) { … }
 */
export function fileSource(path: string): TextSource {
  return { name: path, chunks: () => fileChunks(path), bytes: () => readFileBytes(path) };
}

/**
 * Streams the (decompressed) bytes of `path` in chunks. A file that cannot be read, and a gzip stream
 * that is truncated or corrupt, throw DataError naming the file.
 */
export async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  let chunks: AsyncIterable<Buffer>;
  try {
    const handle = await open(path, 'r');
    const head = Buffer.alloc(GZIP_MAGIC.length);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(head, 0, head.length, 0));
    } catch (error) {
      await handle.close();
      throw error;
    }
    const raw = handle.createReadStream({ start: 0 }); // closes the handle when it ends or is destroyed
    // pipeline destroys both streams when either fails or the consumer stops early; the gunzip stream
    // then rejects the loop below with the error, so the callback has nothing left to do.
    chunks = isGzip(path, head.subarray(0, bytesRead)) ? pipeline(raw, createGunzip(), () => {}) : raw;
  } catch (error) {
    throw readError(error, path);
  }
  try {
    for await (const chunk of chunks) yield chunk;
  } catch (error) {
    throw readError(error, path);
  }
}

/** The whole (decompressed) bytes of `path`; the same errors as fileChunks. */
export function readFileBytes(path: string): Buffer {
  try {
    const bytes = readFileSync(path);
    return isGzip(path, bytes) ? gunzipSync(bytes) : bytes;
  } catch (error) {
    throw readError(error, path);
  }
}

/** DataError for a failed read: zlib's errors (code Z_…) say the gzip stream is bad, the rest that the file is unreadable. */
function readError(error: unknown, path: string): Error {
  if (error instanceof DataError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new DataError('readLines', `cannot decompress the file: gzip stream is truncated or corrupt (${reason})`, { file: path });
  }
  return new DataError('readLines', `cannot read the file: ${reason}`, { file: path });
}
