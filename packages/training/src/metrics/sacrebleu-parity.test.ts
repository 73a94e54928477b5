// Parity with sacreBLEU 2.6.0 itself: tokenizer outputs, corpus and sentence BLEU, corpus and sentence chrF
// against __fixtures__/sacrebleu.json, written by __fixtures__/make_fixtures.py (sacreBLEU 2.6.0, Python 3.11)
// on sacreBLEU's README corpus, a seeded synthetic corpus with two reference streams (120 segments), one with
// a missing (None) reference, tokenizer stress strings, and 150 seeded random small corpora built from
// tokenizer-hostile pieces with random options. Regenerate with
//   python3 packages/training/src/metrics/__fixtures__/make_fixtures.py
// Counts, lengths, signatures and formatted lines must be identical; scores agree to 1e-12 relative (only
// the last bits of libm's exp/log may differ between Python and V8).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusBleu, formatBleu, sentenceBleu, type BleuOptions } from './bleu.js';
import { preprocessForBleu, type BleuTokenizerName } from './bleu-tokenizers.js';
import { corpusChrF, formatChrF, sentenceChrF, type ChrFOptions } from './chrf.js';

type PyOptions = Record<string, string | number | boolean>;
interface Corpus { hyps: string[]; refs: (string | null)[][] }
interface BleuResult {
  score: number; counts: number[]; totals: number[]; precisions: number[]; bp: number;
  sysLen: number; refLen: number; ratio: number; signature: string; formatted: string;
}
interface Fixtures {
  sacrebleuVersion: string;
  tokenize: Record<string, string>[];
  corpora: Record<string, Corpus>;
  bleu: { corpus: string; options: PyOptions; result: BleuResult }[];
  sentenceBleu: { hyp: string; refs: string[]; results: { options: PyOptions; score: number; bp: number; counts: number[]; totals: number[] }[] }[];
  chrf: { corpus: string; options: PyOptions; score: number; name: string; signature: string; formatted: string }[];
  sentenceChrf: { hyp: string; refs: string[]; results: { options: PyOptions; score: number }[] }[];
  fuzz: {
    hyps: string[]; refs: (string | null)[][]; bleuOptions: PyOptions; chrfOptions: PyOptions;
    bleu: { score: number; counts: number[]; sysLen: number; refLen: number }; chrf: number;
  }[];
}
const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/sacrebleu.json', import.meta.url), 'utf8')) as Fixtures;

