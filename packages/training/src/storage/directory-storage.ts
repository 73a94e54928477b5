// A run directory as RunStorage: checkpoints committed atomically (atomic-dir.ts), step-N snapshots as hard links,
// averaged/ from them, metrics.jsonl, Node's native SHA-256. The caller's saveExtras writes config.json and
// tokenizers into each checkpoint directory before it commits.
import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointFiles } from '@gloss/transformer';
import { commitDir, recoverDir, writeFileDurable, type CommitHooks } from '../checkpoint/atomic-dir.js';
import { sha256 } from '@gloss/tensor/node';
import { STATE_FILE } from '../checkpoint/codec.js';
import { snapshot, writeAveraged } from '../checkpoint/snapshots.js';
import { MetricsLog } from '../metrics-log.js';
import type { RunStorage } from './run-storage.js';

export interface DirectoryStorageOptions extends CommitHooks {
  /** Writes the caller's files (config.json, tokenizers) into each checkpoint directory before it is committed. */
  saveExtras?: (dir: string) => void;
}

/** Commits `files` to `root/name` atomically, the caller's extras before trainer-state.json; returns its path. */
export function commitCheckpointFiles(root: string, name: string, files: CheckpointFiles, { saveExtras, beforeCommit }: DirectoryStorageOptions = {}): string {
  const state = files.get(STATE_FILE);
  let bytes = 0;
  for (const data of files.values()) bytes += data.length;
  return commitDir(root, name, (dir) => {
    for (const [file, data] of files) if (file !== STATE_FILE) writeFileDurable(path.join(dir, file), data);
    saveExtras?.(dir);
    if (state !== undefined) writeFileDurable(path.join(dir, STATE_FILE), state);
  }, { beforeCommit, bytes });
}

/** The run directory `root` as the Trainer's storage. */
export function directoryStorage(root: string, options: DirectoryStorageOptions = {}): RunStorage {
  const locate = (name: string) => path.join(root, name);
  return {
    location: root,
    hash: sha256,
    locate,
    where: (name, file) => path.join(root, name, file),
    recover() {
      if (!fs.existsSync(root)) return [];
      const bases = new Set(fs.readdirSync(root).filter((n) => /\.(tmp|old)$/.test(n)).map((n) => n.replace(/\.(tmp|old)$/, '')));
      return ['last', 'best', ...bases].flatMap((base) => recoverDir(root, base));
    },
    list: () => (fs.existsSync(root) ? fs.readdirSync(root).filter((n) => /^(last|best|averaged|step-\d+)$/.test(n)) : []),
    commit: (name, files) => commitCheckpointFiles(root, name, files, options),
    reader: (name) => (fs.existsSync(locate(name)) ? (file) => fs.readFileSync(path.join(root, name, file)) : null),
    snapshot: (from, step, keep) => snapshot(root, from, step, keep),
    average(k) {
      const { dir, from } = writeAveraged(root, k, options.saveExtras);
      return { location: dir, from };
    },
    openMetrics: (upToStep) => new MetricsLog(root, upToStep),
  };
}
