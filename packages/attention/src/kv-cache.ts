// KV cache for incremental decoding: decoder step t attends over the t keys and values already
// projected instead of recomputing all of them, so a step costs O(t) rather than O(t²).
// One cache per attention module and decode: a 'self' cache grows by each step's keys and values, written in
// place into buffers preallocated for `reserve(positions)` positions (grown by doubling past that); a 'memory'
// cache holds the encoder memory's projections once per source sentence, and its rows point at them by index.
import { DTypeError, IndexError, ShapeError, Tensor, allocate, formatShape, type FloatArray, type FloatDType } from '@gloss/tensor';
import { Variable } from '@gloss/autograd';
import type { LinearAttentionState } from './linear-attention.js';

/** 'self': append each step's keys and values (masked self-attention); 'memory': project once, reuse (cross-attention). */
export type KVCacheKind = 'self' | 'memory';

/**
 * Keys and values already projected, [batch, numHeads, cachedLen, headDim], for one attention module.
 * Pass it as `cache` to MultiHeadAttention.forward at every step; `reorder` follows beam search.
 * Storage: per stored entry [numHeads, capacity, headDim] at `entry·entryStride` of `keyData` / `valueData`;
 * batch row r reads entry `entryOf(r)` (a 'self' cache: r itself; a 'memory' cache: its sentence, so beams of one
 * sentence share one copy of the memory's keys and values).
 * @example
 * const selfCache = new KVCache('self'), crossCache = new KVCache('memory');
 * for (let t = 0; t < maxLen; t++) {
 *   const h = selfAttn.forward(x_t, x_t, x_t, { cache: selfCache }).output;        // x_t [batch, 1, dModel]
 *   const c = crossAttn.forward(h, memory, memory, { cache: crossCache, keyPaddingMask: srcPadding }).output;
 * }
 */
export class KVCache {
  readonly kind: KVCacheKind;
  /** [entries, numHeads, capacity, headDim] keys; null until the first update. */
  keyData: FloatArray | null = null;
  /** [entries, numHeads, capacity, headDim] values, as keyData. */
  valueData: FloatArray | null = null;
  /** Positions each (entry, head) has room for. */
  capacity = 0;
  numHeads = 0;
  headDim = 0;
  /** Batch rows (a 'memory' cache: rows of `rows`). */
  batch = 0;
  private len = 0;
  private dtype: FloatDType = 'float32';
  /** 'memory': row → stored entry. */
  private rows: Int32Array | null = null;
  private reserved = 0;
  private spareKey: FloatArray | null = null;
  private spareValue: FloatArray | null = null;
  private views: { key: Variable; value: Variable } | null = null;
  /** Linear attention's recurrent state (S, z) in place of keys and values; null for the other variants. */
  linear: LinearAttentionState | null = null;

  constructor(kind: KVCacheKind = 'self') {
    this.kind = kind;
  }

  /** Number of cached positions (0 when empty). */
  get length(): number {
    return this.linear ? this.linear.length : this.len;
  }

  /** True once keys and values are held (for a 'memory' cache: the memory was projected). */
  get filled(): boolean {
    return this.keyData !== null;
  }

  /** Floats between consecutive stored entries (numHeads·capacity·headDim). */
  get entryStride(): number {
    return this.numHeads * this.capacity * this.headDim;
  }

  /** The stored entry batch row `r` reads. */
  entryOf(r: number): number {
    return this.rows ? this.rows[r] : r;
  }

  /** Room for `positions` positions at the first update of a 'self' cache (fewer reallocations while it grows). */
  reserve(positions: number): void {
    this.reserved = Math.max(this.reserved, positions);
  }

  /** [batch, numHeads, cachedLen, headDim] copies of the cached keys and values (kept until the cache changes). */
  get key(): Variable | null {
    return this.materialize()?.key ?? null;
  }

  /** [batch, numHeads, cachedLen, headDim]; see `key`. */
  get value(): Variable | null {
    return this.materialize()?.value ?? null;
  }

