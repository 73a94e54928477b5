// A Web Worker that runs @gloss/training's Trainer over memoryStorage (trainer-task.ts), its WebAssembly kernels
// on threads where the page is cross-origin isolated, and posts the losses back with how long it took.
import { matmulThreadsReport, startMatmulThreads } from '@gloss/tensor';
import { trainerRun } from '../trainer-task.js';

self.onmessage = async (event: MessageEvent<{ steps: number; stopAt: number }>) => {
  try {
    await startMatmulThreads();
    const t0 = performance.now();
    const run = await trainerRun(event.data.steps, event.data.stopAt);
    self.postMessage({ ...run, ms: performance.now() - t0, threads: matmulThreadsReport().threads });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
};
