// Multi-head attention (Vaswani et al. 2017, §3.2.2): MultiHead(Q, K, V) = Concat(head_1 … head_h)·Wᴼ,
// head_i = Attention(Q·W_iᵠ, K·W_iᴷ, V·W_iⱽ). One class serves self (x, x, x), masked self (+ causal)
// and cross attention (x, memory, memory), with PyTorch nn.MultiheadAttention's parameter names and init.
// `attentionType` swaps the attention between the projections for a sparse, low-rank or linear variant
// (attention-variants.ts); the projections, parameters and caches stay the same.
import {
  DTypeError, Generator, ShapeError, Tensor, ValueError, allocate, defaultGenerator, formatShape, getBackend, isFloat, shapesEqual,
  uniform, zeros, type FloatArray, type FloatDType,
} from '@gloss/tensor';
import { Variable, isGradEnabled, linear, mean, noGrad, packedHeads, permute, reshape, slice } from '@gloss/autograd';
import type { AttentionType, AttentionVariantConfig } from './attention-variants.js';
import { attendCached } from './cached-attention.js';
import type { KVCache } from './kv-cache.js';
import { checkAttnMask, checkKeyPaddingMask } from './masks.js';
import type { AttentionPattern } from './sparse-patterns.js';
import { attendVariant, buildVariant, linearDecode, type VariantParts } from './variant-attention.js';

export interface MultiHeadAttentionConfig extends Partial<Omit<AttentionVariantConfig, 'attentionType'>> {
  /**
   * The attention between the projections (see AttentionVariantConfig for each variant, its paper and its fields),
   * or a user-defined AttentionPattern (patternFromFunction). Default 'full'.
   */
  attentionType?: AttentionType | AttentionPattern;
  /** block-sparse: the layout, bool [numBlocks, numBlocks] (default: BigBird's, drawn from `generator`). */
  blockLayout?: Tensor;
  /** Longest sequence: linformer's projection width, block-sparse's default layout size. Default 512. */
  maxLen?: number;
  /**
   * The module will run causally (decoder self-attention): block-sparse draws its random blocks from the past;
   * linformer refuses (its projection mixes every position, future ones included). Default false.
   */
  causal?: boolean;
  /**
   * Draws the variant's random parts (block-sparse's random blocks, FAVOR+'s features). Default: `generator`.
   * A model passes one seeded from its config, so a loaded checkpoint rebuilds the same ones.
   */
  variantGenerator?: Generator;
  /** Model width; split into numHeads heads of headDim = dModel / numHeads. */
  dModel: number;
  numHeads: number;
  /** Biases on the input and output projections. Default true. */
  bias?: boolean;
  /** Dropout probability on the attention weights while training. Default 0. */
  dropout?: number;
  /** Seeds the initial weights and the dropout masks. Default: the default generator. */
  generator?: Generator;
  /** Parameter dtype. Default float32 (float64 for gradient checks). */
  dtype?: FloatDType;
}

export interface MultiHeadAttentionOptions {
  /** bool [batch, srcLen], true = padding (never attended). With a 'self' cache, srcLen counts cached positions. */
  keyPaddingMask?: Tensor | null;
  /** bool (true = may attend; the opposite of nn.MultiheadAttention) or float (added), broadcastable to [batch, numHeads, tgtLen, srcLen]. */
  attnMask?: Tensor | null;
  /** Masked self-attention: query i attends keys j ≤ i + (srcLen − tgtLen). */
  causal?: boolean;
  /** Also return the attention weights (composed path). Default false, unlike PyTorch's need_weights=True. */
  needWeights?: boolean;
  /** Average the returned weights over heads ([batch, tgtLen, srcLen]) or not ([batch, numHeads, tgtLen, srcLen]). Default true. */
  averageWeights?: boolean;
  /** Incremental decoding: a KVCache ('self' appends this step's keys/values; 'memory' projects key/value once). */
  cache?: KVCache | null;
}

export interface MultiHeadAttentionOutput {
  /** [batch, tgtLen, dModel] */
  output: Variable;
  /** Attention weights when needWeights, else null. */
  weights: Variable | null;
}

type In = Variable | Tensor;

