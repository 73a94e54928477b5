// The committed corpus files as they are generated: fixed seeds, split sizes, and the exact bytes of
// translation/{train,valid,test}.tsv and summarization/{train,valid,test}.jsonl.
import { generateSummarizationExamples, type SummarizationExample } from './summarization/examples.js';
import { generateTranslationPairs, type TranslationPair } from './translation/pairs.js';

export const TRANSLATION_SEED = 'gloss/translation/v1';
export const SUMMARIZATION_SEED = 'gloss/summarization/v1';
export const TRANSLATION_SPLITS = { train: 20_000, valid: 1_000, test: 1_000 } as const;
export const SUMMARIZATION_SPLITS = { train: 5_000, valid: 500, test: 500 } as const;

export type SplitName = 'train' | 'valid' | 'test';
const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];

/** Splits in memory, exactly the committed files' records. */
export type Splits<T> = Record<SplitName, T[]>;

/** Path of a committed corpus file under datasets/. */
export type CorpusPath =
  | `translation/${SplitName}.tsv`
  | `summarization/${SplitName}.jsonl`
  | `tatoeba/${'en-fr' | 'en-de'}/${'train.tsv.gz' | 'valid.tsv' | 'test.tsv'}`;

/** A generated file: its path under datasets/, its text, and its bytes when they are not the text's UTF-8 (gzip). */
export interface CorpusFile {
  readonly path: string;
  readonly text: string;
  readonly bytes?: Uint8Array;
}

function split<T>(items: T[], sizes: Readonly<Record<SplitName, number>>): Splits<T> {
  const out = {} as Splits<T>;
  let start = 0;
  for (const name of SPLITS) {
    out[name] = items.slice(start, start + sizes[name]);
    start += sizes[name];
  }
  return out;
}

/**
 * The translation corpus's splits: 22,000 pairs with distinct English sides drawn in one stream, then
 * cut in order into train, valid and test (so no source appears in two splits).
 */
export function translationCorpus(): Splits<TranslationPair> {
  const total = TRANSLATION_SPLITS.train + TRANSLATION_SPLITS.valid + TRANSLATION_SPLITS.test;
  return split(generateTranslationPairs({ seed: TRANSLATION_SEED, count: total }), TRANSLATION_SPLITS);
}

/** The summarization corpus's splits: 9,000 examples with distinct articles, cut in order. */
export function summarizationCorpus(): Splits<SummarizationExample> {
  const total = SUMMARIZATION_SPLITS.train + SUMMARIZATION_SPLITS.valid + SUMMARIZATION_SPLITS.test;
  return split(generateSummarizationExamples({ seed: SUMMARIZATION_SEED, count: total }), SUMMARIZATION_SPLITS);
}

/** `english<TAB>french\n` per pair. */
export function toTsv(pairs: readonly TranslationPair[]): string {
  return pairs.map((p) => `${p.src}\t${p.tgt}\n`).join('');
}

/** `{"article":…,"summary":…}\n` per example. */
export function toJsonl(examples: readonly SummarizationExample[]): string {
  return examples.map((e) => `${JSON.stringify({ article: e.article, summary: e.summary })}\n`).join('');
}

/** Every committed corpus file, in a fixed order: what `npm run generate -w @gloss/datasets` writes. */
export function corpusFiles(): CorpusFile[] {
  const translation = translationCorpus();
  const summarization = summarizationCorpus();
  return [
    ...SPLITS.map((s) => ({ path: `translation/${s}.tsv`, text: toTsv(translation[s]) })),
    ...SPLITS.map((s) => ({ path: `summarization/${s}.jsonl`, text: toJsonl(summarization[s]) })),
  ];
}

/**
 * URL of a committed corpus file, for Node (`fileURLToPath`) or a bundler.
 * @example
 * readTsvPairs(fileURLToPath(corpusFileUrl('translation/train.tsv')));
 */
export function corpusFileUrl(path: CorpusPath): URL {
  return new URL(`../${path}`, import.meta.url);
}
