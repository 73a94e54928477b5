// SHA-256 of the generated files, in the format of `sha256sum` (so `sha256sum -c SHA256SUMS` works).
import { createHash } from 'node:crypto';
import type { CorpusFile } from './corpus-files.js';

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `<hex>  <path>\n` per file, in the given order. */
export function checksumList(files: readonly CorpusFile[]): string {
  return files.map((f) => `${sha256(f.text)}  ${f.path}\n`).join('');
}

export const CHECKSUM_FILE = 'SHA256SUMS';
