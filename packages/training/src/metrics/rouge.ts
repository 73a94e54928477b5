// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (Lin, 2004) as Google's rouge-score package computes them
// (rouge_scorer.py, tokenize.py, scoring.py; no stemming): per pair precision, recall and F1 = 2PR/(P+R);
// over a corpus, the mean of each per-pair value (rouge-score's scorer, without bootstrap resampling).
import { ShapeError, ValueError } from '@gloss/tensor';
import { checkHypotheses } from './references.js';
import { wordNgrams } from './ngrams.js';

/** Precision, recall and F1 of one ROUGE variant, each in [0, 1]. */
export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** The four variants: unigram and bigram overlap, LCS over the whole text, and summary-level LCS over lines. */
export interface RougeResult {
  readonly rouge1: RougeScore;
  readonly rouge2: RougeScore;
  readonly rougeL: RougeScore;
  /** Union-LCS over sentences separated by '\n' (rouge-score's rougeLsum; equals rougeL on one-line text). */
  readonly rougeLsum: RougeScore;
}

/** Options of rouge and sentenceRouge. */
export interface RougeOptions {
  /** Turns a text into tokens. Default rougeTokenize (rouge-score's default tokenizer, no stemming). */
  readonly tokenize?: (text: string) => string[];
}

/**
 * rouge-score's default tokenizer: lowercase, then the runs of ASCII letters and digits are the tokens —
 * everything else separates them, so letters outside a–z (é, ß, Cyrillic, CJK) are dropped, as in ROUGE-1.5.5.
 * @example
 * rougeTokenize("The cat's 2 hats!");  // ['the', 'cat', 's', '2', 'hats']
 */
export function rougeTokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function fScore(precision: number, recall: number): RougeScore {
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

const ZERO: RougeScore = { precision: 0, recall: 0, f1: 0 };

/** ROUGE-N: clipped n-gram overlap over the prediction's n-grams (P) and the target's (R). */
function rougeN(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const t = wordNgrams(target, n)[n - 1];
  const p = wordNgrams(prediction, n)[n - 1];
  let overlap = 0;
  for (const [gram, count] of t) overlap += Math.min(count, p.get(gram) ?? 0);
  const targetCount = Math.max(0, target.length - n + 1);
  const predictionCount = Math.max(0, prediction.length - n + 1);
  return fScore(overlap / Math.max(predictionCount, 1), overlap / Math.max(targetCount, 1));
}

/** Maps tokens to small integers (shared across calls on one pair) so the DP compares numbers. */
function toIds(tokens: readonly string[], ids: Map<string, number>): Int32Array {
  const out = new Int32Array(tokens.length);
  tokens.forEach((tok, i) => {
    let id = ids.get(tok);
    if (id === undefined) ids.set(tok, (id = ids.size));
    out[i] = id;
  });
  return out;
}

/**
 * Length of the longest common subsequence of `a` and `b`, in O(|a|·|b|) time and O(|b|) memory.
 * @example
 * lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'c']);  // 2
 */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const ids = new Map<string, number>();
  const x = toIds(a, ids);
  const y = toIds(b, ids);
  let prev = new Int32Array(y.length + 1);
  let row = new Int32Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      row[j] = x[i - 1] === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    }
    [prev, row] = [row, prev];
  }
  return prev[y.length];
}

/**
 * The indices into `ref` of one longest common subsequence of `ref` and `can`, chosen as rouge-score's
 * _backtrack_norec does (from the end; on a tie in the table, step back in `ref`), ascending.
 */
function lcsIndices(ref: Int32Array, can: Int32Array): number[] {
  const cols = can.length + 1;
  const table = new Int32Array((ref.length + 1) * cols); // table[i * cols + j] = LCS of ref[:i], can[:j]
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      table[i * cols + j] = ref[i - 1] === can[j - 1]
        ? table[(i - 1) * cols + j - 1] + 1
        : Math.max(table[(i - 1) * cols + j], table[i * cols + j - 1]);
    }
  }
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1] > table[(i - 1) * cols + j]) j--;
    else i--;
  }
  return out.reverse();
}

