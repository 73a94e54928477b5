// @gloss/tensor/node: file helpers that need Node's fs — atomic writes and safetensors files.
// Kept out of the main entry so the tensor package itself stays loadable in a browser.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import type { Safetensors } from '../io/safetensors.js';
import { decodeSafetensorsChecked, encodeSafetensorsWithChecksum } from '../io/checksum.js';

/** Hex SHA-256 of `bytes` by Node's crypto (the main entry's plain TypeScript one gives the same digest, slower). */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let counter = 0;

/**
 * Writes `data` to `file` so that a reader (or a crash) sees either the old file or the complete new one, never
 * a torn one: write a temporary sibling, fsync it, rename it over `file` (atomic on POSIX), fsync the directory.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** fsync a directory so a rename inside it survives a power cut (a no-op where directories can't be opened). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) can't fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes named tensors to a .safetensors file, atomically, with the SHA-256 of the tensor data in its header. */
export function saveSafetensors(file: string, tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata: Readonly<Record<string, string>> = {}): void {
  writeFileAtomic(file, encodeSafetensorsWithChecksum(tensors, metadata, sha256));
}

/**
 * Reads a .safetensors file, checking its recorded SHA-256 when it has one (the key is not in the metadata returned);
 * errors name the file and what is wrong with it.
 */
export function loadSafetensors(file: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ValueError('loadSafetensors', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodeSafetensorsChecked(bytes, file, sha256);
}

export { encodeSafetensors, decodeSafetensors, type Safetensors } from '../io/safetensors.js';
export { CHECKSUM_KEY, encodeSafetensorsWithChecksum, verifySafetensorsChecksum, decodeSafetensorsChecked } from '../io/checksum.js';
