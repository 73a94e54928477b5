import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readParallelFiles } from './node/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gloss-parallel-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readParallelFiles', () => {
  it('pairs line i of the source file with line i of the target file', async () => {
    const reader = readParallelFiles(fixture('tiny.de'), fixture('tiny.en'));
    expect(await reader.toArray()).toEqual([
      { src: 'Hallo.', tgt: 'Hello.', line: 1 },
      { src: 'Guten Morgen.', tgt: 'Good morning.', line: 2 },
      { src: 'Danke!', tgt: 'Thank you!', line: 3 },
    ]);
    expect([...readParallelFiles(fixture('tiny.de'), fixture('tiny.en'))]).toEqual(await reader.toArray());
  });

  it('throws naming both files and both line counts when they differ', async () => {
    const de = file('a.de', 'eins\nzwei\ndrei\n');
    const en = file('a.en', 'one\ntwo\nthree\nfour\nfive\n');
    const message = `${en}:4: readParallelFiles: line counts differ: ${de} has 3 lines but ${en} has 5`;
    await expect(readParallelFiles(de, en).toArray()).rejects.toThrow(message);
    expect(() => [...readParallelFiles(de, en)]).toThrow(message);
    const reversed = `${en}:4: readParallelFiles: line counts differ: ${en} has 5 lines but ${de} has 3`;
    await expect(readParallelFiles(en, de).toArray()).rejects.toThrow(reversed);
  });

  it('counts unmatched lines as malformed under onError "skip"', async () => {
    const reader = readParallelFiles(file('b.de', 'eins\nzwei\n'), file('b.en', 'one\n'), { onError: 'skip' });
    expect(await reader.toArray()).toHaveLength(1);
    expect(reader.stats).toMatchObject({ lines: 2, kept: 1, malformed: 1 });
    expect(reader.stats.issues[0].message).toMatch(/has 2 lines but .* has 1/);
  });

  it('names the target file and line for invalid UTF-8 in the target', async () => {
    const de = file('c.de', 'eins\nzwei\n');
    const en = file('c.en', Buffer.from([0x6f, 0x6e, 0x65, 0x0a, 0x80, 0x0a]));
    await expect(readParallelFiles(de, en).toArray()).rejects.toThrow(`${en}:2: readParallelFiles: invalid UTF-8 at byte 0`);
  });

  it('counts blank line pairs and pairs with one blank side as empty, and filters by maxLength', async () => {
    const reader = readParallelFiles(
      file('d.de', 'eins\n\nzwei\n\ndrei vier fünf\n'),
      file('d.en', 'one\n\n\nthree\nthree four five\n'),
      { maxLength: 10 },
    );
    expect((await reader.toArray()).map((p) => p.src)).toEqual(['eins']);
    expect(reader.stats).toMatchObject({ lines: 5, kept: 1, empty: 3, tooLong: 1, malformed: 0 });
  });

  it('stops reading both files when the consumer stops early', async () => {
    for await (const pair of readParallelFiles(fixture('tiny.de'), fixture('tiny.en'))) {
      expect(pair.line).toBe(1);
      break;
    }
  });

  it('reads gzip files (either side, or both) to the same pairs and stats as the plain files', async () => {
    const gz = (name: string) => file(`${name}.gz`, gzipSync(readFileSync(fixture(name))));
    const plain = readParallelFiles(fixture('tiny.de'), fixture('tiny.en'));
    const expected = await plain.toArray();
    for (const reader of [readParallelFiles(gz('tiny.de'), gz('tiny.en')), readParallelFiles(fixture('tiny.de'), gz('tiny.en'))]) {
      expect(await reader.toArray()).toEqual(expected);
      expect(reader.stats).toEqual(plain.stats);
      expect([...reader]).toEqual(expected);
    }
  });

  it('names the .gz file and line for invalid UTF-8 or a line-count mismatch inside it, and refuses a truncated one', async () => {
    const de = file('e.de.gz', gzipSync('eins\nzwei\ndrei\n'));
    const en = file('e.en.gz', gzipSync(Buffer.from([0x6f, 0x6e, 0x65, 0x0a, 0x80, 0x0a])));
    await expect(readParallelFiles(de, en).toArray()).rejects.toThrow(`${en}:2: readParallelFiles: invalid UTF-8 at byte 0`);
    expect(() => [...readParallelFiles(de, en)]).toThrow(`${en}:2: readParallelFiles: invalid UTF-8 at byte 0`);
    const short = file('f.en.gz', gzipSync('one\n'));
    await expect(readParallelFiles(de, short).toArray()).rejects.toThrow(`${de}:2: readParallelFiles: line counts differ: ${de} has 3 lines but ${short} has 1`);
    const whole = gzipSync('one\ntwo\nthree\n');
    const truncated = file('g.en.gz', whole.subarray(0, whole.length - 4));
    await expect(readParallelFiles(de, truncated).toArray()).rejects.toThrow(`${truncated}: readLines: cannot decompress the file`);
    expect(() => [...readParallelFiles(de, truncated)]).toThrow(`${truncated}: readLines: cannot decompress the file`);
  });
});
