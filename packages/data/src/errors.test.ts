import { describe, expect, it } from 'vitest';
import { GlossError } from '@gloss/tensor';
import { DataError } from './errors.js';

describe('DataError', () => {
  it('prefixes the message with file:line and keeps both as fields', () => {
    const e = new DataError('tsvReader', 'expected 2 fields, got 1', { file: 'a.tsv', line: 7 });
    expect(e.message).toBe('a.tsv:7: tsvReader: expected 2 fields, got 1');
    expect(e.file).toBe('a.tsv');
    expect(e.line).toBe(7);
    expect(e.op).toBe('tsvReader');
    expect(e).toBeInstanceOf(GlossError);
    expect(e.name).toBe('DataError');
  });

  it('omits the parts of the location that are unknown', () => {
    expect(new DataError('vocab', 'bad').message).toBe('vocab: bad');
    expect(new DataError('vocab', 'bad', { file: 'v.json' }).message).toBe('v.json: vocab: bad');
    expect(new DataError('vocab', 'bad', { line: 3 }).message).toBe('line 3: vocab: bad');
  });
});
