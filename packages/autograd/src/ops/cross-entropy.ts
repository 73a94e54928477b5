// Fused softmax cross-entropy with PyTorch's F.cross_entropy semantics: class scores on the last axis,
// label smoothing spread over all classes, ignored targets (padding) contribute neither loss nor
// gradient, and 'mean' divides by the number of targets not ignored. Stable for any logits (log-sum-exp).
import * as T from '@gloss/tensor';
import type { Tensor } from '@gloss/tensor';
import { defineOp } from '../define-op.js';
import type { Variable } from '../variable.js';

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

const crossEntropyOp = defineOp('crossEntropy', {
  forward: (logits: Tensor, targets: Tensor, options: Required<CrossEntropyOptions>) => {
    const { loss, lse } = T.crossEntropyRows(logits, targets, options);
    const n = counted(targets, options.ignoreIndex);
    // With every target ignored, 'mean' is 0/0: gloss returns 0 (and zero gradients) where PyTorch gives NaN.
    const out = options.reduction === 'none' ? loss : options.reduction === 'sum' ? T.sum(loss) : T.div(T.sum(loss), Math.max(n, 1));
    return { out, saved: { lse, n } };
  },
  backward: (dy, { args: [logits, targets, options], saved: { lse, n } }) => {
    // The upstream gradient per row: dy itself for 'none', the scalar dy (÷ count for 'mean') otherwise.
    const scale = options.reduction === 'mean' ? 1 / Math.max(n, 1) : 1;
    const dloss = options.reduction === 'none' ? dy : T.full(targets.shape, dy.item() * scale, logits.dtype);
    return [T.crossEntropyRowsBackward(dloss, logits, targets, lse, options), null, null];
  },
});

/**
 * Cross-entropy between logits [..., vocabSize] and int32 targets [...], as F.cross_entropy with the class
 * axis last.
 * @example crossEntropy(logits, batch.tgtOut, { ignoreIndex: padId, labelSmoothing: 0.1 })
 */
export function crossEntropy(logits: Variable | Tensor, targets: Tensor, { ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean' }: CrossEntropyOptions = {}): Variable {
  if (!['mean', 'sum', 'none'].includes(reduction)) {
    throw new T.ValueError('crossEntropy', `reduction must be 'mean', 'sum' or 'none', got '${reduction}'`);
  }
  return crossEntropyOp(logits, targets, { ignoreIndex, labelSmoothing, reduction });
}
