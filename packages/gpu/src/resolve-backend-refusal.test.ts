// resolveBackend refuses a gpu.js mode the probe says does not run, naming the probe's reason — tested with the
// probe's answer replaced, so it holds on a machine where every mode loads (choose-backend.test.ts uses the real one).
import { describe, expect, it, vi } from 'vitest';
import { ValueError } from '@gloss/tensor';
import { resolveBackend } from './choose-backend.js';

vi.mock('./modes.js', () => ({
  gpuModesAvailable: async () => [
    { mode: 'headlessgl', available: false, detail: 'no display' },
    { mode: 'webgl2', available: false, detail: 'no WebGL2 context' },
    { mode: 'webgl', available: false, detail: 'no WebGL context' },
    { mode: 'webasm', available: false, detail: 'no WebAssembly' },
    { mode: 'cpu', available: true, detail: 'CPUKernel' },
  ],
}));

describe('resolveBackend with modes that do not run here', () => {
  it("refuses one named mode with the probe's reason", async () => {
    await expect(resolveBackend('webgl2')).rejects.toThrow(ValueError);
    await expect(resolveBackend('webgl2')).rejects.toThrow("resolveBackend: backend 'webgl2' does not run here (webgl2: no WebGL2 context)");
  });

  it("refuses 'gpu' when nothing but gpu.js's JavaScript mode runs, listing each GPU mode's reason", async () => {
    await expect(resolveBackend('gpu')).rejects.toThrow(
      "backend 'gpu' does not run here (headlessgl: no display; webgl2: no WebGL2 context; webgl: no WebGL context; webasm: no WebAssembly)");
  });
});
