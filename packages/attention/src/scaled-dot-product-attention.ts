// Scaled dot-product attention (Vaswani et al. 2017, §3.2.1): softmax(q·kᵀ·scale + M)·v.
// Two paths with one result: the fused primitive of @gloss/tensor (no [batch, numHeads, tgtLen, srcLen]
// buffer; gradients from the saved log-sum-exp, dropout regenerated from its seed), and the composed one,
// built from autograd ops, which is the reference and returns the weights. Both draw one dropout seed per
// call from the generator and apply the same mask (@gloss/tensor's AttentionDropout). Masks: see masks.ts.
import * as T from '@gloss/tensor';
import {
  DTypeError, ShapeError, ValueError, defaultGenerator, formatShape, isFloat, type AttentionDropout, type Generator, type Tensor,
} from '@gloss/tensor';
import { Variable, add, defineOp, matmul, maskedFill, mul, softmax } from '@gloss/autograd';
import { causalMask, checkAttnMask, checkKeyPaddingMask, maskFromFunction, windowMask, type AttentionWindow } from './masks.js';

export interface ScaledDotProductAttentionOptions {
  /** bool (true = may attend) or float (added to the scaled scores), broadcastable to [batch, numHeads, tgtLen, srcLen]. */
  attnMask?: Tensor | null;
  /** bool [batch, srcLen], true = padding (never attended). */
  keyPaddingMask?: Tensor | null;
  /** Query i attends keys j ≤ i + (srcLen − tgtLen) (bottom-right aligned; the triangle when square). */
  causal?: boolean;
  /** Multiplies q·kᵀ. Default 1/√headDim. */
  scale?: number;
  /**
   * Dropout probability on the attention weights (after the softmax). Default 0. Each call that applies it draws
   * two 32-bit words from `generator` as the seed of a position-hashed mask (see @gloss/tensor's AttentionDropout).
   */
  dropout?: number;
  /** Dropout is applied only while training. Default true (as F.scaled_dot_product_attention's dropout_p). */
  training?: boolean;
  /** Where dropout's seed comes from (the default generator if omitted). */
  generator?: Generator;
  /** Also return the attention weights [batch, numHeads, tgtLen, srcLen] (after dropout, as PyTorch). Forces the composed path. */
  returnWeights?: boolean;
  /**
   * Sliding window (Longformer): the query at position p = i + (srcLen − tgtLen) attends keys p − before … p + after,
   * and the first globalTokens positions see and are seen by all (see windowMask). The fused kernels skip the key
   * tiles outside the band; the composed path applies windowMask.
   */
  window?: AttentionWindow | null;
  /**
   * Block-sparse layout on query rows and keys (see @gloss/tensor's AttentionBlockLayout): the fused kernels skip the
   * blocks that are off; the composed path applies it as a mask.
   */
  blockLayout?: T.AttentionBlockLayout | null;
}

export interface AttentionWithWeights {
  /** [batch, numHeads, tgtLen, headDim] */
  output: Variable;
  /** [batch, numHeads, tgtLen, srcLen]: each row sums to 1 (0 for a fully masked row; rescaled by dropout). */
  weights: Variable;
}

type In = Variable | Tensor;

/**
 * softmax(q·kᵀ·scale + masks)·v, differentiable in q, k and v.
 * q [batch, numHeads, tgtLen, headDim], k [batch, numHeads, srcLen, headDim], v [batch, numHeads, srcLen, headDim]
 * → [batch, numHeads, tgtLen, headDim]. Runs the fused kernel (dropout included) unless weights are requested
 * (`whyNotFused` says why not).
 * A query row that may attend nothing gives zeros and zero gradients.
 * @example
 * const out = scaledDotProductAttention(q, k, v, { causal: true, keyPaddingMask: paddingMask(lengths, srcLen) });
 */
export function scaledDotProductAttention(q: In, k: In, v: In, options?: ScaledDotProductAttentionOptions & { returnWeights?: false }): Variable;
export function scaledDotProductAttention(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions & { returnWeights: true }): AttentionWithWeights;
export function scaledDotProductAttention(q: In, k: In, v: In, options?: ScaledDotProductAttentionOptions): Variable | AttentionWithWeights;
export function scaledDotProductAttention(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions = {}): Variable | AttentionWithWeights {
  checkInputs(q, k, v, options);
  return attendChecked(q, k, v, options);
}

