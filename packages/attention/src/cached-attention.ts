// One decoding step of attention on a KV cache: a single query per batch row (the newest position) against the
// keys and values the cache holds, softmax(q·kᵀ·scale + padding)·v. Each (row, head) is one entry of two batched
// GEMMs whose operands are addressed by offset — q inside the projection's output, k and v inside the cache, a
// 'memory' cache's rows pointing at their sentence's entry — so nothing is permuted, gathered or copied per beam.
// The query is the last position, so the causal mask keeps every cached key.
import { allocate, getBackend, type FloatArray } from '@gloss/tensor';
import type { KVCache } from './kv-cache.js';

/**
 * out[r, h·headDim + i] = Σ_j softmax_j(scale·q_rh·k_rhj)·v_rhj over the cache's `length` positions, for rows of
 * q laid out [rows, numHeads·headDim] at row stride `qStride` (plus `qOffset`) — the merged-heads layout of a
 * projection, so neither side needs a permute. `padding` (bool [rows, length], 1 = never attended) may be null;
 * a row with every key padded gets zeros. `weights` [rows, numHeads, length], when given, receives the softmax.
 */
export function attendCached(q: FloatArray, qStride: number, qOffset: number, cache: KVCache, scale: number,
  padding: Uint8Array | null, out: FloatArray, weights: FloatArray | null): void {
  const { numHeads: H, headDim: D, capacity, batch: rows, length: len, entryStride } = cache;
  const P = rows * H;                                  // one (row, head) per GEMM batch entry
  const s = scratchFor(P, weights ? 0 : P * len, q instanceof Float64Array);
  const { qOff, kOff, pOff } = s;
  for (let r = 0; r < rows; r++) {
    const entry = cache.entryOf(r) * entryStride;
    for (let h = 0; h < H; h++) {
      const p = r * H + h;
      qOff[p] = r * qStride + qOffset + h * D;
      kOff[p] = entry + h * capacity * D;           // keys and values of (row, head): [length, headDim] here
      pOff[p] = p * len;
    }
  }
  const w = weights ?? s.probs!;
  const { matmul } = getBackend();
  matmul(q, cache.keyData!, w, 1, len, D, false, true, qOff.subarray(0, P), kOff.subarray(0, P));   // [P, 1, length] q·kᵀ
  for (let p = 0; p < P; p++) {
    const o = p * len;
    const r = (p / H) | 0;
    let max = -Infinity;
    for (let j = 0; j < len; j++) {
      if (padding && padding[r * len + j]) { w[o + j] = -Infinity; continue; }
      const x = w[o + j] * scale;
      w[o + j] = x;
      if (x > max) max = x;
    }
    if (max === -Infinity) { w.fill(0, o, o + len); continue; }   // nothing to attend: zeros (as the fused kernel)
    let sum = 0;
    for (let j = o; j < o + len; j++) {
      const e = w[j] === -Infinity ? 0 : Math.exp(w[j] - max);     // row max subtracted: no overflow
      w[j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = o; j < o + len; j++) w[j] *= inv;
  }
  matmul(w, cache.valueData!, out, 1, D, len, false, false, pOff.subarray(0, P), kOff.subarray(0, P));   // [P, 1, headDim] = [rows, dModel]
}

interface Scratch { qOff: Int32Array; kOff: Int32Array; pOff: Int32Array; probs: FloatArray | null }
const scratch: Scratch = { qOff: new Int32Array(0), kOff: new Int32Array(0), pOff: new Int32Array(0), probs: null };

/** Offsets for `entries` GEMM entries and `probs` floats of probabilities, grown on demand and reused across calls. */
function scratchFor(entries: number, probs: number, f64: boolean): Scratch {
  if (scratch.qOff.length < entries) {
    scratch.qOff = new Int32Array(entries);
    scratch.kOff = new Int32Array(entries);
    scratch.pOff = new Int32Array(entries);
  }
  const p = scratch.probs;
  if (probs > 0 && (!p || p.length < probs || (p instanceof Float64Array) !== f64)) scratch.probs = allocate(f64 ? 'float64' : 'float32', probs) as FloatArray;
  return scratch;
}
