import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { readTsvPairs } from './node/index.js';

const tiny = fileURLToPath(new URL('./__fixtures__/tiny.tsv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gloss-tsv-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readTsvPairs', () => {
  it('reads source and target, ignores extra fields, and counts the blank line', async () => {
    const reader = readTsvPairs(tiny);
    expect(await reader.toArray()).toEqual([
      { src: 'Hello.', tgt: 'Hallo.', line: 1 },
      { src: 'How are you?', tgt: 'Wie geht es dir?', line: 2 },
      { src: 'Thank you!', tgt: 'Danke!', line: 4 },
    ]);
    expect(reader.stats).toEqual({ lines: 4, kept: 3, empty: 1, tooLong: 0, malformed: 0, issues: [] });
  });

  it('reads the same pairs synchronously', async () => {
    expect([...readTsvPairs(tiny)]).toEqual(await readTsvPairs(tiny).toArray());
  });

  it('throws DataError naming file:line and the expected fields for a line without a tab', async () => {
    const path = file('missing-tab.tsv', 'a\tb\nno tab here\nc\td\n');
    const message = `${path}:2: readTsvPairs: expected at least 2 tab-separated fields (source<TAB>target), got 1: "no tab here"`;
    await expect(readTsvPairs(path).toArray()).rejects.toThrow(message);
    expect(() => [...readTsvPairs(path)]).toThrow(message);
    await expect(readTsvPairs(path).toArray()).rejects.toBeInstanceOf(DataError);
  });

  it('skips malformed lines under onError "skip", counting them with file and line', async () => {
    const bytes = Buffer.concat([Buffer.from('a\tb\nno tab\nbad\t'), Buffer.from([0xff]), Buffer.from('\nc\td\n')]);
    const path = file('mixed.tsv', bytes);
    const reader = readTsvPairs(path, { onError: 'skip' });
    expect((await reader.toArray()).map((p) => p.src)).toEqual(['a', 'c']);
    expect(reader.stats.malformed).toBe(2);
    expect(reader.stats.issues.map((i) => `${i.file}:${i.line}`)).toEqual([`${path}:2`, `${path}:3`]);
    expect(reader.stats.issues[1].message).toBe('invalid UTF-8 at byte 4 of the line');
  });

  it('refuses invalid UTF-8 under onError "throw", naming file:line', async () => {
    const path = file('latin1.tsv', Buffer.from([0x61, 0x09, 0x62, 0x0a, 0x63, 0xe9, 0x09, 0x64, 0x0a]));
    await expect(readTsvPairs(path).toArray()).rejects.toThrow(`${path}:2: readTsvPairs: invalid UTF-8 at byte 1 of the line`);
  });

  it('drops pairs with a blank side and over-long pairs, in characters or tokens', async () => {
    const path = file('lengths.tsv', 'short\tkurz\n\tleer\nthis one is long\tdies ist lang\nab\tcd ef gh\n');
    const byChars = readTsvPairs(path, { maxLength: 8 });
    expect((await byChars.toArray()).map((p) => p.src)).toEqual(['short', 'ab']);
    expect(byChars.stats).toMatchObject({ lines: 4, kept: 2, empty: 1, tooLong: 1 });
    const byWords = readTsvPairs(path, { maxLength: 2, lengthOf: (t) => t.split(' ').length });
    expect((await byWords.toArray()).map((p) => p.src)).toEqual(['short']);
    expect(byWords.stats.tooLong).toBe(2);
  });

  it('reads a gzip file (train.tsv.gz) to the same pairs and stats as the plain file, streamed or whole', async () => {
    const plain = readTsvPairs(tiny);
    const gz = readTsvPairs(file('tiny.tsv.gz', gzipSync(readFileSync(tiny))));
    expect(await gz.toArray()).toEqual(await plain.toArray());
    expect(gz.stats).toEqual(plain.stats);
    expect([...gz]).toEqual([...plain]);
    expect(gz.stats).toEqual(plain.stats);
  });

  it('names the .gz file and the line of a malformed line inside it', async () => {
    const path = file('bad.tsv.gz', gzipSync(Buffer.concat([Buffer.from('a\tb\nno tab\nc\t'), Buffer.from([0xe9]), Buffer.from('\n')])));
    const message = `${path}:2: readTsvPairs: expected at least 2 tab-separated fields (source<TAB>target), got 1: "no tab"`;
    await expect(readTsvPairs(path).toArray()).rejects.toThrow(message);
    expect(() => [...readTsvPairs(path)]).toThrow(message);
    const reader = readTsvPairs(path, { onError: 'skip' });
    await reader.toArray();
    expect(reader.stats.issues).toEqual([
      { file: path, line: 2, message: 'expected at least 2 tab-separated fields (source<TAB>target), got 1: "no tab"' },
      { file: path, line: 3, message: 'invalid UTF-8 at byte 2 of the line' },
    ]);
  });
});
