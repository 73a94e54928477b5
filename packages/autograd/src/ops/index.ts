// Every differentiable op, forward and backward side by side in the file named for it.
export { add, sub, mul, div, pow, neg } from './arithmetic.js';
export { exp, log, sqrt, rsqrt, abs, tanh, relu, sigmoid, gelu } from './unary.js';
export { matmul, type MatmulOptions } from './matmul.js';
export { linear, type LinearOptions } from './linear.js';
export { reshape, permute, expand, transpose, unsqueeze, squeeze, flatten } from './shape.js';
export { slice, narrow, concat, stack } from './slice.js';
export { indexSelect, embedding, gather } from './indexing.js';
export { where, maskedFill } from './select.js';
export { sum, mean, max } from './reduce.js';
export { softmax, logSoftmax } from './softmax.js';
export { layerNorm } from './layer-norm.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { crossEntropy, tokenCrossEntropy, type CrossEntropyOptions, type TokenCrossEntropy } from './cross-entropy.js';
export { linearCrossEntropy, tokenLinearCrossEntropy, type LinearCrossEntropyOptions } from './linear-cross-entropy.js';
export { packedHeads } from './packed-heads.js';
