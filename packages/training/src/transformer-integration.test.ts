// The Trainer with the real model: a tiny Seq2SeqTransformer (dModel 16, 2 heads, 1+1 layers, dropout 0.1 from
// a seeded Generator) learns to reverse short sequences, and a run stopped at step 6 and resumed in a fresh
// model ends with the same weights, bit for bit, as the run that went straight to step 12.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator } from '@gloss/tensor';
import type { Batch } from '@gloss/data';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyBatches, tinyExamples, VOCAB } from './__fixtures__/tiny-task.js';
import { batchIteratorSource } from './data-source.js';
import { labelSmoothedCrossEntropy } from './loss.js';
import { AdamW } from './optim/adam.js';
import { noam } from './schedules.js';
import { Trainer } from './trainer.js';
import type { StepRecord } from './trainer-options.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-transformer-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function run(dir: string, maxSteps: number, resume: boolean, records: StepRecord[]) {
  const generator = new Generator(11);
  const model = new Seq2SeqTransformer({
    srcVocabSize: VOCAB, tgtVocabSize: VOCAB, dModel: 16, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, dropout: 0.1, maxLen: 16,
  }, { generator });
  return new Trainer<Batch>({
    model,
    optimizer: new AdamW(model.namedParameters(), { betas: [0.9, 0.98], eps: 1e-9, weightDecay: 0.01 }),
    schedule: noam({ dModel: 16, warmup: 4, factor: 0.5 }),
    data: batchIteratorSource(tinyBatches(tinyExamples(40, 2), 4)),
    lossFn: (b) => labelSmoothedCrossEntropy(model.forward(b.src, b.tgtIn), b.tgtOut, { padId: model.config.padId, smoothing: 0.1 }),
    generators: { model: generator },
    dir, resume, maxSteps, clipNorm: 1, log: 'quiet', onStep: (r) => records.push(r),
  }).fit();
}

describe('Trainer with Seq2SeqTransformer', () => {
  it('trains and resumes exactly', async () => {
    const straight: StepRecord[] = [];
    await run(path.join(root, 'a'), 12, false, straight);
    expect(straight.at(-1)!.loss).toBeLessThan(straight[0].loss);
    const first: StepRecord[] = [];
    const second: StepRecord[] = [];
    await run(path.join(root, 'b'), 6, false, first);
    await run(path.join(root, 'b'), 12, true, second);
    expect([...first, ...second]).toEqual(straight);
    const weights = (d: string) => fs.readFileSync(path.join(root, d, 'last', 'model.safetensors'));
    expect(weights('b').equals(weights('a'))).toBe(true);
  }, 30_000);
});
