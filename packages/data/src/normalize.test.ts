import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('composes to NFC', () => {
    expect(normalizeText('Cafe\u0301')).toBe('Caf\u00e9');
  });

  it('collapses every whitespace run to one space and trims', () => {
    expect(normalizeText('  a \t b\n\nc  ')).toBe('a b c');
    expect(normalizeText('a\u2581b')).toBe('a b');
    expect(normalizeText('a\u00a0\u3000b')).toBe('a b');
  });

  it('lowercases only when asked, and stays NFC', () => {
    expect(normalizeText('ÉCOLE')).toBe('ÉCOLE');
    expect(normalizeText('ÉCOLE', { lowercase: true })).toBe('école');
    const dotted = normalizeText('İ', { lowercase: true });
    expect(dotted).toBe(dotted.normalize('NFC'));
  });
});
