import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat, readCorpus, type CorpusSpec } from './corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-corpus-'));
function file(name: string, content: string, gzip = false): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, gzip ? gzipSync(content) : content);
  return p;
}
const spec: CorpusSpec = { format: 'auto', srcLang: 'en', tgtLang: 'fr', srcField: 'src', tgtField: 'tgt', onError: 'throw' };
const pairs = (p: string, s: CorpusSpec = spec) => readCorpus(p, s).pairs.map(({ src, tgt }) => [src, tgt]);
const expected = [['Hi.', 'Salut.'], ['Go.', 'Va !']];

describe('detectFormat', () => {
  it('reads the format through a .gz ending', () => {
    expect(detectFormat('data/train.tsv.gz', 'auto')).toBe('tsv');
    expect(detectFormat('data/pairs.TXT.GZ', 'auto')).toBe('tsv');
    expect(detectFormat('data/x.jsonl.gz', 'auto')).toBe('jsonl');
    expect(detectFormat('data/train.tsv', 'auto')).toBe('tsv');
    expect(detectFormat('data/train', 'auto')).toBe('parallel');
    expect(detectFormat('data/train.gz', 'auto')).toBe('parallel');
    expect(detectFormat('data/train.tsv.gz', 'jsonl')).toBe('jsonl');
  });
});

describe('readCorpus', () => {
  it('reads gzipped TSV and JSONL corpora as their plain forms', () => {
    const tsv = 'Hi.\tSalut.\nGo.\tVa !\n';
    const jsonl = '{"src":"Hi.","tgt":"Salut."}\n{"src":"Go.","tgt":"Va !"}\n';
    expect(pairs(file('train.tsv', tsv))).toEqual(expected);
    expect(pairs(file('train.tsv.gz', tsv, true))).toEqual(expected);
    expect(pairs(file('x.jsonl.gz', jsonl, true))).toEqual(expected);
  });

  it('finds each side of a parallel corpus as PREFIX.LANG or PREFIX.LANG.gz', () => {
    file('p.en', 'Hi.\nGo.\n');
    file('p.fr.gz', 'Salut.\nVa !\n', true);
    expect(pairs(path.join(dir, 'p'))).toEqual(expected);
    file('q.en.gz', 'Hi.\nGo.\n', true);
    file('q.fr.gz', 'Salut.\nVa !\n', true);
    expect(pairs(path.join(dir, 'q'))).toEqual(expected);
  });

  it('names both candidates when a side of a parallel corpus is missing', () => {
    file('r.en', 'Hi.\n');
    const missing = path.join(dir, 'r.fr');
    expect(() => pairs(path.join(dir, 'r'))).toThrow(`corpus file not found: ${missing} (nor ${missing}.gz)`);
  });
});
