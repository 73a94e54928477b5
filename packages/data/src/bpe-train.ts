// Learning byte-pair-encoding merges (Sennrich et al. 2016, §3.2) from word counts. Pair counts are kept
// incrementally: a merge touches only the words that contain the pair, not the whole corpus.
import { DataError } from './errors.js';
import { PriorityQueue } from './priority-queue.js';

/** Options of `learnBpe`. */
export interface LearnBpeOptions {
  /** Most tokens to return: alphabet plus merged tokens. */
  readonly maxTokens: number;
  /** Stop when the most frequent pair occurs fewer times than this. */
  readonly minFrequency: number;
  /** Characters seen fewer times stay out of the alphabet (they become unknown). */
  readonly minCharFrequency: number;
  /** Strings no merge may produce (special and byte tokens); such pairs are never merged. */
  readonly reserved?: ReadonlySet<string>;
}

/** What training learned: the base characters and the merges, in order. */
export interface BpeModel {
  /** Base characters, most frequent first (ties by code-unit order). */
  readonly alphabet: string[];
  /** [left, right] in the order learned; the rank of a merge is its index. */
  readonly merges: [string, string][];
  /** The new tokens the merges made, in order, without repeats. */
  readonly mergedTokens: string[];
  /** Corpus frequency of each alphabet character, then of each merged token when it was made. */
  readonly counts: number[];
}


interface Candidate {
  readonly a: number;
  readonly b: number;
  readonly count: number;
}

/**
 * Learns BPE merges from `wordCounts` (pre-tokenized pieces → frequency). Each step merges the most
 * frequent adjacent pair; ties go to the pair whose left token, then right token, sorts first
 * (code-unit order), so the result depends on the counts only, never on Map order or timing.
 * @example
 * learnBpe(new Map([['low', 5], ['lower', 2]]), { maxTokens: 7, minFrequency: 2, minCharFrequency: 1 })
 *   .merges;  // [['l', 'o'], ['lo', 'w']]
 */
export function learnBpe(wordCounts: ReadonlyMap<string, number>, options: LearnBpeOptions): BpeModel {
  const { maxTokens, minFrequency, minCharFrequency, reserved = new Set<string>() } = options;
  const { alphabet, counts } = chooseAlphabet(wordCounts, minCharFrequency, maxTokens);
  const tokens = [...alphabet];
  const tokenId = new Map(tokens.map((token, id) => [token, id]));
  const pairs = countPairs(wordCounts, tokenId, Math.max(maxTokens, 1));
  const { stride, pairCount } = pairs;

  // Highest count first; ties by the left token's text, then the right token's.
  const queue = new PriorityQueue<Candidate>((x, y) => {
    if (x.count !== y.count) return x.count > y.count;
    const [xa, ya] = [tokens[x.a], tokens[y.a]];
    if (xa !== ya) return xa < ya;
    return tokens[x.b] < tokens[y.b];
  });
  for (const [key, count] of pairCount) queue.push({ a: Math.floor(key / stride), b: key % stride, count });

  const merges: [string, string][] = [];
  const mergedTokens: string[] = [];
  while (tokens.length < maxTokens) {
    const best = queue.pop();
    if (best === undefined) break;
    const key = best.a * stride + best.b;
    if (pairCount.get(key) !== best.count) continue; // stale entry: the count changed since it was pushed
    if (best.count < minFrequency) break;
    const merged = tokens[best.a] + tokens[best.b];
    if (reserved.has(merged)) {
      pairCount.delete(key); // never merge into a special or byte token
      continue;
    }
    let id = tokenId.get(merged);
    if (id === undefined) {
      id = tokens.push(merged) - 1;
      tokenId.set(merged, id);
      mergedTokens.push(merged);
      counts.push(best.count);
    }
    merges.push([tokens[best.a], tokens[best.b]]);
    mergeEverywhere(pairs, best, id, queue);
  }
  return { alphabet, merges, mergedTokens, counts };
}

/** The base characters seen at least minCharFrequency times, most frequent first (ties by code-unit order), and their counts. */
function chooseAlphabet(wordCounts: ReadonlyMap<string, number>, minCharFrequency: number, maxTokens: number): { alphabet: string[]; counts: number[] } {
  const charCounts = countChars(wordCounts);
  const alphabet = [...charCounts.entries()]
    .filter(([, count]) => count >= minCharFrequency)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .map(([char]) => char);
  if (alphabet.length > maxTokens) {
    throw new DataError('learnBpe', `the corpus has ${alphabet.length} characters with frequency >= ${minCharFrequency} but only ${maxTokens} tokens fit (raise vocabSize or minCharFrequency)`);
  }
  return { alphabet, counts: alphabet.map((char) => charCounts.get(char) as number) };
}

