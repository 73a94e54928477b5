// gloss evaluate --hyp: scoring output files without a model, against one or several reference files, equals the
// library's corpusBleu/corpusChrF on the same lines (same sacreBLEU signatures); ROUGE takes each line's best reference.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '@gloss/tensor';
import { corpusBleu, corpusChrF } from '@gloss/training';
import { main } from './main.js';
import { memoryIo } from './io.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-eval-hyp-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const bin = path.resolve(__dirname, '../dist/bin.js');

const WORDS = ['the', 'a', 'cat', 'dog', 'sat', 'ran', 'on', 'mat', 'red', 'big', 'quickly', 'home'];
const g = new Generator(7);
const sentence = () => Array.from({ length: 3 + g.int(6) }, () => WORDS[g.int(WORDS.length)]);
/** A reference, and a copy with about a third of its words replaced (the "hypothesis" or a second reference). */
const perturb = (words: string[]) => words.map((w) => (g.random() < 0.35 ? WORDS[g.int(WORDS.length)] : w)).join(' ');
const refs1 = Array.from({ length: 50 }, sentence);
const hyps = refs1.map(perturb);
const refs2 = refs1.map(perturb);
const file = (name: string, lines: string[]) => {
  const p = path.join(root, name);
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
};
const hyp = file('hyp.txt', hyps);
const ref1 = file('ref1.txt', refs1.map((w) => w.join(' ')));
const ref2 = file('ref2.txt', refs2);

describe('gloss evaluate --hyp', () => {
  it('through the executable, with two references, equals corpusBleu/corpusChrF with two reference streams', () => {
    const r = spawnSync(process.execPath, [bin, 'evaluate', '--hyp', hyp, '--ref', ref1, '--ref', ref2, '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout);
    const streams = [refs1.map((w) => w.join(' ')), refs2];
    const bleu = corpusBleu(hyps, streams);
    const chrf = corpusChrF(hyps, streams);
    expect(got).toEqual({ hyp, refs: [ref1, ref2], sentences: 50, bleu: bleu.score, chrf: chrf.score, bleuSignature: bleu.signature, chrfSignature: chrf.signature });
    expect(got.bleuSignature).toMatch(/^nrefs:2\|case:mixed\|eff:no\|tok:13a\|smooth:exp/);
    expect(bleu.score).toBeGreaterThan(corpusBleu(hyps, [streams[0]]).score);          // a second reference only adds matches
  });

  it('prints the scores with their signatures, one reference file', async () => {
    const io = memoryIo();
    expect(await main(['evaluate', '--hyp', hyp, '--ref', ref1], io)).toBe(0);
    const bleu = corpusBleu(hyps, refs1.map((w) => w.join(' ')));
    const chrf = corpusChrF(hyps, refs1.map((w) => w.join(' ')));
    expect(io.stdout).toBe(`${hyp}: 50 sentences, 1 reference each\nBLEU ${bleu.score.toFixed(2)}   ${bleu.signature}\nchrF ${chrf.score.toFixed(2)}   ${chrf.signature}\n`);
    expect(bleu.signature).toMatch(/^nrefs:1\|/);
  });

  it('scores ROUGE against the best reference of each line', async () => {
    const h = file('h.txt', ['the cat sat', 'a dog']);
    const a = file('a.txt', ['the cat sat', 'the cat']);
    const b = file('b.txt', ['a dog', 'a dog']);
    const rouge = async (...refs: string[]) => {
      const io = memoryIo();
      expect(await main(['evaluate', '--hyp', h, ...refs.flatMap((f) => ['--ref', f]), '--rouge', '--json'], io)).toBe(0);
      return JSON.parse(io.stdout) as { rouge1: number; rougeL: number };
    };
    expect(await rouge(a)).toMatchObject({ rouge1: 50, rougeL: 50 });        // line 1 exact, line 2 shares nothing
    expect(await rouge(a, b)).toMatchObject({ rouge1: 100, rougeL: 100 });   // line 2's second reference is exact
  });

  it('refuses a reference file of another length, naming it, and model flags beside --hyp', async () => {
    const short = file('short.txt', ['one line']);
    const io = memoryIo();
    expect(await main(['evaluate', '--hyp', hyp, '--ref', ref1, '--ref', short], io)).toBe(1);
    expect(io.stderr).toBe(`gloss evaluate: --hyp ${hyp} has 50 lines but --ref ${short} has 1 (one reference per output line)\n`);
    const both = memoryIo();
    expect(await main(['evaluate', '--hyp', hyp, '--ref', ref1, '--checkpoint', root], both)).toBe(2);
    expect(both.stderr).toBe('gloss evaluate: --hyp scores a file without a model; --checkpoint does not go with it\n');
    const none = memoryIo();
    expect(await main(['evaluate', '--ref', ref1], none)).toBe(2);
    expect(none.stderr).toBe('gloss evaluate: --checkpoint is required (or --hyp FILE to score outputs without a model)\n');
  });
});
