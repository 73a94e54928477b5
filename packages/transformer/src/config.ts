// TransformerConfig: everything that fixes a Seq2SeqTransformer's architecture and special ids, with
// defaults (nn.Transformer's sizes; @gloss/data's special-token ids). It is what config.json stores.
import { ValueError } from '@gloss/tensor';
import { ATTENTION_VARIANT_FIELDS, DEFAULT_ATTENTION_VARIANT, resolveAttentionVariant, type AttentionVariantConfig } from '@gloss/attention';
import type { Activation } from './feed-forward.js';

/**
 * The model's fields, and the self-attention variant's (AttentionVariantConfig in @gloss/attention: attentionType
 * and each variant's parameters, defined and documented there). The variant runs in encoder self-attention and,
 * when it can be causal (all but linformer, whose decoder keeps full attention), in decoder self-attention, decoded
 * on its KV cache or recurrent state; cross-attention stays full.
 */
export interface TransformerConfig extends AttentionVariantConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  /** Model width. Default 512. */
  dModel: number;
  /** Attention heads; must divide dModel. Default 8. */
  numHeads: number;
  /** Default 6. */
  numEncoderLayers: number;
  /** Default 6. */
  numDecoderLayers: number;
  /** Feed-forward inner width. Default 2048. */
  dimFeedforward: number;
  /** Dropout after embeddings, in residual branches and inside the feed-forward network. Default 0.1. */
  dropout: number;
  /** Dropout on attention weights (inside the fused attention kernels). Default: `dropout` (as nn.Transformer). */
  attentionDropout: number;
  /** Feed-forward activation. Default 'relu'. */
  activation: Activation;
  /** Pre-LN (LayerNorm before each branch) instead of the paper's post-LN. Default false. */
  normFirst: boolean;
  /** Default 1e-5. */
  layerNormEps: number;
  /** Longest source or target sequence (the positional table's length). Default 512. */
  maxLen: number;
  /** Default 'sinusoidal' (no parameters); 'learned' adds src_pos_embed.weight and tgt_pos_embed.weight. */
  positionalEncoding: 'sinusoidal' | 'learned';
  /** One embedding table for source and target (needs equal vocabulary sizes). Default false. */
  shareEmbeddings: boolean;
  /** The output projection's weight is the target embedding's (Press & Wolf 2017). Default false. */
  tieOutput: boolean;
  /** Special ids (those of @gloss/data's vocabularies). Defaults 0, 1, 2, 3. */
  padId: number;
  bosId: number;
  eosId: number;
  unkId: number;
  /**
   * Seeds the attention variant's random parts (block-sparse's random blocks, FAVOR+'s features), drawn layer by
   * layer at construction: config.json keeps it, so a loaded model rebuilds the same ones. Default 0.
   */
  attentionSeed: number;
}

/** What the constructor takes: the vocabulary sizes, and any field to override. */
export type TransformerConfigInput = Partial<TransformerConfig> & Pick<TransformerConfig, 'srcVocabSize' | 'tgtVocabSize'>;

export const DEFAULT_TRANSFORMER_CONFIG: Readonly<Omit<TransformerConfig, 'srcVocabSize' | 'tgtVocabSize' | 'attentionDropout'>> = Object.freeze({
  ...DEFAULT_ATTENTION_VARIANT,
  dModel: 512,
  numHeads: 8,
  numEncoderLayers: 6,
  numDecoderLayers: 6,
  dimFeedforward: 2048,
  dropout: 0.1,
  activation: 'relu',
  normFirst: false,
  layerNormEps: 1e-5,
  maxLen: 512,
  positionalEncoding: 'sinusoidal',
  shareEmbeddings: false,
  tieOutput: false,
  padId: 0,
  bosId: 1,
  eosId: 2,
  unkId: 3,
  attentionSeed: 0,
});

const KEYS = [
  'srcVocabSize', 'tgtVocabSize', 'dModel', 'numHeads', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'dropout',
  'attentionDropout', 'activation', 'normFirst', 'layerNormEps', 'maxLen', 'positionalEncoding', 'shareEmbeddings', 'tieOutput',
  'padId', 'bosId', 'eosId', 'unkId', ...ATTENTION_VARIANT_FIELDS, 'attentionSeed',
] as const satisfies readonly (keyof TransformerConfig)[];

