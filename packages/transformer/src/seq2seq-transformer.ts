// Seq2SeqTransformer: the encoder–decoder of Vaswani et al. 2017, with the Annotated Transformer's names
// (encode → memory, decode, forward) and PyTorch parity: with sharing and tying off it is exactly
//   src_embed = nn.Embedding, tgt_embed = nn.Embedding, transformer = nn.Transformer(..., batch_first=True),
//   generator = nn.Linear(dModel, tgtVocabSize); inputs embedded as embed(x)·√dModel + pe[:T]
// so its state dict, keys included, loads into that module and back (docs/pytorch-interop.md).
import { Generator, ShapeError, Tensor, ValueError, defaultGenerator, eq, formatShape, indexSelect as indexSelectTensor, shapesEqual, type FloatDType } from '@gloss/tensor';
import { indexSelect, linearCrossEntropy, reshape, tokenLinearCrossEntropy, type TokenCrossEntropy, type Variable } from '@gloss/autograd';
import { resolveConfig, type TransformerConfig, type TransformerConfigInput } from './config.js';
import { DecoderCache, TransformerDecoder, type DecoderOutput } from './decoder.js';
import { Dropout } from './dropout.js';
import { Embedding, checkIds } from './embedding.js';
import type { LayerConfig } from './encoder-layer.js';
import { TransformerEncoder } from './encoder.js';
import { normal, xavierUniform } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { LearnedPositionalEncoding, PositionalEncoding } from './positional-encoding.js';

export interface Seq2SeqTransformerOptions {
  /** Seeds the initial weights and every dropout mask. Default: the default generator. */
  generator?: Generator;
  /** Parameter dtype. Default float32 (float64 for gradient checks). */
  dtype?: FloatDType;
}

export interface EncoderOutput {
  /** [batch, srcLen, dModel] */
  memory: Variable;
  /** bool [batch, srcLen], true where src is padId: the memory positions never attended. */
  srcPadding: Tensor;
}

export interface LossOptions {
  /** ε of label smoothing. Default 0. */
  labelSmoothing?: number;
  /** 'mean' over the non-pad targets (default) or 'sum'. */
  reduction?: 'mean' | 'sum';
}

/**
 * A batch's padding masks where the caller already has them (a collated Batch's `srcPadding` and `tgtPadding`,
 * @gloss/data): bool, true at padding, of src's and tgtIn's shapes. Absent, they are built from padId; either way
 * they must mark exactly the padId positions.
 */
export interface PaddingMasks {
  /** bool [batch, srcLen] */
  srcPadding?: Tensor;
  /** bool [batch, tgtLen]: the same positions in tgtIn and tgtOut. */
  tgtPadding?: Tensor;
}

export interface DecodeOptions {
  /** Step-by-step decoding: tgtIn holds only the new tokens; earlier positions come from the cache (model.newCache()). */
  cache?: DecoderCache | null;
  /** Also return each decoder layer's cross-attention weights [batch, numHeads, tgtLen, srcLen]. */
  needWeights?: boolean;
  /** tgtIn's padding mask (PaddingMasks); without a cache only. Default: tgtIn = padId. */
  tgtPadding?: Tensor;
}

/** A container named `transformer`, so the stacks' parameters are transformer.encoder.* and transformer.decoder.*, as nn.Transformer's. */
class TransformerStacks extends Module {
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  constructor(layer: LayerConfig, numEncoderLayers: number, numDecoderLayers: number) {
    super();
    this.encoder = this.registerModule('encoder', new TransformerEncoder(layer, numEncoderLayers));
    this.decoder = this.registerModule('decoder', new TransformerDecoder(layer, numDecoderLayers));
  }
}

/**
 * The encoder–decoder transformer. Token ids in, logits out; padding masks are the batch's (PaddingMasks, as a
 * collated Batch has them) or come from config.padId, and the causal mask is built inside.
 * @example
 * const model = new Seq2SeqTransformer({ srcVocabSize: 8000, tgtVocabSize: 8000, dModel: 128, numHeads: 4,
 *   numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 512 }, { generator: new Generator(0) });
 * const logits = model.forward(batch.src, batch.tgtIn);                 // [batch, tgtLen, 8000]
 * crossEntropy(logits, batch.tgtOut, { ignoreIndex: model.config.padId, labelSmoothing: 0.1 }).backward();
 */
