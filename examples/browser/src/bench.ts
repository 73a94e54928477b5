// The browser benchmark: attention forward + backward (B=2, H=4, headDim 32, causal) at T = 128 and 512 (and 2048
// with --long) on every backend that loads in headless Chromium — cpuBackend's WebAssembly kernels, gpu.js WebGL2
// (SwiftShader, and ANGLE on EGL), gpu.js WebGPU — beside cpuBackend in Node, in the same run. Prints a table with
// the renderer strings. On a machine with a real GPU the same command measures it (ANGLE on EGL uses the system
// driver; WebGPU needs an adapter: --enable-unsafe-webgpu is passed).
import fs from 'node:fs';
import { cpuBackend, getMatmulThreads, setMatmulThreads } from '@gloss/tensor';
import { FLAGS, chromiumMissing, openPage, pageDir, serve } from './harness.js';
import { timeAttention, type AttentionTiming } from './page/attention-bench.js';
import type { ThreadCheck } from './page/threads-worker.js';

const sizes = process.argv.includes('--long') ? [128, 512, 2048] : [128, 512];
const runs = 3;
const rows: { where: string; backend: string; on: string; timings: AttentionTiming[]; note: string }[] = [];
let threadRow = '';

const nodeThreads = getMatmulThreads();
for (const threads of [...new Set([1, nodeThreads])]) {
  setMatmulThreads(threads);
  const timings: AttentionTiming[] = [];
  for (const T of sizes) timings.push(await timeAttention({ forward: cpuBackend.attentionForward, backward: cpuBackend.attentionBackward }, T, runs));
  rows.push({ where: 'node', backend: `cpu (${threads} thread${threads > 1 ? 's' : ''})`, on: `Node ${process.version}`, timings, note: '' });
}
setMatmulThreads(nodeThreads);

const missing = chromiumMissing();
if (missing !== null) {
  console.log(missing);
} else {
  const dir = await pageDir('gloss');
  const served = await serve(dir);
  const setups = [
    { flags: FLAGS.swiftshader, backends: ['cpu', 'webgl2', 'webgpu'] },
    { flags: FLAGS.egl, backends: ['webgl2'] },
  ];
  for (const { flags, backends } of setups) {
    const session = await openPage(served.url, flags);
    const env = await session.page.evaluate('checks.environment()') as { webgl2Renderer: string | null; webgpuAdapter: string | null; userAgent: string; crossOriginIsolated: boolean };
    if (backends.includes('cpu')) {
      const t = await session.page.evaluate('checks.threadsInWorker()') as ThreadCheck;
      const { matmul1, matmulN, attention1, attentionN } = t.ms;
      threadRow = `cpuBackend in a Web Worker of a cross-origin isolated page (${env.userAgent.match(/HeadlessChrome\/[\d.]+/)?.[0] ?? 'Chromium'}), `
        + `1 → ${t.threads} threads (${t.hardwareConcurrency} cores): [512,512]·[512,512] batch 2 ${matmul1.toFixed(1)} → ${matmulN.toFixed(1)} ms `
        + `(${(matmul1 / matmulN).toFixed(2)}×); attention fwd+bwd T=512 ${attention1.toFixed(1)} → ${attentionN.toFixed(1)} ms (${(attention1 / attentionN).toFixed(2)}×)`;
    }
    for (const name of backends) {
      const r = await session.page.evaluate(`checks.benchAttention('${name}', ${JSON.stringify(sizes)}, ${runs})`) as { kernelKind: string | null; fallback: string | null; timings: AttentionTiming[] };
      const on = name === 'cpu' ? env.userAgent.match(/HeadlessChrome\/[\d.]+/)?.[0] ?? 'Chromium' : name === 'webgpu' ? `WebGPU: ${env.webgpuAdapter}` : `WebGL2: ${env.webgl2Renderer}`;
      rows.push({ where: `chromium ${flags.join(' ')}`, backend: name === 'cpu' ? 'cpu (1 thread)' : `gpu:${name} (${r.kernelKind})`, on, timings: r.timings, note: r.fallback ?? '' });
    }
    await session.close();
  }
  await served.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`attention forward+backward, B=2 H=4 headDim 32 causal, float32: median of ${runs} ms (first call, with compilation, in brackets)`);
console.log(['where', 'backend', ...sizes.map((T) => `T=${T}`), 'renderer / runtime'].join(' | '));
for (const r of rows) {
  console.log([r.where, r.backend, ...r.timings.map((t) => `${t.ms.toFixed(1)} (${t.firstMs.toFixed(0)})`), r.on + (r.note ? ` — fell back: ${r.note}` : '')].join(' | '));
}
if (threadRow) console.log(threadRow);
