// The plain TypeScript SHA-256 against Node's crypto, across the padding boundaries (55/56/64 bytes) and FIPS 180-4's examples.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Generator } from '../random.js';
import { sha256 } from './sha256.js';

describe('sha256', () => {
  it('gives the FIPS 180-4 digests of "abc" and the empty string', () => {
    expect(sha256(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it("equals Node's crypto for lengths around every padding boundary and for a large random buffer", () => {
    const g = new Generator(13);
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_001]) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(g.random() * 256));
      expect(sha256(bytes), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});