export class Seq2SeqTransformer extends Module {
  readonly config: TransformerConfig;
  readonly dtype: FloatDType;
  readonly srcEmbed: Embedding;
  readonly tgtEmbed: Embedding;
  readonly srcPos: PositionalEncoding | LearnedPositionalEncoding;
  readonly tgtPos: PositionalEncoding | LearnedPositionalEncoding;
  /** Dropout on embedding + position, as the Annotated Transformer's. */
  readonly embedDropout: Dropout;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  /** The output projection dModel → tgtVocabSize; `generator.*` in the state dict, as the Annotated Transformer names it. */
  readonly outputProjection: Linear;

  constructor(config: TransformerConfigInput, { generator = defaultGenerator(), dtype = 'float32' }: Seq2SeqTransformerOptions = {}) {
    super();
    const c = resolveConfig(config);
    this.config = Object.freeze(c);
    this.dtype = dtype;
    const { dModel } = c;
    this.srcEmbed = this.registerModule('src_embed', new Embedding({ vocabSize: c.srcVocabSize, dModel, generator, dtype }));
    this.tgtEmbed = this.registerModule('tgt_embed', c.shareEmbeddings ? this.srcEmbed : new Embedding({ vocabSize: c.tgtVocabSize, dModel, generator, dtype }));
    const position = () => c.positionalEncoding === 'learned'
      ? new LearnedPositionalEncoding({ dModel, maxLen: c.maxLen, generator, dtype })
      : new PositionalEncoding({ dModel, maxLen: c.maxLen, dtype });
    // Sinusoids are a fixed table, one for both sides; learned tables are parameters, one per side.
    this.srcPos = c.positionalEncoding === 'learned' ? this.registerModule('src_pos_embed', position()) : position();
    this.tgtPos = c.positionalEncoding === 'learned' ? this.registerModule('tgt_pos_embed', position()) : this.srcPos;
    this.embedDropout = this.registerModule('dropout', new Dropout(c.dropout, generator));
    // The variant's random parts come from the config's seed, not the init generator: a loaded model rebuilds them.
    const layer: LayerConfig = { ...c, generator, variantGenerator: new Generator(c.attentionSeed), dtype };
    const stacks = this.registerModule('transformer', new TransformerStacks(layer, c.numEncoderLayers, c.numDecoderLayers));
    this.encoder = stacks.encoder;
    this.decoder = stacks.decoder;
    this.outputProjection = this.registerModule('generator', new Linear({
      inFeatures: dModel, outFeatures: c.tgtVocabSize, generator, dtype, weight: c.tieOutput ? this.tgtEmbed.weight : undefined,
    }));
    // Initialization as fairseq's transformer (Vaswani et al.): token embeddings N(0, 1/dModel), so that after the
    // ×√dModel scale a token starts at unit size beside the sinusoids; Xavier-uniform on the attention and
    // feed-forward matrices (nn.Transformer's reset); the output projection keeps nn.Linear's U(±1/√dModel) (or is
    // the target embedding when tied); biases nn.Linear's, LayerNorm ones/zeros. Xavier on the embeddings too (the
    // PyTorch translation tutorial's) starts tokens ~10× smaller than their positions: on Tatoeba that cost 0.7 nats
    // of validation loss at step 50 and 0.6 at step 100 (examples/tatoeba/README.md, "What held gloss back").
    const embeddings = new Set([this.srcEmbed.weight, this.tgtEmbed.weight]);
    for (const [name, p] of this.namedParameters()) {
      p.name = name;
      if (embeddings.has(p)) p.value = normal(p.shape, 1 / Math.sqrt(dModel), generator, dtype);
      else if (p.rank > 1 && p !== this.outputProjection.weight && !name.includes('pos_embed')) p.value = xavierUniform(p.shape, generator, dtype);
    }
  }

