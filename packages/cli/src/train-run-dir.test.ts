// gloss train through its executable, as people run it, on a tiny model (reverse a sequence of words): one trainer
// per run directory (a second is refused naming the first; a stale lock is taken over with a note); Ctrl-C saves
// last/ and exits 130, and the same command resumes to the uninterrupted run's model and metrics; a second Ctrl-C
// quits at once leaving a loadable last/; a full disk (simulated under the storage layer, and a real small tmpfs
// where one can be mounted) names the checkpoint, the bytes needed and free, and keeps the previous checkpoint.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '@gloss/tensor';
import { loadCheckpoint } from '@gloss/training/node';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-run-dir-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const bin = path.resolve(__dirname, '../dist/bin.js');
const diskFull = path.resolve(__dirname, '__fixtures__/disk-full.mjs');
const WORDS = ['red', 'blue', 'green', 'cat', 'dog', 'runs'];
const args = (out: string, maxSteps = 60) => ['train', '--train', path.join(root, 'train.tsv'), '--out', out, '--tokenizer', 'word',
  '--d-model', '32', '--num-heads', '2', '--num-encoder-layers', '1', '--num-decoder-layers', '1', '--dim-feedforward', '64',
  '--max-tokens', '300', '--schedule', 'constant', '--warmup', '0', '--metric', 'loss', '--validate-every', '25',
  '--max-steps', String(maxSteps), '--backend', 'cpu', '--threads', '1', '--log', 'jsonl'];

beforeAll(() => {
  const g = new Generator(1);
  fs.writeFileSync(path.join(root, 'train.tsv'), Array.from({ length: 300 }, () => {
    const s = Array.from({ length: 2 + g.int(4) }, () => WORDS[g.int(WORDS.length)]);
    return `${s.join(' ')}\t${[...s].reverse().join(' ')}\n`;
  }).join(''));
});

interface Ended { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Starts `gloss ARGS`; `until(re)` resolves once stdout or stderr matches, `ended` when it exits. */
function start(argv: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, bin, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const check = () => { for (const w of waiters.splice(0)) (w.re.test(stdout) || w.re.test(stderr) ? w.resolve : () => waiters.push(w))(); };
  child.stdout!.on('data', (d) => { stdout += d; check(); });
  child.stderr!.on('data', (d) => { stderr += d; check(); });
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const until = (re: RegExp) => new Promise<void>((resolve) => { waiters.push({ re, resolve }); check(); });
  return { child, until, ended };
}
const run = (argv: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) => spawnSync(process.execPath, [...nodeArgs, bin, ...argv], {
  encoding: 'utf8', env: { ...process.env, ...env },
});
const trainRecords = (dir: string) => fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n')
  .map((l) => JSON.parse(l)).map(({ elapsed, ...r }) => r);
const same = (a: string, b: string, file: string) => fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file)));

