// Measurements of the Tatoeba splits for their README (`npm run generate -w @gloss/datasets -- --stats`):
// pairs and distinct English sentences per split, median and 90th-percentile lengths in words.
import type { Splits, SplitName } from '../corpus-files.js';
import type { TranslationPair } from '../translation/pairs.js';
import type { TatoebaReport } from './split.js';

/** The q-quantile of `values` by nearest rank (q in (0, 1]); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** Words of a normalized sentence: its space-separated pieces (punctuation attached, as written). */
export function wordCount(text: string): number {
  return text.split(' ').length;
}

const SPLIT_ORDER: readonly SplitName[] = ['train', 'valid', 'test'];
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Lines describing one language pair's splits and what the split dropped, e.g.
 * `en-fr train: 160,847 pairs, 112,830 distinct English; English words median 6, p90 9; French words median 6, p90 10`.
 */
export function describeTatoeba(pair: string, targetName: string, splits: Splits<TranslationPair>, report: TatoebaReport): string[] {
  const out = [
    `${pair}: ${count(report.lines)} lines, ${count(report.sources)} distinct English sentences; ` +
      `${count(report.normalized)} lines normalized (${Object.entries(report.spaces).map(([k, n]) => `${k} in ${count(n)}`).join(', ')}); ` +
      `dropped ${count(report.malformed)} malformed, ${count(report.duplicates)} duplicate pairs after normalization, ` +
      `${count(report.heldOutExtra)} further translations of valid/test sentences`,
  ];
  for (const name of SPLIT_ORDER) {
    const pairs = splits[name];
    const side = (label: string, words: number[]) => `${label} words median ${quantile(words, 0.5)}, p90 ${quantile(words, 0.9)}`;
    out.push(`  ${name}: ${count(pairs.length)} pairs, ${count(new Set(pairs.map((p) => p.src)).size)} distinct English; ` +
      `${side('English', pairs.map((p) => wordCount(p.src)))}; ${side(targetName, pairs.map((p) => wordCount(p.tgt)))}`);
  }
  return out;
}
