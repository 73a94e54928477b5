import { describe, expect, it } from 'vitest';
import { BYTE_TOKENS, byteOfToken, joinWithBytes } from './byte-tokens.js';

describe('byte tokens', () => {
  it('names the 256 bytes <0x00>..<0xFF>', () => {
    expect(BYTE_TOKENS).toHaveLength(256);
    expect([BYTE_TOKENS[0], BYTE_TOKENS[0x41], BYTE_TOKENS[255]]).toEqual(['<0x00>', '<0x41>', '<0xFF>']);
    expect(byteOfToken('<0xC3>')).toBe(0xc3);
    expect(byteOfToken('<0xc3>')).toBeUndefined();
    expect(byteOfToken('<unk>')).toBeUndefined();
  });

  it('decodes runs of byte tokens as UTF-8 between ordinary tokens', () => {
    expect(joinWithBytes(['▁caf', '<0xC3>', '<0xA9>', '!'])).toBe('▁café!');
    expect(joinWithBytes(['<0xF0>', '<0x9F>', '<0x99>', '<0x82>'])).toBe('🙂');
  });

  it('turns invalid byte sequences into U+FFFD instead of throwing', () => {
    expect(joinWithBytes(['a', '<0xC3>', 'b'])).toBe('a\uFFFDb');
  });
});
