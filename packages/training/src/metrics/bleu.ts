// Corpus and sentence BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it (metrics/bleu.py):
// BLEU = BP · exp(Σₙ log pₙ / N), pₙ the clipped n-gram precision (max counts over references),
// BP = exp(1 − r/c) when the hypothesis length c is below r, the sum of the closest reference lengths.
import { ShapeError, ValueError } from '@gloss/tensor';
import { bleuTokenizer, type BleuTokenizerName } from './bleu-tokenizers.js';
import { clippedMatches, wordNgrams, type NgramCounts } from './ngrams.js';
import { pyFixed, pyRstrip, pySplit } from './python-text.js';
import { referencesBySegment, type References } from './references.js';

/** The sacreBLEU release whose algorithm, defaults and signature format these metrics reproduce. */
export const SACREBLEU_VERSION = '2.6.0';

/**
 * Smoothing for n-gram orders with no match (Chen & Cherry, 2014): 'exp' (sacreBLEU's default, mteval's
 * NIST smoothing: the k-th zero precision becomes 1/(2ᵏ·total)), 'floor' (a zero count becomes
 * `smoothValue`, default 0.1), 'add-k' (adds `smoothValue`, default 1, to counts and totals of orders ≥ 2),
 * 'none'.
 */
export type BleuSmoothMethod = 'exp' | 'none' | 'floor' | 'add-k';

const SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | null> = { exp: null, none: null, floor: 0.1, 'add-k': 1 };

/** Options of corpusBleu, sentenceBleu and computeBleu; the defaults are sacreBLEU's. */
export interface BleuOptions {
  /** Tokenizer applied to hypotheses and references. Default '13a'. */
  readonly tokenize?: BleuTokenizerName;
  /** Lowercase both sides first (signature `case:lc`). Default false. */
  readonly lowercase?: boolean;
  /** Default 'exp'. */
  readonly smoothMethod?: BleuSmoothMethod;
  /** The value of 'floor' (default 0.1) or 'add-k' (default 1); ignored by 'exp' and 'none'. */
  readonly smoothValue?: number;
  /** Highest n-gram order. Default 4. */
  readonly maxNgramOrder?: number;
  /**
   * Average only over the orders the hypotheses are long enough to have (signature `eff:yes`). Default false
   * for corpusBleu, true for sentenceBleu (as sacrebleu.sentence_bleu).
   */
  readonly effectiveOrder?: boolean;
}

/** BLEU's sufficient statistics, summed over segments; add two with mergeBleuStatistics. */
export interface BleuStatistics {
  /** Hypothesis tokens. */
  readonly sysLen: number;
  /** Σ over segments of the reference length closest to the hypothesis length (the shorter on ties). */
  readonly refLen: number;
  /** `correct[n - 1]`: clipped matches of order n. */
  readonly correct: readonly number[];
  /** `total[n - 1]`: hypothesis n-grams of order n. */
  readonly total: readonly number[];
  /** References per segment, or 'var' when it differs (the signature's `nrefs`). */
  readonly numRefs: number | 'var';
}

/** A BLEU result, with sacreBLEU's names in camelCase. Score and precisions are percentages (0–100). */
export interface BleuScore {
  readonly score: number;
  /** `precisions[n - 1]`: smoothed n-gram precision in percent (all 0 when nothing matched). */
  readonly precisions: readonly number[];
  /** Brevity penalty in [0, 1]. */
  readonly bp: number;
  /** sysLen / refLen (0 when refLen is 0). */
  readonly ratio: number;
  readonly sysLen: number;
  readonly refLen: number;
  /** Clipped matches per order, before any add-k smoothing. */
  readonly counts: readonly number[];
  /** Hypothesis n-grams per order, before any add-k smoothing. */
  readonly totals: readonly number[];
  /** sacreBLEU's reproducibility signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 (gloss)`. */
  readonly signature: string;
}

interface ResolvedOptions {
  readonly tokenize: BleuTokenizerName;
  readonly lowercase: boolean;
  readonly smoothMethod: BleuSmoothMethod;
  readonly smoothValue: number | null;
  readonly maxNgramOrder: number;
  readonly effectiveOrder: boolean;
}

