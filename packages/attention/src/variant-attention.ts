// The attention between MultiHeadAttention's projections, by variant (attention-variants.ts): building a variant's
// parts once (a sparse pattern; Linformer's E and F; linear attention's feature map), running it on the heads, and
// linear attention's recurrent decoding. Full attention and the sparse patterns go through scaledDotProductAttention
// (fused: a window or a block layout skips tiles; other patterns as a mask).
import * as T from '@gloss/tensor';
import { ShapeError, ValueError, allocate, formatShape, uniform, type FloatArray, type FloatDType, type Generator, type Tensor } from '@gloss/tensor';
import { matmul, mul, slice, type Variable } from '@gloss/autograd';
import { resolveAttentionVariant, type AttentionType, type AttentionVariantConfig } from './attention-variants.js';
import type { KVCache } from './kv-cache.js';
import { LinearAttentionState, eluFeatureMap, favorFeatureMap, linearAttention, orthogonalRandomFeatures, type FeatureMapFn } from './linear-attention.js';
import { checkKeyPaddingMask } from './masks.js';
import { attendChecked, type AttentionWithWeights, type ScaledDotProductAttentionOptions } from './scaled-dot-product-attention.js';
import { blockSparseLayout, blockSparsePattern, localPattern, stridedPattern, type AttentionPattern } from './sparse-patterns.js';

/** What a module's variant needs at every call. */
export interface VariantParts {
  readonly variant: AttentionVariantConfig;
  /** local, strided, block-sparse or user-defined. */
  readonly pattern: AttentionPattern | null;
  readonly linformerE: Variable | null;
  readonly linformerF: Variable | null;
  readonly featureMap: FeatureMapFn | null;
  readonly maxLen: number;
}

/** The variant fields of MultiHeadAttentionConfig. */
export interface VariantInput extends Partial<Omit<AttentionVariantConfig, 'attentionType'>> {
  attentionType?: AttentionType | AttentionPattern;
  blockLayout?: Tensor;
  maxLen?: number;
  causal?: boolean;
}

/** Validates the variant fields and builds its parts; `param` makes a trainable parameter (Linformer's E, F). */
export function buildVariant(config: VariantInput, { headDim, generator, variantGenerator, dtype, param }: {
  headDim: number; generator: Generator; variantGenerator: Generator; dtype: FloatDType; param: (t: Tensor, name: string) => Variable;
}): VariantParts {
  const { maxLen = 512, causal = false } = config;
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new ValueError('MultiHeadAttention', `maxLen must be a positive integer, got ${maxLen}`);
  const custom = typeof config.attentionType === 'object' && config.attentionType !== null ? config.attentionType : null;
  if (custom && typeof custom.mask !== 'function') {
    throw new ValueError('MultiHeadAttention', 'attentionType must be a variant name or an AttentionPattern (with a mask(tgtLen, srcLen) method)');
  }
  const v = resolveAttentionVariant({ ...config, attentionType: custom ? 'full' : config.attentionType as AttentionType | undefined }, 'MultiHeadAttention');
  let pattern: AttentionPattern | null = custom;
  let linformerE: Variable | null = null;
  let linformerF: Variable | null = null;
  let featureMap: FeatureMapFn | null = null;
  if (v.attentionType === 'local') pattern = localPattern(v.attentionWindow, v.globalTokens);
  else if (v.attentionType === 'strided') pattern = stridedPattern(v.attentionStride, v.stridedPattern, v.summaryTokens);
  else if (v.attentionType === 'block-sparse') {
    const layout = config.blockLayout ?? blockSparseLayout(Math.ceil(maxLen / v.blockSize),
      { windowBlocks: v.windowBlocks, globalBlocks: v.globalBlocks, randomBlocks: v.randomBlocks, causal }, variantGenerator);
    pattern = blockSparsePattern(layout, v.blockSize);
  } else if (v.attentionType === 'linformer') {
    if (causal) {
      throw new ValueError('MultiHeadAttention', 'linformer cannot run causally: its projection E·K mixes every position into each of the ' +
        `${v.projectedLength} rows, so a query would see future keys (use it for encoder self-attention)`);
    }
    // nn.Linear(maxLen, projectedLength)'s init, as the authors' code: U(−1/√maxLen, 1/√maxLen).
    const bound = 1 / Math.sqrt(maxLen);
    linformerE = param(uniform([v.projectedLength, maxLen], -bound, bound, { generator, dtype }), 'linformer.e');
    linformerF = param(uniform([v.projectedLength, maxLen], -bound, bound, { generator, dtype }), 'linformer.f');
  } else if (v.attentionType === 'linear') {
    featureMap = v.featureMap === 'elu' ? eluFeatureMap : favorFeatureMap(orthogonalRandomFeatures(v.randomFeatures, headDim, variantGenerator, dtype));
  }
  return { variant: v, pattern, linformerE, linformerF, featureMap, maxLen };
}

/**
 * The attention between the projections, by variant: q [batch, numHeads, tgtLen, headDim], k and v
 * [batch, numHeads, srcLen, headDim] → the heads [batch, numHeads, tgtLen, headDim] (and weights when asked).
 */
