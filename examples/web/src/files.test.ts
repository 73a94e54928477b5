// The page's file handling, in Node (pure TypeScript): the .tar the page downloads reads back byte for byte and
// as the system's tar reads it, and a set of opened files resolves to the checkpoint gloss translate would use,
// with what is missing named.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar, writeTar } from './page/tar.js';
import { chooseCheckpoint } from './page/checkpoint-files.js';
import { corpusFiles, sourceIndex } from './page/corpus-files.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('tar', () => {
  const files: [string, Uint8Array][] = [
    ['run/best/config.json', bytes('{"a":1}\n')], ['run/best/model.safetensors', new Uint8Array(1000).map((_, i) => i % 251)],
    ['run/metrics.jsonl', bytes('')], ['run/last/tokenizer.json', bytes('x'.repeat(512))],
  ];

  it('round-trips files of any size (0, 512, not a multiple of 512)', () => {
    expect(readTar(writeTar(files, 0), 'run.tar')).toEqual(files);
  });

  it('is read by the system tar as the same folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-web-tar-'));
    fs.writeFileSync(path.join(dir, 'run.tar'), writeTar(files));
    execFileSync('tar', ['xf', 'run.tar'], { cwd: dir });
    for (const [p, data] of files) expect(new Uint8Array(fs.readFileSync(path.join(dir, p))), p).toEqual(data);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a damaged or truncated archive, naming it and the byte', () => {
    const tar = writeTar(files);
    const damaged = tar.slice();
    damaged[10] ^= 1;
    expect(() => readTar(damaged, 'run.tar')).toThrow('run.tar is not a tar archive, or is damaged: bad header checksum at byte 0');
    expect(() => readTar(tar.slice(0, 2700), 'run.tar')).toThrow('run.tar is truncated: run/best/model.safetensors needs 1000 bytes at byte 2560, the archive ends at 2700');
    expect(() => readTar(tar.slice(0, 2048), 'run.tar')).toThrow('run.tar is truncated: it ends at byte 2048 without the end-of-archive blocks');
  });
});

describe('chooseCheckpoint', () => {
  const ckpt = (dir: string) => ['config.json', 'model.safetensors', 'tokenizer.json'].map((n) => ({ path: `${dir}${n}`, data: bytes(`${dir}${n}`) }));

  it("takes loose files as they are, a run folder's best/ (else last/), and a .tar of one", () => {
    expect(chooseCheckpoint(ckpt(''), 'the files chosen').files.map(([n]) => n)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    const run = [...ckpt('run/last/'), ...ckpt('run/best/'), { path: 'run/metrics.jsonl', data: bytes('') }];
    const best = chooseCheckpoint(run, 'run');
    expect(best.source).toBe('run/best');
    expect(new TextDecoder().decode(best.files[0][1])).toBe('run/best/config.json');
    expect(chooseCheckpoint(ckpt('run/last/'), 'run').source).toBe('run/last');
    const tar = writeTar(run.map((f) => [f.path, f.data]));
    expect(chooseCheckpoint([{ path: 'run.tar', data: tar }], 'run.tar').source).toBe('run.tar: run/best');
  });

  it('names what is missing', () => {
    expect(() => chooseCheckpoint(ckpt('').filter((f) => f.path !== 'config.json'), 'the files chosen'))
      .toThrow('the files chosen: no config.json among the 2 files opened (model.safetensors, tokenizer.json); a checkpoint holds config.json, model.safetensors and tokenizer.json');
    expect(() => chooseCheckpoint(ckpt('best/').filter((f) => !f.path.endsWith('model.safetensors')), 'best'))
      .toThrow('best/model.safetensors is missing: the checkpoint is incomplete (it has config.json, tokenizer.json)');
  });
});

describe('corpus files', () => {
  it('reads one file as TSV or JSONL by its name, two as parallel files PREFIX.SRC and PREFIX.TGT (.gz aside)', () => {
    expect(corpusFiles(['pairs.tsv'])).toEqual({ format: 'tsv', names: ['pairs.tsv'] });
    expect(corpusFiles(['deu.txt.gz']).format).toBe('tsv');
    expect(corpusFiles(['pairs'])).toEqual({ format: 'tsv', names: ['pairs'] });
    expect(corpusFiles(['cnn.JSONL'])).toEqual({ format: 'jsonl', names: ['cnn.JSONL'] });
    expect(corpusFiles(['cnn.jsonl.gz']).format).toBe('jsonl');
    expect(corpusFiles(['data/train.fr', 'data/train.en'])).toEqual({ format: 'parallel', names: ['data/train.fr', 'data/train.en'], prefix: 'data/train', langs: ['fr', 'en'] });
    expect(corpusFiles(['train.de.gz', 'train.en'])).toMatchObject({ prefix: 'train', langs: ['de', 'en'] });
  });

  it('refuses what is not a corpus, saying what it takes', () => {
    expect(() => corpusFiles([])).toThrow('drop or choose one TSV or JSONL file, or two parallel files (PREFIX.SRC and PREFIX.TGT); got 0 files');
    expect(() => corpusFiles(['a.en', 'b.fr', 'c.de'])).toThrow('got 3 files: a.en, b.fr, c.de');
    expect(() => corpusFiles(['a.en', 'b.fr'])).toThrow('two files are read as parallel files, PREFIX.SRC and PREFIX.TGT (train.en and train.fr), with the same prefix; got a.en and b.fr');
    expect(() => corpusFiles(['train', 'train.fr'])).toThrow('with the same prefix; got train and train.fr');
    expect(() => corpusFiles(['x/train.en', 'y/train.en'])).toThrow('with the same prefix');
    expect(() => corpusFiles(['train.en', 'train.en.gz'])).toThrow('parallel files need different language suffixes; train.en and train.en.gz both end in .en');
  });

  it('finds the source of parallel files by the source or target language, as --src-lang/--tgt-lang, else leaves it to the person', () => {
    expect(sourceIndex(['fr', 'en'], 'en', 'fr')).toBe(1);
    expect(sourceIndex(['fr', 'en'], 'fr', 'en')).toBe(0);
    expect(sourceIndex(['fr', 'en'], ' en ', '')).toBe(1);
    expect(sourceIndex(['fr', 'en'], 'src', 'en')).toBe(0);   // the target's suffix says which is not the source
    expect(sourceIndex(['fr', 'en'], 'src', 'tgt')).toBeNull();
    expect(sourceIndex(['fr', 'en'], 'en', 'en')).toBeNull();   // contradictory
  });
});