/**
 * scaledDotProductAttention on inputs already validated: MultiHeadAttention checks its query, key, value and masks at
 * its own boundary, and its q, k, v are its projections' outputs, so it runs this rather than checking them twice.
 * Package-internal (not exported from the index).
 */
export function attendChecked(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions): Variable | AttentionWithWeights {
  if (whyNotFused(options) !== null) {
    const r = composedAttention(q, k, v, options);
    return options.returnWeights ? r : r.output;
  }
  return fusedAttention(q, k, v, options);
}

/** Why scaledDotProductAttention takes the composed path for these options, or null when it runs the fused one (PyTorch's why_not_fast_path). */
export function whyNotFused(options: ScaledDotProductAttentionOptions): string | null {
  if (options.returnWeights) return 'returnWeights: only the composed path materializes the [batch, numHeads, tgtLen, srcLen] weights';
  return null;
}

/** The dropout of one call: a seed of two words drawn from the generator while training with p > 0, else null (no draw). */
function drawDropout({ dropout: p = 0, training = true, generator }: ScaledDotProductAttentionOptions): AttentionDropout | null {
  if (!training || p === 0) return null;
  const g = generator ?? defaultGenerator();
  return { p, seed: [g.uint32(), g.uint32()] };
}

/** Validates shapes, dtypes, masks and options, naming the argument and both shapes. */
function checkInputs(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions): void {
  for (const [name, t, dims] of [['q', q, 'tgtLen'], ['k', k, 'srcLen'], ['v', v, 'srcLen']] as const) {
    if (t.shape.length !== 4) throw new ShapeError('attention', `${name} must be [batch, numHeads, ${dims}, headDim], got ${formatShape(t.shape)}`);
    if (!isFloat(t.dtype)) throw new DTypeError('attention', `${name} must be float32 or float64, got ${t.dtype}`);
  }
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError('attention', `q, k and v must share a dtype, got ${q.dtype}, ${k.dtype} and ${v.dtype}`);
  }
  const [batch, numHeads, tgtLen, headDim] = q.shape;
  const srcLen = k.shape[2];
  if (k.shape[0] !== batch || k.shape[1] !== numHeads || k.shape[3] !== headDim) {
    throw new ShapeError('attention', `q is ${formatShape(q.shape)} but k is ${formatShape(k.shape)} (batch, numHeads and headDim must match)`);
  }
  if (!T.shapesEqual(v.shape, k.shape)) throw new ShapeError('attention', `v is ${formatShape(v.shape)} but k is ${formatShape(k.shape)} (they must match)`);
  const { keyPaddingMask, attnMask, dropout: p = 0, scale } = options;
  if (keyPaddingMask) checkKeyPaddingMask('attention', keyPaddingMask, k.shape, batch, srcLen);
  if (attnMask) checkAttnMask('attention', attnMask, [batch, numHeads, tgtLen, srcLen]);
  if (!(p >= 0 && p <= 1)) throw new ValueError('attention', `dropout must be in [0, 1], got ${p}`);
  if (scale !== undefined && !Number.isFinite(scale)) throw new ValueError('attention', `scale must be a finite number, got ${scale}`);
  if (options.window) checkWindow('attention', options.window);
}

/** A window's counts must be non-negative integers. */
export function checkWindow(op: string, window: AttentionWindow): void {
  for (const key of ['before', 'after', 'globalTokens'] as const) {
    const n = window[key];
    if (!Number.isInteger(n) || n < 0) throw new ValueError(op, `window.${key} must be a non-negative integer, got ${n}`);
  }
}

