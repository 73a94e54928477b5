// Fused scaled dot-product attention at the tensor level: validates shapes, dtypes and masks, then runs
// the backend's attentionForward / attentionBackward. @gloss/attention wraps these in a differentiable op.
// attentionDropoutMask materializes the fused kernels' dropout mask for the composed (reference) path.
import { getBackend } from '../backend/backend.js';
import { dropoutFactors } from '../backend/cpu/attention-dropout.js';
import type { AttentionBlockLayout, AttentionDims, AttentionDropout, AttentionMasking, AttentionWindow } from '../backend/types.js';
import { allocate, isFloat, type FloatArray, type FloatDType } from '../dtype.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface AttentionOptions {
  /** Multiplies q·kᵀ; default 1/√headDim. */
  scale?: number;
  /** Query i attends keys j ≤ i + (tk − tq) (bottom-right aligned; PyTorch's is_causal when tq = tk). */
  causal?: boolean;
  /** bool [batch, tk], true = padding (never attended). */
  keyPaddingMask?: Tensor | null;
  /** bool (true = may attend) or float (added to the scaled scores), broadcastable to [batch, heads, tq, tk]. */
  attnMask?: Tensor | null;
  /**
   * Dropout on the weights after the softmax: weight (b, h, i, j) kept iff its hash of (seed, b·heads + h, i, j)
   * is ≥ ⌊p·2³²⌋, kept weights × 1/(1 − p) (see AttentionDropout). Pass the same value to attentionBackward.
   */
  dropout?: AttentionDropout | null;
  /**
   * Sliding window (Longformer): query position p = i + (tk − tq) attends keys p − before … p + after, plus the
   * first globalTokens positions both ways (see AttentionWindow). Pass the same value to attentionBackward.
   */
  window?: AttentionWindow | null;
  /**
   * Block-sparse layout (BigBird): query row i attends key j only if layout[⌊i/blockSize⌋, ⌊j/blockSize⌋] is on
   * (see AttentionBlockLayout). Pass the same value to attentionBackward.
   */
  blockLayout?: AttentionBlockLayout | null;
}

/** Checks a block layout covers [tq, tk]: a positive block size and ⌈tq/b⌉ × ⌈tk/b⌉ cells. */
function checkBlockLayout(op: string, l: AttentionBlockLayout | null | undefined, tq: number, tk: number): AttentionBlockLayout | null {
  if (!l) return null;
  const { blockSize: b, numKeyBlocks, layout } = l;
  if (!Number.isInteger(b) || b < 1) throw new ValueError(op, `blockLayout.blockSize must be a positive integer, got ${b}`);
  if (numKeyBlocks !== Math.ceil(tk / b)) throw new ValueError(op, `blockLayout.numKeyBlocks is ${numKeyBlocks}, expected ⌈${tk}/${b}⌉ = ${Math.ceil(tk / b)}`);
  if (!(layout instanceof Uint8Array) || layout.length !== Math.ceil(tq / b) * numKeyBlocks) {
    throw new ValueError(op, `blockLayout.layout must be a Uint8Array of ⌈${tq}/${b}⌉·${numKeyBlocks} = ${Math.ceil(tq / b) * numKeyBlocks} cells`);
  }
  return { blockSize: b, numKeyBlocks, layout };
}

/** Checks a window's three counts are non-negative integers; returns a copy, or null. */
function checkWindow(op: string, window: AttentionWindow | null | undefined): AttentionWindow | null {
  if (!window) return null;
  for (const key of ['before', 'after', 'globalTokens'] as const) {
    const n = window[key];
    if (!Number.isInteger(n) || n < 0) throw new ValueError(op, `window.${key} must be a non-negative integer, got ${n}`);
  }
  return { before: window.before, after: window.after, globalTokens: window.globalTokens };
}

/** Checks p ∈ [0, 1] and two 32-bit unsigned seed words; returns the dropout, or null when p = 0. */
function checkDropout(op: string, dropout: AttentionDropout | null | undefined): AttentionDropout | null {
  if (!dropout) return null;
  const { p, seed } = dropout;
  if (!(p >= 0 && p <= 1)) throw new ValueError(op, `dropout.p must be in [0, 1], got ${p}`);
  if (!Array.isArray(seed) || seed.length !== 2 || !seed.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) {
    throw new ValueError(op, `dropout.seed must be two unsigned 32-bit integers, got ${JSON.stringify(seed)}`);
  }
  return p === 0 ? null : { p, seed: [seed[0], seed[1]] };
}

