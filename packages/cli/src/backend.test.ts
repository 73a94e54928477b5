import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend, getBackend, getMatmulThreads, referenceBackend, setBackend, setMatmulThreads, setWasmSimd, wasmMatmulAvailable } from '@gloss/tensor';
import { useBackend } from './backend.js';

const threads = getMatmulThreads();
afterAll(() => {
  setBackend(cpuBackend);
  setWasmSimd('auto');
  setMatmulThreads(threads);
});

// Node 20 turns relaxed SIMD on through a V8 flag; Node ≥ 22 has it anyway.
const inNode = typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';

describe('useBackend', () => {
  it('sets a named backend', async () => {
    expect(await useBackend('reference')).toBe('reference');
    expect(getBackend()).toBe(referenceBackend);
    expect(await useBackend('cpu')).toMatch(/^cpu \(/);
    expect(getBackend()).toBe(cpuBackend);
  });

  it('names the instruction set and thread count the cpu kernels run on', async () => {
    if (!wasmMatmulAvailable()) {
      expect(await useBackend('cpu')).toBe('cpu (TypeScript kernels, no WebAssembly SIMD here)');
      return;
    }
    setMatmulThreads(1);
    setWasmSimd('simd');
    expect(await useBackend('cpu')).toBe('cpu (WebAssembly SIMD, 1 thread)');
    if (inNode) {
      setWasmSimd('relaxed');
      setMatmulThreads(2);
      expect(await useBackend('cpu')).toBe(`cpu (WebAssembly relaxed SIMD, ${getMatmulThreads()} thread${getMatmulThreads() === 1 ? '' : 's'})`);
    }
    setWasmSimd('auto');
    setMatmulThreads(threads);
  });

  it('auto measures the candidates and says why the others lost', async () => {
    const line = await useBackend('auto');
    const chosen = line.split(' ')[0];
    expect(line).toMatch(chosen === 'cpu' ? /^cpu \(WebAssembly (relaxed )?SIMD, \d+ threads?; auto, measured in \d+ ms/ : /^\S+ \(auto, measured in \d+ ms/);
    if (chosen === 'cpu') expect(getBackend()).toBe(cpuBackend);
    else expect(getBackend()).not.toBe(cpuBackend);
  }, 180_000);

  it('refuses an unknown name, listing the valid ones', async () => {
    await expect(useBackend('tpu')).rejects.toThrow(/--backend tpu: unknown backend 'tpu'; valid: auto, cpu, reference, gpu, webasm/);
  });
});
