// Safetensors files that carry the SHA-256 of their tensor data: written by saveSafetensors, checked by loadSafetensors.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { encodeSafetensors } from '../io/safetensors.js';
import { CHECKSUM_KEY, loadSafetensors, saveSafetensors } from './index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-checksum-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const tensors = { w: new Tensor(Float32Array.from([1, -2, 3.5, 1e-7]), [2, 2]), ids: new Tensor(Int32Array.from([7, 8, 9]), [3]) };

describe('safetensors checksum', () => {
  it('records the SHA-256 of the bytes after the header, keeps the caller metadata, and loads back the same tensors', () => {
    const file = path.join(root, 'a.safetensors');
    saveSafetensors(file, tensors, { format: 'pt' });
    const bytes = fs.readFileSync(file);
    const start = 8 + Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, start).toString('utf8'));
    expect(header.__metadata__).toEqual({ format: 'pt', [CHECKSUM_KEY]: createHash('sha256').update(bytes.subarray(start)).digest('hex') });
    const { tensors: back, metadata } = loadSafetensors(file);
    expect([...back.get('w')!.data]).toEqual([...tensors.w.data]);
    expect([...back.get('ids')!.data]).toEqual([7, 8, 9]);
    expect(metadata).toEqual({ format: 'pt' });                                  // the checksum is not the caller's metadata
  });

  it('refuses a file with one flipped byte in its tensor data, naming the file', () => {
    const file = path.join(root, 'flipped.safetensors');
    saveSafetensors(file, tensors);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 5] ^= 0x01;
    fs.writeFileSync(file, bytes);
    expect(() => loadSafetensors(file)).toThrow(new RegExp(`^loadSafetensors: ${file.replace(/[.\\/]/g, '\\$&')} is corrupt: the SHA-256 of its tensor data is [0-9a-f]{64}, but its header records [0-9a-f]{64}`));
  });

  it('loads a file without a checksum (PyTorch, older gloss) as before', () => {
    const file = path.join(root, 'plain.safetensors');
    fs.writeFileSync(file, encodeSafetensors(tensors, { format: 'pt' }));
    expect(loadSafetensors(file).metadata).toEqual({ format: 'pt' });
  });
});
