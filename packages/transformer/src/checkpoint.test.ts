// Checkpoints: save → load gives the same model (logits and decodes bit for bit), files are replaced atomically
// with nothing left behind, bad directories are refused naming the file and what is wrong, and — where
// /usr/bin/python3 has torch — a gloss checkpoint loads strictly into the PyTorch module with the same logits.
// (PyTorch → gloss is covered by torch-golden.test.ts, whose checkpoints PyTorch wrote.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, ones, tensor, type Tensor } from '@gloss/tensor';
import { encodeSafetensors } from '@gloss/tensor/node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, encodeCheckpointFiles } from './checkpoint.js';
import { loadCheckpoint, saveCheckpoint } from './node/checkpoint.js';
import { greedyDecode } from './decoding/index.js';
import { StateDictError } from './module.js';
import { Seq2SeqTransformer } from './seq2seq-transformer.js';
import type { TransformerConfigInput } from './config.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-checkpoint-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, `ckpt-${n++}`);

const CONFIG: TransformerConfigInput = {
  srcVocabSize: 11, tgtVocabSize: 9, dModel: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, maxLen: 12,
};
const ids = (rows: number[][]) => tensor(rows, undefined, 'int32');
const SRC = [[4, 5, 6, 7], [8, 3, 0, 0]];
const TGT = [[1, 3, 4], [1, 6, 0]];

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips: same config, same parameters, same logits and decodes, extra files and metadata kept', () => {
    const model = new Seq2SeqTransformer({ ...CONFIG, normFirst: true }, { generator: new Generator(1) }).eval();
    const dir = freshDir();
    saveCheckpoint(dir, model, { files: { 'tokenizer.json': '{"kind":"char"}', 'notes.bin': new Uint8Array([1, 2, 3]) }, metadata: { step: '120' } });
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', 'notes.bin', 'tokenizer.json']);
    const { model: loaded, config, metadata } = loadCheckpoint(dir);
    expect(config).toEqual(model.config);
    expect(metadata).toEqual({ format: 'pt', step: '120' });
    expect(loaded.training).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).toBe('{"kind":"char"}');
    expect(Array.from(loaded.forward(ids(SRC), ids(TGT)).value.data)).toEqual(Array.from(model.forward(ids(SRC), ids(TGT)).value.data));
    expect(greedyDecode(loaded, ids(SRC))).toEqual(greedyDecode(model, ids(SRC)));
  });

  it('replaces an existing checkpoint and leaves no temporary file', () => {
    const dir = freshDir();
    saveCheckpoint(dir, new Seq2SeqTransformer(CONFIG, { generator: new Generator(2) }));
    const second = new Seq2SeqTransformer({ ...CONFIG, dModel: 4 }, { generator: new Generator(3) });
    saveCheckpoint(dir, second);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(loadCheckpoint(dir).config.dModel).toBe(4);
  });

  it('stores a tied or shared weight once and loads it back tied', () => {
    const model = new Seq2SeqTransformer({ ...CONFIG, tgtVocabSize: 11, shareEmbeddings: true, tieOutput: true }, { generator: new Generator(4) });
    const dir = freshDir();
    saveCheckpoint(dir, model);
    const { model: loaded } = loadCheckpoint(dir);
    expect(loaded.outputProjection.weight).toBe(loaded.srcEmbed.weight);
    expect(Array.from(loaded.srcEmbed.weight.value.data)).toEqual(Array.from(model.srcEmbed.weight.value.data));
  });

  it('refuses extra file names that are paths or the checkpoint\'s own files', () => {
    const model = new Seq2SeqTransformer(CONFIG);
    expect(() => saveCheckpoint(freshDir(), model, { files: { '../x.json': '' } })).toThrow(/extra file name '\.\.\/x\.json' must be a plain file name/);
    expect(() => saveCheckpoint(freshDir(), model, { files: { 'config.json': '' } })).toThrow(/other than config\.json and model\.safetensors/);
  });

  describe('refuses a bad checkpoint, naming the file and the problem', () => {
    const good = freshDir();
    const model = new Seq2SeqTransformer(CONFIG, { generator: new Generator(5) });
    saveCheckpoint(good, model);
    const state = model.stateDict();
    /** A copy of the good checkpoint with `edit` applied to one of its files. */
    const broken = (file: string, contents: string | Uint8Array | null) => {
      const dir = freshDir();
      fs.cpSync(good, dir, { recursive: true });
      if (contents === null) fs.rmSync(path.join(dir, file));
      else fs.writeFileSync(path.join(dir, file), contents);
      return dir;
    };
    const weights = fs.readFileSync(path.join(good, 'model.safetensors'));

    it('missing directory or files', () => {
      expect(() => loadCheckpoint(path.join(root, 'nope'))).toThrow(/loadCheckpoint: cannot read .*nope\/config\.json: ENOENT/);
      expect(() => loadCheckpoint(broken('model.safetensors', null))).toThrow(/cannot read .*model\.safetensors: ENOENT/);
    });

    it('bad config.json', () => {
      expect(() => loadCheckpoint(broken('config.json', '{"dModel": 8,'))).toThrow(/config\.json is not valid JSON/);
      expect(() => loadCheckpoint(broken('config.json', JSON.stringify({ ...model.config, numHeads: 3 })))).toThrow(/config\.json: TransformerConfig: dModel 8 is not divisible by numHeads 3/);
    });

    it('truncated weights or a bad header', () => {
      expect(() => loadCheckpoint(broken('model.safetensors', weights.subarray(0, weights.length - 10)))).toThrow(/model\.safetensors: truncated/);
      expect(() => loadCheckpoint(broken('model.safetensors', weights.subarray(0, 5)))).toThrow(/model\.safetensors: truncated/);
      const badHeader = new Uint8Array(weights);
      badHeader[9] = 0x7b;   // '{{'...: no longer JSON
      expect(() => loadCheckpoint(broken('model.safetensors', badHeader))).toThrow(/model\.safetensors: the header is not valid UTF-8 JSON/);
    });

    it('missing keys, unexpected keys and wrong shapes, all listed at once', () => {
      const edited: Record<string, Tensor> = { ...state, 'transformer.encoder.layers.5.norm1.weight': ones([8]), 'generator.bias': ones([4]) };
      delete edited['src_embed.weight'];
      delete edited['transformer.decoder.norm.bias'];
      let error: unknown;
      try { loadCheckpoint(broken('model.safetensors', encodeSafetensors(edited))); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(StateDictError);
      const e = error as StateDictError;
      expect(e.missing).toEqual(['src_embed.weight', 'transformer.decoder.norm.bias']);
      expect(e.unexpected).toEqual(['transformer.encoder.layers.5.norm1.weight']);
      expect(e.mismatched).toEqual(['generator.bias: got [4], expected [9]']);
      expect(e.message).toMatch(/^loadCheckpoint\(.*model\.safetensors\): the state dict does not fit the module; missing keys \(2\)/);
    });
  });

  const python = '/usr/bin/python3';
  const hasTorch = fs.existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  it('a gloss checkpoint loads strictly into the PyTorch module and gives the same logits', (ctx) => {
    if (!hasTorch) {
      const why = `needs ${python} with torch (import torch failed or ${python} is missing)`;
      console.warn(`skipped: ${ctx.task.name} — ${why}`);
      ctx.skip(why);
    }
    const model = new Seq2SeqTransformer({ ...CONFIG, activation: 'gelu' }, { generator: new Generator(6) }).eval();
    const dir = freshDir();
    saveCheckpoint(dir, model);
    const script = fileURLToPath(new URL('../fixtures/load_in_torch.py', import.meta.url));
    const run = spawnSync(python, [script, dir, JSON.stringify(SRC), JSON.stringify(TGT)], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const torch = JSON.parse(run.stdout) as { keys: string[]; shape: number[]; logits: number[] };
    expect(torch.keys).toEqual(model.namedParameters().map(([k]) => k));
    const logits = model.forward(ids(SRC), ids(TGT)).value;
    expect(torch.shape).toEqual(logits.shape);
    torch.logits.forEach((x, i) => expect(Math.abs(x - logits.data[i]), `logit ${i}`).toBeLessThan(1e-5));
  }, 30_000);
});

