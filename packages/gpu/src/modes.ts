// Which gpu.js modes actually run here: each is probed with a tiny kernel, not read off feature flags
// (without a display, headless-gl loads but gl() returns null, GPUJS.md G9).
import { GPU } from 'gpu.js';

export interface GpuModeProbe {
  /** The mode asked for. */
  readonly mode: 'headlessgl' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';
  readonly available: boolean;
  /** The gpu.js kernel class that ran, or why the probe failed. */
  readonly detail: string;
}

function probeKernel(this: { thread: { x: number } }): number {
  return this.thread.x * 2 + 1;
}

/**
 * Runs a 4-cell kernel in each gpu.js mode and reports which ones work and agree with JavaScript.
 * @example
 * gpuModesAvailable().filter((m) => m.available).map((m) => m.mode);   // ['webasm', 'cpu'] in Node without GL
 */
export async function gpuModesAvailable(): Promise<GpuModeProbe[]> {
  const modes: GpuModeProbe['mode'][] = ['headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'];
  const results: GpuModeProbe[] = [];
  for (const mode of modes) {
    let gpu: GPU | null = null;
    try {
      gpu = new GPU({ mode });
      const kernel = gpu.createKernel(probeKernel as never, { output: [4] });
      const r = kernel() as unknown as Float32Array;
      const kind = kernel.kernel.constructor.name;
      const ok = r.length === 4 && r[0] === 1 && r[3] === 7;
      const fellBack = mode !== 'cpu' && kind === 'CPUKernel';
      results.push({ mode, available: ok && !fellBack, detail: fellBack ? `fell back to CPUKernel` : ok ? kind : `wrong result from ${kind}` });
    } catch (e) {
      results.push({ mode, available: false, detail: (e as Error).message });
    } finally {
      if (gpu !== null) await gpu.destroy();
    }
  }
  return results;
}
