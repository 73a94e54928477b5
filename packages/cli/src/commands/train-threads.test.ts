// gloss train --threads: N sets the kernels' threads, 0 (the default) means the kernels' default, min(cores, 4),
// even after an earlier train() in the same process set another count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getMatmulThreads, matmulThreadsReport, setMatmulThreads, wasmMatmulAvailable } from '@gloss/tensor';
import { resolveConfig } from '../config.js';
import { memoryIo } from '../io.js';
import { train } from './train.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-threads-'));
const before = getMatmulThreads();
afterAll(() => { setMatmulThreads(before); fs.rmSync(root, { recursive: true, force: true }); });

async function backendLine(name: string, threads: number): Promise<string> {
  fs.writeFileSync(path.join(root, 'train.tsv'), 'a b\tb a\nc d e\te d c\n'.repeat(10));
  const config = resolveConfig({
    train: path.join(root, 'train.tsv'), out: path.join(root, name), tokenizer: 'word', dModel: 8, numHeads: 2,
    numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, maxSteps: 1, metric: 'loss', backend: 'cpu', threads,
  });
  const io = memoryIo();
  await train(config, { io, samples: 0 });
  return io.stderr.split('\n').find((l) => l.startsWith('backend: '))!;
}

describe('gloss train --threads', () => {
  it.runIf(wasmMatmulAvailable())('N sets the thread count; 0 is the default, one per core up to 4', async () => {
    const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'})`;
    expect(await backendLine('one', 1)).toContain(threads(1));
    expect(getMatmulThreads()).toBe(1);
    const pooled = matmulThreadsReport().pool !== 'none';
    const fallback = pooled ? Math.min(os.availableParallelism(), 4) : 1;
    expect(await backendLine('default', 0)).toContain(threads(fallback));
    expect(getMatmulThreads()).toBe(fallback);
  }, 60_000);
});
