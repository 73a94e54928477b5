// @gloss/gpu: gpu.js kernels for gloss's fused attention, as a Backend that overrides cpuBackend's entries.

export {
  createGpuBackend, type GpuBackend, type GpuBackendOptions, type GpuBackendStats, type GpuMode,
} from './gpu-backend.js';
export { gpuModesAvailable, type GpuModeProbe } from './modes.js';
export {
  chooseBackend, resolveBackend, BACKEND_NAMES, DEFAULT_PROBE, type BackendCandidate, type BackendChoice, type BackendMeasurement,
  type ChooseBackendOptions, type ProbeShape,
} from './choose-backend.js';
