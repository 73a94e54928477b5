// crossEntropy(x·Wᵀ + b, targets) without the [rows, vocabSize] logits in memory: the backend's
// linearCrossEntropy primitive takes the rows through in chunks (a chunk's logits, then its loss and gradient g in
// that buffer, then dx = g·W and dW += gᵀ·x, db += Σ g; on cpuBackend all of it in the WebAssembly kernels'
// memory), so the output projection and the loss of a training step touch one chunk-sized buffer instead of two
// fresh logits-sized ones. With a scalar loss the gradients are known in the forward; backward only scales them by dy.
import * as T from '@gloss/tensor';
import type { FloatArray, Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { isGradEnabled } from '../grad-mode.js';
import { Variable } from '../variable.js';
import type { CrossEntropyOptions, TokenCrossEntropy } from './cross-entropy.js';

/** Logits per chunk (16 MB of float32): large enough for efficient GEMMs, small enough to stay modest memory. */
const CHUNK_ELEMENTS = 1 << 22;

export type LinearCrossEntropyOptions = Omit<CrossEntropyOptions, 'reduction'> & {
  /** 'mean' over targets not ignored (default) or 'sum'. */
  reduction?: 'mean' | 'sum';
  /** Rows per chunk (the backend may round it up to its GEMM tile). Default: as many as fit 2²² logits (16 MB of float32). */
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
    const t = targets.data as Int32Array;
    let n = 0;
    for (let i = 0; i < rows; i++) if (t[i] !== ignoreIndex) n++;
    // With every target ignored, 'mean' is 0/0: 0 (and zero gradients), as crossEntropy.
    const scale = options.reduction === 'mean' ? 1 / Math.max(n, 1) : 1;
    const loss = T.allocate(dtype, rows) as FloatArray;
    const targetLogit = options.nll ? new Float64Array(rows) : null;
    const dx = gx ? T.allocate(dtype, rows * inFeatures) as FloatArray : null;
    const dweight = gw ? T.allocate(dtype, vocab * inFeatures) as FloatArray : null;
    const dbias = gb ? T.allocate(dtype, vocab) as FloatArray : null;
    const lse = T.allocate(dtype, rows) as FloatArray;
    T.getBackend().linearCrossEntropy({
      x: (x.dtype === dtype ? x : x.astype(dtype)).data as FloatArray, weight: weight.data as FloatArray,
      bias: bias && (bias.dtype === dtype ? bias : bias.astype(dtype)).data as FloatArray, targets: t,
      rows, vocab, inFeatures, ignoreIndex, smoothing: labelSmoothing, scale, chunkRows: options.chunkRows,
      loss, lse, targetLogit, dx, dweight, dbias,
    });
    if (options.nll) {
      let nll = 0;
      for (let i = 0; i < rows; i++) if (t[i] !== ignoreIndex) nll += lse[i] - targetLogit![i];
      options.nll.sum = nll;
    }
    let total = 0;
    for (let i = 0; i < rows; i++) total += loss[i];
    const out = T.full([], options.reduction === 'mean' ? total / Math.max(n, 1) : total, dtype);
    const saved: Saved = {
      dx: dx && new T.Tensor(dx, x.shape, dtype), dweight: dweight && new T.Tensor(dweight, weight.shape, dtype),
      dbias: dbias && new T.Tensor(dbias, [vocab], dtype),
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
