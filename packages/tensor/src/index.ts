// @gloss/tensor: dense N-d arrays, broadcasting, numeric kernels and seeded randomness.

export { Tensor, type NestedArray } from './tensor.js';
export { type DType, type FloatDType, type TypedArray, type FloatArray, allocate, promoteTypes, isFloat } from './dtype.js';
export { type Shape, formatShape, sizeOf, stridesOf, shapesEqual, broadcastShapes, normalizeAxis, normalizeAxes } from './shape.js';
export { GlossError, ShapeError, DTypeError, IndexError, ValueError } from './errors.js';
export { Generator, type GeneratorState, defaultGenerator, manualSeed } from './random.js';
export { type Backend, referenceBackend, cpuBackend, getBackend, setBackend } from './backend/backend.js';
export type { UnaryOp, BinaryOp, ReduceOp, ArgReduceOp, AttentionDims, AttentionMasking, AttentionDropout, AttentionWindow, AttentionBlockLayout, LinearArgs, LinearCrossEntropyArgs } from './backend/types.js';
export {
  setMatmulThreads, getMatmulThreads, matmulThreadsReport, startMatmulThreads, wasmMatmulAvailable, wasmSimdLevel, setWasmSimd,
} from './backend/wasm/matmul.js';
export type { KernelThreadsReport } from './backend/wasm/runtime.js';
export type { SimdLevel, SimdRequest } from './backend/wasm/simd-level.js';

export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, fullLike, arange, linspace, eye } from './ops/creation.js';
export { randn, rand, uniform, bernoulli, randint, type RandomOptions } from './ops/random.js';
export {
  type Operand, add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor,
  neg, abs, sign, square, reciprocal, exp, log, sqrt, rsqrt, sin, cos, tanh, relu, sigmoid, erf, gelu, floor,
  logicalNot, isNaN, isFinite, where, maskedFill, clamp,
} from './ops/elementwise.js';
export { type Axes, sum, prod, mean, max, min, variance, argmax, argmin, sumTo } from './ops/reduce.js';
export { softmax, logSoftmax, logSumExp, softmaxBackward, logSoftmaxBackward } from './ops/softmax.js';
export { layerNorm, layerNormWithStats, layerNormBackward, type LayerNormResult, type LayerNormGrads } from './ops/layer-norm.js';
export {
  crossEntropyRows, crossEntropyRowsBackward, crossEntropyRowsWithGrad, type CrossEntropyOptions, type CrossEntropyRows, type CrossEntropyRowsWithGrad,
} from './ops/cross-entropy.js';
export { matmul, withResidentWeights, type MatmulOptions } from './ops/matmul.js';
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, expand, expandAs } from './ops/shape-ops.js';
export { slice, narrow, concat, stack, split } from './ops/slice.js';
export { indexSelect, indexAdd, gather, scatterAdd } from './ops/indexing.js';
export { triu, tril } from './ops/triangle.js';
export { attention, attentionBackward, attentionDropoutMask, type AttentionOptions } from './ops/attention.js';
export { encodeSafetensors, decodeSafetensors, type Safetensors } from './io/safetensors.js';
export { CHECKSUM_KEY, encodeSafetensorsWithChecksum, verifySafetensorsChecksum, decodeSafetensorsChecked, type Sha256 } from './io/checksum.js';
export { sha256 } from './io/sha256.js';
