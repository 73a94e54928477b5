// The flag parser as people type flags: boolean spellings, negation, repeated flags, and did-you-mean for typos.
import { describe, expect, it } from 'vitest';
import { parseArgs, unexpectedArgument, type FlagSpec } from './args.js';
import { configFromArgs } from './commands/train.js';

const specs: Record<string, FlagSpec> = {
  sharedVocab: { type: 'bool' }, dropout: { type: 'string' }, ref: { type: 'string', multiple: true }, json: { type: 'bool', short: 'j' },
};
const parse = (...argv: string[]) => parseArgs(argv, specs, 'test');

describe('parseArgs', () => {
  it('reads a boolean flag alone, negated, with =value, or followed by true/false/yes/no/on/off/1/0 in any case', () => {
    expect(parse('--shared-vocab').flags).toEqual({ sharedVocab: true });
    expect(parse('--no-shared-vocab').flags).toEqual({ sharedVocab: false });
    for (const [word, value] of [['false', false], ['true', true], ['0', false], ['1', true], ['yes', true], ['no', false],
      ['NO', false], ['On', true], ['off', false]] as const) {
      expect(parse('--shared-vocab', word).flags).toEqual({ sharedVocab: value });
      expect(parse(`--shared-vocab=${word}`).flags).toEqual({ sharedVocab: value });
    }
    expect(parse('--no-shared-vocab', 'false').flags).toEqual({ sharedVocab: true });
  });

  it('leaves a word after a boolean flag that is not a boolean as a positional', () => {
    expect(parse('--json', 'runs/a')).toEqual({ flags: { json: true }, positionals: ['runs/a'] });
    expect(parse('-j', 'no', 'runs/a')).toEqual({ flags: { json: false }, positionals: ['runs/a'] });
  });

  it('refuses a bad =value of a boolean flag, naming the flag, the words it takes and --no-', () => {
    expect(() => parse('--shared-vocab=maybe')).toThrow('--shared-vocab takes true or false, got "maybe" (also yes/no, on/off, 1/0; or write --no-shared-vocab)');
  });

  it('collects a repeatable flag in order, and keeps the last of a plain one', () => {
    expect(parse('--ref', 'a', '--ref=b', '--dropout', '0.1', '--dropout', '0.2').flags).toEqual({ ref: ['a', 'b'], dropout: '0.2' });
  });

  it('suggests the nearest flag for a typo, and none for a word far from every flag', () => {
    expect(() => parse('--dropuot', '0.3')).toThrow('unknown option --dropuot (did you mean --dropout?) (see gloss test --help)');
    expect(() => parse('--shared-vocb')).toThrow('(did you mean --shared-vocab?)');
    expect(() => parse('--no-shared-vocb')).toThrow('(did you mean --no-shared-vocab?)');
    expect(() => parse('--temperature', '1')).toThrow(/^unknown option --temperature \(see gloss test --help\)$/);
  });

  it('names the boolean flag before an argument it cannot take', () => {
    const argv = ['--shared-vocab', 'maybe'];
    expect(unexpectedArgument(argv, parse(...argv).positionals[0], specs, 'hint'))
      .toBe('unexpected argument "maybe" after --shared-vocab (a boolean flag takes true or false, yes/no, on/off, 1/0; or write --no-shared-vocab)');
    expect(unexpectedArgument(['x'], 'x', specs, 'hint')).toBe('unexpected argument "x" (hint)');
  });
});

describe('gloss train flags', () => {
  const base = ['--train', 'x.tsv', '--out', 'runs/x', '--metric', 'loss'];
  it('takes --shared-vocab false and friends into the config', () => {
    expect(configFromArgs([...base, '--shared-vocab', 'false']).sharedVocab).toBe(false);
    expect(configFromArgs([...base, '--no-shared-vocab', '--norm-first', 'no']).normFirst).toBe(false);
    expect(configFromArgs([...base, '--shared-vocab', 'yes']).sharedVocab).toBe(true);
  });

  it('suggests the flag a typo meant', () => {
    expect(() => configFromArgs([...base, '--dropuot', '0.3'])).toThrow('unknown option --dropuot (did you mean --dropout?)');
    expect(() => configFromArgs([...base, '--d-modle', '64'])).toThrow('(did you mean --d-model?)');
  });
});