/**
 * Multi-head attention with nn.MultiheadAttention's parameters: in_proj_weight [3·dModel, dModel] (Wᵠ, Wᴷ, Wⱽ
 * stacked), in_proj_bias [3·dModel], out_proj.weight [dModel, dModel], out_proj.bias [dModel]. Batch-first.
 * @example
 * const attn = new MultiHeadAttention({ dModel: 64, numHeads: 4, generator: new Generator(0) });
 * attn.forward(x, x, x, { causal: true, keyPaddingMask: tgtPadding }).output;              // masked self
 * attn.forward(y, memory, memory, { keyPaddingMask: srcPadding }).output;                  // cross
 */
export class MultiHeadAttention {
  readonly dModel: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly dtype: FloatDType;
  /** Dropout is applied only while training (train() / eval()). */
  training = true;
  readonly inProjWeight: Variable;
  readonly inProjBias: Variable | null;
  readonly outProjWeight: Variable;
  readonly outProjBias: Variable | null;
  /** The variant and its fields (attentionType 'full' with a user-defined `pattern`). */
  readonly variant: AttentionVariantConfig;
  /** The sparse pattern of local, strided, block-sparse or a user-defined variant; null otherwise. */
  readonly pattern: AttentionPattern | null;
  /** linformer: E and F [projectedLength, maxLen], the projections of keys and values along the sequence. */
  readonly linformerE: Variable | null;
  readonly linformerF: Variable | null;
  private readonly parts: VariantParts;
  private readonly generator: Generator;

  constructor(config: MultiHeadAttentionConfig) {
    const { dModel, numHeads, bias = true, dropout = 0, generator = defaultGenerator(), dtype = 'float32' } = config;
    if (!Number.isInteger(dModel) || dModel <= 0) throw new ValueError('MultiHeadAttention', `dModel must be a positive integer, got ${dModel}`);
    if (!Number.isInteger(numHeads) || numHeads <= 0) throw new ValueError('MultiHeadAttention', `numHeads must be a positive integer, got ${numHeads}`);
    if (dModel % numHeads !== 0) throw new ValueError('MultiHeadAttention', `dModel ${dModel} is not divisible by numHeads ${numHeads}`);
    if (!(dropout >= 0 && dropout <= 1)) throw new ValueError('MultiHeadAttention', `dropout must be in [0, 1], got ${dropout}`);
    if (!isFloat(dtype)) throw new DTypeError('MultiHeadAttention', `dtype must be float32 or float64, got ${dtype}`);
    this.dModel = dModel;
    this.numHeads = numHeads;
    this.headDim = dModel / numHeads;
    this.dropout = dropout;
    this.dtype = dtype;
    this.generator = generator;
    const param = (t: Tensor, name: string) => new Variable(t, { requiresGrad: true, name });
    // PyTorch's init: xavier_uniform_ on in_proj_weight (fan_in dModel, fan_out 3·dModel), zero biases, and
    // out_proj.weight as nn.Linear's kaiming_uniform_(a=√5), i.e. U(−1/√dModel, 1/√dModel).
    const xavier = Math.sqrt(6 / (dModel + 3 * dModel));
    this.inProjWeight = param(uniform([3 * dModel, dModel], -xavier, xavier, { generator, dtype }), 'in_proj_weight');
    this.inProjBias = bias ? param(zeros([3 * dModel], dtype), 'in_proj_bias') : null;
    const linearBound = 1 / Math.sqrt(dModel);
    this.outProjWeight = param(uniform([dModel, dModel], -linearBound, linearBound, { generator, dtype }), 'out_proj.weight');
    this.outProjBias = bias ? param(zeros([dModel], dtype), 'out_proj.bias') : null;

    this.parts = buildVariant(config, { headDim: this.headDim, generator, variantGenerator: config.variantGenerator ?? generator, dtype, param });
    ({ variant: this.variant, pattern: this.pattern, linformerE: this.linformerE, linformerF: this.linformerF } = this.parts);
  }

  /** The parameters with PyTorch's state_dict names, in its order. */
  namedParameters(): [string, Variable][] {
    const named: [string, Variable | null][] = [
      ['in_proj_weight', this.inProjWeight], ['in_proj_bias', this.inProjBias],
      ['out_proj.weight', this.outProjWeight], ['out_proj.bias', this.outProjBias],
      ['linformer.e', this.linformerE], ['linformer.f', this.linformerF],
    ];
    return named.filter((e): e is [string, Variable] => e[1] !== null);
  }

