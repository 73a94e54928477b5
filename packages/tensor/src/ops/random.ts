// Random tensors, all drawn from a seeded Generator (the default one unless one is passed).
import { allocate, type DType, type FloatDType } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface RandomOptions {
  generator?: Generator;
  dtype?: FloatDType;
}

/** Standard normal samples. */
export function randn(shape: Shape, { generator = defaultGenerator(), dtype = 'float32' }: RandomOptions = {}): Tensor {
  checkShape('randn', shape);
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = generator.normal();
  return new Tensor(data, shape, dtype);
}

/** Uniform samples in [low, high). */
export function uniform(shape: Shape, low = 0, high = 1, { generator = defaultGenerator(), dtype = 'float32' }: RandomOptions = {}): Tensor {
  checkShape('uniform', shape);
  if (!Number.isFinite(low) || !Number.isFinite(high) || high < low) {
    throw new ValueError('uniform', `needs finite low <= high, got low ${low}, high ${high}`);
  }
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * generator.random();
  return new Tensor(data, shape, dtype);
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return uniform(shape, 0, 1, options);
}

/**
 * A bool tensor whose elements are true with probability `p` (a number, or a float tensor of
 * per-element probabilities whose shape is the result's).
 */
export function bernoulli(shapeOrProbs: Shape | Tensor, p = 0.5, { generator = defaultGenerator() }: { generator?: Generator } = {}): Tensor {
  const probs = shapeOrProbs instanceof Tensor ? shapeOrProbs : null;
  const shape = probs ? probs.shape : (shapeOrProbs as Shape);
  checkShape('bernoulli', shape);
  if (probs && (probs.dtype === 'int32' || probs.dtype === 'bool')) {
    throw new DTypeError('bernoulli', `probabilities must be float32 or float64, got ${probs.dtype}`);
  }
  if (!probs && !(p >= 0 && p <= 1)) throw new ValueError('bernoulli', `p must be in [0, 1], got ${p}`);
  const data = new Uint8Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = generator.random() < (probs ? probs.data[i] : p) ? 1 : 0;
  return new Tensor(data, shape, 'bool');
}

/** Uniform integers in [low, high). */
export function randint(low: number, high: number, shape: Shape, { generator = defaultGenerator(), dtype = 'int32' }: { generator?: Generator; dtype?: DType } = {}): Tensor {
  checkShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError('randint', `needs integers low < high, got low ${low}, high ${high}`);
  }
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + generator.int(high - low);
  return new Tensor(data, shape, dtype);
}
