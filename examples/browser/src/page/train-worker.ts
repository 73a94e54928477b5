// A Web Worker that runs trainTask's training loop (the synchronous gloss API, off the main thread) and posts
// the losses back, with how long it took.
import { trainLosses } from '../train-task.js';

self.onmessage = (event: MessageEvent<{ steps: number }>) => {
  const t0 = performance.now();
  try {
    const losses = trainLosses(event.data.steps);
    self.postMessage({ losses, ms: performance.now() - t0 });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
};
