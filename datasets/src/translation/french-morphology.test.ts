import { describe, expect, it } from 'vitest';
import { agree, frenchFeminine, frenchNumber, frenchPlural, frenchSurface, startsWithVowelSound } from './french-morphology.js';

describe('frenchNumber', () => {
  it('spells 1–20 and the tens as in a French grammar', () => {
    expect([1, 2, 7, 10, 11, 16, 17, 19, 20].map((n) => frenchNumber(n, 'm')))
      .toEqual(['un', 'deux', 'sept', 'dix', 'onze', 'seize', 'dix-sept', 'dix-neuf', 'vingt']);
    expect([30, 40, 50, 60, 70, 80, 90, 100].map((n) => frenchNumber(n, 'm')))
      .toEqual(['trente', 'quarante', 'cinquante', 'soixante', 'soixante-dix', 'quatre-vingts', 'quatre-vingt-dix', 'cent']);
  });

  it('uses "et" for 21–61 and 71, hyphens elsewhere, and drops the s of quatre-vingts before a unit', () => {
    expect([21, 22, 31, 45, 61, 71, 72, 75, 81, 91, 99].map((n) => frenchNumber(n, 'm'))).toEqual([
      'vingt et un', 'vingt-deux', 'trente et un', 'quarante-cinq', 'soixante et un', 'soixante et onze',
      'soixante-douze', 'soixante-quinze', 'quatre-vingt-un', 'quatre-vingt-onze', 'quatre-vingt-dix-neuf',
    ]);
  });

  it('agrees "un" with a feminine noun and leaves onze and the other numbers alone', () => {
    expect([1, 21, 31, 81, 11, 71, 2].map((n) => frenchNumber(n, 'f')))
      .toEqual(['une', 'vingt et une', 'trente et une', 'quatre-vingt-une', 'onze', 'soixante et onze', 'deux']);
  });

  it('refuses numbers outside 1–100', () => {
    expect(() => frenchNumber(0, 'm')).toThrow('frenchNumber: expected an integer in 1–100, got 0');
    expect(() => frenchNumber(101, 'm')).toThrow(RangeError);
  });
});

describe('frenchSurface', () => {
  it('elides le, la, de, je, ne, que before a vowel or a silent h', () => {
    expect(frenchSurface(['le', 'arbre'])).toBe("l'arbre");
    expect(frenchSurface(['la', 'horloge'])).toBe("l'horloge");
    expect(frenchSurface(['je', 'ai', 'vu', 'le', 'hôtel'])).toBe("j'ai vu l'hôtel");
    expect(frenchSurface(['il', 'ne', 'y', 'a', 'pas', 'de', 'eau'])).toBe("il n'y a pas d'eau");
    expect(frenchSurface(['que', 'est-ce', 'que', 'il', 'mange'])).toBe("qu'est-ce qu'il mange");
    expect(frenchSurface(['de', 'où', 'est-ce', 'que', 'Emma', 'vient'])).toBe("d'où est-ce qu'Emma vient");
  });

  it('keeps le before an aspirated h and before onze', () => {
    expect(frenchSurface(['le', 'hibou'])).toBe('le hibou');
    expect(frenchSurface(['de', 'la', 'harpe'])).toBe('de la harpe');
    expect(startsWithVowelSound('onze')).toBe(false);
    expect(startsWithVowelSound('œuf')).toBe(true);
  });

  it('contracts à/de with le/les but not with la or an elided l\'', () => {
    expect(frenchSurface(['à', 'le', 'marché'])).toBe('au marché');
    expect(frenchSurface(['à', 'les', 'échecs'])).toBe('aux échecs');
    expect(frenchSurface(['près', 'de', 'le', 'lit'])).toBe('près du lit');
    expect(frenchSurface(['de', 'les', 'arbres'])).toBe('des arbres');
    expect(frenchSurface(['à', 'la', 'gare'])).toBe('à la gare');
    expect(frenchSurface(['à', 'le', 'hôtel'])).toBe("à l'hôtel");
    expect(frenchSurface(['de', 'le', 'hibou'])).toBe('du hibou');
  });
});

describe('French nouns and adjectives', () => {
  it('forms regular and -eau/-al/-s plurals', () => {
    expect(['chat', 'gâteau', 'cheval', 'souris', 'jus', 'prix'].map(frenchPlural))
      .toEqual(['chats', 'gâteaux', 'chevaux', 'souris', 'jus', 'prix']);
  });

  it('forms feminines by the usual endings', () => {
    expect(['petit', 'heureux', 'sportif', 'cher', 'léger', 'bon', 'ancien', 'gentil', 'rouge', 'fatigué'].map(frenchFeminine))
      .toEqual(['petite', 'heureuse', 'sportive', 'chère', 'légère', 'bonne', 'ancienne', 'gentille', 'rouge', 'fatiguée']);
  });

  it('picks the form by gender and number', () => {
    const beau = { msg: 'beau', fsg: 'belle', mpl: 'beaux', fpl: 'belles' };
    expect([agree(beau, 'm', 'sg'), agree(beau, 'f', 'sg'), agree(beau, 'm', 'pl'), agree(beau, 'f', 'pl')])
      .toEqual(['beau', 'belle', 'beaux', 'belles']);
  });
});
