import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';
import { joinPieces, preTokenize } from './pre-tokenize.js';

const varied = readFileSync(new URL('./__fixtures__/varied.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

describe('preTokenize', () => {
  it('splits words and punctuation and marks pieces after a space with ▁', () => {
    expect(preTokenize("Don't stop, Bob!")).toEqual(["▁Don't", '▁stop', ',', '▁Bob', '!']);
    expect(preTokenize('3.14 (approx.)')).toEqual(['▁3', '.', '14', '▁(', 'approx', '.', ')']);
  });

  it('keeps accents and combining marks inside words', () => {
    expect(preTokenize('naïve नमस्ते')).toEqual(['▁naïve', '▁नमस्ते']);
  });

  it('gives each CJK character its own piece in word mode and keeps runs in subword mode', () => {
    expect(preTokenize('東京は晴れ。')).toEqual(['▁東', '京', 'は', '晴', 'れ', '。']);
    expect(preTokenize('東京は晴れ。', 'subword')).toEqual(['▁東京は晴れ', '。']);
  });

  it('keeps emoji with modifiers, ZWJ sequences and flags whole', () => {
    expect(preTokenize('ok 👍🏽👩‍💻 🇩🇪')).toEqual(['▁ok', '▁👍🏽', '👩‍💻', '▁🇩🇪']);
  });

  it('joins back to the normalized text for every line of a varied corpus', () => {
    for (const line of varied) {
      const text = normalizeText(line);
      expect(joinPieces(preTokenize(text).join(''))).toBe(text);
      expect(joinPieces(preTokenize(text, 'subword').join(''))).toBe(text);
    }
  });
});
