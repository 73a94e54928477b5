// @gloss/tensor/testing: helpers for tests of code built on gloss tensors.
export { expectClose, type Closeable } from './expect-close.js';
export { medianCpuMs } from './cpu-time.js';
