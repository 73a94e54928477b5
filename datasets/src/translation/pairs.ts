// The translation corpus: English→French pairs realized from sampled clauses, 4–16 English words,
// each English sentence once.
import { Generator, ValueError } from '@gloss/tensor';
import { realizeEnglish } from './english.js';
import { realizeFrench } from './french.js';
import { sampleClause } from './sample.js';
import type { Clause } from './types.js';

/** One English→French pair (the shape @gloss/data's readers produce: `src`, `tgt`). */
export interface TranslationPair {
  readonly src: string;
  readonly tgt: string;
}

/** Options of `generateTranslationPairs`. */
export interface TranslationOptions {
  /** Seed of the Generator every choice is drawn from. */
  readonly seed: number | string;
  /** How many pairs; sources are distinct. */
  readonly count: number;
}

/** Shortest and longest English sentence kept, in words. */
export const MIN_WORDS = 4;
export const MAX_WORDS = 16;

/** Probability of keeping a statement of 4–8 words (longer ones are always kept). */
const KEEP_SHORT: Record<number, number> = { 4: 0.15, 5: 0.25, 6: 0.4, 7: 0.6, 8: 0.85 };

/** A clause with its two realizations. */
export interface RealizedClause {
  readonly clause: Clause;
  readonly src: string;
  readonly tgt: string;
}

/** Samples one clause whose English has MIN_WORDS–MAX_WORDS words, and realizes it on both sides. */
export function sampleRealizedClause(g: Generator): RealizedClause {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const clause = sampleClause(g);
    const src = realizeEnglish(clause);
    const words = src.split(' ').length;
    // Keep short statements less often, so lengths center near 9 words rather than 7 (questions, short by
    // nature, are all kept).
    const keep = clause.mood === 'statement' ? KEEP_SHORT[words] ?? 1 : 1;
    if (words >= MIN_WORDS && words <= MAX_WORDS && g.random() < keep) {
      return { clause, src, tgt: realizeFrench(clause) };
    }
  }
  throw new ValueError('sampleRealizedClause', `no sentence of ${MIN_WORDS}–${MAX_WORDS} words in 10000 draws`);
}

/**
 * English→French pairs from the corpus grammar (word order, agreement, conjugation, negation, questions,
 * numbers), `count` of them with distinct English sides. Same seed, same pairs, on every machine.
 * @example
 * generateTranslationPairs({ seed: 42, count: 2 });
 * // [{ src: 'A rich queen does not close his castles.', tgt: 'Une reine riche ne ferme pas ses châteaux.' },
 * //  { src: "The brown computer is in Paul's cupboard.", tgt: "L'ordinateur marron est dans le placard de Paul." }]
 */
export function generateTranslationPairs(options: TranslationOptions): TranslationPair[] {
  const { seed, count } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new ValueError('generateTranslationPairs', `count must be a non-negative integer, got ${count}`);
  }
  const g = new Generator(seed);
  const seen = new Set<string>();
  const pairs: TranslationPair[] = [];
  let draws = 0;
  while (pairs.length < count) {
    if (++draws > 20 * count + 1000) {
      throw new ValueError('generateTranslationPairs', `only ${pairs.length} distinct sentences after ${draws - 1} draws; count ${count} is too large for the grammar`);
    }
    const { src, tgt } = sampleRealizedClause(g);
    if (seen.has(src)) continue;
    seen.add(src);
    pairs.push({ src: src.normalize('NFC'), tgt: tgt.normalize('NFC') });
  }
  return pairs;
}
