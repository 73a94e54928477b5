// Sampling: each step draws the next token from the model's distribution, reshaped by a temperature and
// truncated to the topK most probable tokens and/or the smallest set whose probability reaches topP (nucleus
// sampling, Holtzman et al. 2020). Every draw comes from the seeded Generator, one per row in row order, so a
// run repeats exactly for the same batch and seed.
import { Generator, ValueError, defaultGenerator, type Tensor } from '@gloss/tensor';
import type { Seq2SeqTransformer } from '../seq2seq-transformer.js';
import { decodeOnePerSentence } from './greedy.js';
import type { Hypothesis, LengthOptions } from './hypothesis.js';

export interface SamplingOptions extends LengthOptions {
  /** Divides the logits: < 1 sharpens, > 1 flattens. Default 1. */
  temperature?: number;
  /** Keep only the k most probable tokens (0: all). Default 0. */
  topK?: number;
  /** Keep the smallest set of most probable tokens whose probability sum reaches p (1: all). Default 1. */
  topP?: number;
  /** Where the draws come from. Default: the default generator. */
  generator?: Generator;
}

/**
 * Samples one continuation per sentence of src int32 [batch, srcLen]. `score` is the sum of the sampled tokens'
 * log-probabilities under the model itself (temperature 1, no truncation), so samples can be ranked.
 * Runs in eval mode (the model's mode is restored after).
 * @example sampleDecode(model, src, { temperature: 0.8, topP: 0.9, generator: new Generator(7) })
 */
export function sampleDecode(model: Seq2SeqTransformer, src: Tensor, options: SamplingOptions = {}): Hypothesis[][] {
  const { temperature = 1, topK = 0, topP = 1, generator = defaultGenerator() } = options;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ValueError('sampleDecode', `temperature must be a positive number, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new ValueError('sampleDecode', `topK must be a non-negative integer, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new ValueError('sampleDecode', `topP must be in (0, 1], got ${topP}`);
  const probs = new Float64Array(model.config.tgtVocabSize);
  const order = new Int32Array(model.config.tgtVocabSize);
  return decodeOnePerSentence('sampleDecode', model, src, options, (row) => sampleRow(row, temperature, topK, topP, generator, probs, order));
}

/**
 * Draws a token from logits (or log-probabilities: the same up to a constant) `row` [V], reshaped by temperature,
 * topK and topP; −∞ entries are never drawn. `probs` and `order` are scratch buffers of length V. One draw.
 */
export function sampleRow(row: ArrayLike<number>, temperature: number, topK: number, topP: number, generator: Generator,
  probs: Float64Array, order: Int32Array): number {
  const V = row.length;
  // softmax(logits / T), stable: subtract the row max first.
  let max = -Infinity;
  for (let v = 0; v < V; v++) if (row[v] > max) max = row[v];
  let count = 0;
  for (let v = 0; v < V; v++) {
    probs[v] = row[v] === -Infinity ? 0 : Math.exp((row[v] - max) / temperature);
    if (probs[v] > 0) order[count++] = v;
  }
  let kept = count;
  if (topK > 0 || topP < 1) {
    // Most probable first; ties by token id so the cut is deterministic.
    const ids = Array.from(order.subarray(0, count)).sort((a, b) => probs[b] - probs[a] || a - b);
    ids.forEach((v, i) => { order[i] = v; });
    if (topK > 0) kept = Math.min(kept, topK);
    if (topP < 1) {
      let total = 0;
      for (let i = 0; i < kept; i++) total += probs[order[i]];
      let cum = 0;
      for (let i = 0; i < kept; i++) {
        cum += probs[order[i]];
        if (cum >= topP * total) { kept = i + 1; break; }
      }
    }
  }
  let total = 0;
  for (let i = 0; i < kept; i++) total += probs[order[i]];
  const u = generator.random() * total;
  let cum = 0;
  for (let i = 0; i < kept; i++) {
    cum += probs[order[i]];
    if (u < cum) return order[i];
  }
  return order[kept - 1];   // u rounded up to total
}
