// Linear: y = x·Wᵀ + b, as nn.Linear (weight [outFeatures, inFeatures], bias [outFeatures]).
import { DTypeError, ShapeError, ValueError, defaultGenerator, formatShape, shapesEqual, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { add, matmul, reshape, type Variable } from '@gloss/autograd';
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

  /** x [..., inFeatures] → [..., outFeatures]. */
  forward(x: Variable | Tensor): Variable {
    checkLastDim('Linear', 'x', x, this.inFeatures, 'inFeatures');
    if (x.dtype !== this.weight.dtype) throw new DTypeError('Linear', `x is ${x.dtype} but the weight is ${this.weight.dtype}`);
    // One GEMM over all rows: [rows, in]·Wᵀ. A batched [batch, len, in] operand would run one small GEMM per
    // batch entry and, in backward, build a weight gradient per entry before summing them.
    const rows = x.size / this.inFeatures;
    const flat = x.shape.length === 2 ? x : reshape(x, [rows, this.inFeatures]);    // [rows, inFeatures]
    let y = matmul(flat, this.weight, { transB: true });                              // [rows, outFeatures]
    if (this.bias) y = add(y, this.bias);
    return x.shape.length === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}