describe('encodeCheckpoint / decodeCheckpoint (bytes, for web pages)', () => {
  it('are the files saveCheckpoint writes, byte for byte, and decode to the same model', () => {
    const model = new Seq2SeqTransformer(CONFIG, { generator: new Generator(2) }).eval();
    const dir = freshDir();
    const extras = { files: { 'tokenizer.json': '{"kind":"char"}' }, metadata: { step: '7' } };
    saveCheckpoint(dir, model, extras);
    const files = encodeCheckpoint(model, extras);
    expect([...files.keys()]).toEqual(['tokenizer.json', 'model.safetensors', 'config.json']);
    for (const [name, data] of files) {
      expect(new Uint8Array(fs.readFileSync(path.join(dir, name))), name).toEqual(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    }
    const { model: decoded, metadata } = decodeCheckpoint({ config: files.get('config.json')!, weights: files.get('model.safetensors') as Uint8Array });
    expect(metadata).toEqual({ format: 'pt', step: '7' });
    expect(greedyDecode(decoded, ids(SRC))).toEqual(greedyDecode(model, ids(SRC)));
  });

  it("write a tied weight once (encodeCheckpoint) or under every name (a Trainer's stateDict); both decode tied", () => {
    const model = new Seq2SeqTransformer({ ...CONFIG, tgtVocabSize: 11, shareEmbeddings: true, tieOutput: true }, { generator: new Generator(4) }).eval();
    const once = encodeCheckpoint(model);
    const every = encodeCheckpointFiles({ weights: model.stateDict(), config: model.config });
    expect([...every.keys()]).toEqual(['model.safetensors', 'config.json']);
    expect((every.get('model.safetensors') as Uint8Array).byteLength).toBeGreaterThan((once.get('model.safetensors') as Uint8Array).byteLength);
    for (const files of [once, every]) {
      const { model: decoded } = decodeCheckpoint({ config: files.get('config.json')!, weights: files.get('model.safetensors') as Uint8Array });
      expect(decoded.outputProjection.weight).toBe(decoded.srcEmbed.weight);
      expect(greedyDecode(decoded, ids(SRC))).toEqual(greedyDecode(model, ids(SRC)));
    }
    expect(encodeCheckpointFiles({ weights: model.stateDict() }).has('config.json')).toBe(false);
  });

  it('name the source given in errors', () => {
    const files = encodeCheckpoint(new Seq2SeqTransformer(CONFIG, { generator: new Generator(2) }));
    const weights = (files.get('model.safetensors') as Uint8Array).slice();
    weights[weights.length - 1] ^= 1;
    expect(() => decodeCheckpoint({ config: files.get('config.json')!, weights }, { source: 'https://host/ckpt' }))
      .toThrow('https://host/ckpt/model.safetensors is corrupt');
    expect(() => decodeCheckpoint({ config: '{', weights }, { source: 'upload' })).toThrow('upload/config.json is not valid JSON');
  });
});
