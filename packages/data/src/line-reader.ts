// Line-by-line reading of UTF-8 text (a TextSource: a file, a string, a browser File…), streaming (async) or
// whole (sync). Each line is decoded strictly, so invalid UTF-8 is reported with its line number instead of
// silently becoming U+FFFD.
import { DataError } from './errors.js';
import type { TextSource } from './text-source.js';

/** One line of a file: its text, or why it could not be decoded. `line` is 1-based. */
export type RawLine =
  | { readonly line: number; readonly text: string; readonly error?: undefined }
  | { readonly line: number; readonly text?: undefined; readonly error: string };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = '\uFEFF';

/**
 * Streams the lines of `source` (split on \n, a trailing \r dropped, a leading BOM dropped), with no
 * line ever held twice in memory. A gzip file (.gz, or bytes starting 1f 8b) is decompressed as it
 * streams. A file that cannot be opened, or a truncated or corrupt gzip stream, throws DataError naming it.
 * @example
 * for await (const { line, text, error } of readLines(fileSource('train.tsv'))) { … }
 */
export async function* readLines(source: TextSource): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let line = 0;
  for await (const chunk of source.chunks()) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      // Copy only when the line began in an earlier chunk.
      yield decodeLine(decoder, pending.length > 0 ? concatBytes([...pending, piece]) : piece, ++line);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  const rest = concatBytes(pending);
  if (rest.length > 0) yield decodeLine(decoder, rest, ++line);
}

/**
 * The lines of `source`, read (and gunzipped) whole; the same lines and errors as readLines, for small files.
 * A source that can only stream (a browser File, a ReadableStream, gzip bytes) throws DataError: use `for await`.
 */
export function* readLinesSync(source: TextSource): Generator<RawLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  if (source.bytes === undefined) {
    throw new DataError('readLines', 'this source can only be streamed: read it with for await (…) or toArray(), not synchronously', { file: source.name });
  }
  const bytes = source.bytes();
  let start = 0;
  let line = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    yield decodeLine(decoder, bytes.subarray(start, end), ++line);
    start = end + 1;
  }
  if (start < bytes.length) yield decodeLine(decoder, bytes.subarray(start), ++line);
}

function decodeLine(decoder: TextDecoder, bytes: Uint8Array, line: number): RawLine {
  const length = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(0, length));
  } catch {
    return { line, error: `invalid UTF-8 at byte ${firstInvalidByte(bytes.subarray(0, length))} of the line` };
  }
  return { line, text: line === 1 && text.startsWith(BOM) ? text.slice(1) : text };
}

/** 0-based offset of the first byte that starts no valid UTF-8 sequence (for the error message). */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    // Sequence length from the lead byte (RFC 3629); each sequence is then checked by the real decoder.
    const size = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + size));
    } catch {
      return i;
    }
    i += size;
  }
  return bytes.length;
}

/** The bytes of `parts` end to end (one copy). */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
