// Parameter initialization, as torch.nn.init, every draw from a seeded Generator: PyTorch's nn.Linear
// default (U(±1/√fanIn)), Xavier/Glorot uniform (nn.Transformer's reset), and normal (nn.Embedding's).
import { Generator, randn, uniform, type FloatDType, type Shape, type Tensor } from '@gloss/tensor';
import { Variable } from '@gloss/autograd';

/** U(−a, a) with a = gain·√(6 / (fanIn + fanOut)); a weight [fanOut, fanIn] (Glorot & Bengio 2010). */
export function xavierUniform(shape: Shape, generator: Generator, dtype: FloatDType = 'float32', gain = 1): Tensor {
  const [fanOut, fanIn] = [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, -a, a, { generator, dtype });
}

/** U(−1/√fanIn, 1/√fanIn): nn.Linear's weight (kaiming_uniform_ with a = √5) and bias. */
export function linearUniform(shape: Shape, fanIn: number, generator: Generator, dtype: FloatDType = 'float32'): Tensor {
  const a = 1 / Math.sqrt(fanIn);
  return uniform(shape, -a, a, { generator, dtype });
}

/** N(0, std²). */
export function normal(shape: Shape, std: number, generator: Generator, dtype: FloatDType = 'float32'): Tensor {
  const x = randn(shape, { generator, dtype });
  return std === 1 ? x : x.mul(std);
}

/** A leaf that requires grad: how every layer makes its parameters. */
export function parameter(value: Tensor, name?: string): Variable {
  return new Variable(value, { requiresGrad: true, name });
}
