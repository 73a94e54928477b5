// SHA-256 of the generated files, in the format of `sha256sum` (so `sha256sum -c SHA256SUMS` works).
import { createHash } from 'node:crypto';
import type { CorpusFile } from './corpus-files.js';

/** Hex SHA-256 of `bytes`, or of the UTF-8 bytes of a string. */
export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes a file is written as: `bytes` (gzip) when it has them, else its text's UTF-8. */
export function fileBytes(file: CorpusFile): Uint8Array {
  return file.bytes ?? Buffer.from(file.text, 'utf8');
}

/** `<hex>  <path>\n` per file, in the given order, over the bytes written. */
export function checksumList(files: readonly CorpusFile[]): string {
  return files.map((f) => `${sha256(fileBytes(f))}  ${f.path}\n`).join('');
}

export const CHECKSUM_FILE = 'SHA256SUMS';
