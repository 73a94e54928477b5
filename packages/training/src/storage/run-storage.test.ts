// The Trainer over memoryStorage (what runs in a page's Worker): the same losses as over a run directory, exact
// resume from its last checkpoint, checkpoints byte for byte as Node writes them (trainer-state.json aside: it
// records elapsed seconds), and the refusals that name the storage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tinyTrainer } from '../__fixtures__/tiny-task.js';
import { decodeTrainerCheckpoint, MODEL_FILE, OPTIMIZER_FILE } from '../checkpoint/codec.js';
import { Trainer as StorageTrainer } from '../trainer-loop.js';
import { memoryStorage, snapshotName } from './run-storage.js';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-storage-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

/** Every update's loss of one fit(). */
async function losses(options: Parameters<typeof tinyTrainer>[0]): Promise<number[]> {
  const out: number[] = [];
  await tinyTrainer({ ...options, onStep: (r) => out.push(r.loss) }).trainer.fit();
  return out;
}

const memory = { checkpointEvery: 5, keepLast: 3 };

describe('Trainer over memoryStorage', () => {
  it('trains to the losses of a run directory and keeps the same checkpoint bytes', async () => {
    const storage = memoryStorage();
    const inMemory = await losses({ storage, ...memory });
    const dir = path.join(root, 'run');
    const onDisk = await losses({ dir, ...memory, averageLast: 0 });
    expect(inMemory).toHaveLength(24);
    expect(inMemory).toEqual(onDisk);
    expect(storage.list().sort()).toEqual(['best', 'last', snapshotName(15), snapshotName(20), snapshotName(24)].sort());
    for (const file of [MODEL_FILE, OPTIMIZER_FILE]) {
      expect(Buffer.from(storage.checkpoints.get('last')!.get(file) as Uint8Array).equals(fs.readFileSync(path.join(dir, 'last', file))), file).toBe(true);
    }
    expect(storage.checkpoints.get(snapshotName(24))!.has(OPTIMIZER_FILE)).toBe(false);
    expect(decodeTrainerCheckpoint(storage.reader('last')!).state.step).toBe(24);
    expect(storage.metrics.filter((r) => r.type === 'train')).toHaveLength(24);
  });

  it('resumes exactly from its last checkpoint', async () => {
    const whole = await losses({ storage: memoryStorage(), ...memory });
    const storage = memoryStorage();
    const first = await losses({ storage, ...memory, maxSteps: 24, signal: abortAfter(12) });
    expect(first).toHaveLength(12);
    const rest = await losses({ storage, ...memory, resume: true });
    expect([...first, ...rest]).toEqual(whole);
    expect(storage.metrics.filter((r) => r.type === 'train').map((r) => r.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('refuses a run directory without the Node Trainer, directory hooks on memory, and averaging in memory', async () => {
    expect(() => new StorageTrainer({ ...tinyOptions(), dir: 'runs/x' }))
      .toThrow("Trainer: dir 'runs/x' needs the Trainer of @gloss/training/node (a run directory); here pass storage (memoryStorage())");
    expect(() => tinyTrainer({ storage: memoryStorage('idb'), saveExtras: () => {} }))
      .toThrow("Trainer: saveExtras acts on a checkpoint directory (the 'dir' option), not on storage idb");
    await expect(tinyTrainer({ storage: memoryStorage(), checkpointEvery: 5, keepLast: 2, averageLast: 2 }).trainer.fit())
      .rejects.toThrow('averageLast: a run in memory (memory) keeps snapshots but does not average them');
  });
});

/** An AbortSignal that reads as aborted from its (steps + 1)-th read on: the Trainer reads it once before each update. */
function abortAfter(steps: number): AbortSignal {
  let reads = 0;
  return { get aborted() { return reads++ >= steps; } } as AbortSignal;
}

/** The tiny task's options, for a Trainer built directly. */
function tinyOptions() {
  const { trainer } = tinyTrainer();
  return (trainer as unknown as { options: ConstructorParameters<typeof StorageTrainer>[0] }).options;
}
