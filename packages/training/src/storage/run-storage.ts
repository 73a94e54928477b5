// Where a Trainer keeps its run: checkpoints (last/, best/, step-N snapshots, averaged/) as named files
// (codec.ts), and the metrics log. The Trainer talks only to this interface, so it runs anywhere: Node keeps a run
// in a directory (directoryStorage, @gloss/training/node: atomic commits, fsync, hard-linked snapshots), a page or a
// Worker in memory (memoryStorage, here).
import type { Sha256 } from '@gloss/tensor';
import type { CheckpointFiles } from '@gloss/transformer';
import { OPTIMIZER_FILE, STATE_FILE, type CheckpointReader } from '../checkpoint/codec.js';
import type { StepRecord } from '../trainer-options.js';

/** The run's metrics log (metrics.jsonl in a directory). */
export interface MetricsSink {
  train(r: StepRecord, elapsed: number): void;
  valid(step: number, elapsed: number, metrics: Record<string, number>): void;
  /** Writes buffered records; `durable`: before a checkpoint commits, so a resume never lacks one. */
  flush(durable?: boolean): void;
}

export interface RunStorage {
  /** The run's location in messages ('runs/de-en', 'memory'). */
  readonly location: string;
  /** SHA-256 for the checkpoints' digests (default: @gloss/tensor's plain TypeScript one). */
  readonly hash?: Sha256;
  /** Checkpoint `name`'s location in messages and results ('runs/de-en/last'). */
  locate(name: string): string;
  /** A file of checkpoint `name` in messages ('runs/de-en/last/model.safetensors'). */
  where(name: string, file: string): string;
  /** Undoes what a kill left half done; one sentence per repair (empty: nothing to do). */
  recover(): string[];
  /** The checkpoints held, by name: last, best, averaged, step-N. */
  list(): string[];
  /** Replaces checkpoint `name` by `files`, atomically (the old one stays whole until the new one is); returns its location. */
  commit(name: string, files: CheckpointFiles): string;
  /** A reader of checkpoint `name`'s files (a missing file throws, with code 'ENOENT'); null when there is none. */
  reader(name: string): CheckpointReader | null;
  /** Keeps the weights and extras of checkpoint `from` as `step-N` and prunes to the newest `keep`; returns its location. */
  snapshot(from: string, step: number, keep: number): string;
  /** Writes `averaged` from the newest `k` snapshots; returns its location and theirs. */
  average(k: number): { location: string; from: string[] };
  /** Opens the metrics log, keeping only records of step ≤ `upToStep`. */
  openMetrics(upToStep: number): MetricsSink;
}

/** `step-00001200`: zero-padded so names sort by step. */
export function snapshotName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** A run kept in memory (a page, a Worker, tests): checkpoints as file maps, metrics as records. */
export interface MemoryStorage extends RunStorage {
  readonly checkpoints: Map<string, CheckpointFiles>;
  /** The metrics log's records, as metrics.jsonl's lines would hold them. */
  readonly metrics: Record<string, unknown>[];
}

/**
 * A RunStorage in memory: commit stores the encoded files (so a checkpoint can be handed to IndexedDB or
 * downloaded byte for byte as Node would write it), snapshots share last's weights, and averaging is left to
 * directoryStorage (it reads the snapshots' weights back as files).
 * @example const storage = memoryStorage(); await new Trainer({ ..., storage, checkpointEvery: 50 }).fit(); storage.checkpoints.get('last');
 */
export function memoryStorage(location = 'memory'): MemoryStorage {
  const checkpoints = new Map<string, CheckpointFiles>();
  const metrics: Record<string, unknown>[] = [];
  const locate = (name: string) => `${location}/${name}`;
  return {
    location, checkpoints, metrics, locate,
    where: (name, file) => `${locate(name)}/${file}`,
    recover: () => [],
    list: () => [...checkpoints.keys()],
    commit(name, files) {
      checkpoints.set(name, new Map(files));
      return locate(name);
    },
    reader(name) {
      const files = checkpoints.get(name);
      if (!files) return null;
      return (file) => {
        const data = files.get(file);
        if (data === undefined) throw Object.assign(new Error(`no file ${file}`), { code: 'ENOENT' });
        return typeof data === 'string' ? new TextEncoder().encode(data) : data;
      };
    },
    snapshot(from, step, keep) {
      const files = new Map(checkpoints.get(from.slice(location.length + 1)));
      files.delete(OPTIMIZER_FILE);
      files.delete(STATE_FILE);
      const name = snapshotName(step);
      checkpoints.set(name, files);
      const all = [...checkpoints.keys()].filter((n) => /^step-\d+$/.test(n)).sort();
      for (const old of all.slice(0, Math.max(0, all.length - keep))) checkpoints.delete(old);
      return locate(name);
    },
    average() {
      throw new Error(`averageLast: a run in memory (${location}) keeps snapshots but does not average them; use directoryStorage`);
    },
    openMetrics(upToStep) {
      const kept = metrics.filter((r) => (r.step as number) <= upToStep);
      metrics.splice(0, metrics.length, ...kept);
      return {
        train(r, elapsed) {
          metrics.push({ type: 'train', step: r.step, epoch: r.epoch, loss: r.loss, ...(Number.isNaN(r.nll) ? {} : { nll: r.nll }), lr: r.lr, gradNorm: r.gradNorm, tokens: r.numTokens, elapsed });
        },
        valid(step, elapsed, m) { metrics.push({ type: 'valid', step, elapsed, metrics: m }); },
        flush() {},
      };
    },
  };
}
