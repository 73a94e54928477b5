// N-gram counting for BLEU, chrF and ROUGE: one Map per order from the n-gram (as a string key) to its count.

/** `counts[n - 1]` maps each n-gram of order n to how often it occurs. */
export type NgramCounts = Map<string, number>[];

/**
 * Counts the word n-grams of orders 1..maxOrder; an n-gram's key is its tokens joined by one space, which is
 * unambiguous because tokens hold no whitespace.
 * @example
 * wordNgrams(['a', 'b', 'a'], 2);  // [Map { 'a' → 2, 'b' → 1 }, Map { 'a b' → 1, 'b a' → 1 }]
 */
export function wordNgrams(tokens: readonly string[], maxOrder: number): NgramCounts {
  const counts: NgramCounts = Array.from({ length: maxOrder }, () => new Map<string, number>());
  for (let i = 0; i < tokens.length; i++) {
    let key = tokens[i];
    for (let n = 1; n <= maxOrder && i + n <= tokens.length; n++) {
      if (n > 1) key += ' ' + tokens[i + n - 1];
      const map = counts[n - 1];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Counts the character n-grams of orders 1..maxOrder over `chars` (one entry per code point, as Python
 * indexes strings); the key of an n-gram is its characters concatenated.
 */
export function charNgrams(chars: readonly string[], maxOrder: number): NgramCounts {
  const counts: NgramCounts = Array.from({ length: maxOrder }, () => new Map<string, number>());
  for (let i = 0; i < chars.length; i++) {
    let key = '';
    for (let n = 1; n <= maxOrder && i + n <= chars.length; n++) {
      key += chars[i + n - 1];
      const map = counts[n - 1];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The clipped overlap Σ min(hyp[g], ref[g]) over the n-grams g of `hyp`. */
export function clippedMatches(hyp: Map<string, number>, ref: Map<string, number>): number {
  let matches = 0;
  for (const [gram, count] of hyp) {
    const inRef = ref.get(gram);
    if (inRef !== undefined) matches += Math.min(count, inRef);
  }
  return matches;
}

/** Σ of the counts: how many n-grams (with repeats) the map holds. */
export function totalCount(counts: Map<string, number>): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  return total;
}