/** The fused primitive as a differentiable op; gradients by the backend's attentionBackward. */
const fusedOp = defineOp('scaledDotProductAttention', {
  forward(q: Tensor, k: Tensor, v: Tensor, options: T.AttentionOptions) {
    const { out, lse } = T.attention(q, k, v, options);   // out [batch, numHeads, tgtLen, headDim], lse [batch, numHeads, tgtLen]
    return { out, saved: lse };
  },
  backward(dy, { args: [q, k, v, options], out, saved: lse, needsGrad }) {
    const { dq, dk, dv } = T.attentionBackward(dy, q, k, v, out, lse, options);
    return [needsGrad[0] ? dq : null, needsGrad[1] ? dk : null, needsGrad[2] ? dv : null, null];
  },
});

/** The fused path (no weights). Inputs are assumed checked. */
export function fusedAttention(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions = {}): Variable {
  const { attnMask = null, keyPaddingMask = null, causal = false, window = null, blockLayout = null } = options;
  const dropout = drawDropout(options);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3]);
  // A float mask is cast to q's dtype so both paths add the very same values.
  const mask = attnMask && attnMask.dtype !== 'bool' && attnMask.dtype !== q.dtype ? attnMask.astype(q.dtype) : attnMask;
  return fusedOp(q, k, v, { attnMask: mask, keyPaddingMask, causal, scale, dropout, window, blockLayout });
}

/**
 * The composed path, from autograd ops: scores = q·kᵀ·scale (+ float mask), masked to −∞, softmax, dropout, ·v.
 * Inputs are assumed checked. Returns the output and the weights. Dropout multiplies the weights by the fused
 * kernels' mask (attentionDropoutMask), so both paths drop the same weights for the same generator state.
 */
export function composedAttention(q: In, k: In, v: In, options: ScaledDotProductAttentionOptions = {}): AttentionWithWeights {
  const { attnMask = null, keyPaddingMask = null, causal = false } = options;
  const dropout = drawDropout(options);
  const [batch, , tgtLen, headDim] = q.shape;
  const srcLen = k.shape[2];
  const scale = options.scale ?? 1 / Math.sqrt(headDim);

  let scores = mul(matmul(q, k, { transB: true }), scale);   // [batch, numHeads, tgtLen, srcLen]
  if (attnMask && attnMask.dtype !== 'bool') scores = add(scores, attnMask.dtype === q.dtype ? attnMask : attnMask.astype(q.dtype));
  // One bool "blocked" mask (true = may not attend), broadcastable to the scores.
  const blocks: Tensor[] = [];
  if (causal) blocks.push(T.logicalNot(causalMask(tgtLen, srcLen)));                // [tgtLen, srcLen]
  if (keyPaddingMask) blocks.push(keyPaddingMask.reshape([batch, 1, 1, srcLen]));    // [batch, 1, 1, srcLen]
  if (attnMask && attnMask.dtype === 'bool') blocks.push(T.logicalNot(attnMask));
  if (options.window) blocks.push(T.logicalNot(windowMask(tgtLen, srcLen, options.window)));   // [tgtLen, srcLen]
  const bl = options.blockLayout;
  if (bl) {
    const cells = bl.layout;
    blocks.push(T.logicalNot(maskFromFunction(tgtLen, srcLen, (p, j) =>
      cells[Math.floor((p - srcLen + tgtLen) / bl.blockSize) * bl.numKeyBlocks + Math.floor(j / bl.blockSize)] !== 0)));   // on rows, not positions
  }
  const blocked = blocks.length ? blocks.reduce((a, b) => T.logicalOr(a, b)) : null;
  if (blocked) scores = maskedFill(scores, blocked, -Infinity);

  // A row with no finite score would be 0/0 = NaN in softmax: fill it with 0 before (so softmax stays
  // finite) and zero its weights after; maskedFill passes no gradient through those rows.
  const dead = T.eq(T.max(scores.value, -1, true), -Infinity);                  // [batch, numHeads, tgtLen, 1]
  const anyDead = srcLen === 0 || (dead.data as Uint8Array).includes(1);
  if (anyDead) scores = maskedFill(scores, dead, 0);
  let weights = softmax(scores, -1);
  if (anyDead) weights = maskedFill(weights, dead, 0);
  if (dropout) weights = mul(weights, T.attentionDropoutMask(weights.shape, dropout, q.dtype as T.FloatDType));  // 0 or 1/(1 − p)
  return { output: matmul(weights, v), weights };                               // [batch, numHeads, tgtLen, headDim]
}
