import { describe, expect, it } from 'vitest';
import { CorpusReader, countCodePoints, type RawRecord, type RecordSource } from './corpus-reader.js';

/** A RecordSource over fixed records, for testing the policy without files. */
function source(records: RawRecord[]): RecordSource {
  return {
    op: 'test',
    async *records() {
      yield* records;
    },
    *recordsSync() {
      yield* records;
    },
  };
}

const bad = (line: number): RawRecord => ({ file: 'f.txt', line, error: 'broken' });
const pair = (line: number, src: string, tgt: string): RawRecord => ({ file: 'f.txt', line, src, tgt });

describe('CorpusReader', () => {
  it('trims both sides and hands out pairs with their line numbers', () => {
    expect([...new CorpusReader(source([pair(1, ' a ', 'b\t')]))]).toEqual([{ src: 'a', tgt: 'b', line: 1 }]);
  });

  it('resets stats at the start of every pass', async () => {
    const reader = new CorpusReader(source([pair(1, 'a', 'b'), { file: 'f.txt', line: 2, blank: true }]));
    await reader.toArray();
    await reader.toArray();
    expect(reader.stats).toEqual({ lines: 2, kept: 1, empty: 1, tooLong: 0, malformed: 0, issues: [] });
  });

  it('keeps at most maxIssues issues but counts every malformed line', () => {
    const reader = new CorpusReader(source([bad(1), bad(2), bad(3)]), { onError: 'skip', maxIssues: 2 });
    expect([...reader]).toEqual([]);
    expect(reader.stats.malformed).toBe(3);
    expect(reader.stats.issues).toEqual([
      { file: 'f.txt', line: 1, message: 'broken' },
      { file: 'f.txt', line: 2, message: 'broken' },
    ]);
  });

  it('throws on the first malformed record by default', () => {
    expect(() => [...new CorpusReader(source([pair(1, 'a', 'b'), bad(2)]))]).toThrow('f.txt:2: test: broken');
  });

  it('refuses unknown onError values and negative maxLength', () => {
    expect(() => new CorpusReader(source([]), { onError: 'ignore' as never })).toThrow(/onError must be 'skip' or 'throw', got "ignore"/);
    expect(() => new CorpusReader(source([]), { maxLength: -1 })).toThrow(/maxLength must be a non-negative number, got -1/);
  });
});

describe('countCodePoints', () => {
  it('counts astral characters once', () => {
    expect(countCodePoints('a🙂é東')).toBe(4);
    expect(countCodePoints('')).toBe(0);
  });
});