/** Every distinct word as token ids, and the count of each adjacent pair with the words it occurs in. */
interface PairCounts {
  /**
   * Pair (a, b) of token ids is the one number a * stride + b: a small integer (a V8 Smi, fast as a Map key)
   * while maxTokens <= 32768.
   */
  readonly stride: number;
  /** Each distinct word as a sequence of token ids; -1 marks a character outside the alphabet. */
  readonly words: number[][];
  readonly freqs: number[];
  readonly pairCount: Map<number, number>;
  /** Words that contain each pair; stale entries and repeats are allowed (cheaper than Sets). */
  readonly pairWords: Map<number, number[]>;
}

function countPairs(wordCounts: ReadonlyMap<string, number>, tokenId: ReadonlyMap<string, number>, stride: number): PairCounts {
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, freq] of wordCounts) {
    words.push(Array.from(word, (char) => tokenId.get(char) ?? -1));
    freqs.push(freq);
  }
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  words.forEach((symbols, w) => {
    for (let i = 0; i + 1 < symbols.length; i++) {
      if (symbols[i] < 0 || symbols[i + 1] < 0) continue;
      const key = symbols[i] * stride + symbols[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + freqs[w]);
      addTo(pairWords, key, w);
    }
  });
  return { stride, words, freqs, pairCount, pairWords };
}

/**
 * Merges pair (best.a, best.b) into token `id` in every word that holds it, and re-counts only those words:
 * subtract their old pairs, add their new ones (only pairs with the new token are new to a word, so only those
 * add it to pairWords); changed counts go back on the queue.
 */
function mergeEverywhere({ stride, words, freqs, pairCount, pairWords }: PairCounts, best: Candidate, id: number, queue: PriorityQueue<Candidate>): void {
  const key = best.a * stride + best.b;
  const delta = new Map<number, number>();
  for (const w of pairWords.get(key) ?? []) {
    const before = words[w];
    const after = mergePair(before, best.a, best.b, id);
    if (after === before) continue; // a stale or repeated entry: the pair is no longer in this word
    const freq = freqs[w];
    for (let i = 0; i + 1 < before.length; i++) {
      if (before[i] < 0 || before[i + 1] < 0) continue;
      const k = before[i] * stride + before[i + 1];
      delta.set(k, (delta.get(k) ?? 0) - freq);
    }
    for (let i = 0; i + 1 < after.length; i++) {
      const [x, y] = [after[i], after[i + 1]];
      if (x < 0 || y < 0) continue;
      const k = x * stride + y;
      delta.set(k, (delta.get(k) ?? 0) + freq);
      if (x === id || y === id) addTo(pairWords, k, w);
    }
    words[w] = after;
  }
  pairCount.delete(key);
  pairWords.delete(key);
  for (const [k, d] of delta) {
    if (d === 0 || k === key) continue;
    const count = (pairCount.get(k) ?? 0) + d;
    if (count > 0) {
      pairCount.set(k, count);
      queue.push({ a: Math.floor(k / stride), b: k % stride, count });
    } else {
      pairCount.delete(k);
    }
  }
}

/** Corpus frequency of every character (code point). */
function countChars(wordCounts: ReadonlyMap<string, number>): Map<string, number> {
  const charCounts = new Map<string, number>();
  for (const [word, freq] of wordCounts) {
    for (const char of word) charCounts.set(char, (charCounts.get(char) ?? 0) + freq);
  }
  return charCounts;
}

function addTo(pairWords: Map<number, number[]>, key: number, word: number): void {
  const where = pairWords.get(key);
  if (where) where.push(word);
  else pairWords.set(key, [word]);
}

/**
 * Replaces every non-overlapping (a, b), left to right, by `merged`; returns `symbols` itself when the
 * pair does not occur. Shared with encoding so that training and encoding segment words alike.
 */
export function mergePair(symbols: readonly number[], a: number, b: number, merged: number): number[] {
  let out: number[] | undefined;
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && i + 1 < symbols.length && symbols[i + 1] === b) {
      out ??= symbols.slice(0, i);
      out.push(merged);
      i++;
    } else if (out) {
      out.push(symbols[i]);
    }
  }
  return out ?? (symbols as number[]);
}