/**
 * Fills in defaults and validates, naming the field, what was expected and what came. Unknown fields are
 * refused (a misspelt `numHead` must not silently fall back to the default).
 * @example resolveConfig({ srcVocabSize: 8000, tgtVocabSize: 8000, dModel: 128, numHeads: 4 })
 */
export function resolveConfig(input: TransformerConfigInput): TransformerConfig {
  const op = 'TransformerConfig';
  if (typeof input !== 'object' || input === null) throw new ValueError(op, `needs an object, got ${String(input)}`);
  const unknown = Object.keys(input).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new ValueError(op, `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const c = { ...DEFAULT_TRANSFORMER_CONFIG, ...defined } as TransformerConfig;
  if (defined.attentionDropout === undefined) c.attentionDropout = c.dropout;

  const positive = ['srcVocabSize', 'tgtVocabSize', 'dModel', 'numHeads', 'dimFeedforward', 'maxLen'] as const;
  for (const k of positive) if (!Number.isInteger(c[k]) || c[k] <= 0) throw new ValueError(op, `${k} must be a positive integer, got ${c[k]}`);
  for (const k of ['numEncoderLayers', 'numDecoderLayers'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 0) throw new ValueError(op, `${k} must be a non-negative integer, got ${c[k]}`);
  }
  if (c.dModel % c.numHeads !== 0) throw new ValueError(op, `dModel ${c.dModel} is not divisible by numHeads ${c.numHeads}`);
  for (const k of ['dropout', 'attentionDropout'] as const) {
    if (typeof c[k] !== 'number' || !(c[k] >= 0 && c[k] < 1)) throw new ValueError(op, `${k} must be in [0, 1), got ${c[k]}`);
  }
  if (c.activation !== 'relu' && c.activation !== 'gelu') throw new ValueError(op, `activation must be 'relu' or 'gelu', got '${c.activation}'`);
  if (c.positionalEncoding !== 'sinusoidal' && c.positionalEncoding !== 'learned') {
    throw new ValueError(op, `positionalEncoding must be 'sinusoidal' or 'learned', got '${c.positionalEncoding}'`);
  }
  for (const k of ['normFirst', 'shareEmbeddings', 'tieOutput'] as const) {
    if (typeof c[k] !== 'boolean') throw new ValueError(op, `${k} must be true or false, got ${JSON.stringify(c[k])}`);
  }
  if (typeof c.layerNormEps !== 'number' || !(c.layerNormEps > 0)) throw new ValueError(op, `layerNormEps must be positive, got ${c.layerNormEps}`);
  for (const k of ['padId', 'bosId', 'eosId', 'unkId'] as const) {
    const limit = Math.min(c.srcVocabSize, c.tgtVocabSize);
    if (!Number.isInteger(c[k]) || c[k] < 0 || c[k] >= limit) {
      throw new ValueError(op, `${k} must be an id in [0, ${limit}) (the smaller vocabulary), got ${c[k]}`);
    }
  }
  if (new Set([c.padId, c.bosId, c.eosId]).size !== 3) {
    throw new ValueError(op, `padId, bosId and eosId must differ, got ${c.padId}, ${c.bosId}, ${c.eosId}`);
  }
  if (c.shareEmbeddings && c.srcVocabSize !== c.tgtVocabSize) {
    throw new ValueError(op, `shareEmbeddings needs srcVocabSize = tgtVocabSize, got ${c.srcVocabSize} and ${c.tgtVocabSize}`);
  }
  Object.assign(c, resolveAttentionVariant(c, op));
  if (!Number.isInteger(c.attentionSeed) || c.attentionSeed < 0) throw new ValueError(op, `attentionSeed must be a non-negative integer, got ${c.attentionSeed}`);
  // A fixed key order, so config.json reads the same for every model.
  return Object.fromEntries(KEYS.map((k) => [k, c[k]])) as unknown as TransformerConfig;
}