  /**
   * Encodes a padded source batch: src int32 [batch, srcLen] → memory [batch, srcLen, dModel] and the padding mask.
   * `srcPadding` is the batch's own mask where it has one (PaddingMasks), else src = padId.
   * @example const { memory, srcPadding } = model.encode(batch.src, batch.srcPadding);
   */
  encode(src: Tensor, srcPadding?: Tensor): EncoderOutput {
    this.checkTokens('encode', 'src', src, this.config.srcVocabSize);
    if (srcPadding === undefined) srcPadding = eq(src, this.config.padId);   // bool [batch, srcLen]
    else checkMask('encode', 'srcPadding', srcPadding, src);
    const x = this.embedDropout.forward(this.srcPos.forward(this.srcEmbed.forward(src)));   // [batch, srcLen, dModel]
    return { memory: this.encoder.forward(x, anyTrue(srcPadding) ? srcPadding : null), srcPadding };
  }

  /**
   * Decodes target inputs against the memory: tgtIn int32 [batch, tgtLen] (bos + target, padded with padId) →
   * decoder states [batch, tgtLen, dModel] (`output`), and with needWeights the cross-attention per layer.
   * With a cache, tgtIn holds the next token(s) only and positions continue from cache.length.
   */
  decode(tgtIn: Tensor, memory: Variable | Tensor, srcPadding: Tensor | null, { cache = null, needWeights = false, tgtPadding: given }: DecodeOptions = {}): DecoderOutput {
    this.checkTokens('decode', 'tgtIn', tgtIn, this.config.tgtVocabSize);
    // Once a cache holds the memory's keys and values, the memory is not read again (its rows may be sentences
    // while the batch rows are beams).
    const memoryBatch = cache?.memoryFilled ? memory.shape[0] : tgtIn.shape[0];
    if (memory.shape.length !== 3 || memory.shape[0] !== memoryBatch || memory.shape[2] !== this.config.dModel) {
      throw new ShapeError('Seq2SeqTransformer.decode', `memory must be [batch ${tgtIn.shape[0]}, srcLen, dModel ${this.config.dModel}], got ${formatShape(memory.shape)}`);
    }
    if (given !== undefined) {
      if (cache) throw new ValueError('Seq2SeqTransformer.decode', 'tgtPadding goes with a whole tgtIn, not with a cache (step-by-step decoding has no padding)');
      checkMask('decode', 'tgtPadding', given, tgtIn);
    }
    const tgtPadding = cache ? null : given ?? eq(tgtIn, this.config.padId);   // bool [batch, tgtLen]
    const offset = cache ? cache.length : 0;
    const x = this.embedDropout.forward(this.tgtPos.forward(this.tgtEmbed.forward(tgtIn), offset));   // [batch, tgtLen, dModel]
    return this.decoder.forward(x, memory, {
      tgtPadding: tgtPadding && anyTrue(tgtPadding) ? tgtPadding : null,
      srcPadding: srcPadding && anyTrue(srcPadding) ? srcPadding : null,
      cache, needWeights,
    });
  }

  /** Decoder states [..., dModel] → logits [..., tgtVocabSize]. */
  project(hidden: Variable | Tensor): Variable {
    return this.outputProjection.forward(hidden);
  }

  /**
   * Teacher-forced logits: src int32 [batch, srcLen], tgtIn int32 [batch, tgtLen] → [batch, tgtLen, tgtVocabSize].
   * Padding masks are the batch's (PaddingMasks) or come from padId (src, tgtIn and the memory), the causal mask from the decoder.
   */
  forward(src: Tensor, tgtIn: Tensor, { srcPadding, tgtPadding }: PaddingMasks = {}): Variable {
    const encoded = this.encode(src, srcPadding);
    if (tgtIn.shape.length === 2 && tgtIn.shape[0] !== src.shape[0]) {
      throw new ShapeError('Seq2SeqTransformer.forward', `src is ${formatShape(src.shape)} but tgtIn is ${formatShape(tgtIn.shape)} (batch must match)`);
    }
    return this.project(this.decode(tgtIn, encoded.memory, encoded.srcPadding, { tgtPadding }).output);
  }

