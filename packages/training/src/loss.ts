// Label-smoothed cross-entropy over the non-padding tokens (PyTorch's F.cross_entropy with ignore_index and
// label_smoothing), returning the sum and the token count too, so accumulated batches average exactly.
import { DTypeError, formatShape, ShapeError, type FloatArray, type Tensor } from '@gloss/tensor';
import { crossEntropy, noGrad, Variable } from '@gloss/autograd';

export interface LabelSmoothedCrossEntropyOptions {
  /** Target id that is padding: it counts neither in the loss nor in numTokens. */
  padId: number;
  /** ε: targets are (1 − ε)·onehot + ε/vocabSize, as PyTorch. Default 0. */
  smoothing?: number;
}

/** A loss over tokens, in the form the Trainer accumulates exactly. */
export interface TokenLoss {
  /** Σ over non-pad tokens of the (smoothed) loss: what the Trainer back-propagates. */
  sum: Variable;
  /** Non-pad target tokens. */
  numTokens: number;
  /** Σ −log p(target) without smoothing, for perplexity = exp(nllSum / numTokens). Optional for custom losses. */
  nllSum?: number;
}

/** TokenLoss plus the mean, `sum / numTokens` (0 when every target is padding). */
export interface LabelSmoothedLoss extends TokenLoss {
  /** Mean over non-pad tokens: PyTorch's reduction 'mean'. */
  loss: Variable;
  nllSum: number;
}

/**
 * logits [batch, tgtLen, vocabSize] (any leading shape), targets int32 [batch, tgtLen].
 * @example
 * const { loss, sum, numTokens } = labelSmoothedCrossEntropy(logits, batch.tgtOut, { padId: PAD_ID, smoothing: 0.1 });
 */
export function labelSmoothedCrossEntropy(logits: Variable | Tensor, targets: Tensor,
  { padId, smoothing = 0 }: LabelSmoothedCrossEntropyOptions): LabelSmoothedLoss {
  const value = logits instanceof Variable ? logits.value : logits;
  if (targets.dtype !== 'int32') throw new DTypeError('labelSmoothedCrossEntropy', `targets must be int32 token ids, got ${targets.dtype}`);
  if (value.rank < 1 || value.rank !== targets.rank + 1 || value.shape.slice(0, -1).some((d, i) => d !== targets.shape[i])) {
    throw new ShapeError('labelSmoothedCrossEntropy',
      `logits ${formatShape(value.shape)} and targets ${formatShape(targets.shape)} disagree (logits must be [...targets.shape, vocabSize])`);
  }
  // crossEntropy checks the ids against vocabSize and the smoothing range.
  const sum = crossEntropy(logits, targets, { ignoreIndex: padId, labelSmoothing: smoothing, reduction: 'sum' });
  const ids = targets.data as Int32Array;
  let numTokens = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== padId) numTokens++;
  const loss = sum.div(Math.max(numTokens, 1));
  return { loss, sum, numTokens, nllSum: nllSum(value, ids, padId) };
}

/** Σ over non-pad rows of logSumExp(row) − row[target], in float64 (no graph). */
function nllSum(logits: Tensor, ids: Int32Array, padId: number): number {
  const x = logits.data as FloatArray;
  const V = logits.shape[logits.rank - 1];
  let total = 0;
  for (let r = 0; r < ids.length; r++) {
    if (ids[r] === padId) continue;
    const base = r * V;
    let max = -Infinity;
    for (let j = 0; j < V; j++) if (x[base + j] > max) max = x[base + j];
    let s = 0;
    for (let j = 0; j < V; j++) s += Math.exp(x[base + j] - max); // subtract the row max: exp cannot overflow
    total += max + Math.log(s) - x[base + ids[r]];
  }
  return total;
}

/** Loss, token-level NLL and perplexity of a model over batches, without recording a graph. */
export interface EvaluationResult {
  /** Mean (smoothed) loss per token. */
  loss: number;
  /** Mean −log p(target) per token, when the loss function reports nllSum. */
  nll: number;
  /** exp(nll): perplexity (NaN without nllSum). */
  ppl: number;
  numTokens: number;
}

/**
 * Sums a token loss over `batches` inside noGrad and normalizes once (so batch sizes cannot bias the mean).
 * Put the model in eval mode first (the Trainer does around validate()).
 * @example
 * validate: () => evaluateLoss(validBatches, (b) => labelSmoothedCrossEntropy(model.forward(b), b.tgtOut, { padId: 0 }))
 */
export function evaluateLoss<B>(batches: Iterable<B>, lossFn: (batch: B) => TokenLoss): EvaluationResult {
  let sum = 0;
  let nll = 0;
  let tokens = 0;
  let hasNll = true;
  noGrad(() => {
    for (const batch of batches) {
      const out = lossFn(batch);
      sum += out.sum.item();
      tokens += out.numTokens;
      if (out.nllSum === undefined) hasNll = false;
      else nll += out.nllSum;
    }
  });
  const n = Math.max(tokens, 1);
  const meanNll = hasNll ? nll / n : NaN;
  return { loss: sum / n, nll: meanNll, ppl: Math.exp(meanNll), numTokens: tokens };
}
