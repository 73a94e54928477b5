import { describe, expect, it } from 'vitest';
import { generateTranslationPairs, MAX_WORDS, MIN_WORDS } from './pairs.js';

describe('generateTranslationPairs', () => {
  const pairs = generateTranslationPairs({ seed: 7, count: 1000 });

  it('gives the same pairs for the same seed and different ones for another seed', () => {
    expect(generateTranslationPairs({ seed: 7, count: 1000 })).toEqual(pairs);
    const other = generateTranslationPairs({ seed: 8, count: 1000 });
    expect(other.filter((p, i) => p.src === pairs[i].src).length).toBeLessThan(10);
  });

  it('keeps each English sentence once, 4–16 words, NFC, without tabs or newlines', () => {
    expect(new Set(pairs.map((p) => p.src)).size).toBe(pairs.length);
    for (const { src, tgt } of pairs) {
      const n = src.split(' ').length;
      expect(n >= MIN_WORDS && n <= MAX_WORDS, src).toBe(true);
      for (const text of [src, tgt]) {
        expect(text.normalize('NFC')).toBe(text);
        expect(text, text).not.toMatch(/[\t\n\r]|  |^ | $/);
      }
    }
  });

  it('centers lengths near 9 words', () => {
    const mean = pairs.reduce((s, p) => s + p.src.split(' ').length, 0) / pairs.length;
    expect(mean).toBeGreaterThan(7.5);
    expect(mean).toBeLessThan(10);
  });

  it('covers the phenomena the corpus is for', () => {
    const french = pairs.map((p) => p.tgt).join('\n');
    const english = pairs.map((p) => p.src).join('\n');
    for (const pattern of [/ ne | n'/, / jamais /, /Est-ce qu/, /Qu'est-ce qu/, /Où /, /D'où/, /^Qui /m, / au | aux /, / du /, / l'/,
      / belle| bel | vieil | nouvel /, / vingt et une? | quatre-vingt/, /Il y a/, / sont (allé|venu|arrivé|parti|resté|entré|tombé|rentré)e?s /, /erons |eront |iront |ras /]) {
      expect(french, String(pattern)).toMatch(pattern);
    }
    for (const pattern of [/ does not /, / did not /, / will not /, / never /, /^(Does|Did|Will|Is|Are) /m, /^What /m, /^Where /m, /^Who /m, /'s /, / an /, / you all /]) {
      expect(english, String(pattern)).toMatch(pattern);
    }
  });

  it('gives the pairs its documentation shows', () => {
    expect(generateTranslationPairs({ seed: 42, count: 2 })).toEqual([
      { src: 'A rich queen does not close his castles.', tgt: 'Une reine riche ne ferme pas ses châteaux.' },
      { src: "The brown computer is in Paul's cupboard.", tgt: "L'ordinateur marron est dans le placard de Paul." },
    ]);
  });

  it('refuses a bad count naming the option', () => {
    expect(() => generateTranslationPairs({ seed: 1, count: -1 })).toThrow('generateTranslationPairs: count must be a non-negative integer, got -1');
    expect(() => generateTranslationPairs({ seed: 1, count: 1.5 })).toThrow(/count must be a non-negative integer/);
    expect(generateTranslationPairs({ seed: 1, count: 0 })).toEqual([]);
  });
});
