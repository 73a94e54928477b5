// The Backend: a table of primitive kernels (tinygrad style). Every op in gloss reaches numbers only
// through these. `referenceBackend` is plain TypeScript and the definition of correct; `cpuBackend`
// is the reference with the float32 matmul and fused attention replaced by WebAssembly SIMD kernels
// (multi-threaded in Node). @gloss/gpu builds another table by overriding entries of this one.
import type { FloatArray, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';
import { binary, unary, where } from './cpu/elementwise.js';
import { makeAttention } from './cpu/attention.js';
import { crossEntropy, crossEntropyBackward, crossEntropyWithGrad } from './cpu/cross-entropy.js';
import { layerNorm, layerNormBackward } from './cpu/layer-norm.js';
import { makeLinear } from './cpu/linear.js';
import { makeLinearCrossEntropy } from './cpu/linear-cross-entropy.js';
import { matmulRef, SINGLE } from './cpu/matmul.js';
import { copyStrided, gatherScatter, indexAdd, indexSelect, permute, triangle } from './cpu/movement.js';
import { argReduce, reduce } from './cpu/reduce.js';
import { logSumExp, softmax, softmaxBackward } from './cpu/softmax.js';
import type { ArgReduceOp, AttentionDims, AttentionMasking, BinaryOp, LinearArgs, LinearCrossEntropyArgs, ReduceOp, UnaryOp } from './types.js';
import { attentionBackwardF32, attentionForwardF32 } from './wasm/attention.js';
import { linearCrossEntropyF32 } from './wasm/linear-cross-entropy.js';
import { matmulEpilogueF32, matmulF32 } from './wasm/matmul.js';

export interface Backend {
  readonly name: string;
  /** Why the last call of an overridden kernel ran the reference instead (PyTorch's why_not_fast_path). */
  lastFallbackReason?: string | null;

  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  binary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, out: TypedArray, outShape: Shape): void;
  where(cond: Uint8Array, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape,
    out: TypedArray, outShape: Shape): void;
  reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void;
  argReduce(op: ArgReduceOp, x: TypedArray, outer: number, len: number, inner: number, out: Int32Array): void;
  /** out[p] = op(A_p)·op(B_p) for p < aOffsets.length; A_p at a[aOffsets[p]] is [m, k] ([k, m] if transA). */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number,
    transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array): void;
  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void;
  softmaxBackward(dy: FloatArray, y: FloatArray, rows: number, cols: number, dx: FloatArray, log: boolean): void;
  logSumExp(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  layerNorm(x: FloatArray, rows: number, cols: number, weight: FloatArray | null, bias: FloatArray | null, eps: number,
    out: FloatArray, mean: FloatArray | null, rstd: FloatArray | null): void;
  layerNormBackward(dy: FloatArray, x: FloatArray, rows: number, cols: number, weight: FloatArray | null,
    mean: FloatArray, rstd: FloatArray, dx: FloatArray, dweight: FloatArray | null, dbias: FloatArray | null): void;
  crossEntropy(logits: FloatArray, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number, smoothing: number,
    loss: FloatArray, lse: FloatArray): void;
  crossEntropyBackward(dloss: FloatArray, logits: FloatArray, targets: Int32Array, lse: FloatArray, rows: number, vocab: number,
    ignoreIndex: number, smoothing: number, dlogits: FloatArray): void;
  /** crossEntropy and crossEntropyBackward's dlogits (scaled by scale, per row or one number) in one pass over the logits. */
  crossEntropyWithGrad(logits: FloatArray, targets: Int32Array, rows: number, vocab: number, ignoreIndex: number, smoothing: number,
    scale: FloatArray | number, loss: FloatArray, lse: FloatArray, dlogits: FloatArray): void;
  /** A linear layer's forward, out = act(x·weightᵀ + bias) (LinearArgs), the epilogue fused with the product. */
  linear(args: LinearArgs): void;
  /**
   * The output projection and its cross-entropy in one call (LinearCrossEntropyArgs): x·weightᵀ + bias, the loss
   * per row and the gradients of x, weight and bias, without [rows, vocab] logits in the caller's memory.
   */
  linearCrossEntropy(args: LinearCrossEntropyArgs): void;
  /**
   * Fused scaled dot-product attention, softmax(q·kᵀ·scale + masks)·v, without a [batch, heads, tq, tk]
   * buffer. Writes out [batch, heads, tq, headDim] and lse [batch, heads, tq] (each row's log-sum-exp of
   * the masked, scaled scores; −∞ for a row with nothing to attend, whose output is 0). masking.dropout
   * scales the weights after the softmax (the lse is of the undropped ones).
   */
  attentionForward(q: FloatArray, k: FloatArray, v: FloatArray, dims: AttentionDims, scale: number, masking: AttentionMasking,
    out: FloatArray, lse: FloatArray): void;
  /**
   * Its gradients from the saved out and lse (FlashAttention's recipe): P = exp(S − lse), dV = Pᵀ·dO,
   * dP = dO·vᵀ, dS = P ⊙ (dP − rowsum(dO ⊙ O)), dQ = dS·k·scale, dK = dSᵀ·q·scale. dq, dk, dv are overwritten.
   * With masking.dropout (factors Z, regenerated from its seed): dV = (Z ⊙ P)ᵀ·dO and dS = P ⊙ (Z ⊙ dP − rowsum(dO ⊙ O)).
   */
  attentionBackward(q: FloatArray, k: FloatArray, v: FloatArray, out: FloatArray, lse: FloatArray, dout: FloatArray,
    dims: AttentionDims, scale: number, masking: AttentionMasking, dq: FloatArray, dk: FloatArray, dv: FloatArray): void;
  permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void;
  copyStrided(x: TypedArray, offset: number, strides: readonly number[], out: TypedArray, outShape: Shape): void;
  indexSelect(x: TypedArray, outer: number, n: number, inner: number, index: Int32Array, out: TypedArray): void;
  indexAdd(out: TypedArray, outer: number, n: number, inner: number, index: Int32Array, src: TypedArray): void;
  gatherScatter(x: TypedArray, xShape: Shape, axis: number, index: Int32Array, indexShape: Shape, out: TypedArray, scatter: boolean): void;
  triangle(x: TypedArray, batch: number, rows: number, cols: number, k: number, upper: boolean, out: TypedArray): void;
}