function resolveOptions(op: string, options: BleuOptions, defaultEffectiveOrder: boolean): ResolvedOptions {
  const { tokenize = '13a', lowercase = false, smoothMethod = 'exp', maxNgramOrder = 4 } = options;
  const effectiveOrder = options.effectiveOrder ?? defaultEffectiveOrder;
  bleuTokenizer(tokenize, op); // throws for an unknown name
  if (!Object.hasOwn(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new ValueError(op, `unknown smoothMethod ${JSON.stringify(smoothMethod)} (expected exp, none, floor or add-k)`);
  }
  if (!Number.isInteger(maxNgramOrder) || maxNgramOrder < 1) {
    throw new ValueError(op, `maxNgramOrder must be an integer ≥ 1, got ${maxNgramOrder}`);
  }
  const { smoothValue } = options;
  if (smoothValue !== undefined && !(Number.isFinite(smoothValue) && smoothValue >= 0)) {
    throw new ValueError(op, `smoothValue must be a finite number ≥ 0, got ${smoothValue}`);
  }
  return {
    tokenize, lowercase: Boolean(lowercase), smoothMethod, maxNgramOrder, effectiveOrder: Boolean(effectiveOrder),
    smoothValue: smoothValue ?? SMOOTH_DEFAULTS[smoothMethod],
  };
}

/** sacreBLEU's signature: nrefs, case, eff, tok, smooth (with its value for floor / add-k), version. */
function signatureOf(numRefs: number | 'var', resolved: ResolvedOptions): string {
  const smooth = SMOOTH_DEFAULTS[resolved.smoothMethod] === null ? resolved.smoothMethod : `${resolved.smoothMethod}[${pyFixed(resolved.smoothValue!, 2)}]`;
  return `nrefs:${numRefs}|case:${resolved.lowercase ? 'lc' : 'mixed'}|eff:${resolved.effectiveOrder ? 'yes' : 'no'}` +
    `|tok:${resolved.tokenize}|smooth:${smooth}|version:${SACREBLEU_VERSION} (gloss)`;
}

/** Merges reference n-gram counts by taking each n-gram's largest count over the references. */
function maxCounts(all: NgramCounts[]): NgramCounts {
  if (all.length === 1) return all[0];
  const merged = all[0].map((m) => new Map(m));
  for (let r = 1; r < all.length; r++) {
    all[r].forEach((map, n) => {
      const into = merged[n];
      for (const [gram, count] of map) if (count > (into.get(gram) ?? 0)) into.set(gram, count);
    });
  }
  return merged;
}

/** The reference length closest to hypLen; on a tie the shorter one (sacreBLEU's _get_closest_ref_len). */
function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let bestDiff = -1;
  let best = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff) [bestDiff, best] = [diff, len];
    else if (diff === bestDiff && len < best) best = len;
  }
  return best;
}

/**
 * Tokenizes the corpus and sums BLEU's sufficient statistics over its segments.
 * @param hypotheses one string per segment
 * @param references see `References` (sacreBLEU's layout: one string per hypothesis, or streams)
 */
export function bleuStatistics(hypotheses: readonly string[], references: References, options: BleuOptions = {}): BleuStatistics {
  return statisticsFor('bleuStatistics', hypotheses, references, resolveOptions('bleuStatistics', options, false));
}

function statisticsFor(op: string, hypotheses: readonly string[], references: References, resolved: ResolvedOptions): BleuStatistics {
  const { segments, numRefs } = referencesBySegment(op, hypotheses, references);
  const tokenizer = bleuTokenizer(resolved.tokenize);
  // sacreBLEU's _preprocess_segment (lowercase, rstrip, tokenize), then Python's split() into tokens.
  const tokens = (s: string): string[] => pySplit(tokenizer(pyRstrip(resolved.lowercase ? s.toLowerCase() : s)));
  const N = resolved.maxNgramOrder;
  const correct = new Array<number>(N).fill(0);
  const total = new Array<number>(N).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const refTokens = segments[i].map(tokens);
    const refCounts = maxCounts(refTokens.map((t) => wordNgrams(t, N)));
    const hypTokens = tokens(hyp);
    const hypCounts = wordNgrams(hypTokens, N);
    sysLen += hypTokens.length;
    refLen += closestRefLen(hypTokens.length, refTokens.map((t) => t.length));
    for (let n = 1; n <= N; n++) {
      total[n - 1] += Math.max(0, hypTokens.length - n + 1);
      correct[n - 1] += clippedMatches(hypCounts[n - 1], refCounts[n - 1]);
    }
  });
  return { sysLen, refLen, correct, total, numRefs };
}

/** Adds the statistics of two parts of a corpus (e.g. shards scored separately). */
export function mergeBleuStatistics(a: BleuStatistics, b: BleuStatistics): BleuStatistics {
  if (a.correct.length !== b.correct.length) {
    throw new ShapeError('mergeBleuStatistics', `orders differ: a has ${a.correct.length}, b has ${b.correct.length}`);
  }
  return {
    sysLen: a.sysLen + b.sysLen,
    refLen: a.refLen + b.refLen,
    correct: a.correct.map((c, i) => c + b.correct[i]),
    total: a.total.map((t, i) => t + b.total[i]),
    numRefs: a.numRefs === b.numRefs ? a.numRefs : 'var',
  };
}

