// @gloss/attention: scaled dot-product attention (self, masked, cross), MultiHeadAttention, masks, KV cache.
export { scaledDotProductAttention, whyNotFused, type ScaledDotProductAttentionOptions, type AttentionWithWeights } from './scaled-dot-product-attention.js';
export {
  MultiHeadAttention, type MultiHeadAttentionConfig, type MultiHeadAttentionOptions, type MultiHeadAttentionOutput,
} from './multi-head-attention.js';
export { KVCache, type KVCacheKind } from './kv-cache.js';
export { causalMask, paddingMask } from './masks.js';
