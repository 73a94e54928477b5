// Softmax cross-entropy over the last axis, fused (never forms the softmax), with PyTorch's
// F.cross_entropy semantics for label smoothing and ignore_index. These are the row-level kernels'
// entry points; @gloss/autograd's crossEntropy adds the reduction and the graph.
import { getBackend } from '../backend/backend.js';
import { allocate, isFloat, type FloatArray } from '../dtype.js';
import { DTypeError, IndexError, ShapeError, ValueError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface CrossEntropyOptions {
  /** Target value whose rows contribute no loss and no gradient (padding). Default -100, as PyTorch. */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target distribution is (1 − ε)·onehot + ε/V. Default 0. */
  labelSmoothing?: number;
}

export interface CrossEntropyRows {
  /** Per-row loss, targets' shape (0 where the target is ignored). */
  loss: Tensor;
  /** Per-row log Σ exp(logits), targets' shape: what the backward needs. */
  lse: Tensor;
}

function check(logits: Tensor, targets: Tensor, { ignoreIndex = -100, labelSmoothing = 0 }: CrossEntropyOptions) {
  if (!isFloat(logits.dtype)) throw new DTypeError('crossEntropy', `logits must be float32 or float64, got ${logits.dtype}`);
  if (targets.dtype !== 'int32') throw new DTypeError('crossEntropy', `targets must be int32 class ids, got ${targets.dtype}`);
  if (logits.rank < 1 || !shapesEqual(logits.shape.slice(0, -1), targets.shape)) {
    throw new ShapeError('crossEntropy', `logits ${formatShape(logits.shape)} and targets ${formatShape(targets.shape)} disagree ` +
      '(logits must be [...targets.shape, vocabSize])');
  }
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError('crossEntropy', `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  }
  const vocab = logits.shape[logits.rank - 1];
  const t = targets.data as Int32Array;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== ignoreIndex && (t[i] < 0 || t[i] >= vocab)) {
      throw new IndexError('crossEntropy', `target ${t[i]} at flat position ${i} is out of range for vocabSize ${vocab} ` +
        `(and is not ignoreIndex ${ignoreIndex})`);
    }
  }
  return { vocab, rows: targets.size, ignoreIndex, labelSmoothing };
}

/** Per-row loss and log-sum-exp. logits: [..., vocabSize], targets: [...] int32. */
export function crossEntropyRows(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): CrossEntropyRows {
  const { vocab, rows, ignoreIndex, labelSmoothing } = check(logits, targets, options);
  const loss = allocate(logits.dtype, rows) as FloatArray;
  const lse = allocate(logits.dtype, rows) as FloatArray;
  getBackend().crossEntropy(logits.data as FloatArray, targets.data as Int32Array, rows, vocab, ignoreIndex, labelSmoothing, loss, lse);
  return { loss: new Tensor(loss, targets.shape, logits.dtype), lse: new Tensor(lse, targets.shape, logits.dtype) };
}

/** d(loss rows)/d(logits) scaled by dloss (targets' shape): dloss·(softmax − (1 − ε)·onehot − ε/V). */
export function crossEntropyRowsBackward(dloss: Tensor, logits: Tensor, targets: Tensor, lse: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { vocab, rows, ignoreIndex, labelSmoothing } = check(logits, targets, options);
  if (!shapesEqual(dloss.shape, targets.shape)) {
    throw new ShapeError('crossEntropyBackward', `dloss is ${formatShape(dloss.shape)} but targets are ${formatShape(targets.shape)}`);
  }
  const f = (t: Tensor) => (t.dtype === logits.dtype ? t : t.astype(logits.dtype)).data as FloatArray;
  const d = allocate(logits.dtype, logits.size) as FloatArray;
  getBackend().crossEntropyBackward(f(dloss), logits.data as FloatArray, targets.data as Int32Array, f(lse), rows, vocab,
    ignoreIndex, labelSmoothing, d);
  return new Tensor(d, logits.shape, logits.dtype);
}

export interface CrossEntropyRowsWithGrad extends CrossEntropyRows {
  /** d(Σ_r scale_r·loss_r)/d(logits), logits' shape. */
  dlogits: Tensor;
}

/**
 * crossEntropyRows and, from the same pass over the logits, crossEntropyRowsBackward(scale, …) — scale one
 * number (a 'sum' or 'mean' reduction's) or per row (targets' shape): a training step's loss and gradient with
 * one exp per logit.
 */
export function crossEntropyRowsWithGrad(logits: Tensor, targets: Tensor, scale: number | Tensor, options: CrossEntropyOptions = {}): CrossEntropyRowsWithGrad {
  const { vocab, rows, ignoreIndex, labelSmoothing } = check(logits, targets, options);
  if (typeof scale !== 'number' && !shapesEqual(scale.shape, targets.shape)) {
    throw new ShapeError('crossEntropyWithGrad', `scale is ${formatShape(scale.shape)} but targets are ${formatShape(targets.shape)}`);
  }
  const loss = allocate(logits.dtype, rows) as FloatArray;
  const lse = allocate(logits.dtype, rows) as FloatArray;
  const d = allocate(logits.dtype, logits.size) as FloatArray;
  const s = typeof scale === 'number' ? scale : (scale.dtype === logits.dtype ? scale : scale.astype(logits.dtype)).data as FloatArray;
  getBackend().crossEntropyWithGrad(logits.data as FloatArray, targets.data as Int32Array, rows, vocab, ignoreIndex, labelSmoothing, s, loss, lse, d);
  return {
    loss: new Tensor(loss, targets.shape, logits.dtype), lse: new Tensor(lse, targets.shape, logits.dtype),
    dlogits: new Tensor(d, logits.shape, logits.dtype),
  };
}
