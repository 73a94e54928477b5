import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fileSource } from './file-bytes.js';
import { readLines, readLinesSync, type RawLine } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'gloss-lines-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
async function collect(path: string): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  for await (const line of readLines(fileSource(path))) lines.push(line);
  return lines;
}

describe('readLines / readLinesSync', () => {
  it('splits on \\n, drops \\r and a leading BOM, and keeps a last line without newline', async () => {
    const path = file('crlf.txt', '\uFEFFone\r\ntwo\n\nthree');
    const expected = [{ line: 1, text: 'one' }, { line: 2, text: 'two' }, { line: 3, text: '' }, { line: 4, text: 'three' }];
    expect(await collect(path)).toEqual(expected);
    expect([...readLinesSync(fileSource(path))]).toEqual(expected);
  });

  it('yields no extra line after a final newline, and nothing for an empty file', async () => {
    expect(await collect(file('nl.txt', 'a\nb\n'))).toHaveLength(2);
    expect(await collect(file('empty.txt', ''))).toEqual([]);
    expect([...readLinesSync(fileSource(file('empty2.txt', '')))]).toEqual([]);
  });

  it('reports invalid UTF-8 with its line and byte offset, and goes on with the next line', async () => {
    const bytes = Buffer.concat([Buffer.from('ok\ncaf'), Buffer.from([0xc3, 0x28]), Buffer.from('\nfine é\n')]);
    const path = file('bad.txt', bytes);
    const expected = [
      { line: 1, text: 'ok' },
      { line: 2, error: 'invalid UTF-8 at byte 3 of the line' },
      { line: 3, text: 'fine é' },
    ];
    expect(await collect(path)).toEqual(expected);
    expect([...readLinesSync(fileSource(path))]).toEqual(expected);
  });

  it('reassembles lines and multi-byte characters split across stream chunks', async () => {
    const long = 'é'.repeat(100_000); // 200 kB, several 64 kB chunks, some split inside an é
    const lines = await collect(file('long.txt', `${long}\nshort\n`));
    expect(lines.map((l) => l.text)).toEqual([long, 'short']);
  });

  it('throws DataError naming a file that cannot be read', async () => {
    const missing = join(dir, 'missing.txt');
    await expect(collect(missing)).rejects.toThrow(`${missing}: readLines: cannot read the file`);
    expect(() => [...readLinesSync(fileSource(missing))]).toThrow(`${missing}: readLines: cannot read the file`);
  });
});

describe('readLines / readLinesSync on gzip files', () => {
  const content = Buffer.concat([Buffer.from('\uFEFFone\r\ncaf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n\nfine é')]);
  const expected = [
    { line: 1, text: 'one' },
    { line: 2, error: 'invalid UTF-8 at byte 3 of the line' },
    { line: 3, text: '' },
    { line: 4, text: 'fine é' },
  ];

  it('decompresses a .gz file, and a gzip file by its magic bytes whatever its name, to the plain file\'s lines', async () => {
    expect(await collect(file('plain.txt', content))).toEqual(expected);
    for (const path of [file('lines.txt.gz', gzipSync(content)), file('lines.bin', gzipSync(content))]) {
      expect(await collect(path)).toEqual(expected);
      expect([...readLinesSync(fileSource(path))]).toEqual(expected);
    }
  });

  it('streams a gzip file in chunks, reassembling lines and characters split across them', async () => {
    const long = 'é'.repeat(100_000);
    const path = file('long.txt.gz', gzipSync(`${long}\nshort\n`));
    expect((await collect(path)).map((l) => l.text)).toEqual([long, 'short']);
    for await (const first of readLines(fileSource(path))) {
      expect(first.line).toBe(1); // stopping early closes the streams without an error
      break;
    }
  });

  it('refuses a truncated or corrupt gzip stream with a DataError naming the file', async () => {
    const whole = gzipSync('a\tb\n'.repeat(1000));
    const corrupt = Buffer.from(whole);
    corrupt.fill(0xff, 10, 30);
    for (const [name, bytes] of [['truncated.tsv.gz', whole.subarray(0, whole.length - 20)], ['corrupt.tsv.gz', corrupt], ['not-gzip.tsv.gz', Buffer.from('a\tb\n')]] as const) {
      const path = file(name, bytes);
      const message = `${path}: readLines: cannot decompress the file: gzip stream is truncated or corrupt`;
      await expect(collect(path), name).rejects.toThrow(message);
      expect(() => [...readLinesSync(fileSource(path))], name).toThrow(message);
    }
  });
});
