// The Tatoeba split: normalize spaces, group the pairs by distinct English sentence, shuffle the distinct
// sentences with a seeded Generator, hold out valid and test (one pair per sentence), train keeps the rest.
import { Generator, ValueError } from '@gloss/tensor';
import type { Splits } from '../corpus-files.js';
import type { TranslationPair } from '../translation/pairs.js';

/** Seed of the shuffle of distinct English sentences behind the committed tatoeba/ splits. */
export const TATOEBA_SEED = 'gloss/tatoeba/v1';
/** Distinct English sentences held out per language pair; train gets all the others. */
export const TATOEBA_HELD_OUT = { valid: 2_000, test: 2_000 } as const;

/** The space characters normalizeSentence replaces, counted by line in TatoebaReport.spaces. */
export const SPACE_CHARACTERS = { 'U+202F': '\u202F', 'U+00A0': '\u00A0', 'U+2009': '\u2009', 'U+200B': '\u200B' } as const;

/**
 * One side of a pair as every split writes it (and as training and scoring then read it): U+200B (zero
 * width space) removed, every whitespace character (U+202F before French ! and ?, U+00A0, U+2009, …) a
 * plain space, runs of spaces one space, both ends trimmed.
 * @example
 * normalizeSentence('Va\u202F!') // 'Va !'
 */
export function normalizeSentence(text: string): string {
  if (!/\u200B|[^\S ]|  |^ | $/.test(text)) return text; // fast path: no space but single inner U+0020 spaces
  return text.replace(/\u200B/g, '').replace(/\s+/g, ' ').trim();
}

/** What splitTatoeba read, changed and left out. */
export interface TatoebaReport {
  /** Lines of the input. */
  readonly lines: number;
  /** Lines changed by normalizeSentence (either side). */
  readonly normalized: number;
  /** Lines holding each replaced space character. */
  readonly spaces: Readonly<Record<keyof typeof SPACE_CHARACTERS, number>>;
  /** Dropped: fewer than two tab-separated fields, or a side blank after normalization. */
  readonly malformed: number;
  /** Dropped: a pair equal, after normalization, to an earlier pair. */
  readonly duplicates: number;
  /** Distinct English sentences. */
  readonly sources: number;
  /** Translations of valid and test sentences after their first, not written (each source is scored once). */
  readonly heldOutExtra: number;
}

/** splitTatoeba's result: the three splits and what was dropped on the way. */
export interface TatoebaSplit {
  readonly splits: Splits<TranslationPair>;
  readonly report: TatoebaReport;
}

/** Options of splitTatoeba; the defaults are what made the committed files. */
export interface TatoebaSplitOptions {
  readonly seed?: number | string;
  readonly valid?: number;
  readonly test?: number;
}

/**
 * Splits Tatoeba's `English<TAB>Translation` lines by distinct English sentence, so no English sentence
 * is in two splits. The distinct sentences (in order of first appearance) are shuffled with
 * `new Generator(seed)`; the first `valid` go to valid, the next `test` to test, each with its first
 * translation in file order and in shuffled order (a prefix of valid or test is a random sample); the
 * rest go to train with every translation, in file order (the export's shortest-to-longest order, which
 * gzips 10% smaller; a trainer shuffles anyway).
 * @example
 * const { splits, report } = splitTatoeba(gunzipSync(readFileSync('tatoeba-en-fr.tsv.gz')).toString('utf8'));
 */
export function splitTatoeba(text: string, options: TatoebaSplitOptions = {}): TatoebaSplit {
  const { seed = TATOEBA_SEED, valid = TATOEBA_HELD_OUT.valid, test = TATOEBA_HELD_OUT.test } = options;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the final newline ends the last line; it starts none
  const spaces = Object.fromEntries(Object.keys(SPACE_CHARACTERS).map((k) => [k, 0])) as Record<keyof typeof SPACE_CHARACTERS, number>;
  const groups = new Map<string, string[]>(); // English → its translations, in file order
  const pairs: TranslationPair[] = []; // every distinct pair, in file order
  const seen = new Set<string>();
  let normalized = 0;
  let malformed = 0;
  let duplicates = 0;
  const spaceCounts = Object.entries(SPACE_CHARACTERS) as [keyof typeof SPACE_CHARACTERS, string][];
  for (const line of lines) {
    for (const [name, char] of spaceCounts) if (line.includes(char)) spaces[name]++;
    const fields = line.split('\t');
    const src = normalizeSentence(fields[0]);
    const tgt = normalizeSentence(fields[1] ?? '');
    if (fields.length < 2 || src === '' || tgt === '') {
      malformed++;
      continue;
    }
    if (src !== fields[0] || tgt !== fields[1]) normalized++;
    const key = `${src}\t${tgt}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    pairs.push({ src, tgt });
    const translations = groups.get(src);
    if (translations) translations.push(tgt);
    else groups.set(src, [tgt]);
  }
  const sources = [...groups.keys()];
  if (sources.length <= valid + test) {
    throw new ValueError('splitTatoeba', `valid ${valid} + test ${test} must leave train at least one of the ${sources.length} distinct English sentences`);
  }
  new Generator(seed).shuffle(sources);
  const heldOut = sources.slice(0, valid + test);
  const first = (src: string): TranslationPair => ({ src, tgt: groups.get(src)![0] });
  const held = new Set(heldOut);
  const splits: Splits<TranslationPair> = {
    train: pairs.filter((p) => !held.has(p.src)),
    valid: heldOut.slice(0, valid).map(first),
    test: heldOut.slice(valid).map(first),
  };
  const heldOutExtra = heldOut.reduce((n, src) => n + groups.get(src)!.length - 1, 0);
  return {
    splits,
    report: { lines: lines.length, normalized, spaces, malformed, duplicates, sources: sources.length, heldOutExtra },
  };
}