/** sacreBLEU's my_log: log, floored to −9999999999 at 0 so that exp() of the mean gives 0. */
const myLog = (p: number): number => (p === 0 ? -9999999999 : Math.log(p));

/**
 * BLEU from sufficient statistics with smoothing (sacreBLEU's BLEU.compute_bleu). The order is
 * `stats.correct.length`; `options.maxNgramOrder`, if given, must agree.
 */
export function computeBleu(stats: BleuStatistics, options: BleuOptions = {}): BleuScore {
  const N = stats.correct.length;
  const resolved = resolveOptions('computeBleu', { ...options, maxNgramOrder: options.maxNgramOrder ?? N }, false);
  if (resolved.maxNgramOrder !== N || stats.total.length !== N) {
    throw new ShapeError('computeBleu', `statistics have ${N} correct and ${stats.total.length} total orders but maxNgramOrder is ${resolved.maxNgramOrder}`);
  }
  const { sysLen, refLen } = stats;
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const base = { bp, ratio: refLen ? sysLen / refLen : 0, sysLen, refLen, counts: [...stats.correct], totals: [...stats.total], signature: signatureOf(stats.numRefs, resolved) };
  const precisions = new Array<number>(N).fill(0);
  // No match at any order: 0, not a smoothed positive score (sacreBLEU #141).
  if (!stats.correct.some((c) => c !== 0)) return { score: 0, precisions, ...base };

  const correct = [...stats.correct];
  const total = [...stats.total];
  const k = resolved.smoothValue ?? 0;
  let smoothMteval = 1;
  let effOrder = N;
  for (let n = 1; n <= N; n++) {
    if (resolved.smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] += k;
      total[n - 1] += k;
    }
    // Hypotheses too short for this order: stop (a zero precision unless effectiveOrder drops the order).
    if (total[n - 1] === 0) break;
    if (resolved.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (resolved.smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (resolved.smoothMethod === 'floor') {
        precisions[n - 1] = (100 * k) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  let sumLog = 0;
  for (let n = 0; n < effOrder; n++) sumLog += myLog(precisions[n]);
  return { score: bp * Math.exp(sumLog / effOrder), precisions, ...base };
}

/**
 * Corpus BLEU as sacreBLEU's `BLEU().corpus_score` (13a tokenization, 4-grams, exp smoothing by default).
 * @param hypotheses one string per segment (detokenized text, as sacreBLEU expects)
 * @param references one string per hypothesis, or reference streams `references[k][i]` (null = missing)
 * @example
 * const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
 * const refs = [['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
 *               ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.']];
 * const bleu = corpusBleu(hyps, refs);
 * bleu.score;      // 48.530827009929865
 * bleu.signature;  // 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 (gloss)'
 * formatBleu(bleu);  // 'BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)'
 */
export function corpusBleu(hypotheses: readonly string[], references: References, options: BleuOptions = {}): BleuScore {
  return computeBleu(statisticsFor('corpusBleu', hypotheses, references, resolveOptions('corpusBleu', options, false)), options);
}

/**
 * BLEU of one segment as sacrebleu.sentence_bleu: exp smoothing and effective order by default.
 * @example
 * sentenceBleu('a test', 'this is a test').score;  // ≈ 36.788: BP = e^(1 − 4/2), both precisions 100 %
 */
export function sentenceBleu(hypothesis: string, references: string | readonly string[], options: BleuOptions = {}): BleuScore {
  const refs = typeof references === 'string' ? [references] : references;
  if (!Array.isArray(refs) || refs.length === 0) {
    throw new ValueError('sentenceBleu', 'references must be a string or a non-empty array of strings');
  }
  if (typeof hypothesis !== 'string') throw new ValueError('sentenceBleu', `hypothesis must be a string, got ${typeof hypothesis}`);
  const withDefault = { ...options, effectiveOrder: options.effectiveOrder ?? true };
  const stats = statisticsFor('sentenceBleu', [hypothesis], refs.map((r) => [r]), resolveOptions('sentenceBleu', withDefault, true));
  return computeBleu(stats, withDefault);
}

/**
 * sacreBLEU's one-line report: `BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)`,
 * numbers rounded as Python formats them. `width` is the score's decimals (sacreBLEU's `-w`).
 */
export function formatBleu(bleu: BleuScore, width = 2): string {
  const precisions = bleu.precisions.map((p) => pyFixed(p, 1)).join('/');
  return `BLEU = ${pyFixed(bleu.score, width)} ${precisions} (BP = ${pyFixed(bleu.bp, 3)} ratio = ${pyFixed(bleu.ratio, 3)} ` +
    `hyp_len = ${bleu.sysLen} ref_len = ${bleu.refLen})`;
}
