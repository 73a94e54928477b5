import { afterAll, describe, expect, it } from 'vitest';
import { cpuBackend, getBackend, referenceBackend, setBackend } from '@gloss/tensor';
import { useBackend } from './backend.js';

afterAll(() => setBackend(cpuBackend));

describe('useBackend', () => {
  it('sets a named backend', async () => {
    expect(await useBackend('reference')).toBe('reference');
    expect(getBackend()).toBe(referenceBackend);
    expect(await useBackend('cpu')).toBe('cpu');
    expect(getBackend()).toBe(cpuBackend);
  });

  it('auto measures the candidates and says why the others lost', async () => {
    const line = await useBackend('auto');
    expect(line).toMatch(/^\S+ \(auto, measured in \d+ ms/);
    const chosen = line.split(' ')[0];
    if (chosen === 'cpu') expect(getBackend()).toBe(cpuBackend);
    else expect(getBackend()).not.toBe(cpuBackend);
  }, 180_000);

  it('refuses an unknown name, listing the valid ones', async () => {
    await expect(useBackend('tpu')).rejects.toThrow(/--backend tpu: unknown backend 'tpu'; valid: auto, cpu, reference, gpu, webasm/);
  });
});
