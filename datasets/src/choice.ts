// Seeded choices over a Generator from @gloss/tensor: every random decision the corpora make goes
// through these helpers, so a seed fixes every byte the generators write.
import { ValueError, type Generator } from '@gloss/tensor';

/** One element of `items`, uniformly. */
export function pick<T>(g: Generator, items: readonly T[]): T {
  if (items.length === 0) throw new ValueError('pick', 'items must not be empty');
  return items[g.int(items.length)];
}

/** One key of `weights`, with probability proportional to its weight (weights ≥ 0, not all 0). */
export function weighted<K extends string>(g: Generator, weights: Readonly<Partial<Record<K, number>>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (!(total > 0)) throw new ValueError('weighted', `weights must sum to a positive number, got ${total}`);
  let r = g.random() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  return entries[entries.length - 1][0];
}

/** True with probability `p`. */
export function chance(g: Generator, p: number): boolean {
  return g.random() < p;
}

/** Uniform integer in [lo, hi], both ends included. */
export function intBetween(g: Generator, lo: number, hi: number): number {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
    throw new ValueError('intBetween', `lo and hi must be integers with lo ≤ hi, got ${lo} and ${hi}`);
  }
  return lo + g.int(hi - lo + 1);
}

/** `count` distinct elements of `items` in random order. */
export function sample<T>(g: Generator, items: readonly T[], count: number): T[] {
  if (count > items.length) throw new ValueError('sample', `cannot draw ${count} distinct items from ${items.length}`);
  return g.shuffle(items.slice()).slice(0, count);
}
