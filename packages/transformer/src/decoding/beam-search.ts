// Beam search (as fairseq's and JoeyNMT's): each sentence keeps beamSize partial hypotheses as rows of one
// batch on the KV cache. At every step the best 2·beamSize one-token extensions are ranked; an eos among the
// first beamSize ends a hypothesis (scored with the GNMT length penalty), the best non-eos ones become the new
// beams. A sentence stops once beamSize hypotheses have ended, or at its length limit; finished sentences
// leave the batch. Every decision reads only the sentence's own rows: batch composition cannot change results.
import { ValueError, type Tensor } from '@gloss/tensor';
import type { Seq2SeqTransformer } from '../seq2seq-transformer.js';
import { type Hypothesis, type LengthOptions, type Trail, extend, inEvalMode, maxSteps, toHypothesis } from './hypothesis.js';
import { StepDecoder } from './step-decoder.js';

export interface BeamSearchOptions extends LengthOptions {
  /** Hypotheses kept per sentence. Default 5. */
  beamSize?: number;
  /** GNMT length penalty α: scores are divided by ((5 + length)/6)^α. 0 ranks by plain log-probability. Default 0.6. */
  lengthPenalty?: number;
  /** Hypotheses returned per sentence, best first (≤ beamSize). Default 1. */
  nBest?: number;
}

interface Beam { trail: Trail | null; score: number; row: number }
interface Ended { trail: Trail; score: number; normalized: number; finished: boolean }

/** GNMT length penalty (Wu et al. 2016): ((5 + length)/6)^α. */
export function lengthPenalty(length: number, alpha: number): number {
  return alpha === 0 ? 1 : Math.pow((5 + length) / 6, alpha);
}

/**
 * Beam search over a padded source batch, src int32 [batch, srcLen] → per sentence, its nBest hypotheses
 * (best first; `score` is length-normalized). Runs in eval mode (the model's mode is restored after).
 * @example
 * const nbest = beamSearch(model, src, { beamSize: 5, lengthPenalty: 0.6, nBest: 3, returnAttention: true });
 * nbest[0][0].tokens; nbest[0][0].attention![layer]   // [numHeads, steps, srcLen]
 */
export function beamSearch(model: Seq2SeqTransformer, src: Tensor, options: BeamSearchOptions = {}): Hypothesis[][] {
  const { beamSize = 5, lengthPenalty: alpha = 0.6, nBest = 1 } = options;
  if (!Number.isInteger(beamSize) || beamSize < 1) throw new ValueError('beamSearch', `beamSize must be a positive integer, got ${beamSize}`);
  if (!Number.isInteger(nBest) || nBest < 1 || nBest > beamSize) throw new ValueError('beamSearch', `nBest must be an integer in [1, beamSize ${beamSize}], got ${nBest}`);
  if (!Number.isFinite(alpha)) throw new ValueError('beamSearch', `lengthPenalty must be a finite number, got ${alpha}`);
  return inEvalMode(model, () => {
    const dec = new StepDecoder(model, src, options.returnAttention ?? false);
    const limits = maxSteps('beamSearch', dec, options);
    dec.reserve(Math.max(...limits));
    const { bosId, eosId } = model.config;
    const V = dec.vocabSize;
    const K = beamSize;
    const batch = dec.srcLengths.length;
    const alive: Beam[][] = Array.from({ length: batch }, (_, s) => [{ trail: null, score: 0, row: s }]);
    const ended: Ended[][] = Array.from({ length: batch }, () => []);
    const results: Hypothesis[][] = new Array(batch);
    let tokens = new Int32Array(batch).fill(bosId);
    for (let step = 0; tokens.length > 0; step++) {
      const { logits, lse, attention } = dec.step(tokens);
      const length = step + 1;                        // tokens in every hypothesis after this step, eos included
      const rows: number[] = [];
      const next: number[] = [];
      let r = 0;
      while (r < dec.rowSentence.length) {
        const s = dec.rowSentence[r];
        const beams = alive[s];
        const cands = topCandidates(logits, lse, V, r, beams.map((b) => b.score), 2 * K);
        const kept: Beam[] = [];
        for (let i = 0; i < cands.length && kept.length < K; i++) {
          const { beam, token, score } = cands[i];
          if (token === eosId && i >= K) continue;        // an eos outside the best beamSize does not end a hypothesis
          const trail = extend(beams[beam].trail, token, dec, attention, r + beam);
          if (token === eosId) ended[s].push({ trail, score, normalized: score / lengthPenalty(length, alpha), finished: true });
          else kept.push({ trail, score, row: r + beam });
        }
        r += beams.length;
        const atLimit = length >= limits[s];
        if (ended[s].length >= K || atLimit || kept.length === 0) {
          if (atLimit) for (const b of kept) ended[s].push({ trail: b.trail!, score: b.score, normalized: b.score / lengthPenalty(length, alpha), finished: false });
          // Best first; ties keep the order hypotheses ended in (stable sort).
          const best = ended[s].sort((a, b) => b.normalized - a.normalized).slice(0, nBest);
          results[s] = best.map((e) => toHypothesis(e.trail, e.normalized, eosId, e.finished, dec, s));
        } else {
          alive[s] = kept;
          for (const b of kept) {
            rows.push(b.row);
            next.push(b.trail!.token);
          }
        }
      }
      dec.keep(rows);
      tokens = Int32Array.from(next);
    }
    return results;
  });
}

interface Candidate { beam: number; token: number; score: number }

/**
 * The best `m` extensions of one sentence's beams (rows first..first+beams−1): score = beam score + log p(token),
 * best first; ties go to the lower beam, then the lower token id, so the order is fully determined.
 */
function topCandidates(logits: Float32Array | Float64Array, lse: Float32Array | Float64Array, V: number, first: number,
  beamScores: number[], m: number): Candidate[] {
  const top: Candidate[] = [];
  for (let k = 0; k < beamScores.length; k++) {
    const row = logits.subarray((first + k) * V, (first + k + 1) * V);
    const base = beamScores[k] - lse[first + k];             // score = beam score + log p(v) = base + logit
    for (let v = 0; v < V; v++) {
      const score = base + row[v];
      if (score === -Infinity) continue;
      if (top.length === m) {
        if (!(score > top[m - 1].score)) continue;
        top.pop();
      }
      // Insert after every candidate at least as good (earlier ones win ties).
      let i = top.length;
      while (i > 0 && top[i - 1].score < score) i--;
      top.splice(i, 0, { beam: k, token: v, score });
    }
  }
  return top;
}
