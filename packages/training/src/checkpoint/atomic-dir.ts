// Atomic replacement of a checkpoint directory: fill `<name>.tmp/`, fsync, then swap it in with two renames
// (`<name>` → `<name>.old`, `<name>.tmp` → `<name>`), so at every instant a complete `<name>/` or its
// predecessor `<name>.old/` exists. recoverDir undoes whatever a kill left half done.
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '@gloss/tensor/node';

export interface CommitHooks {
  /**
   * Runs after the new directory is fully written and synced, just before the swap: a place to inspect the
   * files (or, in gloss's own tests, to kill the process there and prove the previous checkpoint survives).
   */
  beforeCommit?: (tmpDir: string, name: string) => void;
}

/** Writes `data` to `file` and fsyncs it, so it is on disk before the directory holding it is renamed. */
export function writeFileDurable(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `root/name` by a directory that `fill(tmpDir)` writes. A kill at any point leaves either the
 * complete old `name/`, or (between the renames) the complete old one as `name.old/`; never a torn `name/`.
 */
export function commitDir(root: string, name: string, fill: (tmpDir: string) => void, hooks: CommitHooks = {}): string {
  const final = path.join(root, name);
  const tmp = `${final}.tmp`;
  const old = `${final}.old`;
  fs.mkdirSync(root, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  fill(tmp);
  fsyncDir(tmp);
  hooks.beforeCommit?.(tmp, name);
  if (fs.existsSync(final)) {
    fs.rmSync(old, { recursive: true, force: true }); // a stale leftover: `final` is complete
    fs.renameSync(final, old);
  }
  fs.renameSync(tmp, final);
  fsyncDir(root);
  fs.rmSync(old, { recursive: true, force: true });
  return final;
}

/**
 * Brings `root/name` back to a clean state after a kill: drops an unfinished `name.tmp/`; if `name/` is
 * missing but `name.old/` exists (killed between the two renames), restores it. Returns what it did, one
 * sentence each (empty when there was nothing to do).
 */
export function recoverDir(root: string, name: string): string[] {
  const final = path.join(root, name);
  const tmp = `${final}.tmp`;
  const old = `${final}.old`;
  const notes: string[] = [];
  if (fs.existsSync(tmp)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    notes.push(`removed the unfinished ${path.basename(tmp)}/`);
  }
  if (fs.existsSync(old)) {
    if (fs.existsSync(final)) {
      fs.rmSync(old, { recursive: true, force: true });
      notes.push(`removed the replaced ${path.basename(old)}/`);
    } else {
      // `old` is only ever deleted while `final` exists, so here it is complete.
      fs.renameSync(old, final);
      fsyncDir(root);
      notes.push(`restored ${name}/ from ${path.basename(old)}/ (the swap to a newer one was cut short)`);
    }
  }
  return notes;
}