  parameters(): Variable[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Copies values in by state_dict name (cast to this module's dtype); every parameter must be given, with its shape. */
  loadStateDict(state: Readonly<Record<string, Tensor>>): void {
    const named = this.namedParameters();
    const unexpected = Object.keys(state).filter((k) => !named.some(([n]) => n === k));
    if (unexpected.length) throw new ValueError('MultiHeadAttention.loadStateDict', `unexpected keys ${unexpected.join(', ')}`);
    for (const [name, p] of named) {
      const t = state[name];
      if (!t) throw new ValueError('MultiHeadAttention.loadStateDict', `missing key ${name}`);
      if (!shapesEqual(t.shape, p.shape)) throw new ShapeError('MultiHeadAttention.loadStateDict', `${name} is ${formatShape(t.shape)}, expected ${formatShape(p.shape)}`);
      p.value = t.astype(this.dtype).clone();
    }
  }

  /** Training mode (dropout on) or not. */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /** Evaluation mode: no dropout. */
  eval(): this {
    return this.train(false);
  }

  /**
   * query [batch, tgtLen, dModel], key and value [batch, srcLen, dModel] → output [batch, tgtLen, dModel].
   * Self-attention passes (x, x, x), cross-attention (x, memory, memory).
   */
  forward(query: In, key: In, value: In, options: MultiHeadAttentionOptions = {}): MultiHeadAttentionOutput {
    const { keyPaddingMask = null, attnMask = null, causal = false, needWeights = false, averageWeights = true, cache = null } = options;
    const { dModel, numHeads, headDim } = this;
    this.checkInput('query', query);
    const [batch, tgtLen] = query.shape;
    const reuse = cache !== null && cache.kind === 'memory' && cache.filled;
    if (!reuse) {
      this.checkInput('key', key);
      this.checkInput('value', value);
      if (key.shape[0] !== batch || !shapesEqual(key.shape, value.shape)) {
        throw new ShapeError('MultiHeadAttention', `query is ${formatShape(query.shape)}, key ${formatShape(key.shape)}, value ${formatShape(value.shape)} ` +
          '(batch must match; key and value must have the same shape)');
      }
    }

    const type = this.variant.attentionType;
    if (cache && type === 'linformer') {
      throw new ValueError('MultiHeadAttention', 'linformer has no cached decoding: it is not causal (its projection mixes every position)');
    }
    // Linear attention decodes on its recurrent state, one position at a time.
    if (cache && type === 'linear') {
      if (cache.kind !== 'self' || !(query === key && key === value)) {
        throw new ValueError('MultiHeadAttention', "linear attention decodes self-attention only (a 'self' cache, query = key = value)");
      }
      return this.linearSteps(query, cache, keyPaddingMask);
    }
    // One decoding step without gradients: the cached path (plain arrays, keys and values written in place).
    if (cache && tgtLen === 1 && !attnMask && !isGradEnabled() && !(this.training && this.dropout > 0) &&
      (cache.kind === 'memory' || (query === key && key === value))) {
      return this.cachedStep(query, key, cache, keyPaddingMask, needWeights, averageWeights);
    }

    const W = this.inProjWeight;
    const b = this.inProjBias;
    /** Rows [from·dModel, to·dModel) of in_proj_weight and in_proj_bias: Wᵠ, Wᴷ, Wⱽ (0, 1, 2) or several stacked. */
    const rows = (from: number, to: number): [Variable, Variable | null] => from === 0 && to === 3 ? [W, b]
      : [slice(W, 0, from * dModel, to * dModel), b ? slice(b, 0, from * dModel, to * dModel) : null];
    /** x [batch, len, dModel] through rows [from, to) of the projection: one GEMM, its parts as heads [batch, numHeads, len, headDim]. */
    const project = (x: In, from: number, to: number): Variable[] => {
      const packed = linear(x, ...rows(from, to));             // [batch, len, (to − from)·dModel]
      return Array.from({ length: to - from }, (_, i) => packedHeads(packed, i, to - from, numHeads));
    };

    let q: Variable;
    let k: Variable;
    let v: Variable;
    if (reuse) {
      [q] = project(query, 0, 1);                               // [batch, numHeads, tgtLen, headDim]
      ({ key: k, value: v } = cache as { key: Variable; value: Variable });
      if (k.shape[0] !== batch) {
        throw new ShapeError('MultiHeadAttention', `query is ${formatShape(query.shape)} but the cached memory keys are ${formatShape(k.shape)} (batch must match)`);
      }
    } else {
      // Self-attention: q, k, v from one GEMM over in_proj_weight; cross-attention: q, then k and v from one over memory.
      if (query === key && key === value) [q, k, v] = project(query, 0, 3);
      else if (key === value) [[q], [k, v]] = [project(query, 0, 1), project(key, 1, 3)];
      else [[q], [k], [v]] = [project(query, 0, 1), project(key, 1, 2), project(value, 2, 3)];
      if (cache) ({ key: k, value: v } = cache.update(k, v));   // 'self': all positions so far
    }
    const srcLen = k.shape[2];
    if (keyPaddingMask) checkKeyPaddingMask('MultiHeadAttention', keyPaddingMask, [batch, srcLen, dModel], batch, srcLen);
    if (attnMask) checkAttnMask('MultiHeadAttention', attnMask, [batch, numHeads, tgtLen, srcLen]);

    const r = attendVariant(this.parts, q, k, v, {
      attnMask, keyPaddingMask, causal, dropout: this.dropout, training: this.training, generator: this.generator, returnWeights: needWeights,
    });
    const heads = r instanceof Variable ? r : r.output;         // [batch, numHeads, tgtLen, headDim]
    const merged = reshape(permute(heads, [0, 2, 1, 3]), [batch, tgtLen, dModel]); // [batch, tgtLen, dModel]
    const output = linear(merged, this.outProjWeight, this.outProjBias);            // [batch, tgtLen, dModel]
    const weights = r instanceof Variable ? null : averageWeights ? mean(r.weights, 1) : r.weights;
    return { output, weights };
  }

  /** Linear attention's decoding: each position of query [batch, tgtLen, dModel] updates the cache's state, then reads it. */
  private linearSteps(query: In, cache: KVCache, keyPaddingMask: Tensor | null): MultiHeadAttentionOutput {
    const [batch, tgtLen] = query.shape;
    return noGrad(() => {
      const packed = linear(query, this.inProjWeight, this.inProjBias);            // [batch, tgtLen, 3·dModel]
      const [q, k, v] = [0, 1, 2].map((i) => packedHeads(packed, i, 3, this.numHeads).value);   // [batch, numHeads, tgtLen, headDim]
      const heads = linearDecode(this.parts, q, k, v, cache, keyPaddingMask);       // [batch, numHeads, tgtLen, headDim]
      const merged = reshape(permute(heads, [0, 2, 1, 3]), [batch, tgtLen, this.dModel]);
      return { output: linear(merged, this.outProjWeight, this.outProjBias), weights: null };
    });
  }

  /**
   * One step on a KV cache, query [batch, 1, dModel]: for a 'self' cache, one GEMM projects q, k and v together
   * (k and v go straight into the cache); for a 'memory' cache, the memory's k and v are projected once per
   * sentence at the first step, q each step. No gradients (the caller checked that none are wanted).
   */
  private cachedStep(query: In, memory: In, cache: KVCache, keyPaddingMask: Tensor | null, needWeights: boolean,
    averageWeights: boolean): MultiHeadAttentionOutput {
    const { dModel: D, numHeads: H, headDim, dtype } = this;
    const batch = query.shape[0];
    const x = dataOf(query);
    const W = this.inProjWeight.value.data as FloatArray;
    const b = this.inProjBias ? (this.inProjBias.value.data as FloatArray) : null;
    const { matmul: gemm } = getBackend();
    let q: FloatArray;
    let qStride: number;
    if (cache.kind === 'self') {
      const qkv = allocate(dtype, batch * 3 * D) as FloatArray;                  // [batch, 3·dModel]: q | k | v
      gemm(x, W, qkv, batch, 3 * D, D, false, true, ZERO, ZERO);
      if (b) addRowVector(qkv, b, batch, 3 * D);
      cache.writePacked(qkv, batch, 1, H, headDim, 3 * D, D, 2 * D);
      q = qkv;
      qStride = 3 * D;
    } else {
      if (!cache.filled) {
        this.checkInput('key', memory);
        if (memory.shape[0] !== batch) {
          throw new ShapeError('MultiHeadAttention', `query is ${formatShape(query.shape)} but the memory is ${formatShape(memory.shape)} (batch must match)`);
        }
        const srcLen = memory.shape[1];
        const kv = allocate(dtype, batch * srcLen * 2 * D) as FloatArray;       // [batch·srcLen, 2·dModel]: k | v
        gemm(dataOf(memory), W, kv, batch * srcLen, 2 * D, D, false, true, ZERO, Int32Array.of(D * D));
        if (b) addRowVector(kv, b.subarray(D, 3 * D), batch * srcLen, 2 * D);
        cache.writePacked(kv, batch, srcLen, H, headDim, 2 * D, 0, D);
      } else if (cache.batch !== batch) {
        throw new ShapeError('MultiHeadAttention', `query is ${formatShape(query.shape)} but the cached memory keys are ` +
          `${formatShape([cache.batch, H, cache.length, headDim])} (batch must match)`);
      }
      q = allocate(dtype, batch * D) as FloatArray;                               // [batch, dModel]
      gemm(x, W, q, batch, D, D, false, true, ZERO, ZERO);
      if (b) addRowVector(q, b.subarray(0, D), batch, D);
      qStride = D;
    }
    const srcLen = cache.length;
    if (keyPaddingMask) checkKeyPaddingMask('MultiHeadAttention', keyPaddingMask, [batch, srcLen, D], batch, srcLen);
    // A sparse pattern's row for this position (the last of srcLen) joins the padding as keys never attended.
    let blocked = keyPaddingMask ? (keyPaddingMask.data as Uint8Array) : null;
    if (this.pattern && cache.kind === 'self') {
      const row = this.pattern.mask(1, srcLen).data as Uint8Array;               // [1, srcLen], true = may attend
      const b = new Uint8Array(batch * srcLen);
      for (let r = 0; r < batch; r++) for (let j = 0; j < srcLen; j++) b[r * srcLen + j] = (blocked ? blocked[r * srcLen + j] : 0) | (row[j] ^ 1);
      blocked = b;
    }
    const merged = allocate(dtype, batch * D) as FloatArray;                      // [batch, numHeads·headDim]
    const weights = needWeights ? (allocate(dtype, batch * H * srcLen) as FloatArray) : null;   // [batch, numHeads, srcLen]
    attendCached(q, qStride, 0, cache, 1 / Math.sqrt(headDim), blocked, merged, weights);
    const out = allocate(dtype, batch * D) as FloatArray;                         // [batch, dModel]
    gemm(merged, this.outProjWeight.value.data as FloatArray, out, batch, D, D, false, true, ZERO, ZERO);
    if (this.outProjBias) addRowVector(out, this.outProjBias.value.data as FloatArray, batch, D);
    const output = new Variable(new Tensor(out, [batch, 1, D], dtype));
    if (!weights) return { output, weights: null };
    if (!averageWeights) return { output, weights: new Variable(new Tensor(weights, [batch, H, 1, srcLen], dtype)) };
    const avg = allocate(dtype, batch * srcLen) as FloatArray;                    // mean over heads: [batch, 1, srcLen]
    for (let r = 0; r < batch; r++) {
      for (let h = 0; h < H; h++) for (let j = 0; j < srcLen; j++) avg[r * srcLen + j] += weights[(r * H + h) * srcLen + j] / H;
    }
    return { output, weights: new Variable(new Tensor(avg, [batch, 1, srcLen], dtype)) };
  }

  private checkInput(name: string, x: In): void {
    if (x.shape.length !== 3 || x.shape[2] !== this.dModel) {
      throw new ShapeError('MultiHeadAttention', `${name} must be [batch, len, dModel ${this.dModel}], got ${formatShape(x.shape)}`);
    }
    if (x.dtype !== this.dtype) throw new DTypeError('MultiHeadAttention', `${name} is ${x.dtype} but the parameters are ${this.dtype}`);
  }
}

const ZERO = Int32Array.of(0);


function dataOf(x: In): FloatArray {
  return (x instanceof Variable ? x.value.data : x.data) as FloatArray;
}

/** x[r, :] += b for rows of [rows, cols]. */
function addRowVector(x: FloatArray, b: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0, o = r * cols; c < cols; c++) x[o + c] += b[c];
}