  /**
   * Adds new keys and values [batch, numHeads, newLen, headDim] and returns all cached ones:
   * a 'self' cache appends along the length axis, a 'memory' cache stores them (replacing what it held).
   */
  update(key: Variable | Tensor, value: Variable | Tensor): { key: Variable; value: Variable } {
    const [b, h, n, d] = key.shape;
    const kd = (key instanceof Variable ? key.value : key).data as FloatArray;
    const vd = (value instanceof Variable ? value.value : value).data as FloatArray;
    if (this.kind === 'self' && this.keyData) {
      this.checkStep('KVCache', b, h, d, n);
      this.ensureCapacity(this.len + n);
      for (let r = 0; r < b; r++) {
        for (let hh = 0; hh < h; hh++) {
          const dst = r * this.entryStride + (hh * this.capacity + this.len) * d;
          const src = ((r * h + hh) * n) * d;
          this.keyData.set(kd.subarray(src, src + n * d), dst);
          this.valueData!.set(vd.subarray(src, src + n * d), dst);
        }
      }
      this.len += n;
      this.views = null;
    } else {
      this.allocate(b, h, d, this.kind === 'self' ? Math.max(n, this.reserved) : n, key.dtype as FloatDType);
      for (let r = 0; r < b; r++) {
        for (let hh = 0; hh < h; hh++) {
          const dst = r * this.entryStride + hh * this.capacity * d;
          const src = ((r * h + hh) * n) * d;
          this.keyData!.set(kd.subarray(src, src + n * d), dst);
          this.valueData!.set(vd.subarray(src, src + n * d), dst);
        }
      }
      this.len = n;
      this.rows = this.kind === 'memory' ? Int32Array.from({ length: b }, (_, r) => r) : null;
      // A stored memory keeps the Variables it was given (no copy to hand back).
      this.views = this.kind === 'memory' ? { key: asVariable(key), value: asVariable(value) } : null;
    }
    return this.materialize()!;
  }

  /**
   * Writes `newLen` positions per batch row from a packed buffer — position t of row r at (r·newLen + t)·rowStride
   * of `src`, its key for head h at + keyOffset + h·headDim, its value at + valueOffset + h·headDim (the
   * [rows, 3·dModel] output of a fused q/k/v projection, or [rows·srcLen, 2·dModel] of the memory's k/v). A 'self'
   * cache appends them (in place, after checking the batch), a 'memory' cache stores them as one entry per row.
   */
  writePacked(src: FloatArray, batch: number, newLen: number, numHeads: number, headDim: number,
    rowStride: number, keyOffset: number, valueOffset: number): void {
    if (this.kind === 'self' && this.keyData) {
      this.checkStep('KVCache', batch, numHeads, headDim, newLen);
      this.ensureCapacity(this.len + newLen);
    } else {
      const dtype: FloatDType = src instanceof Float64Array ? 'float64' : 'float32';
      this.allocate(batch, numHeads, headDim, this.kind === 'self' ? Math.max(newLen, this.reserved) : newLen, dtype);
      this.len = 0;
      this.rows = this.kind === 'memory' ? Int32Array.from({ length: batch }, (_, r) => r) : null;
    }
    const { capacity } = this;
    const keys = this.keyData!;
    const values = this.valueData!;
    const stride = this.entryStride;
    for (let r = 0; r < batch; r++) {
      for (let t = 0; t < newLen; t++) {
        const row = (r * newLen + t) * rowStride;
        for (let h = 0; h < numHeads; h++) {
          const dst = r * stride + (h * capacity + this.len + t) * headDim;
          const k = row + keyOffset + h * headDim;
          const v = row + valueOffset + h * headDim;
          for (let i = 0; i < headDim; i++) {
            keys[dst + i] = src[k + i];
            values[dst + i] = src[v + i];
          }
        }
      }
    }
    this.len += newLen;
    this.views = null;
  }

  /** Throws unless a step of `batch` rows, numHeads and headDim fits this cache (op names the caller). */
  checkStep(op: string, batch: number, numHeads: number, headDim: number, newLen = 1): void {
    if (batch !== this.batch || numHeads !== this.numHeads || headDim !== this.headDim) {
      throw new ShapeError(op, `new keys are ${formatShape([batch, numHeads, newLen, headDim])} but the cached keys are ` +
        `${formatShape([this.batch, this.numHeads, this.len, this.headDim])} (batch, numHeads and headDim must match; reorder the cache when the batch changes)`);
    }
  }

