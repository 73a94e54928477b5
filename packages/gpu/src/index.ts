// @gloss/gpu: gpu.js kernels for gloss's fused attention, as a Backend that overrides cpuBackend's entries.

export {
  createGpuBackend, destroyGpuBackend, type GpuBackend, type GpuBackendOptions, type GpuBackendStats, type GpuMode,
} from './gpu-backend.js';
export { gpuModesAvailable, type GpuModeProbe } from './modes.js';
