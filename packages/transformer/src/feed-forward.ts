// Position-wise feed-forward network (Vaswani et al. 2017, §3.3): FFN(x) = linear2(dropout(act(linear1(x)))),
// act = ReLU (the paper's) or GELU (exact, as F.gelu). Parameters linear1.* [dFf, dModel] and linear2.* [dModel, dFf]
// — the names nn.TransformerEncoderLayer gives them.
import { ValueError, defaultGenerator, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { gelu, type Variable } from '@gloss/autograd';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

export type Activation = 'relu' | 'gelu';

export interface FeedForwardConfig {
  dModel: number;
  /** Inner width (dimFeedforward). */
  dFf: number;
  /** Default 'relu'. */
  activation?: Activation;
  /** Dropout after the activation. Default 0. */
  dropout?: number;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * x [..., dModel] → [..., dModel] through a dFf-wide hidden layer.
 * @example new FeedForward({ dModel: 128, dFf: 512, activation: 'gelu' }).forward(x)
 */
export class FeedForward extends Module {
  readonly activation: Activation;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly dropout: Dropout;

  constructor({ dModel, dFf, activation = 'relu', dropout = 0, generator = defaultGenerator(), dtype = 'float32' }: FeedForwardConfig) {
    super();
    if (activation !== 'relu' && activation !== 'gelu') throw new ValueError('FeedForward', `activation must be 'relu' or 'gelu', got '${activation}'`);
    this.activation = activation;
    this.linear1 = this.registerModule('linear1', new Linear({ inFeatures: dModel, outFeatures: dFf, generator, dtype }));
    this.dropout = this.registerModule('dropout', new Dropout(dropout, generator));
    this.linear2 = this.registerModule('linear2', new Linear({ inFeatures: dFf, outFeatures: dModel, generator, dtype }));
  }

  forward(x: Variable | Tensor): Variable {
    if (this.activation === 'relu') {
      // linear1, ReLU and dropout as one op: one [..., dFf] tensor, gradients read off it.
      const { p, training, generator } = this.dropout;
      const a = this.linear1.forward(x, { activation: 'relu', dropout: p, training, generator });   // [..., dFf]
      return this.linear2.forward(a);                                    // [..., dModel]
    }
    const h = this.linear1.forward(x);                                   // [..., dFf]
    return this.linear2.forward(this.dropout.forward(gelu(h)));          // [..., dModel]
  }
}
