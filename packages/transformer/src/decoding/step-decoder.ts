// The machinery every search shares: encode the source batch once, then advance a set of rows (partial
// hypotheses, several per sentence in beam search) one token at a time on the KV cache, returning each row's
// logits and log-normalizer; keep(rows) reorders or drops rows after a step. Rows never see each other
// (attention, LayerNorm and projections are per row), so a sentence decodes the same alone or in a padded batch.
import { DTypeError, ShapeError, Tensor, ValueError, allocate, formatShape, getBackend, indexSelect, type FloatArray } from '@gloss/tensor';
import { type Variable, noGrad } from '@gloss/autograd';
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
  private readonly memory: Variable;
  private srcPadding: Tensor;
  private readonly cache: DecoderCache;
  private readonly needWeights: boolean;
  private logits: FloatArray | null = null;
  private lse: FloatArray | null = null;

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

  /** Room for `positions` decoding steps in the self-attention caches (allocated once, at the first step). */
  reserve(positions: number): void {
    this.cache.reserve(positions);
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
      const { logits, lse } = this.project(output.value.data as FloatArray, rows);
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
   * Logits [rows, vocab] = hidden·Wᵀ + b into this decoder's own buffer (grown, never shrunk: no allocation per
   * step), and their log-normalizers [rows]. The buffers are overwritten by the next step.
   */
  private project(hidden: FloatArray, rows: number): { logits: FloatArray; lse: FloatArray } {
    const V = this.vocabSize;
    const { weight, bias } = this.model.outputProjection;
    const w = weight.value.data as FloatArray;
    if (!this.logits || this.logits.length < rows * V) {
      this.logits = allocate(weight.dtype, rows * V) as FloatArray;
      this.lse = allocate(weight.dtype, rows) as FloatArray;
    }
    const logits = this.logits.subarray(0, rows * V);
    const lse = this.lse!.subarray(0, rows);
    getBackend().matmul(hidden, w, logits, rows, V, this.model.config.dModel, false, true, ZERO, ZERO);   // [rows, vocab]
    logSumExpRows(logits, rows, V, lse, bias ? (bias.value.data as FloatArray) : null);   // adds the bias on the way
    return { logits, lse };
  }

  /**
   * Keeps rows `indices` of the last step, in that order (repeats allowed). The self-attention caches always
   * follow (gathered into the cache's second buffer); the padding mask and the cross-attention caches' row → sentence
   * pointers only when a row's sentence changes (beams of one sentence share the memory's keys and values).
   */
  keep(indices: number[]): void {
    const rowSentence = indices.map((i) => this.rowSentence[i]);
    const sentencesMoved = rowSentence.length !== this.rowSentence.length || rowSentence.some((s, r) => s !== this.rowSentence[r]);
    this.rowSentence = rowSentence;
    if (indices.length === 0) return;
    const index = new Tensor(Int32Array.from(indices), [indices.length], 'int32');
    this.cache.reorder(index, { memory: sentencesMoved });
    // The memory itself is not read after the first step (its keys and values are cached per sentence).
    if (sentencesMoved) this.srcPadding = indexSelect(this.srcPadding, index, 0);   // [rows, srcLen]
  }
}

const ZERO = Int32Array.of(0);

/**
 * out[r] = log Σ_v exp(x[r, v]) over rows of [rows, cols], the row max subtracted first (no overflow): the cost of a
 * step's scan over the vocabulary. With `bias` [cols], x[r, :] += bias first, in the same pass as the max.
 * Float32 rows take {@link logSumExpRowsF32}; float64 ones the backend's logSumExp.
 */
export function logSumExpRows(x: FloatArray, rows: number, cols: number, out: FloatArray, bias: FloatArray | null = null): void {
  if (x instanceof Float32Array && (bias === null || bias instanceof Float32Array)) { logSumExpRowsF32(x, rows, cols, out, bias); return; }
  if (bias) for (let o = 0; o < rows * cols; o += cols) for (let i = 0; i < cols; i++) x[o + i] += bias[i];
  getBackend().logSumExp(x, rows, cols, out);
}

const LOG2E = Math.LOG2E;
const ROUND = 6755399441055744;                  // 1.5·2⁵²: adding it rounds a double to an integer
/** POW2[k + 126] = 2^k for k in [−126, 0]. */
const POW2 = Float64Array.from({ length: 127 }, (_, i) => Math.pow(2, i - 126));

/**
 * logSumExpRows for float32, with exp inlined (Math.exp is a call out of the loop): e^(x − max) = 2^t,
 * t = (x − max)·log₂e ≤ 0, split as 2^k·2^f with k = round(t), |f| ≤ ½, and 2^f = e^(f·ln 2) by its degree-7
 * Taylor polynomial (truncation ≤ 0.35⁸/8! ≈ 5e-9, under float32's half-ulp). Terms below 2^−126 (< 1e-38 of the
 * largest, which contributes 1) are skipped.
 */
function logSumExpRowsF32(x: Float32Array, rows: number, cols: number, out: FloatArray, bias: Float32Array | null): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    if (bias) {
      for (let i = 0; i < cols; i++) {
        x[o + i] += bias[i];
        const y = x[o + i];                          // the stored (rounded) value
        if (y > max || y !== y) max = y;
      }
    } else {
      for (let i = o; i < o + cols; i++) if (x[i] > max || x[i] !== x[i]) max = x[i];
    }
    if (max === -Infinity || max === Infinity || max !== max) { out[r] = max; continue; }
    let sum = 0;
    for (let i = o; i < o + cols; i++) {
      const t = (x[i] - max) * LOG2E;
      if (!(t >= -126)) continue;                 // also skips −∞ (masked) entries
      const k = t + ROUND - ROUND;                // round(t), in [−126, 0]
      const f = (t - k) * Math.LN2;               // e^f = 2^(t − k), |f| ≤ ln2/2
      const f2 = f * f;
      sum += ((1 + f) + f2 * ((1 / 2 + f * (1 / 6)) + f2 * ((1 / 24 + f * (1 / 120)) + f2 * (1 / 720 + f * (1 / 5040))))) * POW2[k + 126];
    }
    out[r] = max + Math.log(sum);
  }
}

