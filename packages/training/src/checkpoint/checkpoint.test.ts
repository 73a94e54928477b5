import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tensor, tensor } from '@gloss/tensor';
import { saveSafetensors } from '@gloss/tensor/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { averageCheckpoints } from './average.js';
import { commitDir, recoverDir } from './atomic-dir.js';
import { loadCheckpoint, saveCheckpoint, type TrainerState } from './checkpoint.js';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-ckpt-')); });
afterEach(() => { vi.restoreAllMocks(); fs.rmSync(root, { recursive: true, force: true }); });

const write = (dir: string, text: string) => (tmp: string) => fs.writeFileSync(path.join(tmp, 'f.txt'), text);
const read = (dir: string) => fs.readFileSync(path.join(dir, 'f.txt'), 'utf8');

const state: Omit<TrainerState, 'files'> = {
  format: 'gloss-trainer-state', version: 1, step: 7, epoch: 1, epochsCompleted: 1, lr: 0.5, tokens: 99,
  rng: { default: { alea: { c: 1, s0: 0.1, s1: 0.2, s2: 0.3 }, spareNormal: null } }, data: { index: 3 },
  history: [{ step: 5, metrics: { loss: 1.5 } }], best: { metric: 'loss', mode: 'min', value: 1.5, step: 5 }, badValidations: 0,
};

function saveSample(name = 'last'): string {
  return saveCheckpoint(root, name, {
    model: { 'linear.weight': tensor([[1, 2], [3, 4]]), 'linear.bias': tensor([0.5, -0.5]) },
    optimizer: { tensors: { 'linear.weight.exp_avg': tensor([[0.1, 0.2], [0.3, 0.4]]) }, meta: { type: 'AdamW', lr: 0.5, hyper: {}, params: { 'linear.weight': { step: 7, buffers: ['exp_avg'] } } } },
    state,
    saveExtras: (dir) => fs.writeFileSync(path.join(dir, 'config.json'), '{"dModel": 2}'),
  });
}

describe('commitDir', () => {
  it('replaces a directory and leaves no .tmp or .old behind', () => {
    commitDir(root, 'last', write(root, 'one'));
    commitDir(root, 'last', write(root, 'two'));
    expect(read(path.join(root, 'last'))).toBe('two');
    expect(fs.readdirSync(root)).toEqual(['last']);
  });

  it('keeps the previous directory when writing the new one fails', () => {
    commitDir(root, 'last', write(root, 'one'));
    expect(() => commitDir(root, 'last', () => { throw new Error('disk full'); })).toThrow('disk full');
    expect(read(path.join(root, 'last'))).toBe('one');
  });
});

describe('commitDir on a full disk', () => {
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  const sizeOf = (dir: string) => fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

  it('refuses before writing when the file system reports less free space than the checkpoint needs, keeping the previous one', () => {
    const last = saveSample();
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 10, bsize: 100 } as fs.StatsFs);
    let message = '';
    try { saveSample(); } catch (e) { message = (e as Error).message; }
    // the estimate (weights + state) is raised to the size of the last/ it replaces, which also holds config.json
    expect(message).toBe(`saveCheckpoint: no space left on device for checkpoint ${last}: it needs ${sizeOf(last).toLocaleString('en-US')} bytes ` +
      `(${(sizeOf(last) / 1000).toFixed(1)} kB) and 1,000 bytes (1.0 kB) are free; the previous last/ is intact (free some space, then resume)`);
    expect(fs.readdirSync(root)).toEqual(['last']);
    expect(loadCheckpoint(last).state.step).toBe(7);
  });

  it('reports an ENOSPC while writing with the bytes needed and free, and removes the partial name.tmp/', () => {
    commitDir(root, 'last', write(root, 'one'));
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 3, bsize: 4096 } as fs.StatsFs);
    const fill = (tmp: string) => { fs.writeFileSync(path.join(tmp, 'half'), 'x'); throw enospc(); };
    expect(() => commitDir(root, 'last', fill, { bytes: 5000 })).toThrow(`saveCheckpoint: no space left on device for checkpoint ${path.join(root, 'last')}: ` +
      'it needs 5,000 bytes (5.0 kB) and 12,288 bytes (12.3 kB) are free; the previous last/ is intact and the partial last.tmp/ was removed (free some space, then resume)');
    expect(fs.readdirSync(root)).toEqual(['last']);
    expect(read(path.join(root, 'last'))).toBe('one');
    expect(() => commitDir(root, 'best', fill)).toThrow(/for checkpoint .*best: 12,288 bytes \(12\.3 kB\) are free; there is no previous best\/ and the partial best\.tmp\/ was removed/);
    expect(fs.readdirSync(root)).toEqual(['last']);
  });
});

