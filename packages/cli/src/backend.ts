// The compute backend of a CLI run: --backend (or GLOSS_BACKEND) names one.
import { cpuBackend, referenceBackend, setBackend } from '@gloss/tensor';
import { createGpuBackend, type GpuMode } from '@gloss/gpu';
import { CliError } from './errors.js';

/** gpu.js backends by name: gpu (gpu.js picks its best mode), gpu:gpu, gpu:webasm, gpu:cpu. */
const GPU_MODES: Record<string, GpuMode> = { gpu: 'auto', 'gpu:gpu': 'gpu', 'gpu:webasm': 'webasm', 'gpu:cpu': 'cpu' };

/** Sets the backend for this process and returns a one-line description of the choice. */
export async function useBackend(name: string): Promise<string> {
  const wanted = process.env.GLOSS_BACKEND || name || 'auto';
  if (wanted === 'auto' || wanted === 'cpu') { setBackend(cpuBackend); return 'cpu'; }
  if (wanted === 'reference') { setBackend(referenceBackend); return 'reference'; }
  if (wanted in GPU_MODES) {
    const gpu = createGpuBackend({ mode: GPU_MODES[wanted] });
    setBackend(gpu);
    return gpu.name;
  }
  throw new CliError(`--backend: unknown backend "${wanted}" (expected auto, cpu, reference, or a gpu.js mode: ${Object.keys(GPU_MODES).join(', ')})`);
}
