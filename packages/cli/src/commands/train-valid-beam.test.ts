// gloss train's validation decodes with the width --valid-beam asks for: beam search above 1, greedy at 1.
// beamSearch and greedyDecode are wrapped (same results) to count the calls; no test corpus, so every decode
// here is validation's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Generator } from '@gloss/tensor';
import { beamSearch, greedyDecode } from '@gloss/transformer';
import { resolveConfig } from '../config.js';
import { memoryIo } from '../io.js';
import { train } from './train.js';

vi.mock('@gloss/transformer', async (importOriginal) => {
  const m = await importOriginal<typeof import('@gloss/transformer')>();
  return { ...m, beamSearch: vi.fn(m.beamSearch), greedyDecode: vi.fn(m.greedyDecode) };
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-valid-beam-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => { vi.mocked(beamSearch).mockClear(); vi.mocked(greedyDecode).mockClear(); });

function corpus(seed: number, n: number): string {
  const words = ['red', 'blue', 'green', 'cat', 'dog', 'runs'];
  const g = new Generator(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 2 + g.int(4) }, () => words[g.int(words.length)]);
    return `${s.join(' ')}\t${[...s].reverse().join(' ')}\n`;
  }).join('');
}

async function run(name: string, validBeam: number): Promise<void> {
  fs.writeFileSync(path.join(root, 'train.tsv'), corpus(1, 60));
  fs.writeFileSync(path.join(root, 'valid.tsv'), corpus(2, 6));
  const config = resolveConfig({
    train: path.join(root, 'train.tsv'), valid: path.join(root, 'valid.tsv'), out: path.join(root, name), tokenizer: 'word',
    dModel: 8, numHeads: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, maxTokens: 100, maxSteps: 2,
    validateEvery: 2, metric: 'bleu', validBeam, backend: 'cpu', log: 'quiet',
  });
  await train(config, { io: memoryIo(), samples: 0 });
}

describe('gloss train --valid-beam', () => {
  it('decodes the validation sentences with beam search of that width', async () => {
    await run('beam3', 3);
    expect(beamSearch).toHaveBeenCalled();
    for (const [, , options] of vi.mocked(beamSearch).mock.calls) expect(options).toMatchObject({ beamSize: 3, lengthPenalty: 0.6 });
    expect(greedyDecode).not.toHaveBeenCalled();
  }, 60_000);

  it('decodes them greedily at 1 (the default)', async () => {
    await run('greedy', 1);
    expect(greedyDecode).toHaveBeenCalled();
    expect(beamSearch).not.toHaveBeenCalled();
  }, 60_000);
});