describe('recoverDir', () => {
  it('drops an unfinished name.tmp/ and keeps name/', () => {
    commitDir(root, 'last', write(root, 'one'));
    fs.mkdirSync(path.join(root, 'last.tmp'));
    expect(recoverDir(root, 'last')).toEqual(['removed the unfinished last.tmp/']);
    expect(fs.readdirSync(root)).toEqual(['last']);
  });

  it('restores name/ from name.old/ when a kill fell between the two renames', () => {
    commitDir(root, 'last', write(root, 'one'));
    fs.mkdirSync(path.join(root, 'last.tmp'));
    fs.renameSync(path.join(root, 'last'), path.join(root, 'last.old'));             // first rename done, second not
    expect(recoverDir(root, 'last')).toEqual(['removed the unfinished last.tmp/', 'restored last/ from last.old/ (the swap to a newer one was cut short)']);
    expect(read(path.join(root, 'last'))).toBe('one');
  });

  it('removes a replaced name.old/ left beside a complete name/, and does nothing on a clean directory', () => {
    commitDir(root, 'last', write(root, 'two'));
    fs.mkdirSync(path.join(root, 'last.old'));
    expect(recoverDir(root, 'last')).toEqual(['removed the replaced last.old/']);
    expect(recoverDir(root, 'last')).toEqual([]);
    expect(read(path.join(root, 'last'))).toBe('two');
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips weights, optimizer state, trainer state and extras', () => {
    const dir = saveSample();
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', 'optimizer.safetensors', 'trainer-state.json']);
    const c = loadCheckpoint(dir);
    expect(c.model.get('linear.weight')!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(c.optimizer!.meta.params['linear.weight'].step).toBe(7);
    expect(Array.from(c.optimizer!.tensors['linear.weight.exp_avg'].data)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3, 0.4])));
    const { files, ...rest } = c.state;
    expect(rest).toEqual(state);
    expect(Object.keys(files)).toEqual(['model.safetensors', 'optimizer.safetensors']);
  });

  it('refuses a weight file with one flipped byte, naming it', () => {
    const dir = saveSample();
    const file = path.join(dir, 'model.safetensors');
    const b = fs.readFileSync(file);
    b[b.length - 3] ^= 0x40;
    fs.writeFileSync(file, b);
    expect(() => loadCheckpoint(dir)).toThrow(new RegExp(`loadCheckpoint: ${file} is corrupt: its SHA-256 is [0-9a-f]{64}, but trainer-state.json recorded`));
  });

  it('refuses a truncated or missing optimizer file and a damaged trainer-state.json, naming each', () => {
    const dir = saveSample();
    const opt = path.join(dir, 'optimizer.safetensors');
    fs.truncateSync(opt, 40);
    expect(() => loadCheckpoint(dir)).toThrow(`${opt} is corrupt: 40 bytes, but trainer-state.json recorded`);
    fs.rmSync(opt);
    expect(() => loadCheckpoint(dir)).toThrow(`${opt} is missing or unreadable (ENOENT); the checkpoint is incomplete`);
    const st = path.join(dir, 'trainer-state.json');
    fs.writeFileSync(st, fs.readFileSync(st, 'utf8').slice(0, 50));
    expect(() => loadCheckpoint(dir)).toThrow(`${st} is corrupt: not valid JSON`);
    fs.rmSync(st);
    expect(() => loadCheckpoint(dir)).toThrow(`${st} is missing or unreadable (ENOENT); not a complete checkpoint`);
  });
});

describe('averageCheckpoints', () => {
  it('averages float tensors elementwise (float64 accumulation) and takes int tensors from the last', () => {
    const dirs = [1, 2, 4].map((k) => {
      const dir = path.join(root, `step-${k}`);
      fs.mkdirSync(dir);
      saveSafetensors(path.join(dir, 'model.safetensors'), { w: tensor([[k, -k], [0.1 * k, 1e7 + k]]), ids: new Tensor(Int32Array.from([k]), [1]) });
      return dir;
    });
    const avg = averageCheckpoints(dirs);
    expect(avg.w.toArray()).toEqual([[7 / 3, -7 / 3], [0.7 / 3, 1e7 + 7 / 3]].map((r) => r.map(Math.fround)));
    expect(avg.ids.toArray()).toEqual([4]);
  });

  it('refuses files with other tensors or shapes, naming the file and the tensor', () => {
    const a = path.join(root, 'a.safetensors');
    const b = path.join(root, 'b.safetensors');
    const c = path.join(root, 'c.safetensors');
    saveSafetensors(a, { w: tensor([1, 2]) });
    saveSafetensors(b, { w: tensor([1, 2, 3]) });
    saveSafetensors(c, { v: tensor([1, 2]) });
    expect(() => averageCheckpoints([a, b])).toThrow(`w is float32 [3] in ${b} but float32 [2] in ${a}`);
    expect(() => averageCheckpoints([a, c])).toThrow(`${c} does not hold the tensors of ${a}; missing: w; unexpected: v`);
    expect(() => averageCheckpoints([])).toThrow('needs at least one checkpoint');
  });
});
