// What every search returns, the options they share, and the bookkeeping they share: per-sentence length
// limits, and hypotheses kept as linked trails (one node per step, shared by every continuation, as beams fork).
import { Tensor, ValueError } from '@gloss/tensor';
import type { StepDecoder } from './step-decoder.js';

/**
 * One decoded sequence.
 * - `tokens`: the generated ids, without bos and eos.
 * - `score`: the sum of the tokens' log-probabilities (the eos one included when it ended with eos); beam search
 *   divides it by the GNMT length penalty ((5 + length)/6)^α, length counting the eos.
 * - `attention` (when asked for): per decoder layer, the cross-attention [numHeads, steps, srcLen] — one row per
 *   decoding step (tokens.length, plus one for the eos), srcLen the sentence's own length (trailing padding cut).
 */
export interface Hypothesis {
  tokens: number[];
  score: number;
  /** True when the sequence ended with eos (false: it hit the length limit). */
  finished: boolean;
  attention?: Tensor[];
}

export interface LengthOptions {
  /** A sentence of srcLen tokens (padding not counted) gets at most floor(maxLenA·srcLen + maxLenB) steps (output tokens, eos included), and never more than the model's maxLen. Default 1.5. */
  maxLenA?: number;
  /** Default 10. */
  maxLenB?: number;
  /** Also return each hypothesis's cross-attention per layer and head. Default false. */
  returnAttention?: boolean;
}

/** Per sentence: the most decoding steps it may take. */
export function maxSteps(op: string, dec: StepDecoder, { maxLenA = 1.5, maxLenB = 10 }: LengthOptions): number[] {
  if (!Number.isFinite(maxLenA) || maxLenA < 0 || !Number.isFinite(maxLenB)) {
    throw new ValueError(op, `maxLenA must be a finite number ≥ 0 and maxLenB finite, got ${maxLenA} and ${maxLenB}`);
  }
  const cap = dec.model.config.maxLen;
  return dec.srcLengths.map((n) => Math.max(1, Math.min(cap, Math.floor(maxLenA * n + maxLenB))));
}

/** One step of one hypothesis: its token and (with attention) that step's cross-attention per layer, [numHeads·srcLen]. */
export interface Trail {
  readonly token: number;
  readonly attention: (Float32Array | Float64Array)[] | null;
  readonly prev: Trail | null;
}

/** A step's trail node for row `row`: its token and its attention rows, cut to the sentence's source length. */
export function extend(prev: Trail | null, token: number, dec: StepDecoder, attention: (Float32Array | Float64Array)[] | null, row: number): Trail {
  if (!attention) return { token, attention: null, prev };
  const { numHeads, srcLen } = dec;
  const len = dec.srcLengths[dec.rowSentence[row]];
  const layers = attention.map((a) => {
    const out = new (a.constructor as Float32ArrayConstructor)(numHeads * len);
    for (let h = 0; h < numHeads; h++) out.set(a.subarray((row * numHeads + h) * srcLen, (row * numHeads + h) * srcLen + len), h * len);
    return out;
  });
  return { token, attention: layers, prev };
}

/** The Hypothesis a trail ends in. `eosId` is dropped from the tokens but its attention step is kept. */
export function toHypothesis(trail: Trail | null, score: number, eosId: number, finished: boolean, dec: StepDecoder, sentence: number): Hypothesis {
  const steps: Trail[] = [];
  for (let t = trail; t; t = t.prev) steps.push(t);
  steps.reverse();
  const tokens = steps.map((s) => s.token);
  if (finished && tokens.at(-1) === eosId) tokens.pop();
  const hyp: Hypothesis = { tokens, score, finished };
  if (steps.length && steps[0].attention) {
    const { numHeads } = dec;
    const srcLen = dec.srcLengths[sentence];
    const T = steps.length;
    hyp.attention = steps[0].attention.map((first, layer) => {
      const out = new (first.constructor as Float32ArrayConstructor)(numHeads * T * srcLen);
      steps.forEach((s, t) => {
        const a = s.attention![layer];                 // [numHeads, srcLen]
        for (let h = 0; h < numHeads; h++) out.set(a.subarray(h * srcLen, (h + 1) * srcLen), (h * T + t) * srcLen);
      });
      return new Tensor(out, [numHeads, T, srcLen]);   // [numHeads, steps, srcLen]
    });
  }
  return hyp;
}

/** Runs `fn` with the model in eval mode (no dropout while decoding), restoring its mode after. */
export function inEvalMode<T>(model: { training: boolean; train(mode?: boolean): unknown }, fn: () => T): T {
  const was = model.training;
  model.train(false);
  try {
    return fn();
  } finally {
    model.train(was);
  }
}
