import { defineConfig } from 'vitest/config';

// gpu.js kernels are not safe under worker_threads pools with GL (GPUJS.md G8): keep forks.
export default defineConfig({
  test: { pool: 'forks', testTimeout: 30_000 },
});
