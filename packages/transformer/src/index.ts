// @gloss/transformer: the encoder–decoder transformer, its layers, decoding (greedy, beam, sampling) and checkpoints.
export { Module, StateDictError, type ParameterHolder, type LoadStateDictOptions } from './module.js';
export { Linear, type LinearConfig } from './linear.js';
export { Embedding, type EmbeddingConfig } from './embedding.js';
export { PositionalEncoding, LearnedPositionalEncoding, sinusoidalTable, type PositionalEncodingConfig } from './positional-encoding.js';
export { Dropout } from './dropout.js';
export { LayerNorm } from './layer-norm.js';
export { FeedForward, type FeedForwardConfig, type Activation } from './feed-forward.js';
export { TransformerEncoderLayer, type LayerConfig } from './encoder-layer.js';
export { TransformerDecoderLayer, type DecoderLayerOptions, type DecoderLayerOutput } from './decoder-layer.js';
export { TransformerEncoder } from './encoder.js';
export { TransformerDecoder, DecoderCache, type DecoderOptions, type DecoderOutput } from './decoder.js';
export { DEFAULT_TRANSFORMER_CONFIG, resolveConfig, type TransformerConfig, type TransformerConfigInput } from './config.js';
// TransformerConfig's attention-variant fields, defined in @gloss/attention (for tools that build configs, as gloss train).
export {
  ATTENTION_TYPES, ATTENTION_VARIANT_FIELDS, ATTENTION_VARIANT_HELP, DEFAULT_ATTENTION_VARIANT, FEATURE_MAPS, STRIDED_PATTERNS,
  resolveAttentionVariant, type AttentionType, type AttentionVariantConfig,
} from '@gloss/attention';
export { Seq2SeqTransformer, type Seq2SeqTransformerOptions, type EncoderOutput, type DecodeOptions, type LossOptions, type PaddingMasks } from './seq2seq-transformer.js';
export { greedyDecode, beamSearch, sampleDecode, lengthPenalty, type Hypothesis, type LengthOptions, type GreedyOptions, type BeamSearchOptions, type SamplingOptions } from './decoding/index.js';
export {
  encodeCheckpoint, decodeCheckpoint, encodeCheckpointFiles, CONFIG_FILE, WEIGHTS_FILE,
  type CheckpointExtras, type CheckpointFiles, type CheckpointParts, type DecodedCheckpoint, type DecodeCheckpointOptions,
} from './checkpoint.js';
