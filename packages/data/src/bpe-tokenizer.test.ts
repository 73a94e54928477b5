import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticSentences } from '../bench/bpe-corpus.js';
import { BpeTokenizer } from './bpe-tokenizer.js';
import { normalizeText } from './normalize.js';
import { UNK_ID } from './vocab.js';

const varied = readFileSync(new URL('./__fixtures__/varied.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
/** Sennrich et al.'s toy corpus: low ×5, lower ×2, newest ×6, widest ×3. */
const toy = [...Array(5).fill('low'), ...Array(2).fill('lower'), ...Array(6).fill('newest'), ...Array(3).fill('widest')];

describe('BpeTokenizer', () => {
  it('learns the toy-corpus merges worked by hand, with ▁ starting each word', () => {
    // Pieces: ▁low 5, ▁lower 2, ▁newest 6, ▁widest 3. (e,s) 9 ties (s,t) 9 and 'e' < 's'; then (es,t) 9;
    // at 7, (l,o) < (o,w) < (▁,l) by code unit ('▁' is U+2581), then (lo,w), then (▁,low).
    const tok = BpeTokenizer.train(toy, { vocabSize: 4 + 11 + 5, unknown: 'unk' });
    expect(tok.merges).toEqual([['e', 's'], ['es', 't'], ['l', 'o'], ['lo', 'w'], ['▁', 'low']]);
    expect(tok.vocabSize).toBe(20);
    expect(tok.tokenize('lowest newer')).toEqual(['▁low', 'est', '▁', 'n', 'e', 'w', 'e', 'r']);
  });

  it('reaches the vocabSize target when the corpus allows it', () => {
    const tok = BpeTokenizer.train(varied, { vocabSize: 700, minFrequency: 1 });
    expect(tok.vocabSize).toBe(700);
  });

  it('encodes unseen characters as UTF-8 byte tokens by default and decodes them back', () => {
    const tok = BpeTokenizer.train(toy, { vocabSize: 300 });
    expect(tok.tokenize('low 🙂')).toEqual(['▁low', '▁', '<0xF0>', '<0x9F>', '<0x99>', '<0x82>']);
    expect(tok.decode(tok.encode('Ünïcödé 🙂 東京'))).toBe('Ünïcödé 🙂 東京');
  });

  it('encodes unseen characters as <unk> when unknown is "unk"', () => {
    const tok = BpeTokenizer.train(toy, { vocabSize: 100, unknown: 'unk' });
    expect(tok.tokenize('lo🙂')).toEqual(['▁', 'lo', '<unk>']);
    expect(tok.encode('lo🙂').at(-1)).toBe(UNK_ID);
    expect(tok.decode(tok.encode('lo🙂'))).toBe('lo<unk>');
  });

  it('round-trips a varied corpus, and unseen text thanks to byte fallback', () => {
    const tok = BpeTokenizer.train(varied, { vocabSize: 600 });
    const unseen = ['Zürich’s “Qualität” — 42 × 7 ≠ 300?', 'ภาษาไทย 🦄', 'Ça   marche\tbien.'];
    for (const line of [...varied, ...unseen]) expect(tok.decode(tok.encode(line))).toBe(normalizeText(line));
  });

  it('lowercases when asked', () => {
    const tok = BpeTokenizer.train(['Hello HELLO hello'], { vocabSize: 300, lowercase: true });
    expect(tok.encode('HeLLo')).toEqual(tok.encode('hello'));
    expect(tok.decode(tok.encode('HeLLo'))).toBe('hello');
  });

  it('is deterministic: the same corpus gives identical JSON, and JSON gives the same encoding', () => {
    const a = BpeTokenizer.train(varied, { vocabSize: 500 });
    const b = BpeTokenizer.train([...varied], { vocabSize: 500 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const copy = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(a)));
    for (const line of varied) expect(copy.encode(line)).toEqual(a.encode(line));
    expect(copy.unknown).toBe('byte');
  });

  it('refuses a vocabSize below the reserved tokens and saved merges with missing tokens', () => {
    expect(() => BpeTokenizer.train(toy, { vocabSize: 100 })).toThrow(/vocabSize must be an integer >= 260/);
    expect(() => BpeTokenizer.train(toy, { vocabSize: 8, unknown: 'unk' })).toThrow(/11 characters .* only 4 tokens fit/);
    const json = BpeTokenizer.train(toy, { vocabSize: 100, unknown: 'unk' }).toJSON();
    const broken = { ...json, merges: [...json.merges, ['x', 'y'] as [string, string]] };
    expect(() => BpeTokenizer.fromJSON(broken)).toThrow(/merge \d+ \("x" \+ "y"\) uses a token missing/);
  });

  it('throws naming the id and vocabSize for an id out of range', () => {
    const tok = BpeTokenizer.train(toy, { vocabSize: 100, unknown: 'unk' });
    expect(() => tok.decode([5, -2])).toThrow(/id -2 at position 1 is out of range for vocabSize \d+/);
  });

  it('trains 20k synthetic sentences to 4000 tokens (what it costs: npm run bench -w @gloss/data)', () => {
    const tok = BpeTokenizer.train(syntheticSentences(20000), { vocabSize: 4000 });
    expect(tok.vocabSize).toBe(4000);
  });
});
