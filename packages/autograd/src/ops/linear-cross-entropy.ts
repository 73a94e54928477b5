// crossEntropy(x·Wᵀ + b, targets) without the [rows, vocabSize] logits in memory: the rows go through in chunks
// (a chunk's logits, then its loss and gradient g in that buffer, then dx = g·W and dW += gᵀ·x, db += Σ g), so
// the output projection and the loss of a training step touch one chunk-sized buffer instead of two fresh
// logits-sized ones (each a fresh allocation whose pages the OS must zero). With a scalar loss the gradients are
// known in the forward; backward only scales them by dy.
import * as T from '@gloss/tensor';
import type { FloatArray, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { isGradEnabled } from '../grad-mode.js';
import { addInPlace, biasActivationInPlace } from '../kernels.js';
import { Variable } from '../variable.js';
import type { CrossEntropyOptions, TokenCrossEntropy } from './cross-entropy.js';

/** Logits per chunk (8 MB of float32): large enough for an efficient GEMM, small enough to be reused memory. */
const CHUNK_ELEMENTS = 1 << 21;
const ZERO_OFFSET = new Int32Array(1);

export type LinearCrossEntropyOptions = Omit<CrossEntropyOptions, 'reduction'> & {
  /** 'mean' over targets not ignored (default) or 'sum'. */
  reduction?: 'mean' | 'sum';
  /** Rows per chunk. Default: as many as fit 2²¹ logits (8 MB of float32). */
  chunkRows?: number;
};

interface OpOptions extends Required<LinearCrossEntropyOptions> {
  /** Which of x, weight, bias get a gradient (computed in the forward); all false under noGrad. */
  grads: readonly [boolean, boolean, boolean];
  /** Receives Σ over counted rows of −log p(target) when given. */
  nll: { sum: number } | null;
}

interface Saved { dx: Tensor | null; dweight: Tensor | null; dbias: Tensor | null }

const linearCrossEntropyOp = defineOp('linearCrossEntropy', {
  forward: (x: Tensor, weight: Tensor, bias: Tensor | null, targets: Tensor, options: OpOptions) => {
    const [vocab, inFeatures] = weight.shape;
    const rows = targets.size;
    const dtype = weight.dtype;
    const { ignoreIndex, labelSmoothing, grads: [gx, gw, gb] } = options;
    const backend = T.getBackend();
    const t = targets.data as Int32Array;
    let n = 0;
    for (let i = 0; i < rows; i++) if (t[i] !== ignoreIndex) n++;
    // With every target ignored, 'mean' is 0/0: 0 (and zero gradients), as crossEntropy.
    const scale = options.reduction === 'mean' ? 1 / Math.max(n, 1) : 1;
    const xd = (x.dtype === dtype ? x : x.astype(dtype)).data as FloatArray;
    const wd = weight.data as FloatArray;
    const bd = bias && (bias.dtype === dtype ? bias : bias.astype(dtype)).data as FloatArray;
    const chunk = Math.max(1, Math.min(rows, options.chunkRows));
    const logits = T.allocate(dtype, chunk * vocab) as FloatArray;             // [chunk, vocab], reused
    const loss = T.allocate(dtype, rows) as FloatArray;
    const lse = T.allocate(dtype, rows) as FloatArray;
    const dx = gx ? T.allocate(dtype, rows * inFeatures) as FloatArray : null;
    const dw = gw ? T.allocate(dtype, vocab * inFeatures) as FloatArray : null;
    const dwChunk = gw && rows > chunk ? T.allocate(dtype, vocab * inFeatures) as FloatArray : null;
    const db = gb ? T.allocate(dtype, vocab) as FloatArray : null;
    const withGrad = gx || gw || gb;
    let nll = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      const xc = xd.subarray(r0 * inFeatures, (r0 + m) * inFeatures);           // [m, inFeatures]
      const lc = logits.subarray(0, m * vocab);                                  // [m, vocab]
      const tc = t.subarray(r0, r0 + m);
      backend.matmul(xc, wd, lc, m, vocab, inFeatures, false, true, ZERO_OFFSET, ZERO_OFFSET);   // x·Wᵀ
      biasActivationInPlace(lc, bd, false);
      // The target's logit, read before the gradient overwrites the chunk (for the NLL).
      const targetLogit = options.nll ? Float64Array.from(tc, (id, i) => (id === ignoreIndex ? 0 : lc[i * vocab + id])) : null;
      const lossC = loss.subarray(r0, r0 + m);
      const lseC = lse.subarray(r0, r0 + m);
      if (!withGrad) backend.crossEntropy(lc, tc, m, vocab, ignoreIndex, labelSmoothing, lossC, lseC);
      else backend.crossEntropyWithGrad(lc, tc, m, vocab, ignoreIndex, labelSmoothing, scale, lossC, lseC, lc);   // lc ← g
      if (targetLogit) for (let i = 0; i < m; i++) if (tc[i] !== ignoreIndex) nll += lseC[i] - targetLogit[i];
      if (dx) backend.matmul(lc, wd, dx.subarray(r0 * inFeatures, (r0 + m) * inFeatures), m, inFeatures, vocab, false, false, ZERO_OFFSET, ZERO_OFFSET);   // g·W
      if (dw) {
        const into = r0 === 0 ? dw : dwChunk!;
        backend.matmul(lc, xc, into, vocab, inFeatures, m, true, false, ZERO_OFFSET, ZERO_OFFSET);   // gᵀ·x [vocab, inFeatures]
        if (into !== dw) addInPlace(dw, into);
      }
      if (db) for (let i = 0; i < m; i++) addInPlace(db, lc.subarray(i * vocab, (i + 1) * vocab));   // Σ_rows g
    }
    if (options.nll) options.nll.sum = nll;
    let total = 0;
    for (let i = 0; i < rows; i++) total += loss[i];
    const out = T.full([], options.reduction === 'mean' ? total / Math.max(n, 1) : total, dtype);
    const saved: Saved = {
      dx: dx && new T.Tensor(dx, x.shape, dtype), dweight: dw && new T.Tensor(dw, weight.shape, dtype), dbias: db && new T.Tensor(db, [vocab], dtype),
    };
    return { out, saved };
  },
  backward: (dy, { saved: { dx, dweight, dbias } }) => {
    // The forward computed d(out)/d(x, W, b); scale them by the scalar dy (1 when out is the loss backward starts from).
    const c = dy.item();
    const scaled = (g: Tensor | null) => (g === null || c === 1 ? g : T.mul(g, c));
    return [scaled(dx), scaled(dweight), scaled(dbias), null, null];
  },
});

