// The self-attention variants through the whole model: incremental decoding on the KV cache (or linear attention's
// recurrent state) gives the logits of the teacher-forced forward at every step, the variant is saved in config.json
// and loaded back, and linformer stays in the encoder (the decoder's masked self-attention keeps full attention).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator, tensor } from '@gloss/tensor';
import { expectClose } from '@gloss/autograd/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { greedyDecode } from './decoding/index.js';
import { StepDecoder } from './decoding/step-decoder.js';
import { loadCheckpoint, saveCheckpoint } from './node/checkpoint.js';
import { Seq2SeqTransformer } from './seq2seq-transformer.js';
import type { TransformerConfigInput } from './config.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-variants-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CONFIG: TransformerConfigInput = {
  srcVocabSize: 11, tgtVocabSize: 9, dModel: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, maxLen: 16,
};
const ids = (rows: number[][]) => tensor(rows, undefined, 'int32');
const SRC = ids([[4, 5, 6, 7, 8, 9, 10], [8, 3, 5, 6, 0, 0, 0]]);
const TGT = [[1, 3, 4, 5, 6, 7, 8, 3], [1, 6, 4, 4, 5, 3, 7, 2]];

const VARIANTS: [string, Partial<TransformerConfigInput>][] = [
  ['local', { attentionType: 'local', attentionWindow: 2, globalTokens: 1 }],
  ['strided', { attentionType: 'strided', attentionStride: 3 }],
  ['strided, fixed', { attentionType: 'strided', stridedPattern: 'fixed', attentionStride: 4, summaryTokens: 1 }],
  ['block-sparse', { attentionType: 'block-sparse', blockSize: 2, windowBlocks: 1, globalBlocks: 1, randomBlocks: 1 }],
  ['linformer', { attentionType: 'linformer', projectedLength: 4 }],
  ['linear', { attentionType: 'linear' }],
  ['linear, FAVOR+', { attentionType: 'linear', featureMap: 'favor', randomFeatures: 8 }],
];

describe('Seq2SeqTransformer with attentionType', () => {
  for (const [name, variant] of VARIANTS) {
    it(`${name}: cached decoding gives the teacher-forced logits at every step; config.json keeps the variant`, () => {
      const model = new Seq2SeqTransformer({ ...CONFIG, ...variant }, { generator: new Generator(1) }).eval();
      for (const [k, v] of Object.entries(variant)) expect(model.config[k as keyof typeof model.config]).toBe(v);
      const full = model.forward(SRC, ids(TGT)).value;                           // [2, 8, tgtVocab]
      const V = CONFIG.tgtVocabSize;
      const decoder = new StepDecoder(model, SRC, false);
      for (let t = 0; t < TGT[0].length; t++) {
        const { logits } = decoder.step(Int32Array.from(TGT, (row) => row[t]));
        for (let r = 0; r < 2; r++) {
          const want = Array.from(full.data.subarray((r * TGT[0].length + t) * V, (r * TGT[0].length + t + 1) * V));
          const got = Array.from(logits.subarray(r * V, (r + 1) * V));
          want[model.config.padId] = want[model.config.bosId] = -Infinity;       // never generated
          expectClose(Float64Array.from(got), Float64Array.from(want), { atol: 1e-5, rtol: 1e-4 });
        }
      }
      const dir = path.join(root, name.replace(/\W+/g, '-'));
      saveCheckpoint(dir, model);
      const { model: loaded } = loadCheckpoint(dir);
      expect(loaded.config).toEqual(model.config);
      expect(Array.from(loaded.forward(SRC, ids(TGT)).value.data)).toEqual(Array.from(full.data));
      expect(greedyDecode(loaded, SRC)).toEqual(greedyDecode(model, SRC));
    });
  }

  it('runs linformer in the encoder only, and the variant in decoder self-attention but never in cross-attention', () => {
    const lin = new Seq2SeqTransformer({ ...CONFIG, attentionType: 'linformer', projectedLength: 4 });
    expect(lin.encoder.layers[0].selfAttn.variant.attentionType).toBe('linformer');
    expect(lin.decoder.layers[0].selfAttn.variant.attentionType).toBe('full');
    const local = new Seq2SeqTransformer({ ...CONFIG, attentionType: 'local', attentionWindow: 2 });
    expect(local.decoder.layers[0].selfAttn.variant.attentionType).toBe('local');
    expect(local.decoder.layers[0].crossAttn.variant.attentionType).toBe('full');
  });

  it('refuses bad variant fields in the config, naming them', () => {
    expect(() => new Seq2SeqTransformer({ ...CONFIG, attentionType: 'sparse' as never }))
      .toThrow('TransformerConfig: attentionType must be one of full, local, strided, block-sparse, linformer, linear, got "sparse"');
    expect(() => new Seq2SeqTransformer({ ...CONFIG, attentionType: 'local', attentionWindow: -3 }))
      .toThrow('TransformerConfig: attentionWindow must be a positive integer, got -3');
  });
});