export function attendVariant(parts: VariantParts, q: Variable, k: Variable, v: Variable, o: ScaledDotProductAttentionOptions): Variable | AttentionWithWeights {
  const type = parts.variant.attentionType;
  const [batch, , tgtLen] = q.shape;
  const srcLen = k.shape[2];
  if ((type === 'linear' || type === 'linformer') && o.attnMask) {
    throw new ValueError('MultiHeadAttention', `${type} attention takes no attnMask (only causal and keyPaddingMask)`);
  }
  if (type === 'linear') {
    if (o.returnWeights) throw new ValueError('MultiHeadAttention', 'linear attention never forms the weights (needWeights: false)');
    return linearAttention(q, k, v, { causal: o.causal, keyPaddingMask: o.keyPaddingMask, featureMap: parts.featureMap! });
  }
  if (type === 'linformer') {
    if (o.causal) throw new ValueError('MultiHeadAttention', 'linformer cannot run causally: its projection E·K mixes future positions into every row');
    if (srcLen > parts.maxLen) throw new ShapeError('MultiHeadAttention', `linformer: srcLen ${srcLen} is over maxLen ${parts.maxLen} (E and F are [projectedLength, maxLen])`);
    // Padded keys and values are zeroed before the projection, so they add nothing to its rows.
    const keep = o.keyPaddingMask ? T.logicalNot(o.keyPaddingMask).astype(q.dtype).reshape([batch, 1, srcLen, 1]) : null;
    const kp = matmul(slice(parts.linformerE!, 1, 0, srcLen), keep ? mul(k, keep) : k);   // [batch, numHeads, projectedLength, headDim]
    const vp = matmul(slice(parts.linformerF!, 1, 0, srcLen), keep ? mul(v, keep) : v);
    return attendChecked(q, kp, vp, { ...o, keyPaddingMask: null });
  }
  const pattern = parts.pattern;
  if (!pattern) return attendChecked(q, k, v, o);
  if (pattern.window) return attendChecked(q, k, v, { ...o, window: pattern.window });
  // Self-attention over the whole sequence (rows = positions): the fused kernels skip the layout's blocks that are off.
  if (pattern.blockLayout && tgtLen === srcLen) return attendChecked(q, k, v, { ...o, blockLayout: pattern.blockLayout(srcLen) });
  return attendChecked(q, k, v, { ...o, attnMask: withPattern(o.attnMask ?? null, pattern.mask(tgtLen, srcLen), q.dtype as FloatDType) });
}

/** The caller's attnMask narrowed to a pattern's mask [tgtLen, srcLen] (bool: and; float: −∞ where the pattern blocks). */
function withPattern(attnMask: Tensor | null, pattern: Tensor, dtype: FloatDType): Tensor {
  if (!attnMask) return pattern;
  if (attnMask.dtype === 'bool') return T.logicalAnd(attnMask, pattern);
  return T.add(attnMask.astype(dtype), T.where(pattern, T.zeros([], dtype), T.full([], -Infinity, dtype)));
}

/**
 * Linear attention's decoding on the cache's recurrent state: the projected heads q, k, v [batch, numHeads, tgtLen,
 * headDim] of the new positions, one at a time (each adds its φ(k)vᵀ and φ(k), then reads with φ(q)) →
 * heads [batch, numHeads, tgtLen, headDim]. keyPaddingMask [batch, all positions so far] may mark new keys as padding.
 */
export function linearDecode(parts: VariantParts, q: Tensor, k: Tensor, v: Tensor, cache: KVCache, keyPaddingMask: Tensor | null): Tensor {
  const [batch, H, tgtLen, headDim] = q.shape;
  const dtype = q.dtype as FloatDType;
  const phiQ = parts.featureMap!(q).value;                                    // [batch, numHeads, tgtLen, m]
  const phiK = parts.featureMap!(k).value;
  const m = phiQ.shape[3];
  if (!cache.linear) cache.linear = new LinearAttentionState(batch, H, m, headDim, dtype);
  const state = cache.linear;
  if (state.rows !== batch) {
    throw new ShapeError('MultiHeadAttention', `query is [${batch}, ${tgtLen}, …] but the linear attention state has ${state.rows} rows (batch must match; reorder the cache)`);
  }
  const srcLen = state.length + tgtLen;
  if (keyPaddingMask) checkKeyPaddingMask('MultiHeadAttention', keyPaddingMask, [batch, srcLen, H * headDim], batch, srcLen);
  const heads = allocate(dtype, batch * H * tgtLen * headDim) as FloatArray;   // [batch, numHeads, tgtLen, headDim]
  const A = dtype === 'float64' ? Float64Array : Float32Array;
  const [fq, fk, vs, out] = [new A(batch * H * m), new A(batch * H * m), new A(batch * H * headDim), new A(batch * H * headDim)];
  const keep = keyPaddingMask ? new Uint8Array(batch) : null;
  const row = (x: Tensor, p: number, t: number, w: number): FloatArray => (x.data as FloatArray).subarray((p * tgtLen + t) * w, (p * tgtLen + t + 1) * w);
  for (let t = 0; t < tgtLen; t++) {
    for (let p = 0; p < batch * H; p++) {
      fq.set(row(phiQ, p, t, m), p * m);
      fk.set(row(phiK, p, t, m), p * m);
      vs.set(row(v, p, t, headDim), p * headDim);
    }
    if (keep) for (let r = 0; r < batch; r++) keep[r] = keyPaddingMask!.data[r * srcLen + state.length] ? 0 : 1;
    state.step(fq, fk, vs, keep, out);
    for (let p = 0; p < batch * H; p++) heads.set(out.subarray(p * headDim, (p + 1) * headDim), (p * tgtLen + t) * headDim);
  }
  return new T.Tensor(heads, [batch, H, tgtLen, headDim], dtype);
}
