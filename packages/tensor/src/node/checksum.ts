// A safetensors file that carries its own checksum: the SHA-256 of its tensor data (every byte after the header)
// in the header's metadata as "gloss.sha256", so the check travels with the file wherever it is copied — any
// checkpoint directory, a snapshot, a file sent to the web app. Files without it (PyTorch's, older gloss) still load.
import { createHash } from 'node:crypto';
import type { Tensor } from '../tensor.js';
import { ValueError } from '../errors.js';
import { encodeSafetensors, type Safetensors } from '../io/safetensors.js';

/** The metadata key holding the hex SHA-256 of the tensor data. */
export const CHECKSUM_KEY = 'gloss.sha256';
const PLACEHOLDER = '0'.repeat(64);

/** Hex SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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
  metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const bytes = encodeSafetensors(tensors, { ...metadata, [CHECKSUM_KEY]: PLACEHOLDER });
  const start = dataStart(bytes);
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + 8, start - 8);
  const field = `"${CHECKSUM_KEY}":"${PLACEHOLDER}"`;
  const at = header.indexOf(field);
  header.write(sha256(bytes.subarray(start)), at + field.length - 65, 'latin1');   // [at + len - 65, at + len - 1): the 64 zeros
  return bytes;
}

/**
 * Checks the recorded SHA-256 of decoded safetensors `bytes` (a no-op when the header records none).
 * @throws ValueError naming `source`, the digest found and the one recorded.
 */
export function verifySafetensorsChecksum(bytes: Uint8Array, decoded: Safetensors, source: string): void {
  const recorded = decoded.metadata[CHECKSUM_KEY];
  if (recorded === undefined) return;
  const found = sha256(bytes.subarray(dataStart(bytes)));
  if (found !== recorded) {
    throw new ValueError('loadSafetensors', `${source} is corrupt: the SHA-256 of its tensor data is ${found}, but its header records ${recorded} (the file changed after it was written)`);
  }
}
