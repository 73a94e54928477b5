// @gloss/autograd/testing: helpers for testing differentiable code (gloss's own tests and users' ops).
export { gradcheck, type GradcheckOptions } from './gradcheck.js';
export { checkOp, randVariable, type CheckOpOptions } from './helpers.js';
export { expectClose, type Closeable } from '@gloss/tensor/testing';
