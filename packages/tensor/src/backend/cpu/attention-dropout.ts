// Dropout on the attention weights as a stateless function of position (counter-based, like the Philox
// streams of fused GPU kernels): weight (bh, i, j) of a call is kept iff bits(seed, bh, i, j) ≥ ⌊p·2³²⌋,
// and kept weights are scaled by 1/(1 − p). This file is the definition; the WebAssembly kernels
// (wasm/attention-dropout.ts) mirror it lane for lane, so the mask does not depend on tiling or threads,
// and a backward regenerates it from the seed instead of storing it.
import type { AttentionDropout } from '../types.js';

/** Odd multipliers that spread row and column indices over all 32 bits before mixing. */
export const ROW_MULTIPLIER = 0x9e3779b9;
export const COLUMN_MULTIPLIER = 0x85ebca6b;
/** lowbias32's multipliers (C. Wellons, hash-prospector). */
export const MIX_MULTIPLIERS = [0x7feb352d, 0x846ca68b] as const;

/** lowbias32: a bijective 32-bit mixer (xorshift-multiply, twice) with near-ideal avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, MIX_MULTIPLIERS[0]);
  x ^= x >>> 15;
  x = Math.imul(x, MIX_MULTIPLIERS[1]);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The key of query row i of head bh (= b·heads + h) in the call seeded by `seed`:
 * mix32(mix32(seed[0] ^ mix32(seed[1] + bh)) ^ i·ROW_MULTIPLIER).
 */
export function dropoutRowKey(seed: readonly [number, number], bh: number, i: number): number {
  const head = mix32(seed[0] ^ mix32(seed[1] + bh));
  return mix32(head ^ Math.imul(i, ROW_MULTIPLIER));
}

/** The 32 random bits of key j in the row with key rowKey: mix32(rowKey ^ j·COLUMN_MULTIPLIER). */
export function dropoutBits(rowKey: number, j: number): number {
  return mix32(rowKey ^ Math.imul(j, COLUMN_MULTIPLIER));
}

/** ⌊p·2³²⌋, capped at 2³² − 1: a weight is kept iff its bits are at least this (probability 1 − p to within 2⁻³²). */
export function dropoutThreshold(p: number): number {
  return Math.min(0xffffffff, Math.floor(p * 2 ** 32));
}

/** What a kept weight is multiplied by: 1/(1 − p), or 0 when p = 1 (nothing is kept). */
export function dropoutKeepScale(p: number): number {
  return p >= 1 ? 0 : 1 / (1 - p);
}

/** The dropout factor of one weight: keepScale when kept, else 0. */
export function dropoutFactor(d: AttentionDropout, bh: number, i: number, j: number): number {
  return dropoutBits(dropoutRowKey(d.seed, bh, i), j) >= dropoutThreshold(d.p) ? dropoutKeepScale(d.p) : 0;
}

/**
 * Multiplies row[from + c] by the factor of key j0 + c for c < n, in the row whose key is rowKey
 * (the inner loop every TypeScript path shares).
 */
export function dropRow(row: Float32Array | Float64Array, from: number, n: number, rowKey: number, j0: number,
  threshold: number, keepScale: number): void {
  for (let c = 0; c < n; c++) {
    if (dropoutBits(rowKey, j0 + c) < threshold) row[from + c] = 0;
    else row[from + c] *= keepScale;
  }
}

/** The factors of every weight, [bh, tq, tk] (0 or 1/(1 − p)), into out: the composed path's mask. */
export function dropoutFactors(d: AttentionDropout, bh: number, tq: number, tk: number, out: Float32Array | Float64Array): void {
  const threshold = dropoutThreshold(d.p);
  const keepScale = dropoutKeepScale(d.p);
  out.fill(1);
  for (let h = 0; h < bh; h++) {
    for (let i = 0; i < tq; i++) dropRow(out, (h * tq + i) * tk, tk, dropoutRowKey(d.seed, h, i), 0, threshold, keepScale);
  }
}
