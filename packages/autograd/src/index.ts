// @gloss/autograd: reverse-mode differentiation over @gloss/tensor.
export { Variable, variable, type VariableOptions, type Input } from './variable.js';
export { defineOp, type OpDefinition, type BackwardContext, type LiftArgs } from './define-op.js';
export { type BackwardOptions } from './backward.js';
export { Node } from './node.js';
export { PartialGradient } from './partial-gradient.js';
export { noGrad, enableGrad, isGradEnabled } from './grad-mode.js';
export {
  add, sub, mul, div, pow, neg, exp, log, sqrt, rsqrt, abs, tanh, relu, sigmoid, gelu, matmul, type MatmulOptions,
  linear, type LinearOptions,
  reshape, permute, expand, transpose, unsqueeze, squeeze, flatten, slice, narrow, concat, stack,
  indexSelect, embedding, gather, where, maskedFill, sum, mean, max, softmax, logSoftmax, layerNorm,
  dropout, type DropoutOptions, crossEntropy, type CrossEntropyOptions, tokenCrossEntropy, type TokenCrossEntropy,
  linearCrossEntropy, tokenLinearCrossEntropy, type LinearCrossEntropyOptions, packedHeads,
} from './ops/index.js';
