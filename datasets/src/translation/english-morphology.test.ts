import { describe, expect, it } from 'vitest';
import { englishArticle, englishNumber, englishPast, englishPlural, englishThird } from './english-morphology.js';

describe('English morphology', () => {
  it('forms plurals, third-person singulars and regular pasts', () => {
    expect(['cat', 'box', 'church', 'city', 'toy', 'bus'].map(englishPlural)).toEqual(['cats', 'boxes', 'churches', 'cities', 'toys', 'buses']);
    expect(['eat', 'go', 'watch', 'carry', 'play', 'wash', 'have'].map(englishThird)).toEqual(['eats', 'goes', 'watches', 'carries', 'plays', 'washes', 'has']);
    expect(['like', 'carry', 'play', 'walk', 'cry'].map(englishPast)).toEqual(['liked', 'carried', 'played', 'walked', 'cried']);
  });

  it('chooses a or an by the next word', () => {
    expect(['apple', 'old', 'umbrella', 'cat', 'big'].map(englishArticle)).toEqual(['an', 'an', 'an', 'a', 'a']);
  });

  it('spells cardinals with hyphens between tens and units', () => {
    expect([1, 12, 20, 21, 45, 70, 99, 100].map(englishNumber))
      .toEqual(['one', 'twelve', 'twenty', 'twenty-one', 'forty-five', 'seventy', 'ninety-nine', 'one hundred']);
    expect(() => englishNumber(0)).toThrow('englishNumber: expected an integer in 1–100, got 0');
  });
});
