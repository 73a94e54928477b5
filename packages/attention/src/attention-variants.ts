// Which attention a layer runs, as one flat config (attentionType plus each variant's own fields), shared by
// MultiHeadAttention, the transformer's layers, TransformerConfig and `gloss train` (whose flags and help text are
// derived from these fields, defaults and descriptions: they are defined here and nowhere else).
import { ValueError } from '@gloss/tensor';

/** The variants, in the order `gloss train --help` lists them. */
export const ATTENTION_TYPES = ['full', 'local', 'strided', 'block-sparse', 'linformer', 'linear'] as const;
export type AttentionType = (typeof ATTENTION_TYPES)[number];
export const STRIDED_PATTERNS = ['strided', 'fixed'] as const;
export const FEATURE_MAPS = ['elu', 'favor'] as const;

/**
 * One attention variant and its parameters; a field only matters to its variant.
 * - full: softmax(q·kᵀ/√headDim)·v over every key (Vaswani et al. 2017).
 * - local: a sliding window of ±attentionWindow keys (causal: the previous attentionWindow), and the first
 *   globalTokens positions global both ways (Longformer, Beltagy et al. 2020, §3.1).
 * - strided: Sparse Transformer's factorized patterns with stride attentionStride (Child et al. 2019, §4.2):
 *   'strided' sees the previous `stride` keys and every stride-th key before; 'fixed' sees its own block of `stride`
 *   and the last summaryTokens keys of every block.
 * - block-sparse: BigBird's blocks of blockSize (Zaheer et al. 2020, §2): windowBlocks around the diagonal,
 *   globalBlocks first blocks global both ways, randomBlocks random key blocks per query block (seeded), or a layout
 *   users pass.
 * - linformer: keys and values projected along the sequence to projectedLength rows (Wang et al. 2020); not causal.
 * - linear: softmax replaced by a feature map φ, out_i = φ(q_i)·Σ_j φ(k_j)v_jᵀ / φ(q_i)·Σ_j φ(k_j) (Katharopoulos et al.
 *   2020), φ = elu + 1, or Performer's FAVOR+ positive random features (Choromanski et al. 2021); causal decoding
 *   keeps a running state, O(1) per token.
 */
export interface AttentionVariantConfig {
  attentionType: AttentionType;
  attentionWindow: number;
  globalTokens: number;
  attentionStride: number;
  stridedPattern: (typeof STRIDED_PATTERNS)[number];
  summaryTokens: number;
  blockSize: number;
  windowBlocks: number;
  globalBlocks: number;
  randomBlocks: number;
  projectedLength: number;
  featureMap: (typeof FEATURE_MAPS)[number];
  randomFeatures: number;
}

export const DEFAULT_ATTENTION_VARIANT: Readonly<AttentionVariantConfig> = Object.freeze({
  attentionType: 'full',
  attentionWindow: 128,
  globalTokens: 0,
  attentionStride: 128,
  stridedPattern: 'strided',
  summaryTokens: 8,
  blockSize: 64,
  windowBlocks: 3,
  globalBlocks: 2,
  randomBlocks: 3,
  projectedLength: 256,
  featureMap: 'elu',
  randomFeatures: 64,
});

/** What each field means, for help texts (one line each). */
export const ATTENTION_VARIANT_HELP: Readonly<Record<keyof AttentionVariantConfig, string>> = Object.freeze({
  attentionType: 'self-attention variant: full, local (sliding window, Longformer), strided (Sparse Transformer), ' +
    'block-sparse (BigBird), linformer (encoder only; the decoder keeps full), linear (Katharopoulos et al.); cross-attention stays full',
  attentionWindow: 'local: keys within ± this many positions (causal: the previous this many)',
  globalTokens: 'local: the first N positions see and are seen by every position',
  attentionStride: 'strided: the stride l (strided: the previous l keys and every l-th before; fixed: blocks of l)',
  stridedPattern: "strided: 'strided' or 'fixed' (Child et al. 2019, §4.2)",
  summaryTokens: 'strided, fixed pattern: the last c keys of every block, seen by all later queries',
  blockSize: 'block-sparse: positions per block',
  windowBlocks: 'block-sparse: blocks around the diagonal each query block sees (odd: the block and (n−1)/2 each side)',
  globalBlocks: 'block-sparse: the first N blocks see and are seen by every block',
  randomBlocks: 'block-sparse: random key blocks per query block (drawn once from the seed)',
  projectedLength: 'linformer: k, the rows keys and values are projected to along the sequence',
  featureMap: "linear: the feature map, 'elu' (elu + 1) or 'favor' (Performer's positive random features)",
  randomFeatures: 'linear, favor: number of random features',
});

export const ATTENTION_VARIANT_FIELDS = Object.keys(DEFAULT_ATTENTION_VARIANT) as (keyof AttentionVariantConfig)[];

/** Variants that may run causally (decoder self-attention, with cached or recurrent decoding). */
export function supportsCausal(type: AttentionType): boolean {
  return type !== 'linformer';
}

/**
 * Fills defaults and validates every field, naming it, what it must be and what came.
 * @example resolveAttentionVariant({ attentionType: 'local', attentionWindow: 64 })
 */
export function resolveAttentionVariant(input: Partial<AttentionVariantConfig> = {}, op = 'attention'): AttentionVariantConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k in DEFAULT_ATTENTION_VARIANT));
  const c = { ...DEFAULT_ATTENTION_VARIANT, ...defined } as AttentionVariantConfig;
  const oneOf = <T extends string>(name: keyof AttentionVariantConfig, allowed: readonly T[]): void => {
    if (!allowed.includes(c[name] as T)) {
      throw new ValueError(op, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(c[name])}`);
    }
  };
  oneOf('attentionType', ATTENTION_TYPES);
  oneOf('stridedPattern', STRIDED_PATTERNS);
  oneOf('featureMap', FEATURE_MAPS);
  for (const name of ['attentionWindow', 'attentionStride', 'blockSize', 'windowBlocks', 'projectedLength', 'randomFeatures'] as const) {
    if (!Number.isInteger(c[name]) || c[name] < 1) throw new ValueError(op, `${name} must be a positive integer, got ${c[name]}`);
  }
  for (const name of ['globalTokens', 'summaryTokens', 'globalBlocks', 'randomBlocks'] as const) {
    if (!Number.isInteger(c[name]) || c[name] < 0) throw new ValueError(op, `${name} must be a non-negative integer, got ${c[name]}`);
  }
  if (c.stridedPattern === 'fixed' && c.summaryTokens > c.attentionStride) {
    throw new ValueError(op, `summaryTokens ${c.summaryTokens} must be at most attentionStride ${c.attentionStride} (they are the last keys of each block)`);
  }
  if (c.windowBlocks % 2 !== 1) throw new ValueError(op, `windowBlocks must be odd (the block and as many each side), got ${c.windowBlocks}`);
  return c;
}
