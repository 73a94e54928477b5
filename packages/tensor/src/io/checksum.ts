// A safetensors file that carries its own checksum: the SHA-256 of its tensor data (every byte after the header)
// in the header's metadata as "gloss.sha256", so the check travels with the file wherever it is copied — any
// checkpoint directory, a snapshot, a file sent to the web app. Files without it (PyTorch's, older gloss) still load.
// Plain bytes in and out, so it runs in a browser too; @gloss/tensor/node passes Node's native SHA-256 (16x faster).
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import { decodeSafetensors, encodeSafetensors, type Safetensors } from './safetensors.js';
import { sha256 } from './sha256.js';

/** The metadata key holding the hex SHA-256 of the tensor data. */
export const CHECKSUM_KEY = 'gloss.sha256';
const PLACEHOLDER = '0'.repeat(64);

/** A hex SHA-256 function: the plain TypeScript one by default, Node's crypto in @gloss/tensor/node. */
export type Sha256 = (bytes: Uint8Array) => string;

/** Byte offset where the tensor data starts: 8 (the header length, u64 little-endian) plus the header. */
function dataStart(bytes: Uint8Array): number {
  return 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
}

/**
 * encodeSafetensors, with the SHA-256 of the tensor data recorded in the header metadata. The header is written
 * once with a placeholder of the digest's length, then the digest is written over it, so no offset moves.
 * @example writeFileAtomic('best/model.safetensors', encodeSafetensorsWithChecksum(model.stateDict(), { format: 'pt' }));
 */
export function encodeSafetensorsWithChecksum(tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata: Readonly<Record<string, string>> = {}, hash: Sha256 = sha256): Uint8Array {
  const bytes = encodeSafetensors(tensors, { ...metadata, [CHECKSUM_KEY]: PLACEHOLDER });
  const start = dataStart(bytes);
  const field = `"${CHECKSUM_KEY}":"${PLACEHOLDER}"`;
  // The header is JSON; its non-ASCII characters are escaped by no one, so search the bytes, not a decoded string.
  const at = indexOfAscii(bytes.subarray(8, start), field) + 8;
  const digest = hash(bytes.subarray(start));
  for (let i = 0; i < digest.length; i++) bytes[at + field.length - 65 + i] = digest.charCodeAt(i);   // the 64 zeros
  return bytes;
}

/**
 * Checks the recorded SHA-256 of decoded safetensors `bytes` (a no-op when the header records none).
 * @throws ValueError naming `source`, the digest found and the one recorded.
 */
export function verifySafetensorsChecksum(bytes: Uint8Array, decoded: Safetensors, source: string, hash: Sha256 = sha256): void {
  const recorded = decoded.metadata[CHECKSUM_KEY];
  if (recorded === undefined) return;
  const found = hash(bytes.subarray(dataStart(bytes)));
  if (found !== recorded) {
    throw new ValueError('loadSafetensors', `${source} is corrupt: the SHA-256 of its tensor data is ${found}, but its header records ${recorded} (the file changed after it was written)`);
  }
}

/**
 * Decodes safetensors `bytes` read from `source` (a file name or URL, for errors), checking its recorded SHA-256
 * when it has one; the metadata returned is the caller's, without the checksum key. What loadSafetensors does
 * after reading the file, for bytes from fetch, a File or IndexedDB.
 * @example const { tensors } = decodeSafetensorsChecked(new Uint8Array(await (await fetch(url)).arrayBuffer()), url);
 */
export function decodeSafetensorsChecked(bytes: Uint8Array, source: string, hash: Sha256 = sha256): Safetensors {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  verifySafetensorsChecksum(bytes, { tensors, metadata }, source, hash);
  const { [CHECKSUM_KEY]: _checksum, ...rest } = metadata;   // the caller gets back the metadata it saved
  return { tensors, metadata: rest };
}

/** Offset of the ASCII string `needle` in `bytes`, or -1. */
function indexOfAscii(bytes: Uint8Array, needle: string): number {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}
