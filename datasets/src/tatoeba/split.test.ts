import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { normalizeSentence, splitTatoeba } from './split.js';

describe('normalizeSentence', () => {
  it('turns U+202F, U+00A0 and U+2009 into plain spaces, drops U+200B, collapses runs and trims', () => {
    expect(normalizeSentence('Va\u202F!')).toBe('Va !');
    expect(normalizeSentence('Qui est-ce\u00A0?')).toBe('Qui est-ce ?');
    expect(normalizeSentence('Recule\u2009!')).toBe('Recule !');
    expect(normalizeSentence('sur \u200B\u200Bla musique.')).toBe('sur la musique.');
    expect(normalizeSentence('  Qui est cette fille \u00A0? ')).toBe('Qui est cette fille ?');
  });

  it('leaves a sentence with single U+0020 spaces as it is', () => {
    expect(normalizeSentence("Don't go, Tom.")).toBe("Don't go, Tom.");
    expect(normalizeSentence('')).toBe('');
  });
});

/** `count` English sentences `e0.` …, sentence i with 1 + i % 3 translations `f<i>-<k>.`, interleaved as an export is. */
function exportText(count: number): string {
  const lines: string[] = [];
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < count; i++) if (k <= i % 3) lines.push(`e${i}.\tf${i}-${k}.`);
  }
  return `${lines.join('\n')}\n`;
}

describe('splitTatoeba', () => {
  const options = { seed: 'test', valid: 5, test: 4 };

  it('puts every English sentence in one split only, with valid and test holding one pair per sentence', () => {
    const { splits, report } = splitTatoeba(exportText(30), options);
    const sources = (name: 'train' | 'valid' | 'test') => new Set(splits[name].map((p) => p.src));
    expect(sources('valid').size).toBe(5);
    expect(sources('test').size).toBe(4);
    expect(splits.valid).toHaveLength(5);
    expect(splits.test).toHaveLength(4);
    expect(new Set([...sources('train'), ...sources('valid'), ...sources('test')]).size).toBe(30);
    expect(sources('train').size + 9).toBe(30);
    expect(report.sources).toBe(30);
    // Each held-out sentence keeps its first translation in file order; train keeps all of its sentences' pairs.
    for (const p of [...splits.valid, ...splits.test]) expect(p.tgt).toBe(`f${p.src.slice(1, -1)}-0.`);
    const translations = (src: string) => 1 + (Number(src.slice(1, -1)) % 3);
    for (const src of sources('train')) expect(splits.train.filter((p) => p.src === src)).toHaveLength(translations(src));
    const heldOut = [...splits.valid, ...splits.test].map((p) => p.src);
    expect(report.heldOutExtra).toBe(heldOut.reduce((n, src) => n + translations(src) - 1, 0));
    expect(splits.train.length + 9 + report.heldOutExtra).toBe(report.lines);
  });

  it('shuffles the distinct English sentences with Generator(seed), in order of first appearance', () => {
    const distinct = Array.from({ length: 30 }, (_, i) => `e${i}.`);
    const shuffled = new Generator('test').shuffle(distinct.slice());
    const { splits } = splitTatoeba(exportText(30), options);
    expect(splits.valid.map((p) => p.src)).toEqual(shuffled.slice(0, 5));
    expect(splits.test.map((p) => p.src)).toEqual(shuffled.slice(5, 9));
    expect(splitTatoeba(exportText(30), options)).toEqual(splitTatoeba(exportText(30), options));
    expect(splitTatoeba(exportText(30), { ...options, seed: 'other' }).splits.valid).not.toEqual(splits.valid);
  });

  it('keeps train in file order', () => {
    const { splits } = splitTatoeba(exportText(30), options);
    const lines = exportText(30).split('\n').slice(0, -1).map((l) => l.replace('\t', ' → '));
    const order = splits.train.map((p) => lines.indexOf(`${p.src} → ${p.tgt}`));
    expect(order.every((n, i) => n >= 0 && (i === 0 || n > order[i - 1]))).toBe(true);
  });

  it('normalizes both sides, drops malformed lines and pairs that repeat after normalization, and counts them', () => {
    const text = 'Go.\tVa\u202F!\nGo.\tVa !\nHi.\tSalut\u00A0!\nno tab\n\t \nRun!\tCours\u202F!\nWho?\tQui\u202F?\nWow!\tÇa alors\u202F!\nFire!\tAu feu\u2009!\n';
    const { splits, report } = splitTatoeba(text, { seed: 1, valid: 2, test: 2 });
    expect(report).toEqual({
      lines: 9, normalized: 6, spaces: { 'U+202F': 4, 'U+00A0': 1, 'U+2009': 1, 'U+200B': 0 },
      malformed: 2, duplicates: 1, sources: 6, heldOutExtra: 0,
    });
    const all = [...splits.train, ...splits.valid, ...splits.test].map((p) => `${p.src}\t${p.tgt}`).sort();
    expect(all).toEqual(['Fire!\tAu feu !', 'Go.\tVa !', 'Hi.\tSalut !', 'Run!\tCours !', 'Who?\tQui ?', 'Wow!\tÇa alors !']);
  });

  it('refuses held-out sizes that leave train no sentence', () => {
    expect(() => splitTatoeba(exportText(9), options)).toThrow(/valid 5 \+ test 4 must leave train at least one of the 9 distinct English sentences/);
  });
});
