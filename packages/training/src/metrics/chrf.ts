// chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.6.0 computes them (metrics/chrf.py):
// character n-gram (and, for chrF++, word n-gram) statistics summed over the corpus, then per order
// precision Pₙ and recall Rₙ, averaged over the orders, and F_β = (1 + β²)·P·R / (β²·P + R), in percent.
import { ValueError } from '@gloss/tensor';
import { SACREBLEU_VERSION } from './bleu.js';
import { charNgrams, clippedMatches, totalCount, wordNgrams, type NgramCounts } from './ngrams.js';
import { codePoints, pyFixed, pyRemoveWhitespace, pySplit } from './python-text.js';
import { referencesBySegment, type References } from './references.js';

/** Options of corpusChrF and sentenceChrF; the defaults are sacreBLEU's chrF2. */
export interface ChrFOptions {
  /** Character n-gram orders 1..charOrder. Default 6. */
  readonly charOrder?: number;
  /** Word n-gram orders 1..wordOrder; 2 gives chrF++. Default 0. */
  readonly wordOrder?: number;
  /** Weight of recall over precision. Default 2. */
  readonly beta?: number;
  /** Compare case-insensitively (Python's str.lower on both sides). Default false. */
  readonly lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false: whitespace is removed first. */
  readonly whitespace?: boolean;
  /**
   * Average the per-order F-scores with ε = 1e-16 for empty orders, as chrF++.py, NLTK and Moses do
   * (signature `eff:no`). Default false: sacreBLEU's effective-order averaging of P and R over the
   * orders both sides have (`eff:yes`).
   */
  readonly epsSmoothing?: boolean;
}

/** A chrF result; the score is a percentage (0–100). */
export interface ChrFScore {
  readonly score: number;
  /** sacreBLEU's name: `chrF${beta}` plus one '+' per word order ('chrF2', 'chrF2++'). */
  readonly name: string;
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  /** e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 (gloss)`. */
  readonly signature: string;
}

interface Resolved {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
}

function resolve(op: string, options: ChrFOptions): Resolved {
  const { charOrder = 6, wordOrder = 0, beta = 2, lowercase = false, whitespace = false, epsSmoothing = false } = options;
  for (const [name, value] of [['charOrder', charOrder], ['wordOrder', wordOrder]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new ValueError(op, `${name} must be an integer ≥ 0, got ${value}`);
  }
  if (charOrder + wordOrder === 0) throw new ValueError(op, 'charOrder + wordOrder must be at least 1, got 0 and 0');
  if (!(Number.isFinite(beta) && beta > 0)) throw new ValueError(op, `beta must be a finite number > 0, got ${beta}`);
  return { charOrder, wordOrder, beta, lowercase: Boolean(lowercase), whitespace: Boolean(whitespace), epsSmoothing: Boolean(epsSmoothing) };
}

// Python's string.punctuation: the ASCII punctuation chrF++ splits off word ends.
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * chrF++'s word tokenization (sacreBLEU's _remove_punctuation, after m-popovic/chrF): split on whitespace,
 * then split one ASCII punctuation mark off a word's end, or else off its start ('(hi)' → '(hi', ')').
 */
function chrFWords(sentence: string): string[] {
  const words: string[] = [];
  for (const w of pySplit(sentence)) {
    const chars = codePoints(w);
    if (chars.length === 1) words.push(w);
    else if (PUNCTUATION.has(chars[chars.length - 1])) words.push(chars.slice(0, -1).join(''), chars[chars.length - 1]);
    else if (PUNCTUATION.has(chars[0])) words.push(chars[0], chars.slice(1).join(''));
    else words.push(w);
  }
  return words;
}

/** Character orders 1..charOrder, then word orders 1..wordOrder. */
function extract(sentence: string, resolved: Resolved): NgramCounts {
  const chars = codePoints(resolved.whitespace ? sentence : pyRemoveWhitespace(sentence));
  const counts = charNgrams(chars, resolved.charOrder);
  if (resolved.wordOrder > 0) counts.push(...wordNgrams(chrFWords(sentence), resolved.wordOrder));
  return counts;
}