describe('gloss train: one trainer per run directory, and Ctrl-C', () => {
  const ref = path.join(root, 'ref');
  const out = path.join(root, 'run');

  // Long enough that the run is still training when SIGINT arrives, however fast the machine (the second trainer's
  // start-up runs in between; after training, Ctrl-C no longer saves).
  const LONG = 600;
  it('refuses a second trainer naming the first; SIGINT saves last/ and exits 130; the same command resumes to the uninterrupted model', async () => {
    expect(run(args(ref, LONG)).status).toBe(0);
    const first = start(args(out, LONG));
    await first.until(/"event":"train","step":20,/);
    const second = run(args(out, LONG));
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^gloss train: ${out} is in use by another gloss train \\(pid ${first.child.pid}, started \\d{4}-\\d\\d-\\d\\dT[^)]+\\); wait for it to end or stop it \\(Ctrl-C saves it\\), then run this again\\n$`));

    first.child.kill('SIGINT');
    const stopped = await first.ended;
    expect(stopped.code).toBe(130);
    const m = /gloss train: interrupted at step (\d+); saved (\S+) \(resumable\)\. To resume, run the same command again: gloss train (.*)\n/.exec(stopped.stderr);
    expect(m).not.toBeNull();
    const step = Number(m![1]);
    expect(step).toBeGreaterThanOrEqual(20);
    expect(step).toBeLessThan(LONG);
    expect(m![2]).toBe(`${path.join(out, 'last')}/`);
    expect(m![3]).toBe(args(out, LONG).slice(1).join(' '));
    expect(loadCheckpoint(path.join(out, 'last')).state.step).toBe(step);
    expect(fs.readdirSync(out).sort()).toEqual(['last', 'metrics.jsonl']);            // the lock is released

    const resumed = run(args(out, LONG));
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`{"event":"resume","step":${step},`);
    for (const file of ['model.safetensors', 'optimizer.safetensors']) expect(same(ref, out, `last/${file}`)).toBe(true);
    expect(trainRecords(out)).toEqual(trainRecords(ref));                              // every step once, same numbers
  }, 300_000);   // a hang guard: ~30 s alone, over 60 s beside the whole suite on 2 busy cores

  it('takes over a stale lock (its process is gone) with a note', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const lock = path.join(out, 'train.lock');
    fs.writeFileSync(lock, `${JSON.stringify({ pid: gone, host: os.hostname(), started: '2020-01-01T00:00:00.000Z' })}\n`);
    const r = run(args(out));
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`gloss train: took over the stale lock ${lock} of pid ${gone} (started 2020-01-01T00:00:00.000Z; that process is gone)`);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('quits at once on a second Ctrl-C, and last/ is still a complete checkpoint', async () => {
    const dir = path.join(root, 'twice');
    const t = start(args(dir, 2000));
    await t.until(/"event":"checkpoint","step":25,/);
    t.child.kill('SIGINT');
    await t.until(/finishing this step and saving last\//);
    t.child.kill('SIGINT');
    const r = await t.ended;
    expect(r.signal).toBe('SIGINT');                                                    // killed, not a clean exit 130
    expect(r.stderr).not.toMatch(/interrupted at step/);
    // wherever the second signal fell, the next run resumes from a complete last/ (taking over the lock left behind)
    const again = run(args(dir, 30));
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/took over the stale lock/);
    expect(again.stdout).toMatch(/\{"event":"resume","step":(25|2[6-9]|30),/);
  }, 60_000);
});

describe('gloss train on a full disk', () => {
  /** The one message, refused before writing (partial false) or after an ENOSPC (true); 'either' on a real disk. */
  const fullMessage = (dir: string, partial: boolean | 'either') => new RegExp(`^gloss train: saveCheckpoint: no space left on device for checkpoint ${path.join(dir, 'last')}: ` +
    `it needs ([\\d,]+) bytes \\([\\d.]+ kB\\) and ([\\d,]+) bytes[^;]* are free; the previous last/ is intact` +
    `${{ true: ' and the partial last\\.tmp/ was removed', false: '', either: '( and the partial last\\.tmp/ was removed)?' }[String(partial)]} \\(free some space, then resume\\)$`, 'm');
  const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;
  const bytes = (s: string) => Number(s.replace(/,/g, ''));

  it('reports an ENOSPC from the storage layer naming the checkpoint, the bytes needed and free, leaves no .tmp/, and keeps last/', () => {
    const dir = path.join(root, 'enospc');
    const r = run(args(dir, 60), { GLOSS_TEST_DISK_FULL_AFTER: '1' }, ['--import', diskFull]);
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(fullMessage(dir, true));
    expect(fs.readdirSync(dir).sort()).toEqual(['last', 'metrics.jsonl']);
    expect(loadCheckpoint(path.join(dir, 'last')).state.step).toBe(25);
  });

  it('refuses before writing when the file system reports too little free space, with the same message', () => {
    const dir = path.join(root, 'statfs');
    const r = run(args(dir, 60), { GLOSS_TEST_DISK_FULL_AFTER: '1', GLOSS_TEST_DISK_FREE: '8192' }, ['--import', diskFull]);
    expect(r.status).toBe(1);
    const m = fullMessage(dir, false).exec(lastLine(r.stderr));
    expect(m).not.toBeNull();
    const lastSize = fs.readdirSync(path.join(dir, 'last')).reduce((n, f) => n + fs.statSync(path.join(dir, 'last', f)).size, 0);
    expect(bytes(m![1])).toBe(lastSize);               // the new last/ needs what the one it replaces takes
    expect(bytes(m![2])).toBeLessThanOrEqual(8192);
    expect(fs.readdirSync(dir).sort()).toEqual(['last', 'metrics.jsonl']);
    expect(loadCheckpoint(path.join(dir, 'last')).state.step).toBe(25);
  });

  // A real full disk: a tmpfs mounted in a private mount namespace, sized to hold one checkpoint but not two.
  const canMount = process.platform === 'linux' && spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${os.tmpdir()}`]).status === 0;
  it('on a small tmpfs: the second checkpoint is refused with the same message and the first stays loadable', (ctx) => {
    if (!canMount) {
      const why = 'needs `unshare -rm` to mount a tmpfs (unprivileged user namespaces are off here)';
      console.warn(`skipped: ${ctx.task.name} — ${why}`);
      ctx.skip(why);
    }
    const sized = path.join(root, 'statfs', 'last');   // a checkpoint of this very configuration, from the test above
    const pages = (n: number) => Math.ceil(n / 4096);
    const ckptPages = fs.readdirSync(sized).reduce((n, f) => n + pages(fs.statSync(path.join(sized, f)).size), 0);
    const mnt = path.join(root, 'tmpfs');
    fs.mkdirSync(mnt);
    const dir = path.join(mnt, 'run');
    const script = `mount -t tmpfs -o size=${Math.round(ckptPages * 1.5 + 8) * 4}k tmpfs "$1" && shift && "$@"; echo "exit $?"; ls -A "${dir}"; ` +
      `"$1" "$2" inspect "${dir}/last" --json`;
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', mnt, process.execPath, bin, ...args(dir, 60)], { encoding: 'utf8' });
    expect(r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('gloss train: saveCheckpoint'))).toHaveLength(1);
    expect(r.stderr).toMatch(fullMessage(dir, 'either'));
    const [, exit, listing, inspect] = /exit (\d+)\n([^]*?)\n(\{.*\})/.exec(r.stdout) ?? [];
    expect(exit).toBe('1');
    expect(listing.split('\n').sort()).toEqual(['last', 'metrics.jsonl']);
    expect(JSON.parse(inspect).training.step).toBe(25);
  }, 30_000);
});
