import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';
import { Vocab, UNK_ID } from './vocab.js';
import { WordTokenizer } from './word-tokenizer.js';

const varied = readFileSync(new URL('./__fixtures__/varied.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

describe('WordTokenizer', () => {
  it('splits words from punctuation and marks words after spaces with ▁', () => {
    const tok = WordTokenizer.train(["Don't panic, Arthur."]);
    expect(tok.tokenize("Don't panic.")).toEqual(["▁Don't", '▁panic', '.']);
    expect(tok.vocab.idOf('▁')).toBe(4);
  });

  it('round-trips every line of a varied corpus (accents, CJK, emoji, digits, punctuation)', () => {
    const tok = WordTokenizer.train(varied);
    for (const line of varied) expect(tok.decode(tok.encode(line))).toBe(normalizeText(line));
  });

  it('collapses whitespace runs, as documented', () => {
    const tok = WordTokenizer.train(['a b']);
    expect(tok.decode(tok.encode('  a\t\t b  '))).toBe('a b');
  });

  it('keeps the space before an unknown word as ▁ then <unk>', () => {
    const tok = WordTokenizer.train(['the cat sat.']);
    expect(tok.tokenize('the dog sat')).toEqual(['▁the', '▁', '<unk>', '▁sat']);
    expect(tok.decode(tok.encode('the dog sat.'))).toBe('the <unk> sat.');
  });

  it('uses the bare word when only its unmarked form is known', () => {
    const tok = WordTokenizer.train(['(cat)']);
    expect(tok.tokenize('cat')).toEqual(['▁', 'cat']);
    expect(tok.decode(tok.encode('cat'))).toBe('cat');
  });

  it('keeps the most frequent words under maxSize and drops rare ones under minFrequency', () => {
    const corpus = ['a a a b b c'];
    expect(WordTokenizer.train(corpus, { minFrequency: 2 }).vocab.tokensInOrder().slice(5)).toEqual(['▁a', '▁b']);
    expect(WordTokenizer.train(corpus, { maxSize: 6 }).vocab.tokensInOrder().slice(5)).toEqual(['▁a']);
    expect(WordTokenizer.train(corpus, { maxSize: 6 }).encode('c')).toEqual([4, UNK_ID]);
  });

  it('is deterministic and round-trips through JSON', () => {
    const a = WordTokenizer.train(varied, { lowercase: true });
    const b = WordTokenizer.train([...varied], { lowercase: true });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const copy = WordTokenizer.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(copy.encode(varied[0])).toEqual(a.encode(varied[0]));
    expect(copy.normalization.lowercase).toBe(true);
  });

  it('throws on ids out of range and on a vocabulary without ▁', () => {
    const tok = WordTokenizer.train(['a']);
    expect(() => tok.decode([tok.vocabSize])).toThrow(/id 6 at position 0 is out of range for vocabSize 6/);
    expect(() => new WordTokenizer(Vocab.build(['a']))).toThrow(/word-boundary token/);
    expect(() => WordTokenizer.fromJSON({ ...tok.toJSON(), type: 'char' } as never)).toThrow(/expected type 'word', got "char"/);
  });
});
