// The compute backend of a CLI run: --backend (or GLOSS_BACKEND) names one; `auto` times every backend that
// works here on a small probe, checks it against the reference, and keeps the fastest (@gloss/gpu's resolveBackend).
// The cpu backend's line also names the instruction set its kernels run on and their thread count.
import { BACKEND_NAMES, resolveBackend } from '@gloss/gpu';
import { getMatmulThreads, setBackend, wasmSimdLevel } from '@gloss/tensor';
import { CliError } from './errors.js';

/** What runs the cpu backend's kernels: `WebAssembly relaxed SIMD, 2 threads` (GLOSS_WASM_SIMD=simd picks plain SIMD). */
export function cpuKernels(): string {
  const level = wasmSimdLevel();
  if (level === 'none') return 'TypeScript kernels, no WebAssembly SIMD here';
  const threads = getMatmulThreads();
  return `WebAssembly ${level === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * Sets the backend for this process and returns a one-line description of the choice, e.g.
 * `cpu (WebAssembly relaxed SIMD, 2 threads; auto, measured in 420 ms; …)`.
 */
export async function useBackend(name: string): Promise<string> {
  const wanted = name || 'auto';
  let choice: Awaited<ReturnType<typeof resolveBackend>>;
  try {
    choice = await resolveBackend(wanted);
  } catch (e) {
    throw new CliError(`--backend ${wanted}: ${(e as Error).message.replace(/^resolveBackend: /, '')}`);
  }
  setBackend(choice.backend);
  const details: string[] = choice.name === 'cpu' ? [cpuKernels()] : [];
  if (choice.measurements.length > 0) {
    const others = choice.measurements.filter((m) => m.name !== choice.name).map((m) => `${m.name}: ${m.why}`);
    details.push(`auto, measured in ${choice.ms.toFixed(0)} ms`, ...others);
  }
  return details.length === 0 ? choice.name : `${choice.name} (${details.join('; ')})`;
}

export { BACKEND_NAMES };
