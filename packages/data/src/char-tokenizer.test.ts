import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { BOS_ID, EOS_ID, UNK_ID } from './vocab.js';

describe('CharTokenizer', () => {
  const tok = CharTokenizer.train(['abba cab']);

  it('assigns ids by character frequency after the specials', () => {
    // a:3 b:3 c:1 ' ':1 → a, b, then ' ' (U+0020) before c.
    expect(tok.vocab.tokensInOrder().slice(4)).toEqual(['a', 'b', ' ', 'c']);
    expect(tok.encode('cab a')).toEqual([7, 4, 5, 6, 4]);
  });

  it('encodes unseen characters as <unk>', () => {
    expect(tok.encode('az')).toEqual([4, UNK_ID]);
    expect(tok.decode(tok.encode('az'))).toBe('a<unk>');
  });

  it('round-trips text made of known characters, after normalization', () => {
    const t = CharTokenizer.train(['Café naïve 東京 👍🏽']);
    expect(t.decode(t.encode('  Cafe\u0301   naïve 東京 👍🏽 '))).toBe('Café naïve 東京 👍🏽');
  });

  it('drops <bos>/<eos> in decode unless keepSpecial', () => {
    expect(tok.decode([BOS_ID, 4, EOS_ID])).toBe('a');
    expect(tok.decode([BOS_ID, 4, EOS_ID], { keepSpecial: true })).toBe('<bos>a<eos>');
  });

  it('throws naming the id and vocabSize for an id out of range', () => {
    expect(() => tok.decode([4, 99])).toThrow(/id 99 at position 1 is out of range for vocabSize 8/);
  });

  it('lowercases when trained to, and keeps that setting through JSON', () => {
    const lower = CharTokenizer.train(['AbC'], { lowercase: true });
    const copy = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(lower)));
    expect(copy.encode('ABC')).toEqual(lower.encode('abc'));
    expect(copy.toJSON()).toEqual(lower.toJSON());
  });
});
