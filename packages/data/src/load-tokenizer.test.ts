import { describe, expect, it } from 'vitest';
import { BpeTokenizer } from './bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { tokenizerFromJSON } from './load-tokenizer.js';
import { WordTokenizer } from './word-tokenizer.js';

describe('tokenizerFromJSON', () => {
  const corpus = ['Ein Haus am See.', 'A house by the lake.'];

  it.each([
    ['char', CharTokenizer.train(corpus)],
    ['word', WordTokenizer.train(corpus)],
    ['bpe', BpeTokenizer.train(corpus, { vocabSize: 300 })],
  ])('restores a saved %s tokenizer that encodes and decodes identically', (kind, tokenizer) => {
    const copy = tokenizerFromJSON(JSON.parse(JSON.stringify(tokenizer)));
    expect(copy.kind).toBe(kind);
    expect(copy.encode(corpus[1])).toEqual(tokenizer.encode(corpus[1]));
    expect(copy.decode(copy.encode(corpus[0]))).toBe(corpus[0]);
  });

  it('names the accepted types when given an unknown one', () => {
    expect(() => tokenizerFromJSON({ type: 'sentencepiece' } as never)).toThrow(/expected type 'char', 'word' or 'bpe', got "sentencepiece"/);
  });
});
