// The machinery every search shares: encode the source batch once, then advance a set of rows (partial
// hypotheses, several per sentence in beam search) one token at a time on the KV cache, returning each row's
// logits and log-normalizer; keep(rows) reorders or drops rows after a step. Rows never see each other
// (attention, LayerNorm and projections are per row), so a sentence decodes the same alone or in a padded batch.
import { DTypeError, ShapeError, Tensor, ValueError, formatShape, indexSelect, logSumExp } from '@gloss/tensor';
import { type Variable, indexSelect as indexSelectVar, noGrad } from '@gloss/autograd';
import type { DecoderCache } from '../decoder.js';
import type { Seq2SeqTransformer } from '../seq2seq-transformer.js';

export interface StepResult {
  /**
   * [rows, tgtVocabSize] next-token logits, pad and bos set to −∞ (never generated): log p(v) = logits[r, v] − lse[r].
   * (Log-probabilities are never materialized: greedy needs one of them per row.)
   */
  logits: Float32Array | Float64Array;
  /** [rows] log Σ_v exp(logits[r, v]) over the whole vocabulary, pad and bos included (as fairseq normalizes). */
  lse: Float32Array | Float64Array;
  /** With attention: per layer, [rows, numHeads, srcLen] cross-attention of this step. */
  attention: (Float32Array | Float64Array)[] | null;
}

export class StepDecoder {
  readonly model: Seq2SeqTransformer;
  readonly vocabSize: number;
  readonly numHeads: number;
  /** Padded source length S. */
  readonly srcLen: number;
  /** Per sentence: its source length without trailing padding (where its attention is cropped). */
  readonly srcLengths: number[];
  /** Per row: the sentence it belongs to. */
  rowSentence: number[];
  private memory: Variable;
  private srcPadding: Tensor;
  private readonly cache: DecoderCache;
  private readonly needWeights: boolean;

  constructor(model: Seq2SeqTransformer, src: Tensor, needWeights: boolean) {
    if (!(src instanceof Tensor)) throw new ValueError('decode', `src must be an int32 Tensor [batch, srcLen], got ${Object.prototype.toString.call(src)}`);
    if (src.dtype !== 'int32') throw new DTypeError('decode', `src must be int32 token ids, got ${src.dtype}`);
    if (src.rank !== 2) throw new ShapeError('decode', `src must be [batch, srcLen], got ${formatShape(src.shape)}`);
    this.model = model;
    this.vocabSize = model.config.tgtVocabSize;
    this.numHeads = model.config.numHeads;
    this.needWeights = needWeights;
    const [batch, srcLen] = src.shape;
    this.srcLen = srcLen;
    const { memory, srcPadding } = noGrad(() => model.encode(src));
    this.memory = memory;                                    // [batch, srcLen, dModel]
    this.srcPadding = srcPadding;                            // bool [batch, srcLen]
    const pad = srcPadding.data as Uint8Array;
    this.srcLengths = Array.from({ length: batch }, (_, b) => {
      let n = srcLen;
      while (n > 0 && pad[b * srcLen + n - 1]) n--;
      return n;
    });
    this.rowSentence = Array.from({ length: batch }, (_, b) => b);
    this.cache = model.newCache();
  }

  /** Positions decoded so far (the position of the next input token). */
  get length(): number {
    return this.cache.length;
  }

  /** Feeds one token per row (int32 [rows]) and returns the next-token logits and their log-normalizers per row. */
  step(tokens: Int32Array): StepResult {
    const rows = this.rowSentence.length;
    if (tokens.length !== rows) throw new ShapeError('decode', `step got ${tokens.length} tokens for ${rows} rows`);
    return noGrad(() => {
      const tgt = new Tensor(tokens, [rows, 1], 'int32');
      const { output, crossAttention } = this.model.decode(tgt, this.memory, this.srcPadding, { cache: this.cache, needWeights: this.needWeights });
      const projected = this.model.project(output).value.reshape([rows, this.vocabSize]);   // [rows, vocab]
      const lse = logSumExp(projected, -1).data as Float32Array | Float64Array;               // [rows]
      const logits = projected.data as Float32Array | Float64Array;   // a fresh tensor of this step: masked in place
      const { padId, bosId } = this.model.config;
      for (let r = 0; r < rows; r++) {
        logits[r * this.vocabSize + padId] = -Infinity;
        logits[r * this.vocabSize + bosId] = -Infinity;
      }
      // Per layer [rows, numHeads, 1, srcLen] → [rows, numHeads, srcLen] (same storage).
      const attention = crossAttention ? crossAttention.map((w) => w.value.data as Float32Array | Float64Array) : null;
      return { logits, lse, attention };
    });
  }

  /**
   * Keeps rows `indices` of the last step, in that order (repeats allowed). The self-attention caches always
   * follow; the memory, its padding mask and the cross-attention caches only when a row's sentence changes
   * (beams of one sentence share identical memory rows, so reordering them within a sentence is a no-op).
   */
  keep(indices: number[]): void {
    const rowSentence = indices.map((i) => this.rowSentence[i]);
    const sentencesMoved = rowSentence.length !== this.rowSentence.length || rowSentence.some((s, r) => s !== this.rowSentence[r]);
    this.rowSentence = rowSentence;
    if (indices.length === 0) return;
    const index = new Tensor(Int32Array.from(indices), [indices.length], 'int32');
    this.cache.reorder(index, { memory: sentencesMoved });
    if (sentencesMoved) {
      this.memory = noGrad(() => indexSelectVar(this.memory, index, 0));   // [rows, srcLen, dModel]
      this.srcPadding = indexSelect(this.srcPadding, index, 0);             // [rows, srcLen]
    }
  }
}
