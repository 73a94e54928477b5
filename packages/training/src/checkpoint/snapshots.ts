// Weights-only snapshots `step-<N>/` beside last/ (hard links to last/'s files, so they cost no copy), pruned
// to the newest k, and the averaged/ directory made from them at the end of training.
import fs from 'node:fs';
import path from 'node:path';
import { encodeSafetensorsWithChecksum } from '@gloss/tensor/node';
import { averageCheckpoints } from './average.js';
import { commitDir, writeFileDurable } from './atomic-dir.js';
import { MODEL_FILE, OPTIMIZER_FILE, STATE_FILE } from './codec.js';

const SNAPSHOT = /^step-(\d+)$/;

/** `step-00001200`: zero-padded so names sort by step. */
export function snapshotName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** Snapshot directories under `root`, oldest first. */
export function listSnapshots(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root)
    .filter((n) => SNAPSHOT.test(n) && fs.statSync(path.join(root, n)).isDirectory())
    .sort((a, b) => Number(SNAPSHOT.exec(a)![1]) - Number(SNAPSHOT.exec(b)![1]))
    .map((n) => path.join(root, n));
}

/** Links the weights and extras of checkpoint `from` into `root/step-<N>` and keeps the newest `keep` snapshots. */
export function snapshot(root: string, from: string, step: number, keep: number): string {
  const dir = commitDir(root, snapshotName(step), (tmp) => linkTree(from, tmp, new Set([OPTIMIZER_FILE, STATE_FILE])));
  const all = listSnapshots(root);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) fs.rmSync(old, { recursive: true, force: true });
  return dir;
}

/** Writes `root/averaged/` from the newest `k` snapshots (and the caller's extras); returns it and what it averaged. */
export function writeAveraged(root: string, k: number, saveExtras?: (dir: string) => void): { dir: string; from: string[] } {
  const from = listSnapshots(root).slice(-k);
  const weights = averageCheckpoints(from);
  const bytes = encodeSafetensorsWithChecksum(weights);
  const dir = commitDir(root, 'averaged', (tmp) => {
    writeFileDurable(path.join(tmp, MODEL_FILE), bytes);
    saveExtras?.(tmp);
  }, { bytes: bytes.byteLength });
  return { dir, from };
}

/** Recreates the tree under `src` in `dst` with hard links (copies where links fail), skipping top-level `skip` names. */
function linkTree(src: string, dst: string, skip: ReadonlySet<string> = new Set()): void {
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const a = path.join(src, entry.name);
    const b = path.join(dst, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(b);
      linkTree(a, b);
    } else {
      try {
        fs.linkSync(a, b); // safe: gloss never rewrites a checkpoint file in place, it writes new directories
      } catch {
        fs.copyFileSync(a, b);
      }
    }
  }
}