/** ROUGE-Lsum (rouge-score's _summary_level_lcs): union LCS of each target sentence with all prediction sentences. */
function rougeLsum(targetSents: readonly string[][], predictionSents: readonly string[][]): RougeScore {
  const m = targetSents.reduce((s, t) => s + t.length, 0);
  const n = predictionSents.reduce((s, t) => s + t.length, 0);
  if (m === 0 || n === 0) return ZERO;
  const ids = new Map<string, number>();
  const refs = targetSents.map((s) => toIds(s, ids));
  const cans = predictionSents.map((s) => toIds(s, ids));
  // Token budgets on both sides, so that a token is not counted as a hit more often than it occurs.
  const countsR = new Int32Array(ids.size);
  const countsC = new Int32Array(ids.size);
  for (const r of refs) for (const t of r) countsR[t]++;
  for (const c of cans) for (const t of c) countsC[t]++;
  let hits = 0;
  for (const r of refs) {
    const union = new Set<number>();
    for (const c of cans) for (const i of lcsIndices(r, c)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const t = r[i];
      if (countsC[t] > 0 && countsR[t] > 0) {
        hits++;
        countsC[t]--;
        countsR[t]--;
      }
    }
  }
  return fScore(hits / n, hits / m);
}

/**
 * ROUGE of one prediction against one reference, as rouge-score's `RougeScorer.score(target, prediction)`.
 * @example
 * sentenceRouge('testing one two', 'testing one').rougeL;  // { precision: 2/3, recall: 1, f1: 0.8 }
 */
export function sentenceRouge(hypothesis: string, reference: string, options: RougeOptions = {}): RougeResult {
  if (typeof hypothesis !== 'string' || typeof reference !== 'string') {
    throw new ValueError('sentenceRouge', `hypothesis and reference must be strings, got ${typeof hypothesis} and ${typeof reference}`);
  }
  const tokenize = options.tokenize ?? rougeTokenize;
  const target = tokenize(reference);
  const prediction = tokenize(hypothesis);
  const lcs = target.length && prediction.length ? lcsLength(target, prediction) : 0;
  const sentences = (text: string): string[][] => text.split('\n').filter((s) => s.length > 0).map(tokenize);
  return {
    rouge1: rougeN(target, prediction, 1),
    rouge2: rougeN(target, prediction, 2),
    rougeL: target.length && prediction.length ? fScore(lcs / prediction.length, lcs / target.length) : ZERO,
    rougeLsum: rougeLsum(sentences(reference), sentences(hypothesis)),
  };
}

/**
 * Corpus ROUGE: the mean over pairs of each per-pair precision, recall and F1 (rouge-score's scorer averaged
 * without bootstrap; Hugging Face's `rouge` reports the bootstrap median, which is within noise of this mean).
 * @param hypotheses generated summaries or translations
 * @param references one reference per hypothesis
 * @example
 * rouge(['the cat sat', 'a dog'], ['the cat sat down', 'the dog']).rouge1.f1;  // ((6/7) + (1/2)) / 2
 */
export function rouge(hypotheses: readonly string[], references: readonly string[], options: RougeOptions = {}): RougeResult {
  checkHypotheses('rouge', hypotheses);
  if (!Array.isArray(references)) throw new ValueError('rouge', `references must be an array of strings, got ${typeof references}`);
  if (references.length !== hypotheses.length) {
    throw new ShapeError('rouge', `${hypotheses.length} hypotheses but ${references.length} references (one reference per hypothesis)`);
  }
  references.forEach((r, i) => {
    if (typeof r !== 'string') throw new ValueError('rouge', `references[${i}] must be a string, got ${Array.isArray(r) ? 'an array' : typeof r}`);
  });
  const keys = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;
  const sums = Object.fromEntries(keys.map((k) => [k, { precision: 0, recall: 0, f1: 0 }])) as Record<(typeof keys)[number], { precision: number; recall: number; f1: number }>;
  hypotheses.forEach((hyp, i) => {
    const one = sentenceRouge(hyp, references[i], options);
    for (const k of keys) {
      sums[k].precision += one[k].precision;
      sums[k].recall += one[k].recall;
      sums[k].f1 += one[k].f1;
    }
  });
  const n = hypotheses.length;
  const mean = (s: RougeScore): RougeScore => ({ precision: s.precision / n, recall: s.recall / n, f1: s.f1 / n });
  return { rouge1: mean(sums.rouge1), rouge2: mean(sums.rouge2), rougeL: mean(sums.rougeL), rougeLsum: mean(sums.rougeLsum) };
}
