// The Trainer checkpoint as bytes: what saveCheckpoint commits to a directory is exactly encodeTrainerCheckpoint's
// files, and those bytes (as a page fetches them) decode to what loadCheckpoint reads, with the same refusals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256, tensor } from '@gloss/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type TrainerState } from './checkpoint.js';
import { decodeTrainerCheckpoint, encodeTrainerCheckpoint, memoryReader, MODEL_FILE, OPTIMIZER_FILE, STATE_FILE, type TrainerCheckpoint } from './codec.js';

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-codec-')); });
afterEach(() => { fs.rmSync(root, { recursive: true, force: true }); });

const state: Omit<TrainerState, 'files'> = {
  format: 'gloss-trainer-state', version: 1, step: 3, epoch: 0, epochsCompleted: 0, lr: 0.25, tokens: 40,
  rng: { default: { alea: { c: 1, s0: 0.4, s1: 0.5, s2: 0.6 }, spareNormal: null } }, data: { index: 1 },
  history: [], best: null, badValidations: 0, elapsed: 1.5,
};
const sample: TrainerCheckpoint = {
  model: { 'w.weight': tensor([[1, -2], [3.5, 4]]), 'w.bias': tensor([0.25, -0.5]) },
  optimizer: { tensors: { 'w.weight.exp_avg': tensor([[0.1, 0.2], [0.3, 0.4]]) }, meta: { type: 'AdamW', lr: 0.25, hyper: {}, params: { 'w.weight': { step: 3, buffers: ['exp_avg'] } } } },
  state,
};

const asBytes = (data: string | Uint8Array) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

describe('encodeTrainerCheckpoint / decodeTrainerCheckpoint', () => {
  it('gives the bytes saveCheckpoint writes, trainer-state.json last', () => {
    const files = encodeTrainerCheckpoint(sample);
    expect([...files.keys()]).toEqual([OPTIMIZER_FILE, MODEL_FILE, STATE_FILE]);
    const dir = saveCheckpoint(root, 'last', sample);
    for (const [name, data] of files) expect(Buffer.from(fs.readFileSync(path.join(dir, name))).equals(Buffer.from(asBytes(data))), name).toBe(true);
  });

  it("decodes a directory's files from bytes (as a page fetches them) to what loadCheckpoint reads", () => {
    const dir = saveCheckpoint(root, 'last', sample);
    const fetched = new Map(fs.readdirSync(dir).map((name) => [name, new Uint8Array(fs.readFileSync(path.join(dir, name)))] as const));
    const fromBytes = decodeTrainerCheckpoint(memoryReader(fetched));
    const fromDir = loadCheckpoint(dir);
    expect(fromBytes.state).toEqual(fromDir.state);
    expect(fromBytes.optimizer?.meta).toEqual(sample.optimizer.meta);
    expect([...fromBytes.model.keys()]).toEqual(Object.keys(sample.model));
    for (const [name, t] of fromBytes.model) expect(t.toArray(), name).toEqual(fromDir.model.get(name)!.toArray());
    expect(fromBytes.optimizer!.tensors['w.weight.exp_avg'].toArray()).toEqual(fromDir.optimizer!.tensors['w.weight.exp_avg'].toArray());
  });

  it('refuses a changed byte, a missing file and a missing state, naming the file', () => {
    const files = encodeTrainerCheckpoint(sample, sha256);
    const model = Uint8Array.from(files.get(MODEL_FILE) as Uint8Array);
    model[model.length - 1] ^= 1;
    const where = (f: string) => `https://example.org/run/last/${f}`;
    expect(() => decodeTrainerCheckpoint(memoryReader(new Map([...files, [MODEL_FILE, model]])), { where }))
      .toThrow(new RegExp(`loadCheckpoint: https://example.org/run/last/model.safetensors is corrupt: its SHA-256 is [0-9a-f]{64}, but trainer-state.json recorded`));
    const noOptimizer = new Map(files);
    noOptimizer.delete(OPTIMIZER_FILE);
    expect(() => decodeTrainerCheckpoint(memoryReader(noOptimizer))).toThrow('checkpoint/optimizer.safetensors is missing or unreadable (ENOENT); the checkpoint is incomplete');
    expect(() => decodeTrainerCheckpoint(memoryReader(new Map()))).toThrow('checkpoint/trainer-state.json is missing or unreadable (ENOENT); not a complete checkpoint');
  });

  it('refuses an extra file that would overwrite one of its own', () => {
    expect(() => encodeTrainerCheckpoint({ ...sample, files: { [MODEL_FILE]: 'x' } })).toThrow(/encodeTrainerCheckpoint: extra file name 'model.safetensors'/);
    expect(() => encodeTrainerCheckpoint({ ...sample, files: { [STATE_FILE]: 'x' } })).toThrow(/encodeTrainerCheckpoint: extra file name 'trainer-state.json' is one of the checkpoint's own files/);
  });
});
