// Attention masks, and the one statement of gloss's mask convention (PyTorch's, see ARCHITECTURE.md):
//   - a boolean `attnMask` is true where a query MAY attend a key (as F.scaled_dot_product_attention);
//     a float `attnMask` is added to the scaled scores (0 keeps a score, −∞ removes it);
//   - `keyPaddingMask` [batch, srcLen] is true at padding positions, which are never attended
//     (as nn.MultiheadAttention's key_padding_mask);
//   - `causal: true` lets query i attend key j only if j ≤ i + (srcLen − tgtLen): bottom-right aligned,
//     so the queries are the last tgtLen positions of the keys (a KV cache); the triangle when square.
// Note: nn.MultiheadAttention's *boolean* attn_mask is the opposite (true = NOT allowed); pass
// `logicalNot(mask)` when porting one. A query row with nothing left to attend gives zeros, never NaN.
import {
  DTypeError, ShapeError, Tensor, ValueError, broadcastShapes, formatShape, ones, shapesEqual, tril, type AttentionWindow,
} from '@gloss/tensor';

export type { AttentionWindow };

/**
 * The causal ("may attend") mask: bool [tgtLen, srcLen], true where key j ≤ query i + (srcLen − tgtLen).
 * With one argument it is the lower triangle [tgtLen, tgtLen] of masked self-attention.
 * @example causalMask(3).toArray() // [[true, false, false], [true, true, false], [true, true, true]]
 */
export function causalMask(tgtLen: number, srcLen: number = tgtLen): Tensor {
  for (const [name, n] of [['tgtLen', tgtLen], ['srcLen', srcLen]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new ValueError('causalMask', `${name} must be a non-negative integer, got ${n}`);
  }
  return tril(ones([tgtLen, srcLen], 'bool'), srcLen - tgtLen);
}

/**
 * The "may attend" mask of a function of positions: bool [tgtLen, srcLen], true where allowed(p, j), p = i + (srcLen −
 * tgtLen) being query i's position (bottom-right aligned, as causalMask, so one row serves a cached decoding step).
 * @example maskFromFunction(4, 4, (p, j) => Math.abs(p - j) <= 1)   // a ±1 band
 */
export function maskFromFunction(tgtLen: number, srcLen: number, allowed: (query: number, key: number) => boolean): Tensor {
  for (const [name, n] of [['tgtLen', tgtLen], ['srcLen', srcLen]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new ValueError('maskFromFunction', `${name} must be a non-negative integer, got ${n}`);
  }
  const data = new Uint8Array(tgtLen * srcLen);
  const shift = srcLen - tgtLen;
  for (let i = 0; i < tgtLen; i++) for (let j = 0; j < srcLen; j++) data[i * srcLen + j] = allowed(i + shift, j) ? 1 : 0;
  return new Tensor(data, [tgtLen, srcLen], 'bool');
}

/**
 * The sliding-window mask (Longformer, Beltagy et al. 2020, §3.1): bool [tgtLen, srcLen], true where key j lies in
 * [p − before, p + after] of query position p (bottom-right aligned), or p < globalTokens, or j < globalTokens.
 * The reference for the fused kernels' `window`.
 * @example windowMask(4, 4, { before: 1, after: 0, globalTokens: 0 })   // causal, the previous key and itself
 */
export function windowMask(tgtLen: number, srcLen: number, { before, after, globalTokens }: AttentionWindow): Tensor {
  return maskFromFunction(tgtLen, srcLen, (p, j) => (j >= p - before && j <= p + after) || p < globalTokens || j < globalTokens);
}

/**
 * The key padding mask of sequences of the given lengths: bool [batch, maxLen], true at padding
 * (positions ≥ length). `lengths` is a number array or an int32 tensor [batch]; maxLen defaults to the longest.
 * @example paddingMask([3, 1], 4).toArray() // [[false, false, false, true], [false, true, true, true]]
 */
export function paddingMask(lengths: readonly number[] | Int32Array | Tensor, maxLen?: number): Tensor {
  let lens: ArrayLike<number>;
  if (lengths instanceof Tensor) {
    if (lengths.dtype !== 'int32') throw new DTypeError('paddingMask', `lengths must be int32, got ${lengths.dtype}`);
    if (lengths.rank !== 1) throw new ShapeError('paddingMask', `lengths must be [batch], got ${formatShape(lengths.shape)}`);
    lens = lengths.data;
  } else {
    lens = lengths;
  }
  const batch = lens.length;
  let longest = 0;
  for (let b = 0; b < batch; b++) longest = Math.max(longest, lens[b]);
  const len = maxLen ?? longest;
  if (!Number.isInteger(len) || len < 0) throw new ValueError('paddingMask', `maxLen must be a non-negative integer, got ${len}`);
  const data = new Uint8Array(batch * len);
  for (let b = 0; b < batch; b++) {
    const n = lens[b];
    if (!Number.isInteger(n) || n < 0 || n > len) {
      throw new ValueError('paddingMask', `length ${n} of sequence ${b} must be an integer in [0, ${len}] (maxLen ${len})`);
    }
    data.fill(1, b * len + n, (b + 1) * len);   // true from the sequence's end on
  }
  return new Tensor(data, [batch, len], 'bool');
}

/**
 * Checks a key padding mask against keys of shape `keysShape` (whose batch and srcLen are given):
 * bool, exactly [batch, srcLen].
 */
export function checkKeyPaddingMask(op: string, mask: Tensor, keysShape: readonly number[], batch: number, srcLen: number): void {
  if (mask.dtype !== 'bool') throw new DTypeError(op, `keyPaddingMask must be bool (true = padding), got ${mask.dtype}`);
  if (!shapesEqual(mask.shape, [batch, srcLen])) {
    throw new ShapeError(op, `keyPaddingMask is ${formatShape(mask.shape)} but keys are ${formatShape(keysShape)} (expected [${batch}, ${srcLen}])`);
  }
}

/** Checks an attention mask: bool or float, broadcastable to the scores [batch, numHeads, tgtLen, srcLen] without growing them. */
export function checkAttnMask(op: string, mask: Tensor, scoresShape: readonly number[]): void {
  if (mask.dtype === 'int32') throw new DTypeError(op, 'attnMask must be bool (true = may attend) or float (added to the scores), got int32');
  const ok = mask.rank <= scoresShape.length && (() => {
    try { return shapesEqual(broadcastShapes(op, mask.shape, scoresShape), scoresShape); } catch { return false; }
  })();
  if (!ok) {
    throw new ShapeError(op, `attnMask is ${formatShape(mask.shape)} but the scores are ${formatShape(scoresShape)} ` +
      '[batch, numHeads, tgtLen, srcLen] (it must broadcast to them)');
  }
}
