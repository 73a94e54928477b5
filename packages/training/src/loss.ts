// Label-smoothed cross-entropy over the non-padding tokens (PyTorch's F.cross_entropy with ignore_index and
// label_smoothing), returning the sum and the token count too, so accumulated batches average exactly.
import { DTypeError, formatShape, ShapeError, type Tensor } from '@gloss/tensor';
import { noGrad, tokenCrossEntropy, Variable } from '@gloss/autograd';

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
  // crossEntropy checks the ids against vocabSize and the smoothing range; nllSum comes from its log-sum-exp.
  const { sum, numTokens, nllSum } = tokenCrossEntropy(logits, targets, { ignoreIndex: padId, labelSmoothing: smoothing });
  const loss = sum.div(Math.max(numTokens, 1));
  return { loss, sum, numTokens, nllSum };
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