/** sacreBLEU's keyword arguments → gloss's option names (snake_case → camelCase). */
function camel(options: PyOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

function expectClose(what: string, got: number, expected: number): void {
  if (!(Math.abs(got - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
    expect.fail(`${what}: gloss ${got}, sacreBLEU ${expected} (|diff| ${Math.abs(got - expected).toExponential(2)})`);
  }
}

const label = (o: PyOptions): string => JSON.stringify(o);

describe('sacreBLEU parity fixtures', () => {
  it(`were written by sacreBLEU ${fixtures.sacrebleuVersion} and cover every group`, () => {
    expect(fixtures.sacrebleuVersion).toBe('2.6.0');
    expect(fixtures.tokenize.length).toBeGreaterThan(20);
    expect(fixtures.bleu.length).toBe(80);
    expect(fixtures.chrf.length).toBe(55);
  });
});

describe('BLEU tokenizers match sacreBLEU (lowercasing, rstrip and tokenization)', () => {
  for (const tok of ['13a', 'intl', 'char', 'none'] as BleuTokenizerName[]) {
    it(`'${tok}' gives sacreBLEU's output on every stress string, mixed and lowercased`, () => {
      for (const row of fixtures.tokenize) {
        expect(preprocessForBleu(row.input, { tokenize: tok }), `${tok}: ${JSON.stringify(row.input)}`).toBe(row[tok]);
        expect(preprocessForBleu(row.input, { tokenize: tok, lowercase: true }), `${tok}:lc: ${JSON.stringify(row.input)}`).toBe(row[`${tok}:lc`]);
      }
    });
  }
});

describe('corpusBleu matches sacreBLEU', () => {
  for (const c of fixtures.bleu) {
    it(`${c.corpus} ${label(c.options)}`, () => {
      const { hyps, refs } = fixtures.corpora[c.corpus];
      const got = corpusBleu(hyps, refs, camel(c.options) as BleuOptions);
      const e = c.result;
      expectClose('score', got.score, e.score);
      expect(got.counts).toEqual(e.counts.map((x, i) => (c.options.smooth_method === 'add-k' && i > 0 ? x - Number(c.options.smooth_value ?? 1) : x)));
      expect(got.totals).toEqual(e.totals.map((x, i) => (c.options.smooth_method === 'add-k' && i > 0 ? x - Number(c.options.smooth_value ?? 1) : x)));
      got.precisions.forEach((p, i) => expectClose(`precision ${i + 1}`, p, e.precisions[i]));
      expectClose('bp', got.bp, e.bp);
      expectClose('ratio', got.ratio, e.ratio);
      expect([got.sysLen, got.refLen]).toEqual([e.sysLen, e.refLen]);
      expect(got.signature).toBe(`${e.signature} (gloss)`);
      expect(formatBleu(got)).toBe(e.formatted);
    });
  }
});

describe('sentenceBleu matches sacrebleu.sentence_bleu (exp smoothing, effective order)', () => {
  it('on 40 synthetic segments with one or two references, under six option sets', () => {
    let checked = 0;
    for (const s of fixtures.sentenceBleu) {
      for (const r of s.results) {
        const got = sentenceBleu(s.hyp, s.refs, camel(r.options) as BleuOptions);
        expectClose(`${JSON.stringify(s.hyp)} ${label(r.options)} score`, got.score, r.score);
        expectClose(`${JSON.stringify(s.hyp)} ${label(r.options)} bp`, got.bp, r.bp);
        if (r.options.smooth_method !== 'add-k') expect(got.counts).toEqual(r.counts);
        checked++;
      }
    }
    expect(checked).toBe(240);
  });
});

describe('corpusChrF matches sacreBLEU', () => {
  for (const c of fixtures.chrf) {
    it(`${c.corpus} ${label(c.options)}`, () => {
      const { hyps, refs } = fixtures.corpora[c.corpus];
      const got = corpusChrF(hyps, refs, camel(c.options) as ChrFOptions);
      expectClose('score', got.score, c.score);
      expect(got.name).toBe(c.name);
      expect(got.signature).toBe(`${c.signature} (gloss)`);
      expect(formatChrF(got)).toBe(c.formatted);
    });
  }
});

describe('sentenceChrF matches sacrebleu.sentence_chrf', () => {
  it('on 40 synthetic segments, as chrF2, chrF2++ and with eps smoothing', () => {
    let checked = 0;
    for (const s of fixtures.sentenceChrf) {
      for (const r of s.results) {
        expectClose(`${JSON.stringify(s.hyp)} ${label(r.options)}`, sentenceChrF(s.hyp, s.refs, camel(r.options) as ChrFOptions).score, r.score);
        checked++;
      }
    }
    expect(checked).toBe(120);
  });
});

describe('random small corpora (entities, Python-only whitespace, astral and combining characters, None refs)', () => {
  it('give sacreBLEU\'s BLEU statistics and score and its chrF score under random options', () => {
    fixtures.fuzz.forEach((c, i) => {
      const what = `case ${i} ${JSON.stringify(c.hyps)} ${label(c.bleuOptions)}`;
      const bleu = corpusBleu(c.hyps, c.refs, camel(c.bleuOptions) as BleuOptions);
      expectClose(`${what} BLEU`, bleu.score, c.bleu.score);
      expect([bleu.sysLen, bleu.refLen], what).toEqual([c.bleu.sysLen, c.bleu.refLen]);
      if (c.bleuOptions.smooth_method !== 'add-k') expect(bleu.counts, what).toEqual(c.bleu.counts);
      expectClose(`${what} chrF ${label(c.chrfOptions)}`, corpusChrF(c.hyps, c.refs, camel(c.chrfOptions) as ChrFOptions).score, c.chrf);
    });
    expect(fixtures.fuzz).toHaveLength(150);
  });
});
