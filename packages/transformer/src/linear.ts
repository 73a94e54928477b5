// Linear: y = x·Wᵀ + b, as nn.Linear (weight [outFeatures, inFeatures], bias [outFeatures]).
import { DTypeError, ShapeError, ValueError, defaultGenerator, formatShape, shapesEqual, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { linear, type LinearOptions, type Variable } from '@gloss/autograd';
import { linearUniform, parameter } from './init.js';
import { Module, checkLastDim } from './module.js';

export interface LinearConfig {
  inFeatures: number;
  outFeatures: number;
  /** Default true. */
  bias?: boolean;
  /** Seeds the initial weights (nn.Linear's U(±1/√inFeatures)). Default: the default generator. */
  generator?: Generator;
  /** Default float32. */
  dtype?: FloatDType;
  /** Use this Variable [outFeatures, inFeatures] as the weight instead of a new one (weight tying). */
  weight?: Variable;
}

/**
 * nn.Linear: parameters `weight` [outFeatures, inFeatures] and `bias` [outFeatures].
 * @example new Linear({ inFeatures: 128, outFeatures: 512 }).forward(x) // x [batch, len, 128] → [batch, len, 512]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor({ inFeatures, outFeatures, bias = true, generator = defaultGenerator(), dtype = 'float32', weight }: LinearConfig) {
    super();
    for (const [name, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new ValueError('Linear', `${name} must be a positive integer, got ${n}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    if (weight && !shapesEqual(weight.shape, [outFeatures, inFeatures])) {
      throw new ShapeError('Linear', `a tied weight must be [outFeatures ${outFeatures}, inFeatures ${inFeatures}], got ${formatShape(weight.shape)}`);
    }
    this.weight = this.registerParameter('weight', weight ?? parameter(linearUniform([outFeatures, inFeatures], inFeatures, generator, dtype)));
    this.bias = bias ? this.registerParameter('bias', parameter(linearUniform([outFeatures], inFeatures, generator, dtype))) : null;
  }

  /**
   * x [..., inFeatures] → [..., outFeatures]. One GEMM over all rows with the bias added in place (autograd's
   * fused `linear`); `options` fuse a ReLU and dropout into the same output (the feed-forward hidden layer).
   */
  forward(x: Variable | Tensor, options?: LinearOptions): Variable {
    checkLastDim('Linear', 'x', x, this.inFeatures, 'inFeatures');
    if (x.dtype !== this.weight.dtype) throw new DTypeError('Linear', `x is ${x.dtype} but the weight is ${this.weight.dtype}`);
    return linear(x, this.weight, this.bias, options);
  }
}
