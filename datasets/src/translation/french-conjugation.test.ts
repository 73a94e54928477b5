import { describe, expect, it } from 'vitest';
import { conjugate, participle, type PersonIndex } from './french-conjugation.js';

const PERSONS: PersonIndex[] = [0, 1, 2, 3, 4, 5];
const all = (infinitive: string, tense: 'present' | 'future' | 'imperfect') => PERSONS.map((p) => conjugate(infinitive, tense, p));

// Paradigms copied from a French conjugation table (Bescherelle), not from the code.
describe('conjugate', () => {
  it('conjugates regular -er, -ir and -re verbs in the present', () => {
    expect(all('parler', 'present')).toEqual(['parle', 'parles', 'parle', 'parlons', 'parlez', 'parlent']);
    expect(all('finir', 'present')).toEqual(['finis', 'finis', 'finit', 'finissons', 'finissez', 'finissent']);
    expect(all('vendre', 'present')).toEqual(['vends', 'vends', 'vend', 'vendons', 'vendez', 'vendent']);
  });

  it('keeps the soft g before -ons and changes the stem of acheter, appeler, nettoyer', () => {
    expect(conjugate('manger', 'present', 3)).toBe('mangeons');
    expect(conjugate('nager', 'present', 3)).toBe('nageons');
    expect(all('acheter', 'present')).toEqual(['achète', 'achètes', 'achète', 'achetons', 'achetez', 'achètent']);
    expect(all('appeler', 'present')).toEqual(['appelle', 'appelles', 'appelle', 'appelons', 'appelez', 'appellent']);
    expect(all('nettoyer', 'present')).toEqual(['nettoie', 'nettoies', 'nettoie', 'nettoyons', 'nettoyez', 'nettoient']);
  });

  it('conjugates the irregular verbs of the lexicon', () => {
    expect(all('être', 'present')).toEqual(['suis', 'es', 'est', 'sommes', 'êtes', 'sont']);
    expect(all('avoir', 'present')).toEqual(['ai', 'as', 'a', 'avons', 'avez', 'ont']);
    expect(all('aller', 'present')).toEqual(['vais', 'vas', 'va', 'allons', 'allez', 'vont']);
    expect(all('boire', 'present')).toEqual(['bois', 'bois', 'boit', 'buvons', 'buvez', 'boivent']);
    expect(all('peindre', 'present')).toEqual(['peins', 'peins', 'peint', 'peignons', 'peignez', 'peignent']);
  });

  it('forms the simple future from the infinitive or an irregular stem', () => {
    expect(all('manger', 'future')).toEqual(['mangerai', 'mangeras', 'mangera', 'mangerons', 'mangerez', 'mangeront']);
    expect(conjugate('vendre', 'future', 2)).toBe('vendra');
    expect(conjugate('acheter', 'future', 0)).toBe('achèterai');
    expect(conjugate('appeler', 'future', 5)).toBe('appelleront');
    expect(conjugate('nettoyer', 'future', 2)).toBe('nettoiera');
    expect(['être', 'avoir', 'aller', 'venir', 'voir', 'courir'].map((v) => conjugate(v, 'future', 2)))
      .toEqual(['sera', 'aura', 'ira', 'viendra', 'verra', 'courra']);
  });

  it('forms the imperfect of être and avoir', () => {
    expect(all('être', 'imperfect')).toEqual(['étais', 'étais', 'était', 'étions', 'étiez', 'étaient']);
    expect(conjugate('avoir', 'imperfect', 2)).toBe('avait');
  });

  it('gives past participles', () => {
    expect(['manger', 'finir', 'vendre', 'prendre', 'ouvrir', 'écrire', 'venir', 'boire', 'rire'].map(participle))
      .toEqual(['mangé', 'fini', 'vendu', 'pris', 'ouvert', 'écrit', 'venu', 'bu', 'ri']);
  });

  it('throws a ValueError naming a verb it cannot conjugate', () => {
    expect(() => participle('xyz')).toThrow('conjugate: no conjugation for "xyz" (expected an -er, -ir or -re infinitive)');
  });
});
