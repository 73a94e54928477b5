// Layer normalization (Ba et al. 2016) over the last axis, as nn.LayerNorm: (x − mean)/√(var + eps)·weight + bias.
import { ValueError, ones, zeros, type FloatDType, type Tensor } from '@gloss/tensor';
import { layerNorm, type Variable } from '@gloss/autograd';
import { parameter } from './init.js';
import { Module, checkLastDim } from './module.js';

/**
 * nn.LayerNorm(dModel, eps): parameters `weight` (ones) and `bias` (zeros), [dModel].
 * @example new LayerNorm(128).forward(x) // x [batch, len, 128]
 */
export class LayerNorm extends Module {
  readonly dModel: number;
  readonly eps: number;
  readonly weight: Variable;
  readonly bias: Variable;

  constructor(dModel: number, eps = 1e-5, dtype: FloatDType = 'float32') {
    super();
    if (!Number.isInteger(dModel) || dModel <= 0) throw new ValueError('LayerNorm', `dModel must be a positive integer, got ${dModel}`);
    if (!(eps > 0)) throw new ValueError('LayerNorm', `eps must be positive, got ${eps}`);
    this.dModel = dModel;
    this.eps = eps;
    this.weight = this.registerParameter('weight', parameter(ones([dModel], dtype)));
    this.bias = this.registerParameter('bias', parameter(zeros([dModel], dtype)));
  }

  /** x [..., dModel] → [..., dModel]. */
  forward(x: Variable | Tensor): Variable {
    checkLastDim('LayerNorm', 'x', x, this.dModel, 'dModel');
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
