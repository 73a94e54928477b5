// setMatmulThreads: n threads, and 0 back to the default getMatmulThreads() documents, min(cores, 4) where a
// pool runs (1 where none can).
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { getMatmulThreads, matmulThreadsReport, setMatmulThreads, wasmMatmulAvailable } from './matmul.js';

const before = getMatmulThreads();
afterAll(() => setMatmulThreads(before));

describe('setMatmulThreads', () => {
  it.runIf(wasmMatmulAvailable())('sets the count, and 0 restores the default of one per core up to 4', () => {
    const pooled = matmulThreadsReport().pool !== 'none';
    const cores = os.availableParallelism();
    setMatmulThreads(1);
    expect(getMatmulThreads()).toBe(1);
    setMatmulThreads(0);
    expect(getMatmulThreads()).toBe(pooled ? Math.min(cores, 4) : 1);
    setMatmulThreads(3);
    expect(getMatmulThreads()).toBe(pooled ? 3 : 1);
    setMatmulThreads(0);
    expect(getMatmulThreads()).toBe(pooled ? Math.min(cores, 4) : 1);
  });
});
