// Atomic replacement of a checkpoint directory: fill `<name>.tmp/`, fsync, then swap it in with two renames
// (`<name>` → `<name>.old`, `<name>.tmp` → `<name>`), so at every instant a complete `<name>/` or its
// predecessor `<name>.old/` exists. recoverDir undoes whatever a kill left half done. A full disk is refused
// before writing when the platform reports free space, and otherwise reported when a write fails, naming the
// directory, the bytes needed and free; the partial `<name>.tmp/` is removed and the previous `<name>/` kept.
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '@gloss/tensor/node';
import { CheckpointError } from '../errors.js';

export interface CommitHooks {
  /**
   * Runs after the new directory is fully written and synced, just before the swap: a place to inspect the
   * files (or, in gloss's own tests, to kill the process there and prove the previous checkpoint survives).
   */
  beforeCommit?: (tmpDir: string, name: string) => void;
}

export interface CommitOptions extends CommitHooks {
  /**
   * About how many bytes the new directory takes. It is raised to the size of the directory it replaces (the same
   * files, one step later), checked against the free space before anything is written, and named on ENOSPC.
   */
  bytes?: number;
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
export function commitDir(root: string, name: string, fill: (tmpDir: string) => void, options: CommitOptions = {}): string {
  const final = path.join(root, name);
  const tmp = `${final}.tmp`;
  const old = `${final}.old`;
  fs.mkdirSync(root, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true });
  const needed = options.bytes === undefined ? null : Math.max(options.bytes, directoryBytes(final));
  const free = freeBytes(root);
  if (needed !== null && free !== null && free < needed) throw diskFull(final, needed, free, false);
  try {
    fs.mkdirSync(tmp);
    fill(tmp);
    fsyncDir(tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw diskFull(final, needed, free ?? freeBytes(root), true);
    throw e;
  }
  options.beforeCommit?.(tmp, name);
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

/** Bytes available to this user on the file system holding `dir`, or null where the platform cannot tell. */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** The summed size of the files under `dir` (0 when it does not exist). */
function directoryBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/** `5,242,880 bytes (5.0 MB)`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  const k = Math.min(units.length - 1, Math.max(0, Math.floor(Math.log10(Math.max(n, 1)) / 3)));
  return `${n.toLocaleString('en-US')} bytes${k > 0 ? ` (${(n / 1000 ** k).toFixed(1)} ${units[k]})` : ''}`;
}

/** The one message for a checkpoint that does not fit, whether refused before writing or cut short by ENOSPC. */
function diskFull(final: string, needed: number | null, free: number | null, written: boolean): CheckpointError {
  const name = path.basename(final);
  const sizes = [needed !== null ? `it needs ${formatBytes(needed)}` : null, free !== null ? `${formatBytes(free)} ${free === 1 ? 'is' : 'are'} free` : null]
    .filter(Boolean).join(' and ');
  const previous = fs.existsSync(final) ? `the previous ${name}/ is intact` : `there is no previous ${name}/`;
  return new CheckpointError('saveCheckpoint', `no space left on device for checkpoint ${final}${sizes ? `: ${sizes}` : ''}; ${previous}` +
    `${written ? ` and the partial ${name}.tmp/ was removed` : ''} (free some space, then resume)`);
}