  /**
   * The training loss without the padding: crossEntropy(forward(src, tgtIn), tgtOut, { ignoreIndex: padId, … }),
   * same value and gradients, but the output projection and the loss run only on positions whose target is not
   * padId, fused (linearCrossEntropy: chunks of rows, the logits never whole in memory).
   * @example model.loss(batch.src, batch.tgtIn, batch.tgtOut, { labelSmoothing: 0.1 }).backward();
   */
  loss(src: Tensor, tgtIn: Tensor, tgtOut: Tensor, { labelSmoothing = 0, reduction = 'mean', ...masks }: LossOptions & PaddingMasks = {}): Variable {
    const { hidden, targets } = this.realRows('loss', src, tgtIn, tgtOut, masks);
    return linearCrossEntropy(hidden, this.outputProjection.weight, this.outputProjection.bias, targets, { labelSmoothing, reduction });
  }

  /**
   * model.loss in the form a Trainer accumulates over batches: the 'sum' loss, the non-pad target count and
   * Σ −log p(target) without smoothing (for perplexity), all from one pass over the non-pad logits.
   * @example const lossFn = (b: Batch) => model.tokenLoss(b.src, b.tgtIn, b.tgtOut, { labelSmoothing: 0.1, srcPadding: b.srcPadding, tgtPadding: b.tgtPadding });
   */
  tokenLoss(src: Tensor, tgtIn: Tensor, tgtOut: Tensor, { labelSmoothing = 0, ...masks }: Omit<LossOptions, 'reduction'> & PaddingMasks = {}): TokenCrossEntropy {
    const { hidden, targets } = this.realRows('tokenLoss', src, tgtIn, tgtOut, masks);
    return tokenLinearCrossEntropy(hidden, this.outputProjection.weight, this.outputProjection.bias, targets, { labelSmoothing });
  }

  /** Decoder states [rows, dModel] and targets [rows] of the positions whose target is not padId. */
  private realRows(op: string, src: Tensor, tgtIn: Tensor, tgtOut: Tensor, masks: PaddingMasks): { hidden: Variable; targets: Tensor } {
    if (!shapesEqual(tgtOut.shape, tgtIn.shape) || tgtOut.dtype !== 'int32') {
      throw new ShapeError(`Seq2SeqTransformer.${op}`, `tgtOut must be int32 of tgtIn's shape ${formatShape(tgtIn.shape)}, got ${tgtOut.dtype} ${formatShape(tgtOut.shape)}`);
    }
    const { memory, srcPadding } = this.encode(src, masks.srcPadding);
    const hidden = this.decode(tgtIn, memory, srcPadding, { tgtPadding: masks.tgtPadding }).output;   // [batch, tgtLen, dModel]
    const ids = tgtOut.data as Int32Array;
    const keep: number[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i] !== this.config.padId) keep.push(i);
    const rows = reshape(hidden, [ids.length, this.config.dModel]);              // [batch·tgtLen, dModel]
    if (keep.length === ids.length) return { hidden: rows, targets: tgtOut.reshape([ids.length]) };
    const index = new Tensor(Int32Array.from(keep), [keep.length], 'int32');
    return { hidden: indexSelect(rows, index, 0), targets: indexSelectTensor(tgtOut.reshape([ids.length]), index, 0) };   // [rows, …]
  }

  /** Empty KV caches for step-by-step decoding. */
  newCache(): DecoderCache {
    return new DecoderCache(this.config.numDecoderLayers);
  }

  private checkTokens(op: string, arg: string, ids: Tensor, vocabSize: number): void {
    if (ids.shape.length !== 2) throw new ShapeError(`Seq2SeqTransformer.${op}`, `${arg} must be int32 [batch, len], got ${formatShape(ids.shape)}`);
    if (ids.shape[1] > this.config.maxLen) {
      throw new ShapeError(`Seq2SeqTransformer.${op}`, `${arg} is ${formatShape(ids.shape)}, longer than maxLen ${this.config.maxLen}`);
    }
    checkIds(`Seq2SeqTransformer.${op}`, ids, vocabSize);
  }
}

/** A caller's padding mask must be bool of its ids' shape. */
function checkMask(op: string, name: string, mask: Tensor, ids: Tensor): void {
  if (mask.dtype !== 'bool' || !shapesEqual(mask.shape, ids.shape)) {
    throw new ShapeError(`Seq2SeqTransformer.${op}`, `${name} must be bool ${formatShape(ids.shape)} (its ids' shape), got ${mask.dtype} ${formatShape(mask.shape)}`);
  }
}

function anyTrue(mask: Tensor): boolean {
  return (mask.data as Uint8Array).includes(1);
}
