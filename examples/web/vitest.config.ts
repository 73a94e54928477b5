import { defineConfig } from 'vitest/config';

// One Chromium for the file, started in beforeAll; forks keep esbuild and playwright out of worker_threads.
export default defineConfig({
  test: { pool: 'forks', testTimeout: 60_000, hookTimeout: 60_000 },
});