/** F-score from [hyp, ref, match] triples per order (sacreBLEU's CHRF._compute_f_score), in percent. */
function fScore(stats: readonly number[], resolved: Resolved): number {
  const eps = 1e-16;
  const factor = resolved.beta ** 2;
  const order = resolved.charOrder + resolved.wordOrder;
  let score = 0;
  let avgPrec = 0;
  let avgRec = 0;
  let effectiveOrder = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = [stats[3 * i], stats[3 * i + 1], stats[3 * i + 2]];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder++;
    }
  }
  if (resolved.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  // Same operation order as sacreBLEU, so the last bits agree too.
  return 100 * (((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec));
}

/** [hyp, ref, match] per order of one hypothesis against one reference. */
function matchStatistics(hyp: NgramCounts, ref: NgramCounts): number[] {
  const stats: number[] = [];
  hyp.forEach((h, i) => {
    const r = ref[i];
    // A hypothesis n-gram counts only where the reference has n-grams of that order at all.
    stats.push(r.size > 0 ? totalCount(h) : 0, totalCount(r), clippedMatches(h, r));
  });
  return stats;
}

/** chrF's statistics summed over a corpus: `stats[3i..3i+2]` = hypothesis, reference, matched n-grams of order i. */
export interface ChrFStatistics {
  readonly stats: readonly number[];
  readonly numRefs: number | 'var';
}

/** Sums chrF statistics over the corpus; with several references each segment uses the one of best F. */
export function chrFStatistics(hypotheses: readonly string[], references: References, options: ChrFOptions = {}): ChrFStatistics {
  return statisticsFor('chrFStatistics', hypotheses, references, resolve('chrFStatistics', options));
}

function statisticsFor(op: string, hypotheses: readonly string[], references: References, resolved: Resolved): ChrFStatistics {
  const { segments, numRefs } = referencesBySegment(op, hypotheses, references);
  const prep = (s: string): string => (resolved.lowercase ? s.toLowerCase() : s);
  const total = new Array<number>(3 * (resolved.charOrder + resolved.wordOrder)).fill(0);
  hypotheses.forEach((hyp, i) => {
    const hypCounts = extract(prep(hyp), resolved);
    let best: number[] = [];
    let bestF = -1;
    for (const ref of segments[i]) {
      const stats = matchStatistics(hypCounts, extract(prep(ref), resolved));
      const f = fScore(stats, resolved);
      if (f > bestF) [best, bestF] = [stats, f];
    }
    best.forEach((v, j) => (total[j] += v));
  });
  return { stats: total, numRefs };
}

function scoreOf(stats: ChrFStatistics, resolved: Resolved): ChrFScore {
  const signature = `nrefs:${stats.numRefs}|case:${resolved.lowercase ? 'lc' : 'mixed'}|eff:${resolved.epsSmoothing ? 'no' : 'yes'}` +
    `|nc:${resolved.charOrder}|nw:${resolved.wordOrder}|space:${resolved.whitespace ? 'yes' : 'no'}|version:${SACREBLEU_VERSION} (gloss)`;
  return {
    score: fScore(stats.stats, resolved), name: `chrF${resolved.beta}${'+'.repeat(resolved.wordOrder)}`,
    charOrder: resolved.charOrder, wordOrder: resolved.wordOrder, beta: resolved.beta, signature,
  };
}

/**
 * Corpus chrF as sacreBLEU's `CHRF().corpus_score`: statistics summed over all segments, then one F-score
 * (not a mean of sentence scores). `wordOrder: 2` gives chrF++.
 * @param references one string per hypothesis, or reference streams `references[k][i]` (null = missing)
 * @example
 * corpusChrF(['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'],
 *            [['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
 *             ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']]).score;  // 59.73…
 */
export function corpusChrF(hypotheses: readonly string[], references: References, options: ChrFOptions = {}): ChrFScore {
  const resolved = resolve('corpusChrF', options);
  return scoreOf(statisticsFor('corpusChrF', hypotheses, references, resolved), resolved);
}

/** chrF of one segment against one or more references (sacrebleu.sentence_chrf). */
export function sentenceChrF(hypothesis: string, references: string | readonly string[], options: ChrFOptions = {}): ChrFScore {
  const refs = typeof references === 'string' ? [references] : references;
  if (!Array.isArray(refs) || refs.length === 0) {
    throw new ValueError('sentenceChrF', 'references must be a string or a non-empty array of strings');
  }
  if (typeof hypothesis !== 'string') throw new ValueError('sentenceChrF', `hypothesis must be a string, got ${typeof hypothesis}`);
  const resolved = resolve('sentenceChrF', options);
  return scoreOf(statisticsFor('sentenceChrF', [hypothesis], refs.map((r) => [r]), resolved), resolved);
}

/** sacreBLEU's one-line report, e.g. `chrF2 = 59.73`; `width` is the number of decimals. */
export function formatChrF(chrf: ChrFScore, width = 2): string {
  return `${chrf.name} = ${pyFixed(chrf.score, width)}`;
}
