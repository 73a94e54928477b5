import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { DEFAULT_TRANSFORMER_CONFIG, resolveConfig as resolveTransformerConfig } from '@gloss/transformer';
import { fieldName, fieldsHelp, flagName, modelConfig, resolveConfig, TRAIN_MODEL_DEFAULTS } from './config.js';
import { configFromArgs } from './commands/train.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('config', () => {
  it('maps fields to flags and back', () => {
    expect(flagName('dModel')).toBe('d-model');
    expect(flagName('numEncoderLayers')).toBe('num-encoder-layers');
    expect(fieldName('num-encoder-layers')).toBe('numEncoderLayers');
  });

  it('fills defaults and keeps given values', () => {
    const c = resolveConfig({ train: 't.tsv', out: 'run', valid: 'v.tsv', dModel: 64, numHeads: 2 });
    expect(c.dModel).toBe(64);
    expect(c.numHeads).toBe(2);
    expect(c.labelSmoothing).toBe(0.1);
    expect(c.test).toBe('');
    expect(c.resume).toBe(true);
  });

  it('refuses bad fields naming the field, what it must be and what came', () => {
    const base = { train: 't.tsv', out: 'run', valid: 'v.tsv' };
    expect(() => resolveConfig({ ...base, dModell: 3 }, 'cfg.json')).toThrow('cfg.json: unknown field "dModell" (did you mean "dModel"?)');
    expect(() => resolveConfig({ ...base, dModel: 12.5 })).toThrow('dModel must be an integer, got 12.5');
    expect(() => resolveConfig({ ...base, dModel: '128' })).toThrow('dModel must be a number, got "128"');
    expect(() => resolveConfig({ ...base, dropout: 1.5 })).toThrow('dropout must be ≤ 1, got 1.5');
    expect(() => resolveConfig({ ...base, lr: 0 })).toThrow('lr must be > 0, got 0');
    expect(() => resolveConfig({ ...base, tokenizer: 'sentencepiece' })).toThrow('tokenizer must be one of bpe, word, char, got "sentencepiece"');
    expect(() => resolveConfig({ ...base, normFirst: 'yes' })).toThrow('normFirst must be true or false, got "yes"');
    expect(() => resolveConfig({ out: 'run' })).toThrow('"train" is required (--train)');
    expect(() => resolveConfig({ ...base, dModel: 100, numHeads: 3 })).toThrow('config: TransformerConfig: dModel 100 is not divisible by numHeads 3');
    expect(() => resolveConfig({ ...base, shareEmbeddings: true, sharedVocab: false })).toThrow('shareEmbeddings needs sharedVocab');
    expect(() => resolveConfig({ train: 't', out: 'o' })).toThrow('metric "bleu" needs a validation corpus');
    expect(() => resolveConfig({ ...base, maxSteps: 0, maxEpochs: 0 })).toThrow('set maxSteps, maxEpochs or maxTime');
    expect(() => resolveConfig({ ...base, attentionDropout: -0.5 })).toThrow('attentionDropout must be in [0, 1], or -1 for "same as dropout", got -0.5');
    expect(resolveConfig({ ...base }).attentionDropout).toBe(-1);
  });
});

describe('attention variant fields', () => {
  const base = { train: 't.tsv', out: 'run', valid: 'v.tsv' };
  it('default to full attention and take each variant and its parameters as flags', () => {
    expect(resolveConfig(base).attentionType).toBe('full');
    const c = configFromArgs(['--train', 't.tsv', '--out', 'run', '--valid', 'v.tsv', '--attention-type', 'local', '--attention-window', '64', '--global-tokens', '1']);
    expect([c.attentionType, c.attentionWindow, c.globalTokens]).toEqual(['local', 64, 1]);
    expect(configFromArgs(['--train', 't', '--out', 'o', '--valid', 'v', '--attention-type', 'block-sparse', '--block-size', '32', '--random-blocks', '2']))
      .toMatchObject({ attentionType: 'block-sparse', blockSize: 32, randomBlocks: 2 });
  });
  it('refuses bad values naming the field, the rule and the value, and suggests the near name', () => {
    expect(() => resolveConfig({ ...base, attentionType: 'sparse' })).toThrow('attentionType must be one of full, local, strided, block-sparse, linformer, linear, got "sparse"');
    expect(() => resolveConfig({ ...base, attentionWindow: 0 }, 'cfg.json')).toThrow('cfg.json: attentionWindow must be a positive integer, got 0');
    expect(() => resolveConfig({ ...base, windowBlocks: 4 })).toThrow('windowBlocks must be odd');
    expect(() => resolveConfig({ ...base, attentionWindw: 3 }, 'cfg.json')).toThrow('cfg.json: unknown field "attentionWindw" (did you mean "attentionWindow"?)');
    expect(() => configFromArgs(['--train', 't', '--out', 'o', '--valid', 'v', '--attention-typ', 'local'])).toThrow('did you mean --attention-type?');
  });
  it('lists the variants and their fields in gloss train --help', () => {
    const help = fieldsHelp();
    expect(help).toContain('--attention-type full|local|strided|block-sparse|linformer|linear');
    expect(help).toContain('--attention-window N');
    expect(help).toMatch(/--feature-map elu\|favor/);
  });
});

