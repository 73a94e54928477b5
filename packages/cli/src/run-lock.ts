// The run-directory lock of `gloss train`: RUN/train.lock, created exclusively (a complete file linked into place,
// so no one reads half of it), holding the trainer's pid, host and start time. A second trainer on the same
// directory is refused naming the holder; a lock whose process is gone (killed with -9, a power cut) is stale and
// taken over with a note. Readers — translate, evaluate, inspect, report — never take it: checkpoints are swapped
// in atomically, so they only ever see complete ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

export const LOCK_FILE = 'train.lock';

/** What train.lock holds. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601. */
  started: string;
}

export interface RunLock {
  readonly file: string;
  /** Removes the lock if it is still this process's. Idempotent; also runs at process exit. */
  release(): void;
}

/**
 * Takes `dir`'s lock for this process (creating `dir`), or throws a one-line CliError naming the holder.
 * `note` receives one line when a stale lock is taken over.
 * @example const lock = acquireRunLock('runs/de-en', (line) => io.err(`${line}\n`)); try { … } finally { lock.release(); }
 */
export function acquireRunLock(dir: string, note: (line: string) => void): RunLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(file, text)) return held(file, text);
    const current = readLock(file);
    if (current === null) continue;                          // released between our two calls: try again
    const holder = parseHolder(current.text);
    if (!holder) {
      throw new CliError(`${dir} is locked by ${file}, which is not a gloss lock (${JSON.stringify(current.text.slice(0, 60))}); delete it if no gloss train runs there`, 1);
    }
    if (holder.host !== mine.host) {
      throw new CliError(`${dir} is in use by another gloss train (pid ${holder.pid} on host ${holder.host}, started ${holder.started}); ` +
        `if that run is over, delete ${file}`, 1);
    }
    if (isRunning(holder.pid)) {
      throw new CliError(`${dir} is in use by another gloss train (pid ${holder.pid}, started ${holder.started}); wait for it to end or stop it (Ctrl-C saves it), then run this again`, 1);
    }
    // Stale: move it aside (atomic, so of two processes taking it over only one gets it), then check that what
    // was moved is the stale lock read above and not a live one created in between.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = fs.readFileSync(aside, 'utf8');
    if (moved !== current.text) {
      try { fs.linkSync(aside, file); } catch { /* another lock is in place: it wins */ }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    note(`gloss train: took over the stale lock ${file} of pid ${holder.pid} (started ${holder.started}; that process is gone)`);
  }
  throw new CliError(`could not take the lock ${file}: it keeps changing (several gloss train starting at once?)`, 1);
}

/** Creates `file` holding `text` if it does not exist; false if it does. */
function create(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readLock(file: string): { text: string } | null {
  try {
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.started === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function held(file: string, text: string): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readLock(file)?.text === text) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}