function prepare(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions): { dims: AttentionDims; scale: number; masking: AttentionMasking } {
  for (const [name, t] of [['q', q], ['k', k], ['v', v]] as const) {
    if (t.rank !== 4) throw new ShapeError('attention', `${name} must be [batch, heads, len, headDim], got ${formatShape(t.shape)}`);
    if (!isFloat(t.dtype)) throw new DTypeError('attention', `${name} must be float32 or float64, got ${t.dtype}`);
  }
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError('attention', `q, k and v must share a dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype}`);
  }
  const [batch, heads, tq, headDim] = q.shape;
  const tk = k.shape[2];
  if (k.shape[0] !== batch || k.shape[1] !== heads || k.shape[3] !== headDim) {
    throw new ShapeError('attention', `q is ${formatShape(q.shape)} but k is ${formatShape(k.shape)} (batch, heads and headDim must match)`);
  }
  if (!shapesEqual(v.shape, k.shape)) throw new ShapeError('attention', `v is ${formatShape(v.shape)} but k is ${formatShape(k.shape)} (they must match)`);
  const { keyPaddingMask = null, attnMask = null, causal = false } = options;
  if (keyPaddingMask) {
    if (keyPaddingMask.dtype !== 'bool') throw new DTypeError('attention', `keyPaddingMask must be bool (true = padding), got ${keyPaddingMask.dtype}`);
    if (!shapesEqual(keyPaddingMask.shape, [batch, tk])) {
      throw new ShapeError('attention', `keyPaddingMask is ${formatShape(keyPaddingMask.shape)} but keys are ${formatShape(k.shape)} (expected [${batch}, ${tk}])`);
    }
  }
  const full = [batch, heads, tq, tk];
  let maskStrides: [number, number, number, number] = [0, 0, 0, 0];
  if (attnMask) {
    if (attnMask.dtype === 'int32') throw new DTypeError('attention', 'attnMask must be bool (true = may attend) or float (added), got int32');
    const b = broadcastShapes('attention', attnMask.shape, full, ['attnMask', 'scores']);
    if (!shapesEqual(b, full)) {
      throw new ShapeError('attention', `attnMask is ${formatShape(attnMask.shape)} but the scores are ${formatShape(full)} (it must broadcast to them)`);
    }
    maskStrides = broadcastStrides(attnMask.shape, full) as [number, number, number, number];
  }
  const scale = options.scale ?? 1 / Math.sqrt(headDim);
  return {
    dims: { batch, heads, tq, tk, headDim },
    scale,
    masking: {
      causal,
      keyPadding: keyPaddingMask ? (keyPaddingMask.data as Uint8Array) : null,
      mask: attnMask ? (attnMask.data as Uint8Array | FloatArray) : null,
      maskStrides,
      dropout: checkDropout('attention', options.dropout),
      window: checkWindow('attention', options.window),
      blockLayout: checkBlockLayout('attention', options.blockLayout, tq, tk),
    },
  };
}

/**
 * softmax(q·kᵀ·scale + masks)·v for q [batch, heads, tq, headDim], k and v [batch, heads, tk, headDim],
 * without materializing the [batch, heads, tq, tk] scores. Also returns each row's log-sum-exp
 * [batch, heads, tq] for the backward. A query with no key to attend gets zeros (and lse −∞).
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): { out: Tensor; lse: Tensor } {
  const { dims, scale, masking } = prepare(q, k, v, options);
  const out = allocate(q.dtype, q.size) as FloatArray;
  const lse = allocate(q.dtype, dims.batch * dims.heads * dims.tq) as FloatArray;
  getBackend().attentionForward(q.data as FloatArray, k.data as FloatArray, v.data as FloatArray, dims, scale, masking, out, lse);
  return { out: new Tensor(out, q.shape, q.dtype), lse: new Tensor(lse, q.shape.slice(0, 3), q.dtype) };
}

/** Gradients of `attention` from its saved out and lse, for the upstream gradient dout (out's shape). */
export function attentionBackward(dout: Tensor, q: Tensor, k: Tensor, v: Tensor, out: Tensor, lse: Tensor,
  options: AttentionOptions = {}): { dq: Tensor; dk: Tensor; dv: Tensor } {
  const { dims, scale, masking } = prepare(q, k, v, options);
  if (!shapesEqual(dout.shape, q.shape) || !shapesEqual(out.shape, q.shape)) {
    throw new ShapeError('attentionBackward', `dout ${formatShape(dout.shape)} and out ${formatShape(out.shape)} must be q's shape ${formatShape(q.shape)}`);
  }
  if (!shapesEqual(lse.shape, q.shape.slice(0, 3))) {
    throw new ShapeError('attentionBackward', `lse is ${formatShape(lse.shape)}, expected ${formatShape(q.shape.slice(0, 3))}`);
  }
  const f = (t: Tensor) => (t.dtype === q.dtype ? t : t.astype(q.dtype)).data as FloatArray;
  const dq = allocate(q.dtype, q.size) as FloatArray;
  const dk = allocate(q.dtype, k.size) as FloatArray;
  const dv = allocate(q.dtype, v.size) as FloatArray;
  getBackend().attentionBackward(f(q), f(k), f(v), f(out), f(lse), f(dout), dims, scale, masking, dq, dk, dv);
  return {
    dq: new Tensor(dq, q.shape, q.dtype),
    dk: new Tensor(dk, k.shape, q.dtype),
    dv: new Tensor(dv, v.shape, q.dtype),
  };
}

/**
 * The dropout mask the fused attention applies, materialized: [batch, heads, tq, tk] of 0 (dropped) and
 * 1/(1 − p) (kept), for a composed path that multiplies its softmax weights by it. Ones when p = 0.
 * @example
 * const z = attentionDropoutMask([2, 4, 7, 7], { p: 0.1, seed: [g.uint32(), g.uint32()] });
 */
export function attentionDropoutMask(shape: readonly number[], dropout: AttentionDropout, dtype: FloatDType = 'float32'): Tensor {
  if (shape.length !== 4 || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ShapeError('attentionDropoutMask', `shape must be [batch, heads, tq, tk], got ${formatShape(shape)}`);
  }
  if (!isFloat(dtype)) throw new DTypeError('attentionDropoutMask', `dtype must be float32 or float64, got ${dtype}`);
  const d = checkDropout('attentionDropoutMask', dropout);
  const [batch, heads, tq, tk] = shape;
  const out = allocate(dtype, batch * heads * tq * tk) as FloatArray;
  if (d === null) out.fill(1);
  else dropoutFactors(d, batch * heads, tq, tk, out);
  return new Tensor(out, shape, dtype);
}
