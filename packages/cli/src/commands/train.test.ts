// gloss train's loss is model.tokenLoss (projection and loss only at non-pad targets): a short run gives the
// per-step losses of the same run with labelSmoothedCrossEntropy on model.forward's full logits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, type Tensor } from '@gloss/tensor';
import { labelSmoothedCrossEntropy, type StepRecord } from '@gloss/training';
import { Seq2SeqTransformer } from '@gloss/transformer';
import { resolveConfig } from '../config.js';
import { memoryIo } from '../io.js';
import { train } from './train.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-train-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => { vi.restoreAllMocks(); });

/** Pairs of 2–7 words and their reverse, so batches are padded. */
function corpus(seed: number, n: number): string {
  const words = ['red', 'blue', 'green', 'cat', 'dog', 'runs', 'fast', 'slow'];
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 2 + g.int(6) }, () => words[g.int(words.length)]);
    return `${s.join(' ')}\t${[...s].reverse().join(' ')}\n`;
  }).join('');
}

async function stepLosses(name: string): Promise<StepRecord[]> {
  const file = path.join(root, 'train.tsv');
  if (!fs.existsSync(file)) fs.writeFileSync(file, corpus(1, 200));
  const config = resolveConfig({
    train: file, out: path.join(root, name), tokenizer: 'word', dModel: 16, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1,
    dimFeedforward: 32, dropout: 0.1, labelSmoothing: 0.1, maxTokens: 120, maxSteps: 12, lr: 0.005, schedule: 'constant', warmup: 0,
    metric: 'loss', backend: 'cpu', log: 'quiet', seed: 3,
  });
  const steps: StepRecord[] = [];
  await train(config, { io: memoryIo(), onStep: (r) => steps.push(r), samples: 0 });
  return steps;
}

describe('gloss train loss', () => {
  it('gives the per-step losses, NLL and gradient norms of labelSmoothedCrossEntropy(model.forward(…)) to 1e-6', async () => {
    const fast = await stepLosses('fast');
    const tokenLoss = vi.spyOn(Seq2SeqTransformer.prototype, 'tokenLoss');
    tokenLoss.mockImplementation(function (this: Seq2SeqTransformer, src: Tensor, tgtIn: Tensor, tgtOut: Tensor, { labelSmoothing = 0 } = {}) {
      return labelSmoothedCrossEntropy(this.forward(src, tgtIn), tgtOut, { padId: this.config.padId, smoothing: labelSmoothing });
    });
    const full = await stepLosses('full');
    expect(tokenLoss).toHaveBeenCalled();
    expect(fast.length).toBe(12);
    expect(full.map((r) => r.numTokens)).toEqual(fast.map((r) => r.numTokens));
    for (const [i, r] of fast.entries()) {
      expect(Math.abs(r.loss - full[i].loss)).toBeLessThan(1e-6);
      expect(Math.abs(r.nll - full[i].nll)).toBeLessThan(1e-6);
      expect(Math.abs(r.gradNorm - full[i].gradNorm)).toBeLessThan(1e-6 * Math.max(1, full[i].gradNorm));
    }
    expect(fast[11].loss).toBeLessThan(fast[0].loss);             // and it trains
  }, 60_000);
});
