// Fused softmax cross-entropy with PyTorch's F.cross_entropy semantics: class scores on the last axis,
// label smoothing spread over all classes, ignored targets (padding) contribute neither loss nor
// gradient, and 'mean' divides by the number of targets not ignored. Stable for any logits (log-sum-exp).
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import { isGradEnabled } from '../grad-mode.js';
import { Variable } from '../variable.js';

export interface CrossEntropyOptions {
  /** Target id that is skipped (the pad id). Default -100, as PyTorch. */
  ignoreIndex?: number;
  /** ε: the target distribution is (1 − ε)·onehot + ε/vocabSize. Default 0. */
  labelSmoothing?: number;
  /** 'mean' over targets not ignored (default), 'sum', or 'none' (targets' shape). */
  reduction?: 'mean' | 'sum' | 'none';
}

/** Number of targets that are not ignored. */
function counted(targets: Tensor, ignoreIndex: number): number {
  const t = targets.data as Int32Array;
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i] !== ignoreIndex) n++;
  return n;
}

/** The op's options: the public ones, and whether the forward should also compute the gradient (and nll). */
interface CrossEntropyOpOptions extends Required<CrossEntropyOptions> {
  /** The logits need a gradient and the reduction is a sum or mean: compute it in the forward's pass. */
  fuseGrad: boolean;
  /** When given, receives Σ over counted rows of lse − logit[target] (the unsmoothed NLL). */
  nll: { sum: number } | null;
}

const crossEntropyOp = defineOp('crossEntropy', {
  forward: (logits: Tensor, targets: Tensor, options: CrossEntropyOpOptions) => {
    const n = counted(targets, options.ignoreIndex);
    // With every target ignored, 'mean' is 0/0: gloss returns 0 (and zero gradients) where PyTorch gives NaN.
    const scale = options.reduction === 'mean' ? 1 / Math.max(n, 1) : 1;
    // A training step's loss: the gradient of the sum (or mean) from the same exp as the loss, saved for backward.
    const rows: T.CrossEntropyRows & { dlogits?: Tensor } = options.fuseGrad
      ? T.crossEntropyRowsWithGrad(logits, targets, scale, options)
      : T.crossEntropyRows(logits, targets, options);
    const { loss, lse, dlogits = null } = rows;
    if (options.nll) options.nll.sum = nllSum(logits, targets, lse, options.ignoreIndex);
    const out = options.reduction === 'none' ? loss : options.reduction === 'sum' ? T.sum(loss) : T.div(T.sum(loss), Math.max(n, 1));
    return { out, saved: { lse, scale, dlogits } };
  },
  backward: (dy, { args: [logits, targets, options], saved: { lse, scale, dlogits } }) => {
    // dlogits is d(out)/d(logits) already: scale it by the scalar dy (1 when out is the loss backward starts from).
    if (dlogits) return [dy.item() === 1 ? dlogits : T.mul(dlogits, dy.item()), null, null];
    // The upstream gradient per row: dy itself for 'none', the scalar dy (÷ count for 'mean') otherwise.
    const dloss = options.reduction === 'none' ? dy : T.full(targets.shape, dy.item() * scale, logits.dtype);
    return [T.crossEntropyRowsBackward(dloss, logits, targets, lse, options), null, null];
  },
});

/** Σ over rows not ignored of lse − logits[target]: −log p(target), from the forward's log-sum-exp. */
function nllSum(logits: Tensor, targets: Tensor, lse: Tensor, ignoreIndex: number): number {
  const x = logits.data as T.FloatArray;
  const t = targets.data as Int32Array;
  const l = lse.data as T.FloatArray;
  const vocab = logits.shape[logits.rank - 1];
  let total = 0;
  for (let r = 0; r < t.length; r++) if (t[r] !== ignoreIndex) total += l[r] - x[r * vocab + t[r]];
  return total;
}

/** Fuse the gradient into the forward only where one will be recorded for the logits (and dy is a scalar). */
function fuseGrad(logits: Variable | Tensor, reduction: CrossEntropyOptions['reduction']): boolean {
  return reduction !== 'none' && isGradEnabled() && logits instanceof Variable && logits.requiresGrad;
}

/**
 * Cross-entropy between logits [..., vocabSize] and int32 targets [...], as F.cross_entropy with the class
 * axis last. With a 'mean' or 'sum' reduction and logits that need a gradient, the gradient is computed in
 * the forward's pass over the logits (one exp per logit) and kept until backward.
 * @example crossEntropy(logits, batch.tgtOut, { ignoreIndex: padId, labelSmoothing: 0.1 })
 */
export function crossEntropy(logits: Variable | Tensor, targets: Tensor, { ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean' }: CrossEntropyOptions = {}): Variable {
  if (!['mean', 'sum', 'none'].includes(reduction)) {
    throw new T.ValueError('crossEntropy', `reduction must be 'mean', 'sum' or 'none', got '${reduction}'`);
  }
  return crossEntropyOp(logits, targets, { ignoreIndex, labelSmoothing, reduction, fuseGrad: fuseGrad(logits, reduction), nll: null });
}

/** A token loss in the form a trainer accumulates exactly over batches. */
export interface TokenCrossEntropy {
  /** Σ over targets not ignored of the (smoothed) loss. */
  sum: Variable;
  /** Targets not ignored. */
  numTokens: number;
  /** Σ −log p(target) without smoothing (perplexity = exp(nllSum / numTokens)), from the same log-sum-exp. */
  nllSum: number;
}

/**
 * crossEntropy with reduction 'sum', the count of targets it covers and their unsmoothed NLL, in one pass.
 * @example const { sum, numTokens, nllSum } = tokenCrossEntropy(logits, tgtOut, { ignoreIndex: padId, labelSmoothing: 0.1 });
 */
export function tokenCrossEntropy(logits: Variable | Tensor, targets: Tensor,
  { ignoreIndex = -100, labelSmoothing = 0 }: Omit<CrossEntropyOptions, 'reduction'> = {}): TokenCrossEntropy {
  const nll = { sum: 0 };
  const sum = crossEntropyOp(logits, targets, { ignoreIndex, labelSmoothing, reduction: 'sum', fuseGrad: fuseGrad(logits, 'sum'), nll });
  return { sum, numTokens: counted(targets, ignoreIndex), nllSum: nll.sum };
}
