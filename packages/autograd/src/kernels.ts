// Typed-array loops behind autograd's fused ops (dropout, the ReLU and dropout gradients, head packing): no
// graph, float32 or float64 in and out. Kept beside the ops that use them because the work they fuse (a dropout
// mask drawn inline) has no Backend primitive yet; the linear layer's bias and ReLU moved into Backend.linear.
import type { FloatArray } from '@gloss/tensor';

/** splitmix32's finalizer: spreads a 32-bit word over all bits (seeds the xoshiro state). */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * Inverted dropout: out[i] = x[i]·keep[i]·scale, keep[i] ~ Bernoulli(keepProb) drawn from xoshiro128**
 * (Blackman & Vigna 2018) seeded by the two 32-bit words (seed0, seed1): keep[i] = [r_i < keepProb·2³¹],
 * r_i the top 31 bits of the i-th output, computed without a branch. `out` may be `x` (in place);
 * `mask` (or null) receives keep. Same seeds, same mask, whatever the arrays.
 */
export function dropoutKernel(x: FloatArray, out: FloatArray, mask: Uint8Array | null, keepProb: number, scale: number,
  seed0: number, seed1: number): void {
  const golden = 0x9e3779b9;
  let s0 = mix32(seed0 + golden), s1 = mix32(seed0 + 2 * golden) ^ seed1;
  let s2 = mix32(seed1 + 3 * golden), s3 = mix32(seed1 + 4 * golden);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;                     // the one state xoshiro must never be in
  const threshold = Math.floor(keepProb * 0x80000000);       // in [0, 2³¹]
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const m5 = Math.imul(s1, 5);
    const r = Math.imul((m5 << 7) | (m5 >>> 25), 9) >>> 1;  // the ** scrambler, top 31 bits
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    const keep = (r - threshold) >>> 31;                    // 1 iff r < threshold (both below 2³¹)
    if (mask !== null) mask[i] = keep;
    out[i] = x[i] * (keep * scale);
  }
}

/** dx[i] = dy[i]·mask[i]·scale. */
export function maskedScale(dy: FloatArray, mask: Uint8Array, scale: number, dx: FloatArray): void {
  const n = dy.length;
  for (let i = 0; i < n; i++) dx[i] = dy[i] * (mask[i] * scale);
}

/**
 * dx[i] = dy[i]·scale where y[i] > 0, else 0: the gradient through ReLU (then dropout) from the output
 * alone. Computed as dy·(scale·[y > 0]); where that is NaN (dy infinite or NaN) the select is redone,
 * so an inactive unit still gets exactly 0, as PyTorch's threshold_backward.
 */
export function positiveScale(dy: FloatArray, y: FloatArray, scale: number, dx: FloatArray): void {
  const n = dy.length;
  for (let i = 0; i < n; i++) {
    const active = y[i] > 0;
    let r = dy[i] * (scale * +active);
    if (r !== r) r = active ? dy[i] * scale : 0;
    dx[i] = r;
  }
}

/** acc[i] += x[i] (same length): in-place gradient accumulation into a buffer the caller owns. */
export function addInPlace(acc: FloatArray, x: FloatArray): void {
  const n = acc.length;
  for (let i = 0; i < n; i++) acc[i] += x[i];
}

/**
 * The adjoint of a slice: dx viewed [outer, n, inner] (zeros) receives src [outer, len, inner] at rows
 * start, start + step, … of its middle axis.
 */
export function scatterSlice(src: FloatArray, outer: number, n: number, inner: number, start: number, len: number, step: number,
  dx: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < len; j++) {
      const d = (o * n + start + j * step) * inner;
      const s = (o * len + j) * inner;
      for (let i = 0; i < inner; i++) dx[d + i] = src[s + i];
    }
  }
}

/**
 * heads [batch, numHeads, len, headDim] ← part `part` of x [batch, len, parts·numHeads·headDim] (the parts packed
 * along the last axis, as one GEMM's q|k|v output); with `back`, the adjoint: that part of x += heads (x's other
 * parts untouched).
 */
export function packedHeads(x: FloatArray, heads: FloatArray, batch: number, len: number, numHeads: number, headDim: number,
  part: number, parts: number, back: boolean): void {
  const width = parts * numHeads * headDim;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < len; t++) {
      const row = (b * len + t) * width + part * numHeads * headDim;
      for (let h = 0; h < numHeads; h++) {
        const src = row + h * headDim;
        const dst = ((b * numHeads + h) * len + t) * headDim;
        if (back) for (let i = 0; i < headDim; i++) x[src + i] += heads[dst + i];
        else for (let i = 0; i < headDim; i++) heads[dst + i] = x[src + i];
      }
    }
  }
}
