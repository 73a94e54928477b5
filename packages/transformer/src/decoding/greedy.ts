// Greedy decoding: at every step each sentence takes its most probable next token, until eos or its length
// limit. Batched on the KV cache; finished sentences leave the batch, so later steps cost only the rest.
// `decodeOnePerSentence` is the loop greedy and sampling share; they differ only in how a token is picked.
import type { Tensor } from '@gloss/tensor';
import type { Seq2SeqTransformer } from '../seq2seq-transformer.js';
import { type Hypothesis, type LengthOptions, type Trail, extend, inEvalMode, maxSteps, toHypothesis } from './hypothesis.js';
import { StepDecoder } from './step-decoder.js';

export type GreedyOptions = LengthOptions;

/**
 * Greedy decoding of a padded source batch, src int32 [batch, srcLen] → per sentence, one hypothesis.
 * Runs in eval mode (the model's mode is restored after).
 * @example
 * const [[hyp]] = greedyDecode(model, src, { maxLenA: 1.2, maxLenB: 10 });
 * tokenizer.decode(hyp.tokens);
 */
export function greedyDecode(model: Seq2SeqTransformer, src: Tensor, options: GreedyOptions = {}): Hypothesis[][] {
  return decodeOnePerSentence('greedyDecode', model, src, options, argmax);
}

/**
 * One hypothesis per sentence, a token per step from `pick(logits of the row)` (pad and bos are −∞ there),
 * scored by the model's log-probabilities.
 */
export function decodeOnePerSentence(op: string, model: Seq2SeqTransformer, src: Tensor, options: LengthOptions,
  pick: (row: Float32Array | Float64Array) => number): Hypothesis[][] {
  return inEvalMode(model, () => {
    const dec = new StepDecoder(model, src, options.returnAttention ?? false);
    const limits = maxSteps(op, dec, options);
    dec.reserve(Math.max(...limits));
    const { bosId, eosId } = model.config;
    const V = dec.vocabSize;
    const batch = dec.srcLengths.length;
    const trails: (Trail | null)[] = new Array(batch).fill(null);
    const scores = new Array<number>(batch).fill(0);
    const results: Hypothesis[][] = new Array(batch);
    let tokens = new Int32Array(batch).fill(bosId);
    for (let step = 0; tokens.length > 0; step++) {
      const { logits, lse, attention } = dec.step(tokens);
      const keep: number[] = [];
      const next: number[] = [];
      dec.rowSentence.forEach((s, r) => {
        const token = pick(logits.subarray(r * V, (r + 1) * V));
        scores[s] += logits[r * V + token] - lse[r];               // log p(token)
        trails[s] = extend(trails[s], token, dec, attention, r);
        if (token === eosId || step + 1 >= limits[s]) {
          results[s] = [toHypothesis(trails[s], scores[s], eosId, token === eosId, dec, s)];
        } else {
          keep.push(r);
          next.push(token);
        }
      });
      if (keep.length !== dec.rowSentence.length) dec.keep(keep);
      tokens = Int32Array.from(next);
    }
    return results;
  });
}

/** Index of the first maximum of `row`. */
function argmax(row: Float32Array | Float64Array): number {
  let best = 0;
  let max = row[0];
  for (let v = 1; v < row.length; v++) {
    const x = row[v];
    if (x > max) { max = x; best = v; }
  }
  return best;
}