describe('arguments', () => {
  const specs = { dModel: { type: 'string' }, normFirst: { type: 'bool' }, help: { type: 'bool', short: 'h' } } as const;
  it('parses --name value, --name=value, booleans and --no-name', () => {
    const a = parseArgs(['--d-model', '64', 'pos', '--norm-first', '-h'], specs, 'train');
    expect(a.flags).toEqual({ dModel: '64', normFirst: true, help: true });
    expect(a.positionals).toEqual(['pos']);
    expect(parseArgs(['--d-model=-1', '--no-norm-first'], specs, 'train').flags).toEqual({ dModel: '-1', normFirst: false });
    expect(parseArgs(['--norm-first=false'], specs, 'train').flags).toEqual({ normFirst: false });
  });
  it('refuses unknown options and missing values by name', () => {
    expect(() => parseArgs(['--d-modle', '3'], specs, 'train')).toThrow('unknown option --d-modle (did you mean --d-model?) (see gloss train --help)');
    expect(() => parseArgs(['--d-model'], specs, 'train')).toThrow('--d-model needs a value');
    expect(() => parseArgs(['--d-model', '--norm-first'], specs, 'train')).toThrow('--d-model needs a value');
    expect(() => parseArgs(['--norm-first=maybe'], specs, 'train')).toThrow('--norm-first takes true or false, got "maybe"');
    expect(() => parseArgs(['-x'], specs, 'train')).toThrow('unknown option -x');
  });
  it('reads a config file, resolves its paths against the file, and lets flags override it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-cfg-'));
    try {
      const file = path.join(dir, 'cfg.json');
      fs.writeFileSync(file, JSON.stringify({ train: 'data/train.tsv', valid: 'data/valid.tsv', out: 'runs/a', dModel: 64, numHeads: 4 }));
      const c = configFromArgs(['--config', file, '--d-model', '32', '--no-resume']);
      expect(c.train).toBe(path.join(dir, 'data/train.tsv'));
      expect(c.out).toBe(path.join(dir, 'runs/a'));
      expect(c.dModel).toBe(32);
      expect(c.resume).toBe(false);
      expect(c.log).toBe('auto');
      expect(configFromArgs(['--config', file, '--quiet']).log).toBe('quiet');
      expect(configFromArgs(['--config', file, '-q', '--log', 'jsonl']).log).toBe('quiet');
      // A file may leave fields to the flags: no valid in the file, --valid given.
      fs.writeFileSync(file, JSON.stringify({ train: 'data/train.tsv', out: 'runs/a', dModel: 64 }));
      expect(configFromArgs(['--config', file, '--valid', 'v.tsv']).valid).toBe('v.tsv');
      expect(() => configFromArgs(['--config', file])).toThrow('metric "bleu" needs a validation corpus');
      fs.writeFileSync(file, JSON.stringify({ train: 'x', valid: 'v', out: 'o', numHead: 4 }));
      expect(() => configFromArgs(['--config', file])).toThrow(`${file}: unknown field "numHead" (did you mean "numHeads"?)`);
      fs.writeFileSync(file, '{ "train": ');
      expect(() => configFromArgs(['--config', file])).toThrow(`--config ${file}:`);
      expect(() => configFromArgs(['--config', path.join(dir, 'nope.json')])).toThrow('file not found');
      expect(() => configFromArgs(['--train', 't', '--out', 'o', '--valid', 'v', '--d-model', 'big'])).toThrow('--d-model: dModel must be a number, got "big"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the model fields', () => {
  it('default to TransformerConfig\'s but for the CPU-sized TRAIN_MODEL_DEFAULTS, and build the model config', () => {
    const c = resolveConfig({ train: 't.tsv', out: 'run', valid: 'v.tsv', maxLength: 600 });
    for (const k of ['dropout', 'activation', 'normFirst', 'shareEmbeddings', 'tieOutput', 'maxLen'] as const) expect(c[k]).toBe(DEFAULT_TRANSFORMER_CONFIG[k]);
    for (const [k, v] of Object.entries(TRAIN_MODEL_DEFAULTS)) expect(c[k as keyof typeof TRAIN_MODEL_DEFAULTS]).toBe(v);
    const m = resolveTransformerConfig(modelConfig(c, 100, 90));
    expect(m).toMatchObject({ srcVocabSize: 100, tgtVocabSize: 90, dModel: 256, numHeads: 4, attentionDropout: c.dropout, maxLen: 601 });
    expect(modelConfig({ ...c, attentionDropout: 0 }, 100, 90).attentionDropout).toBe(0);
  });
});