/** Plain TypeScript loops: always available, float32 and float64 alike, the definition of correct. */
export const referenceBackend: Backend = Object.freeze({
  name: 'reference',
  unary, binary, where, reduce, argReduce, softmax, softmaxBackward, logSumExp, layerNorm, layerNormBackward,
  crossEntropy, crossEntropyBackward, crossEntropyWithGrad,
  permute, copyStrided, indexSelect, indexAdd, gatherScatter, triangle,
  matmul: matmulRef,
  linear: makeLinear(matmulRef),
  linearCrossEntropy: makeLinearCrossEntropy(matmulRef),
  ...makeAttention(matmulRef),
});

function fastMatmul(a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aOffsets: Int32Array, bOffsets: Int32Array): void {
  // matmulF32 itself runs matmulRef where WebAssembly SIMD is unavailable.
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
    matmulF32(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets);
  } else {
    matmulRef(a, b, out, m, n, k, transA, transB, aOffsets, bOffsets);
  }
}

/** The blocked TypeScript attention on the fast matmul: float64, and float32 calls the kernels don't take. */
const blockedAttention = makeAttention(fastMatmul);
const chunkedLinearCrossEntropy = makeLinearCrossEntropy(fastMatmul);
const composedLinear = makeLinear(fastMatmul);

/**
 * The reference with float32 matmul (with linear layers' bias and ReLU), fused attention and the output projection's cross-entropy on WebAssembly
 * SIMD kernels (threads in Node); what those kernels don't take (float64, headDim not a multiple of 4, no
 * WebAssembly SIMD) runs the TypeScript attention and loss on the fast matmul. The default backend.
 */
export const cpuBackend: Backend = Object.freeze({
  ...referenceBackend,
  name: 'cpu',
  matmul: fastMatmul,
  linear(args) {
    const { x, weight, bias, out, rows, inFeatures, outFeatures, relu } = args;
    const f32 = x instanceof Float32Array && weight instanceof Float32Array && out instanceof Float32Array && (bias === null || bias instanceof Float32Array);
    if (!f32 || !matmulEpilogueF32(x, weight, out, rows, outFeatures, inFeatures, false, true, SINGLE, SINGLE, { bias, relu })) composedLinear(args);
  },
  linearCrossEntropy(args) {
    if (!linearCrossEntropyF32(args)) chunkedLinearCrossEntropy(args);
  },
  attentionForward(q, k, v, dims, scale, masking, out, lse) {
    if (attentionForwardF32(q, k, v, dims, scale, masking, out, lse) !== null) {
      blockedAttention.attentionForward(q, k, v, dims, scale, masking, out, lse);
    }
  },
  attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv) {
    if (attentionBackwardF32(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv) !== null) {
      blockedAttention.attentionBackward(q, k, v, out, lse, dout, dims, scale, masking, dq, dk, dv);
    }
  },
} satisfies Backend);

let current: Backend = cpuBackend;

/** The backend every op runs on. */
export function getBackend(): Backend {
  return current;
}

/**
 * Chooses the backend for every op that follows; returns the previous one.
 * @example
 * setBackend(referenceBackend);   // plain TypeScript everywhere, e.g. to compare against
 */
export function setBackend(backend: Backend): Backend {
  const previous = current;
  current = backend;
  return previous;
}
