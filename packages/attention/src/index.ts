// @gloss/attention: scaled dot-product attention (self, masked, cross), MultiHeadAttention, masks, KV cache,
// and the efficient variants behind MultiHeadAttention's `attentionType` (sparse patterns, Linformer, linear).
export { scaledDotProductAttention, whyNotFused, type ScaledDotProductAttentionOptions, type AttentionWithWeights } from './scaled-dot-product-attention.js';
export {
  MultiHeadAttention, type MultiHeadAttentionConfig, type MultiHeadAttentionOptions, type MultiHeadAttentionOutput,
} from './multi-head-attention.js';
export { KVCache, type KVCacheKind } from './kv-cache.js';
export { causalMask, paddingMask, windowMask, maskFromFunction, type AttentionWindow } from './masks.js';
export {
  ATTENTION_TYPES, ATTENTION_VARIANT_FIELDS, ATTENTION_VARIANT_HELP, DEFAULT_ATTENTION_VARIANT, STRIDED_PATTERNS, FEATURE_MAPS,
  resolveAttentionVariant, supportsCausal, type AttentionType, type AttentionVariantConfig,
} from './attention-variants.js';
export {
  patternFromFunction, localPattern, stridedPattern, blockSparseLayout, blockSparsePattern, patternPicture,
  type AttentionPattern, type BlockSparseLayoutOptions,
} from './sparse-patterns.js';
export {
  linearAttention, eluFeatureMap, favorFeatureMap, orthogonalRandomFeatures, LinearAttentionState,
  type LinearAttentionOptions, type FeatureMapFn,
} from './linear-attention.js';
