// One encoder layer (Vaswani et al. 2017, §3.1): self-attention, then the feed-forward network, each in a
// residual branch with dropout and LayerNorm — after the sum (post-LN, the paper's and PyTorch's default)
// or before the branch (pre-LN, `normFirst`, Xiong et al. 2020). Parameters as nn.TransformerEncoderLayer:
// self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*.
import { defaultGenerator, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { add, type Variable } from '@gloss/autograd';
import { ATTENTION_VARIANT_FIELDS, MultiHeadAttention, type AttentionVariantConfig } from '@gloss/attention';
import { Dropout } from './dropout.js';
import { FeedForward } from './feed-forward.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';
import type { TransformerConfig } from './config.js';

/**
 * What an encoder or decoder layer is built from: the model config's fields of the same names, the self-attention
 * variant's among them (optional: full attention when absent; maxLen sizes linformer's and block-sparse's tables).
 */
export type LayerConfig = Pick<TransformerConfig,
  'dModel' | 'numHeads' | 'dimFeedforward' | 'dropout' | 'attentionDropout' | 'activation' | 'normFirst' | 'layerNormEps'>
  & Partial<AttentionVariantConfig> & { maxLen?: number; generator?: Generator; variantGenerator?: Generator; dtype?: FloatDType };

/** The self-attention variant's fields of a layer config (what MultiHeadAttention takes), those given only. */
export function variantOf(c: LayerConfig): Partial<AttentionVariantConfig> & { maxLen?: number; variantGenerator?: Generator } {
  const v: Record<string, unknown> = {};
  for (const k of [...ATTENTION_VARIANT_FIELDS, 'maxLen', 'variantGenerator'] as const) if (c[k] !== undefined) v[k] = c[k];
  return v;
}

/**
 * x [batch, srcLen, dModel] → [batch, srcLen, dModel].
 * @example new TransformerEncoderLayer(config).forward(x, srcPadding) // srcPadding bool [batch, srcLen], true = pad
 */
export class TransformerEncoderLayer extends Module {
  readonly normFirst: boolean;
  readonly selfAttn: MultiHeadAttention;
  readonly ff: FeedForward;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(c: LayerConfig) {
    super();
    const { dModel, generator = defaultGenerator(), dtype = 'float32' } = c;
    this.normFirst = c.normFirst;
    this.selfAttn = this.registerModule('self_attn', new MultiHeadAttention({
      dModel, numHeads: c.numHeads, dropout: c.attentionDropout, generator, dtype, ...variantOf(c),
    }));
    this.ff = this.registerModule('', new FeedForward({ dModel, dFf: c.dimFeedforward, activation: c.activation, dropout: c.dropout, generator, dtype }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, c.layerNormEps, dtype));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, c.layerNormEps, dtype));
    this.dropout1 = this.registerModule('dropout1', new Dropout(c.dropout, generator));
    this.dropout2 = this.registerModule('dropout2', new Dropout(c.dropout, generator));
  }

  forward(x: Variable | Tensor, srcPadding: Tensor | null = null): Variable {
    const sa = (h: Variable | Tensor) => this.dropout1.forward(this.selfAttn.forward(h, h, h, { keyPaddingMask: srcPadding }).output);
    const ff = (h: Variable | Tensor) => this.dropout2.forward(this.ff.forward(h));
    if (this.normFirst) {
      const h = add(x, sa(this.norm1.forward(x)));          // x + SA(LN(x))
      return add(h, ff(this.norm2.forward(h)));             // h + FF(LN(h))
    }
    const h = this.norm1.forward(add(x, sa(x)));            // LN(x + SA(x))
    return this.norm2.forward(add(h, ff(h)));               // LN(h + FF(h))
  }
}
