// KV cache for incremental decoding: decoder step t attends over the t keys and values already
// projected instead of recomputing all of them, so a step costs O(t) rather than O(t²).
// One cache per attention module and decode: a 'self' cache grows by each step's keys and values;
// a 'memory' cache holds the encoder memory's projections, made once per source batch and reused.
import { DTypeError, IndexError, ShapeError, Tensor, formatShape } from '@gloss/tensor';
import { concat, indexSelect, type Variable } from '@gloss/autograd';

/** 'self': append each step's keys and values (masked self-attention); 'memory': project once, reuse (cross-attention). */
export type KVCacheKind = 'self' | 'memory';

/**
 * Keys and values already projected, [batch, numHeads, cachedLen, headDim], for one attention module.
 * Pass it as `cache` to MultiHeadAttention.forward at every step; `reorder` follows beam search.
 * @example
 * const selfCache = new KVCache('self'), crossCache = new KVCache('memory');
 * for (let t = 0; t < maxLen; t++) {
 *   const h = selfAttn.forward(x_t, x_t, x_t, { cache: selfCache }).output;        // x_t [batch, 1, dModel]
 *   const c = crossAttn.forward(h, memory, memory, { cache: crossCache, keyPaddingMask: srcPadding }).output;
 * }
 */
export class KVCache {
  readonly kind: KVCacheKind;
  /** [batch, numHeads, cachedLen, headDim]; null until the first forward. */
  key: Variable | null = null;
  /** [batch, numHeads, cachedLen, headDim]; null until the first forward. */
  value: Variable | null = null;

  constructor(kind: KVCacheKind = 'self') {
    this.kind = kind;
  }

  /** Number of cached positions (0 when empty). */
  get length(): number {
    return this.key ? this.key.shape[2] : 0;
  }

  /** True once keys and values are held (for a 'memory' cache: the memory was projected). */
  get filled(): boolean {
    return this.key !== null;
  }

  /**
   * Adds new keys and values [batch, numHeads, newLen, headDim] and returns all cached ones:
   * a 'self' cache appends along the length axis, a 'memory' cache stores them (replacing what it held).
   */
  update(key: Variable, value: Variable): { key: Variable; value: Variable } {
    if (this.kind === 'self' && this.key && this.value) {
      const [b, h, , d] = this.key.shape;
      if (key.shape[0] !== b || key.shape[1] !== h || key.shape[3] !== d) {
        throw new ShapeError('KVCache', `new keys are ${formatShape(key.shape)} but the cached keys are ${formatShape(this.key.shape)} ` +
          '(batch, numHeads and headDim must match; reorder the cache when the batch changes)');
      }
      this.key = concat([this.key, key], 2);       // [batch, numHeads, cachedLen + newLen, headDim]
      this.value = concat([this.value, value], 2); // [batch, numHeads, cachedLen + newLen, headDim]
    } else {
      this.key = key;
      this.value = value;
    }
    return { key: this.key, value: this.value };
  }

  /**
   * Keeps batch rows `indices` (int32 [newBatch], repeats allowed), in that order: after a beam-search step,
   * row i of the new batch continues the hypothesis that was row indices[i].
   */
  reorder(indices: Tensor | readonly number[]): void {
    const index = indices instanceof Tensor ? indices : new Tensor(Int32Array.from(indices), [indices.length], 'int32');
    if (index.dtype !== 'int32') throw new DTypeError('KVCache.reorder', `indices must be int32, got ${index.dtype}`);
    if (index.rank !== 1) throw new ShapeError('KVCache.reorder', `indices must be [newBatch], got ${formatShape(index.shape)}`);
    if (!this.key || !this.value) return;
    const batch = this.key.shape[0];
    for (const i of index.data) {
      if (i < 0 || i >= batch) throw new IndexError('KVCache.reorder', `index ${i} is out of range for a cache of batch ${batch}`);
    }
    this.key = indexSelect(this.key, index, 0);       // [newBatch, numHeads, cachedLen, headDim]
    this.value = indexSelect(this.value, index, 0);   // [newBatch, numHeads, cachedLen, headDim]
  }

  /** Empties the cache (a new sequence, or a new source batch for a 'memory' cache). */
  clear(): void {
    this.key = null;
    this.value = null;
  }
}
