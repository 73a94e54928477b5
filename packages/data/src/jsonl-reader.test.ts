import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJsonlPairs } from './node/index.js';

const tiny = fileURLToPath(new URL('./__fixtures__/tiny.jsonl', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gloss-jsonl-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readJsonlPairs', () => {
  it('reads the src and tgt fields by default, ignoring other fields', async () => {
    const reader = readJsonlPairs(tiny);
    expect(await reader.toArray()).toEqual([
      { src: 'Hello.', tgt: 'Hallo.', line: 1 },
      { src: 'Good morning.', tgt: 'Guten Morgen.', line: 2 },
      { src: 'Thank you!', tgt: 'Danke!', line: 3 },
    ]);
    expect([...readJsonlPairs(tiny)]).toHaveLength(3);
  });

  it('reads configurable field names', async () => {
    const path = file('sum.jsonl', '{"article": "A long text.", "summary": "Short."}\n');
    const pairs = await readJsonlPairs(path, { fields: { src: 'article', tgt: 'summary' } }).toArray();
    expect(pairs).toEqual([{ src: 'A long text.', tgt: 'Short.', line: 1 }]);
  });

  it.each([
    ['invalid JSON', '{"src": "a", "tgt": }', /:1: readJsonlPairs: invalid JSON \(.*\): "\{\\"src\\": \\"a\\", \\"tgt\\": \}"/],
    ['a missing field', '{"src": "a"}', /:1: readJsonlPairs: missing field "tgt" \(fields present: "src"\)/],
    ['a non-string field', '{"src": "a", "tgt": 3}', /:1: readJsonlPairs: field "tgt" must be a string, got number/],
    ['an array', '["a", "b"]', /:1: readJsonlPairs: expected a JSON object with "src" and "tgt", got an array/],
  ])('throws DataError naming file:line for %s', async (_, line, message) => {
    const path = file('bad.jsonl', `${line}\n`);
    await expect(readJsonlPairs(path).toArray()).rejects.toThrow(message);
    await expect(readJsonlPairs(path).toArray()).rejects.toThrow(`${path}:1:`);
  });

  it('skips and counts malformed lines under onError "skip", and counts blank lines and empty sides', async () => {
    const path = file('mixed.jsonl', '{"src":"a","tgt":"b"}\nnot json\n\n{"src":"","tgt":"x"}\n{"tgt":"y"}\n{"src":"c","tgt":"d"}\n');
    const reader = readJsonlPairs(path, { onError: 'skip' });
    expect((await reader.toArray()).map((p) => p.line)).toEqual([1, 6]);
    expect(reader.stats).toMatchObject({ lines: 6, kept: 2, empty: 2, malformed: 2 });
    expect(reader.stats.issues.map((i) => i.line)).toEqual([2, 5]);
  });

  it('refuses bad field options', () => {
    expect(() => readJsonlPairs(tiny, { fields: { src: 'a' } as never })).toThrow(/fields must be \{ src: string, tgt: string \}/);
  });

  it('reads a gzip file (x.jsonl.gz) to the same pairs and stats as the plain file, streamed or whole', async () => {
    const plain = readJsonlPairs(tiny);
    const gz = readJsonlPairs(file('tiny.jsonl.gz', gzipSync(readFileSync(tiny))));
    expect(await gz.toArray()).toEqual(await plain.toArray());
    expect(gz.stats).toEqual(plain.stats);
    expect([...gz]).toEqual([...plain]);
    expect(gz.stats).toEqual(plain.stats);
  });

  it('names the .gz file and the line of a malformed record inside it', async () => {
    const path = file('bad.jsonl.gz', gzipSync('{"src": "a", "tgt": "b"}\n{"src": "a"}\n'));
    const message = `${path}:2: readJsonlPairs: missing field "tgt" (fields present: "src")`;
    await expect(readJsonlPairs(path).toArray()).rejects.toThrow(message);
    expect(() => [...readJsonlPairs(path)]).toThrow(message);
  });
});
