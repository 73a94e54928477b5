// The encoder stack: N encoder layers and a final LayerNorm, as nn.TransformerEncoder inside nn.Transformer
// (parameters layers.<i>.*, norm.*).
import { ValueError, type Tensor } from '@gloss/tensor';
import type { Variable } from '@gloss/autograd';
import { TransformerEncoderLayer, type LayerConfig } from './encoder-layer.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';

/**
 * x [batch, srcLen, dModel] → memory [batch, srcLen, dModel].
 * @example new TransformerEncoder(config, 2).forward(embedded, srcPadding)
 */
export class TransformerEncoder extends Module {
  readonly layers: TransformerEncoderLayer[];
  readonly norm: LayerNorm;

  constructor(config: LayerConfig, numLayers: number) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 0) throw new ValueError('TransformerEncoder', `numLayers must be a non-negative integer, got ${numLayers}`);
    this.layers = Array.from({ length: numLayers }, (_, i) => this.registerModule(`layers.${i}`, new TransformerEncoderLayer(config)));
    this.norm = this.registerModule('norm', new LayerNorm(config.dModel, config.layerNormEps, config.dtype));
  }

  /** srcPadding: bool [batch, srcLen], true = padding (those keys are never attended). */
  forward(x: Variable | Tensor, srcPadding: Tensor | null = null): Variable {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, srcPadding);
    return this.norm.forward(h);
  }
}
