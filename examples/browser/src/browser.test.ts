// gloss in real headless Chromium (Debian's /usr/bin/chromium through playwright-core): every package's entry
// loads; cpuBackend's WebAssembly kernels and the gpu.js attention kernels on WebGL2 (SwiftShader, and ANGLE on
// EGL: Mesa llvmpipe here) and WebGPU match the float64 reference; a checkpoint written in Node decodes to the same
// tokens; 50 training steps in a Web Worker give Node's losses; a cross-origin isolated page's Worker runs the
// WebAssembly kernels on several threads with the same bits as one. Without Chromium it says so in one line and skips,
// except under CI (CI=true), where it fails.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tensorEntry from '@gloss/tensor';
import * as autogradEntry from '@gloss/autograd';
import * as attentionEntry from '@gloss/attention';
import * as gpuEntry from '@gloss/gpu';
import * as transformerEntry from '@gloss/transformer';
import * as dataEntry from '@gloss/data';
import * as trainingEntry from '@gloss/training';
import { chromiumMissing, FLAGS, openPage, pageDir, serve, type BrowserSession, type Served } from './harness.js';
import { makeFixtureCheckpoint, type FixtureCheckpoint } from './fixture-model.js';
import { trainLosses } from './train-task.js';
import { trainerRun, type TrainerRun } from './trainer-task.js';
import type { AttentionErrors } from './page/attention-check.js';
import type { ThreadCheck } from './page/threads-worker.js';
import type { Decoded } from './decode-task.js';

/** Stated tolerances, as max |x − ref| / ‖ref‖∞ against the float64 reference (measured here: ≤ 5e-7 for all). */
const CPU_TOLERANCE = 1e-5;
const GPU_TOLERANCE = 1e-4;
/** The injected error: one kernel's result times 1.01, 100× the GPU tolerance. */
const INJECTED = 1.01;

const missing = chromiumMissing();
const underCi = process.env.CI === 'true';
if (missing !== null && !underCi) console.log(missing);
const run = missing === null;

if (missing !== null && underCi) {
  it('starts headless Chromium (required under CI)', () => {
    throw new Error(`${missing} — CI=true, so the browser suite must run`);
  });
}

let served: Served;
let dir: string;
let fixture: FixtureCheckpoint;

beforeAll(async () => {
  if (!run) return;
  dir = await pageDir('gloss');
  fixture = makeFixtureCheckpoint();
  fs.cpSync(fixture.dir, path.join(dir, 'ckpt'), { recursive: true });
  served = await serve(dir);
});