/** Checks shapes and ids, then runs the op with the gradients that will be recorded. */
function run(x: Variable | Tensor, weight: Variable | Tensor, bias: Variable | Tensor | null, targets: Tensor,
  { ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean', chunkRows }: LinearCrossEntropyOptions, nll: { sum: number } | null): Variable {
  const op = 'linearCrossEntropy';
  if (!['mean', 'sum'].includes(reduction)) throw new T.ValueError(op, `reduction must be 'mean' or 'sum', got '${reduction}'`);
  if (weight.shape.length !== 2) throw new T.ShapeError(op, `weight must be [vocabSize, inFeatures], got ${T.formatShape(weight.shape)}`);
  const [vocab, inFeatures] = weight.shape;
  if (x.shape.length !== 2 || x.shape[1] !== inFeatures || x.shape[0] !== targets.size || targets.shape.length !== 1) {
    throw new T.ShapeError(op, `x is ${T.formatShape(x.shape)}, weight ${T.formatShape(weight.shape)}, targets ${T.formatShape(targets.shape)} ` +
      '(x must be [rows, inFeatures] and targets [rows])');
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== vocab)) {
    throw new T.ShapeError(op, `bias is ${T.formatShape(bias.shape)}, expected [${vocab}] (weight is ${T.formatShape(weight.shape)})`);
  }
  if (!T.isFloat(weight.dtype)) throw new T.DTypeError(op, `weight must be float32 or float64, got ${weight.dtype}`);
  if (targets.dtype !== 'int32') throw new T.DTypeError(op, `targets must be int32 class ids, got ${targets.dtype}`);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new T.ValueError(op, `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const t = targets.data as Int32Array;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== ignoreIndex && (t[i] < 0 || t[i] >= vocab)) {
      throw new T.IndexError(op, `target ${t[i]} at position ${i} is out of range for vocabSize ${vocab} (and is not ignoreIndex ${ignoreIndex})`);
    }
  }
  const chunk = chunkRows ?? Math.max(1, Math.floor(CHUNK_ELEMENTS / vocab));
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new T.ValueError(op, `chunkRows must be a positive integer, got ${chunkRows}`);
  const needs = (v: Variable | Tensor | null) => isGradEnabled() && v instanceof Variable && v.requiresGrad;
  return linearCrossEntropyOp(x, weight, bias, targets, {
    ignoreIndex, labelSmoothing, reduction, chunkRows: chunk, grads: [needs(x), needs(weight), needs(bias)], nll,
  });
}

/**
 * crossEntropy(x·weightᵀ + bias, targets) (nn.Linear then F.cross_entropy), equal in value and gradients, without
 * forming the [rows, vocabSize] logits: x [rows, inFeatures], weight [vocabSize, inFeatures], bias [vocabSize] or
 * null, targets int32 [rows] → a scalar ('mean' over targets not ignored, or 'sum').
 * @example linearCrossEntropy(hidden, model.outputProjection.weight, model.outputProjection.bias, targets, { labelSmoothing: 0.1 })
 */
export function linearCrossEntropy(x: Variable | Tensor, weight: Variable | Tensor, bias: Variable | Tensor | null, targets: Tensor,
  options: LinearCrossEntropyOptions = {}): Variable {
  return run(x, weight, bias, targets, options, null);
}

/**
 * linearCrossEntropy with reduction 'sum', the count of targets it covers and their unsmoothed NLL (tokenCrossEntropy's
 * result), in one pass.
 */
export function tokenLinearCrossEntropy(x: Variable | Tensor, weight: Variable | Tensor, bias: Variable | Tensor | null, targets: Tensor,
  { ignoreIndex = -100, labelSmoothing = 0, chunkRows }: Omit<LinearCrossEntropyOptions, 'reduction'> = {}): TokenCrossEntropy {
  const nll = { sum: 0 };
  const sum = run(x, weight, bias, targets, { ignoreIndex, labelSmoothing, reduction: 'sum', chunkRows }, nll);
  const t = targets.data as Int32Array;
  let numTokens = 0;
  for (let i = 0; i < t.length; i++) if (t[i] !== ignoreIndex) numTokens++;
  return { sum, numTokens, nllSum: nll.sum };
}