  /**
   * Keeps batch rows `indices` (int32 [newBatch], repeats allowed), in that order: after a beam-search step,
   * row i of the new batch continues the hypothesis that was row indices[i]. A 'self' cache gathers its rows
   * into a second buffer kept for the purpose (then swaps); a 'memory' cache only re-points rows at entries.
   */
  reorder(indices: Tensor | readonly number[]): void {
    const index = indices instanceof Tensor ? indices : new Tensor(Int32Array.from(indices), [indices.length], 'int32');
    if (index.dtype !== 'int32') throw new DTypeError('KVCache.reorder', `indices must be int32, got ${index.dtype}`);
    if (index.rank !== 1) throw new ShapeError('KVCache.reorder', `indices must be [newBatch], got ${formatShape(index.shape)}`);
    const idx = index.data as Int32Array;
    if (this.linear) {
      for (const i of idx) {
        if (i < 0 || i >= this.linear.rows) throw new IndexError('KVCache.reorder', `index ${i} is out of range for a cache of batch ${this.linear.rows}`);
      }
      this.linear.reorder(idx);
    }
    if (!this.keyData || !this.valueData) return;
    for (const i of idx) {
      if (i < 0 || i >= this.batch) throw new IndexError('KVCache.reorder', `index ${i} is out of range for a cache of batch ${this.batch}`);
    }
    this.views = null;
    if (this.rows) {
      this.rows = Int32Array.from(idx, (i) => this.rows![i]);
      this.batch = idx.length;
      return;
    }
    const stride = this.entryStride;
    const need = idx.length * stride;
    if (!this.spareKey || this.spareKey.length < need) {
      this.spareKey = allocate(this.dtype, Math.max(need, this.keyData.length)) as FloatArray;
      this.spareValue = allocate(this.dtype, Math.max(need, this.keyData.length)) as FloatArray;
    }
    // Only the filled positions of each head move.
    const { numHeads: H, headDim: D, capacity } = this;
    const used = this.len * D;
    for (let r = 0; r < idx.length; r++) {
      for (let h = 0; h < H; h++) {
        const src = idx[r] * stride + h * capacity * D;
        const dst = r * stride + h * capacity * D;
        this.spareKey.set(this.keyData.subarray(src, src + used), dst);
        this.spareValue!.set(this.valueData.subarray(src, src + used), dst);
      }
    }
    [this.keyData, this.spareKey] = [this.spareKey, this.keyData];
    [this.valueData, this.spareValue] = [this.spareValue!, this.valueData];
    this.batch = idx.length;
  }

  /** Empties the cache (a new sequence, or a new source batch for a 'memory' cache). */
  clear(): void {
    this.keyData = this.valueData = this.spareKey = this.spareValue = null;
    this.linear = null;
    this.rows = null;
    this.views = null;
    this.len = this.batch = this.capacity = 0;
  }

  private allocate(batch: number, numHeads: number, headDim: number, capacity: number, dtype: FloatDType): void {
    this.batch = batch;
    this.numHeads = numHeads;
    this.headDim = headDim;
    this.capacity = capacity;
    this.dtype = dtype;
    this.keyData = allocate(dtype, batch * this.entryStride) as FloatArray;
    this.valueData = allocate(dtype, batch * this.entryStride) as FloatArray;
    this.spareKey = this.spareValue = null;
  }

  /** Grows a 'self' cache to room for `positions` (doubling), copying what it holds. */
  private ensureCapacity(positions: number): void {
    if (positions <= this.capacity) return;
    const old = { keys: this.keyData!, values: this.valueData!, capacity: this.capacity, stride: this.entryStride };
    this.allocate(this.batch, this.numHeads, this.headDim, Math.max(positions, 2 * this.capacity), this.dtype);
    const used = this.len * this.headDim;
    for (let r = 0; r < this.batch; r++) {
      for (let h = 0; h < this.numHeads; h++) {
        const src = r * old.stride + h * old.capacity * this.headDim;
        const dst = r * this.entryStride + h * this.capacity * this.headDim;
        this.keyData!.set(old.keys.subarray(src, src + used), dst);
        this.valueData!.set(old.values.subarray(src, src + used), dst);
      }
    }
  }

  /** Contiguous [batch, numHeads, len, headDim] copies of rows' keys and values. */
  private materialize(): { key: Variable; value: Variable } | null {
    if (!this.keyData || !this.valueData) return null;
    if (this.views) return this.views;
    const { batch, numHeads: H, headDim: D, capacity, len } = this;
    const keys = allocate(this.dtype, batch * H * len * D) as FloatArray;
    const values = allocate(this.dtype, batch * H * len * D) as FloatArray;
    for (let r = 0; r < batch; r++) {
      for (let h = 0; h < H; h++) {
        const src = this.entryOf(r) * this.entryStride + h * capacity * D;
        keys.set(this.keyData.subarray(src, src + len * D), (r * H + h) * len * D);
        values.set(this.valueData.subarray(src, src + len * D), (r * H + h) * len * D);
      }
    }
    const shape = [batch, H, len, D];
    this.views = { key: new Variable(new Tensor(keys, shape, this.dtype)), value: new Variable(new Tensor(values, shape, this.dtype)) };
    return this.views;
  }
}

function asVariable(x: Variable | Tensor): Variable {
  return x instanceof Variable ? x : new Variable(x);
}
