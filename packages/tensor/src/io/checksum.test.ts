// The checksum codec on bytes alone (what a web page uses): the digest the plain SHA-256 records equals Node's, and a
// flipped data byte is refused naming the source.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { CHECKSUM_KEY, decodeSafetensorsChecked, encodeSafetensorsWithChecksum } from './checksum.js';

const nodeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const tensors = { w: new Tensor(Float32Array.from([1, -2, 3.5, 1e-7]), [2, 2]), ids: new Tensor(Int32Array.from([7, 8, 9]), [3]) };

describe('decodeSafetensorsChecked', () => {
  it("writes the same bytes with the plain SHA-256 as with Node's, and returns the caller's metadata only", () => {
    const bytes = encodeSafetensorsWithChecksum(tensors, { format: 'pt', 'é': 'ü' });
    expect(bytes).toEqual(encodeSafetensorsWithChecksum(tensors, { format: 'pt', 'é': 'ü' }, nodeSha256));
    const { tensors: back, metadata } = decodeSafetensorsChecked(bytes, 'model.safetensors');
    expect(metadata).toEqual({ format: 'pt', 'é': 'ü' });
    expect(Array.from(back.get('w')!.data)).toEqual(Array.from(tensors.w.data));
    expect(CHECKSUM_KEY in metadata).toBe(false);
  });

  it('refuses bytes whose tensor data changed, naming the source', () => {
    const bytes = encodeSafetensorsWithChecksum(tensors);
    bytes[bytes.length - 1] ^= 1;
    expect(() => decodeSafetensorsChecked(bytes, 'https://host/model.safetensors')).toThrow(/https:\/\/host\/model\.safetensors is corrupt: the SHA-256/);
  });
});
