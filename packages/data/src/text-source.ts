// Where corpus text comes from: a TextSource hands out the (decompressed) bytes of one file-like thing — a string,
// bytes, a File or Blob, a ReadableStream — streamed, and whole when that can be done synchronously. Node's file
// paths are one more kind, in @gloss/data/node (fileSource). Gzip (a .gz name or bytes starting 1f 8b) is
// decompressed on the way with DecompressionStream, which browsers and Node both have.
import { DataError } from './errors.js';

/** The bytes of one corpus file, by name. */
export interface TextSource {
  /** Named in errors as the file (a path, a URL, a File's name). */
  readonly name: string;
  /** The decompressed bytes, in chunks; a read or gzip failure throws DataError naming `name`. */
  chunks(): AsyncIterable<Uint8Array>;
  /** All the decompressed bytes at once, for synchronous reading; absent where only streaming is possible. */
  bytes?(): Uint8Array;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when `name` ends in .gz or `head` (the first bytes) starts with the gzip magic. */
export function isGzip(name: string, head: Uint8Array): boolean {
  return /\.gz$/i.test(name) || (head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]);
}

/**
 * A TextSource over text already in memory (a string, bytes) or a browser File/Blob or ReadableStream of bytes.
 * Strings and plain bytes also read synchronously (`[...reader]`); Files, Blobs, streams and gzip only stream
 * (`for await`).
 * @example
 * const reader = readTsvPairs(textSource(fileInput.files[0]));           // a page's <input type=file>
 * const pairs = [...readTsvPairs(textSource('hi\tHallo\n', 'pairs.tsv'))];
 */
export function textSource(content: string | Uint8Array | Blob | ReadableStream<Uint8Array>, name?: string): TextSource {
  if (typeof content === 'string') {
    const bytes = new TextEncoder().encode(content);
    return { name: name ?? 'input', chunks: () => gunzipIfNeeded(name ?? 'input', oneChunk(bytes)), bytes: () => bytes };
  }
  if (content instanceof Uint8Array) {
    const label = name ?? 'input';
    const gzip = isGzip(label, content);
    return {
      name: label,
      chunks: () => gunzipIfNeeded(label, oneChunk(content)),
      ...(gzip ? {} : { bytes: () => content }),
    };
  }
  if (typeof Blob !== 'undefined' && content instanceof Blob) {
    const label = name ?? ((content as { name?: unknown }).name as string | undefined) ?? 'input';
    return { name: label, chunks: () => gunzipIfNeeded(label, streamChunks(label, content.stream())) };
  }
  if (typeof (content as ReadableStream<Uint8Array>).getReader === 'function') {
    const label = name ?? 'input';
    let used = false;
    return {
      name: label,
      chunks: () => {
        if (used) throw new DataError('readLines', 'a ReadableStream can be read once; pass a File or the text to read it again', { file: label });
        used = true;
        return gunzipIfNeeded(label, streamChunks(label, content as ReadableStream<Uint8Array>));
      },
    };
  }
  throw new DataError('textSource', `expected a string, a Uint8Array, a Blob or a ReadableStream, got ${content === null ? 'null' : typeof content}`);
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The chunks of a web stream; a failed read becomes DataError naming the file (`what` says what failed). */
async function* streamChunks(name: string, stream: ReadableStream<Uint8Array>,
  what = (why: string) => `cannot read the file: ${why}`): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (error instanceof DataError) throw error;
        throw new DataError('readLines', what(error instanceof Error ? error.message : String(error)), { file: name });
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Passes `chunks` through DecompressionStream('gzip') when the name or the first bytes say gzip. */
async function* gunzipIfNeeded(name: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  if (!isGzip(name, first.value)) {
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    return;
  }
  const gunzip = new DecompressionStream('gzip');
  const writer = gunzip.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>;
  const feeding = (async () => {
    try {
      await writer.write(first.value);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) await writer.write(next.value);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});   // errors the readable side with the same error, reported below
    }
  })();
  yield* streamChunks(name, gunzip.readable, (why) => `cannot decompress the file: gzip stream is truncated or corrupt (${why})`);
  await feeding;
}
