// One decoder layer (Vaswani et al. 2017, §3.1): masked self-attention, cross-attention over the encoder's
// memory, then the feed-forward network, each a residual branch with dropout and LayerNorm (post-LN by
// default, pre-LN with `normFirst`). Parameters as nn.TransformerDecoderLayer: self_attn.*, multihead_attn.*,
// linear1.*, linear2.*, norm1.*, norm2.*, norm3.*. With KV caches it runs one decoding step at a time.
import { defaultGenerator, type Tensor } from '@gloss/tensor';
import { add, type Variable } from '@gloss/autograd';
import { MultiHeadAttention, supportsCausal, type KVCache } from '@gloss/attention';
import { Dropout } from './dropout.js';
import { variantOf, type LayerConfig } from './encoder-layer.js';
import { FeedForward } from './feed-forward.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';

export interface DecoderLayerOptions {
  /** bool [batch, tgtLen] (with a cache: [batch, cachedLen + tgtLen]), true = padding. */
  tgtPadding?: Tensor | null;
  /** bool [batch, srcLen], true = padding in the memory. */
  srcPadding?: Tensor | null;
  /** This layer's self-attention cache ('self') and cross-attention cache ('memory') while decoding. */
  selfCache?: KVCache | null;
  memoryCache?: KVCache | null;
  /** Also return the cross-attention weights per head, [batch, numHeads, tgtLen, srcLen]. */
  needWeights?: boolean;
}

export interface DecoderLayerOutput {
  /** [batch, tgtLen, dModel] */
  output: Variable;
  /** Cross-attention weights [batch, numHeads, tgtLen, srcLen] when needWeights, else null. */
  crossAttention: Variable | null;
}

/**
 * x [batch, tgtLen, dModel], memory [batch, srcLen, dModel] → [batch, tgtLen, dModel]. The self-attention is
 * causal (query i sees positions ≤ i, counting cached ones).
 */
export class TransformerDecoderLayer extends Module {
  readonly normFirst: boolean;
  readonly selfAttn: MultiHeadAttention;
  readonly crossAttn: MultiHeadAttention;
  readonly ff: FeedForward;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;

  constructor(c: LayerConfig) {
    super();
    const { dModel, generator = defaultGenerator(), dtype = 'float32' } = c;
    const base = { dModel, numHeads: c.numHeads, dropout: c.attentionDropout, generator, dtype };
    // Masked self-attention runs the variant when it can be causal (linformer cannot: full attention here);
    // cross-attention is full.
    const variant = variantOf(c);
    const causalVariant = variant.attentionType !== undefined && supportsCausal(variant.attentionType) ? { ...variant, causal: true } : {};
    this.normFirst = c.normFirst;
    this.selfAttn = this.registerModule('self_attn', new MultiHeadAttention({ ...base, ...causalVariant }));
    this.crossAttn = this.registerModule('multihead_attn', new MultiHeadAttention(base));
    this.ff = this.registerModule('', new FeedForward({ dModel, dFf: c.dimFeedforward, activation: c.activation, dropout: c.dropout, generator, dtype }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, c.layerNormEps, dtype));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, c.layerNormEps, dtype));
    this.norm3 = this.registerModule('norm3', new LayerNorm(dModel, c.layerNormEps, dtype));
    this.dropout1 = this.registerModule('dropout1', new Dropout(c.dropout, generator));
    this.dropout2 = this.registerModule('dropout2', new Dropout(c.dropout, generator));
    this.dropout3 = this.registerModule('dropout3', new Dropout(c.dropout, generator));
  }

  forward(x: Variable | Tensor, memory: Variable | Tensor, options: DecoderLayerOptions = {}): DecoderLayerOutput {
    const { tgtPadding = null, srcPadding = null, selfCache = null, memoryCache = null, needWeights = false } = options;
    let crossAttention: Variable | null = null;
    const sa = (h: Variable | Tensor) =>
      this.dropout1.forward(this.selfAttn.forward(h, h, h, { causal: true, keyPaddingMask: tgtPadding, cache: selfCache }).output);
    const ca = (h: Variable | Tensor) => {
      const r = this.crossAttn.forward(h, memory, memory, { keyPaddingMask: srcPadding, cache: memoryCache, needWeights, averageWeights: false });
      crossAttention = r.weights;                           // [batch, numHeads, tgtLen, srcLen] or null
      return this.dropout2.forward(r.output);
    };
    const ff = (h: Variable | Tensor) => this.dropout3.forward(this.ff.forward(h));
    let h: Variable;
    if (this.normFirst) {
      h = add(x, sa(this.norm1.forward(x)));                // x + SA(LN(x))
      h = add(h, ca(this.norm2.forward(h)));                // h + CA(LN(h), memory)
      h = add(h, ff(this.norm3.forward(h)));                // h + FF(LN(h))
    } else {
      h = this.norm1.forward(add(x, sa(x)));                // LN(x + SA(x))
      h = this.norm2.forward(add(h, ca(h)));                // LN(h + CA(h, memory))
      h = this.norm3.forward(add(h, ff(h)));                // LN(h + FF(h))
    }
    return { output: h, crossAttention };
  }
}
