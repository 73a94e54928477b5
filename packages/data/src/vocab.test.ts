import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { BOS_ID, EOS_ID, PAD_ID, SPECIAL_TOKENS, UNK_ID, Vocab } from './vocab.js';

describe('Vocab', () => {
  it('puts the special tokens at their fixed ids', () => {
    const vocab = Vocab.build([]);
    expect([PAD_ID, BOS_ID, EOS_ID, UNK_ID]).toEqual([0, 1, 2, 3]);
    expect(vocab.tokensInOrder()).toEqual(['<pad>', '<bos>', '<eos>', '<unk>']);
    expect(SPECIAL_TOKENS.map((t) => vocab.idOf(t))).toEqual([0, 1, 2, 3]);
  });

  it('orders tokens by descending frequency, ties by code-unit order', () => {
    const vocab = Vocab.build(['b', 'a', 'c', 'a', 'b', 'd', 'a']);
    expect(vocab.tokensInOrder().slice(4)).toEqual(['a', 'b', 'c', 'd']);
    expect(vocab.frequencyOf('a')).toBe(3);
    expect(vocab.frequencyOf('zzz')).toBe(0);
  });

  it('drops tokens below minFrequency and keeps the most frequent under maxSize', () => {
    const counts = new Map([['x', 5], ['y', 4], ['z', 1], ['w', 4]]);
    expect(Vocab.build(counts, { minFrequency: 2 }).tokensInOrder().slice(4)).toEqual(['x', 'w', 'y']);
    expect(Vocab.build(counts, { maxSize: 6 }).tokensInOrder().slice(4)).toEqual(['x', 'w']);
  });

  it('places reserved tokens right after the specials', () => {
    const vocab = Vocab.build(new Map([['a', 9], ['▁', 2]]), { reserved: ['▁'] });
    expect(vocab.tokensInOrder()).toEqual(['<pad>', '<bos>', '<eos>', '<unk>', '▁', 'a']);
    expect(vocab.frequencyOf('▁')).toBe(2);
  });

  it('maps unknown tokens to UNK_ID and lookup to undefined', () => {
    const vocab = Vocab.build(['a']);
    expect(vocab.idOf('nope')).toBe(UNK_ID);
    expect(vocab.lookup('nope')).toBeUndefined();
    expect(vocab.has('a')).toBe(true);
  });

  it('throws naming the id and the vocabulary size for an id out of range', () => {
    const vocab = Vocab.build(['a']);
    expect(() => vocab.tokenOf(5)).toThrow(DataError);
    expect(() => vocab.tokenOf(5)).toThrow(/id 5 is out of range for a vocabulary of size 5/);
    expect(() => vocab.tokenOf(-1)).toThrow(/id -1/);
    expect(() => vocab.tokenOf(1.5)).toThrow(/id 1.5/);
  });

  it('round-trips through JSON', () => {
    const vocab = Vocab.build(['a', 'b', 'b']);
    const copy = Vocab.fromJSON(JSON.parse(JSON.stringify(vocab)));
    expect(copy.tokensInOrder()).toEqual(vocab.tokensInOrder());
    expect(copy.frequencyOf('b')).toBe(2);
  });

  it('refuses token lists without the specials in place or with duplicates', () => {
    expect(() => new Vocab(['a', '<bos>', '<eos>', '<unk>'])).toThrow(/id 0 must be <pad>, got "a"/);
    expect(() => new Vocab([...SPECIAL_TOKENS, 'x', 'x'])).toThrow(/"x" appears twice, at ids 4 and 5/);
    expect(() => Vocab.fromJSON({} as never)).toThrow(/expected \{ tokens/);
    expect(() => Vocab.build([], { maxSize: 2 })).toThrow(/maxSize 2 is smaller than the 4/);
  });
});