afterAll(async () => {
  await served?.close();
  for (const d of [dir, fixture?.dir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const errorsOf = (c: AttentionErrors) => [c.out, c.lse, c.dq, c.dk, c.dv];

/** Each case's errors within `tolerance`, with no fallback to cpuBackend. */
function expectAllWithin(cases: AttentionErrors[], tolerance: number): void {
  expect(cases.length).toBeGreaterThanOrEqual(9);
  for (const c of cases) {
    expect(c.fallback, c.name).toBeNull();
    for (const [name, e] of ['out', 'lse', 'dq', 'dk', 'dv'].map((n, i) => [n, errorsOf(c)[i]] as const)) {
      expect(e, `${c.name}: ${name}`).toBeLessThanOrEqual(tolerance);
    }
  }
}

describe.skipIf(!run)('headless Chromium, default GPU flags (SwiftShader WebGL2 and WebGPU)', () => {
  let session: BrowserSession;
  const evaluate = <T>(expression: string): Promise<T> => session.page.evaluate(expression) as Promise<T>;
  beforeAll(async () => { session = await openPage(served.url, FLAGS.swiftshader); });
  afterAll(async () => { await session?.close(); });

  it('loads every package entry with the same exports as in Node, cross-origin isolated', async () => {
    const node = { tensor: tensorEntry, autograd: autogradEntry, attention: attentionEntry, gpu: gpuEntry, transformer: transformerEntry, data: dataEntry, training: trainingEntry };
    const page = await evaluate<Record<string, string[]>>('checks.entries()');
    expect(Object.keys(page).sort()).toEqual(Object.keys(node).sort());
    for (const [name, module] of Object.entries(node)) expect(page[name], name).toEqual(Object.keys(module).sort());
    const env = await evaluate<{ crossOriginIsolated: boolean }>('checks.environment()');
    expect(env.crossOriginIsolated).toBe(true);
    expect(session.errors).toEqual([]);
  });

  it("runs cpuBackend's WebAssembly matmul (plain, Aᵀ, Bᵀ, batched) within 1e-5 of the float64 reference", async () => {
    expect((await evaluate<{ wasm: boolean }>('checks.environment()')).wasm).toBe(true);
    const errors = await evaluate<Record<string, number>>('checks.matmulErrors()');
    expect(Object.keys(errors)).toHaveLength(4);
    for (const [shape, e] of Object.entries(errors)) expect(e, shape).toBeLessThanOrEqual(CPU_TOLERANCE);
  });

  it("runs cpuBackend's WebAssembly attention forward and backward on every mask kind within 1e-5", async () => {
    expectAllWithin(await evaluate<AttentionErrors[]>('checks.cpuAttention()'), CPU_TOLERANCE);
  });

  it('runs the gpu.js attention kernels on WebGL2 (SwiftShader) within 1e-4: out, lse, dq, dk, dv, every mask kind', async () => {
    const env = await evaluate<{ webgl2Renderer: string | null }>('checks.environment()');
    expect(env.webgl2Renderer).toMatch(/SwiftShader/);
    const r = await evaluate<{ kernelKind: string; cases: AttentionErrors[]; ms: number }>("checks.gpuAttention('webgl2')");
    expect(r.kernelKind).toBe('WebGL2Kernel');
    expectAllWithin(r.cases, GPU_TOLERANCE);
    console.log(`webgl2 on ${env.webgl2Renderer}: ${r.cases.length} cases fwd+bwd in ${r.ms.toFixed(0)} ms (compiles included)`);
  });

  it("runs them on gpu.js's WebGPU backend (--enable-unsafe-webgpu) within 1e-4", async () => {
    const env = await evaluate<{ webgpuAdapter: string | null }>('checks.environment()');
    expect(env.webgpuAdapter).not.toBeNull();
    const r = await evaluate<{ kernelKind: string; cases: AttentionErrors[]; ms: number }>("checks.gpuAttention('webgpu')");
    expect(r.kernelKind).toBe('WebGPUKernel');
    expectAllWithin(r.cases, GPU_TOLERANCE);
    console.log(`webgpu on ${env.webgpuAdapter}: ${r.cases.length} cases fwd+bwd in ${r.ms.toFixed(0)} ms (compiles included)`);
  });

  it("'auto' in the page measures WebGL2 among the candidates and says why each lost", async () => {
    const r = await evaluate<{ name: string; measurements: { name: string; ok: boolean; why: string }[] }>('checks.autoChoice()');
    const byName = new Map(r.measurements.map((m) => [m.name, m]));
    expect(byName.get('gpu:webgl2')?.ok, byName.get('gpu:webgl2')?.why).toBe(true);
    expect(byName.get(r.name)?.why).toMatch(/^chosen/);
    for (const m of r.measurements) if (m.name !== r.name) expect(m.why, m.name).toMatch(/^(slower|unavailable here|does not match|fell back|failed)/);
    console.log(`auto in the page: ${r.measurements.map((m) => `${m.name}: ${m.why}`).join('; ')}`);
  });

  it('fails the comparison when one kernel (attentionColMix: dk, dv) is off by 1%', async () => {
    const r = await evaluate<{ cases: AttentionErrors[] }>(`checks.gpuAttention('webgpu', { kernel: 'attentionColMix', factor: ${INJECTED} })`);
    for (const c of r.cases) {
      expect(c.fallback, c.name).toBeNull();
      expect(Math.max(c.out, c.lse, c.dq), c.name).toBeLessThanOrEqual(GPU_TOLERANCE);   // the other kernels are untouched
      expect(Math.min(c.dk, c.dv), c.name).toBeGreaterThan(GPU_TOLERANCE);
    }
    expect(() => expectAllWithin(r.cases, GPU_TOLERANCE)).toThrow(/dk/);
  });

  it('trains 50 steps in a Web Worker to the same losses as Node on the same seeds (to 1e-5)', async () => {
    const node = trainLosses(50);
    const worker = await evaluate<{ losses: number[]; ms: number }>('checks.trainInWorker(50)');
    expect(worker.losses).toHaveLength(50);
    for (const [i, loss] of worker.losses.entries()) expect(Math.abs(loss - node[i]), `step ${i + 1}`).toBeLessThanOrEqual(1e-5);
    expect(node[49]).toBeLessThan(node[0]);   // it learned something
    const worst = Math.max(...worker.losses.map((l, i) => Math.abs(l - node[i])));
    console.log(`50 training steps in a Worker: ${worker.ms.toFixed(0)} ms; loss ${node[0].toFixed(3)} → ${node[49].toFixed(3)}; max |Δloss| vs Node ${worst.toExponential(1)}`);
  });

  it("runs the Trainer (memoryStorage) in a Web Worker to Node's losses, and resumes it exactly from its last checkpoint", async () => {
    const node = await trainerRun(30, 15);
    const worker = await evaluate<TrainerRun & { ms: number; threads: number }>('checks.trainerInWorker(30, 15)');
    expect(worker.losses).toHaveLength(30);
    for (const [i, loss] of worker.losses.entries()) expect(Math.abs(loss - node.losses[i]), `step ${i + 1}`).toBeLessThanOrEqual(1e-5);
    expect(worker.resumed).toEqual(worker.losses);          // stopped after 15 (last/ saved at 15), resumed: bit for bit
    expect(node.resumed).toEqual(node.losses);
    expect(worker.checkpoints).toEqual(node.checkpoints);
    expect(worker.checkpoints).toEqual(expect.arrayContaining(['best', 'last']));
    const worst = Math.max(...worker.losses.map((l, i) => Math.abs(l - node.losses[i])));
    console.log(`Trainer in a Worker (${worker.threads} threads): 30 + 15 + 15 updates in ${worker.ms.toFixed(0)} ms; max |Δloss| vs Node ${worst.toExponential(1)}`);
  });

  it("runs cpuBackend's kernels on more than one thread in the isolated page's Worker, bit-identical to one thread", async () => {
    const r = await evaluate<ThreadCheck>('checks.threadsInWorker()');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.hardwareConcurrency, 'the suite needs 2 cores').toBeGreaterThan(1);
    expect(r.threads).toBe(Math.min(r.hardwareConcurrency, 4));
    expect(r.first).toMatchObject({ pool: 'web workers', singleThreaded: null });
    expect(r.startedWhileBlocked).toBe(0);               // Workers start only once the creating thread yields…
    expect(r.started.started).toBe(r.threads - 1);       // …which startMatmulThreads() does
    expect(r.otherChunks).toBeGreaterThan(0);            // the other threads ran chunks
    expect(r.matmulSame).toBe(true);
    expect(r.attentionSame).toBe(true);
    const main = await evaluate<{ threads: number; singleThreaded: string | null }>('checks.mainThreadReport()');
    expect(main.threads).toBe(1);
    expect(main.singleThreaded).toMatch(/main thread, where Atomics\.wait is not allowed/);
    const { matmul1, matmulN, attention1, attentionN } = r.ms;
    console.log(`cpu threads in a Worker (${r.threads} of ${r.hardwareConcurrency} cores): [512²]·[512²]×2 ${matmul1.toFixed(1)} → ${matmulN.toFixed(1)} ms`
      + ` (${(matmul1 / matmulN).toFixed(2)}×); attention fwd+bwd T=512 ${attention1.toFixed(1)} → ${attentionN.toFixed(1)} ms (${(attention1 / attentionN).toFixed(2)}×)`);
  });

  it('decodes a checkpoint written in Node to the same tokens, greedy and beam', async () => {
    expect(fixture.finalLoss).toBeLessThan(1.5);   // trained: chance is ln(10) ≈ 2.3
    const page = await evaluate<Decoded>("checks.decodeCheckpointAt('/ckpt')");
    expect(page.greedy).toEqual(fixture.node.greedy);
    expect(page.beam).toEqual(fixture.node.beam);
    for (const [i, s] of page.beamScores.entries()) expect(s).toBeCloseTo(fixture.node.beamScores[i], 5);
  });

  it('decodes a Trainer checkpoint written in Node from fetched bytes (sizes and SHA-256 checked) to the same tokens', async () => {
    const page = await evaluate<Decoded & { step: number; optimizerTensors: number; weights: number }>(
      "checks.decodeTrainerCheckpointAt('/ckpt/trainer/last', '/ckpt/src-tokenizer.json')");
    expect(page.step).toBe(80);
    expect(page.optimizerTensors).toBeGreaterThan(0);   // AdamW's moments came through
    expect(page.weights).toBeGreaterThan(0);
    expect(page.greedy).toEqual(fixture.node.greedy);
    expect(page.beam).toEqual(fixture.node.beam);
  });
});

describe.skipIf(!run)('headless Chromium, a page served without COOP/COEP (not cross-origin isolated)', () => {
  let session: BrowserSession;
  let plain: Served;
  beforeAll(async () => {
    plain = await serve(dir, { isolated: false });
    session = await openPage(plain.url);
  });
  afterAll(async () => {
    await session?.close();
    await plain?.close();
  });

  it("runs cpuBackend's kernels on one thread in its Worker and says why", async () => {
    const r = await session.page.evaluate('checks.threadsInWorker()') as ThreadCheck;
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.threads).toBe(1);
    expect(r.started).toMatchObject({ pool: 'none', started: 0 });
    expect(r.started.singleThreaded).toMatch(/not cross-origin isolated \(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/);
  });
});

describe.skipIf(!run)('headless Chromium, WebGL2 through ANGLE on EGL (--use-angle=gl-egl: Mesa llvmpipe here)', () => {
  let session: BrowserSession;
  beforeAll(async () => { session = await openPage(served.url, FLAGS.egl); });
  afterAll(async () => { await session?.close(); });

  it('runs the gpu.js attention kernels on its WebGL2 within 1e-4', async () => {
    const env = await session.page.evaluate('checks.environment()') as { webgl2Renderer: string | null };
    expect(env.webgl2Renderer).not.toBeNull();
    const r = await session.page.evaluate("checks.gpuAttention('webgl2')") as { kernelKind: string; cases: AttentionErrors[]; ms: number };
    expect(r.kernelKind).toBe('WebGL2Kernel');
    expectAllWithin(r.cases, GPU_TOLERANCE);
    console.log(`webgl2 on ${env.webgl2Renderer}: ${r.cases.length} cases fwd+bwd in ${r.ms.toFixed(0)} ms (compiles included)`);
  });
});
