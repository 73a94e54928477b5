// The summarization corpus: match reports, weather bulletins and product notices in equal measure,
// each an article of 3–6 sentences (40–90 words) whose lead is not the summary.
import { Generator, ValueError } from '@gloss/tensor';
import type { Report } from './common.js';
import { sampleMatchReport } from './match-report.js';
import { sampleProductNotice } from './product-notice.js';
import { sampleWeatherBulletin } from './weather-bulletin.js';

/** One JSONL record: `{"article": …, "summary": …}`. */
export interface SummarizationExample {
  readonly article: string;
  readonly summary: string;
}

/** Options of `generateSummarizationExamples`. */
export interface SummarizationOptions {
  /** Seed of the Generator every choice is drawn from. */
  readonly seed: number | string;
  /** How many examples; articles are distinct. */
  readonly count: number;
}

export const MIN_ARTICLE_WORDS = 40;
export const MAX_ARTICLE_WORDS = 90;

const DOMAINS = [sampleMatchReport, sampleWeatherBulletin, sampleProductNotice] as const;

/** Draws a report from domain `index % 3` whose article has 3–6 sentences and 40–90 words. */
export function sampleReport(g: Generator, index: number): Report {
  const domain = DOMAINS[index % DOMAINS.length];
  for (let attempt = 0; attempt < 1000; attempt++) {
    const report = domain(g);
    const words = report.sentences.join(' ').split(' ').length;
    const n = report.sentences.length;
    if (n >= 3 && n <= 6 && words >= MIN_ARTICLE_WORDS && words <= MAX_ARTICLE_WORDS) return report;
  }
  throw new ValueError('sampleReport', `${domain.name} made no article of 3–6 sentences and ${MIN_ARTICLE_WORDS}–${MAX_ARTICLE_WORDS} words in 1000 attempts`);
}

/**
 * Article → one-sentence summary pairs; the summary selects facts spread over the article and states them
 * in a fixed order, so the lead sentence is a weak baseline. Domains rotate: match, weather, product.
 * @example
 * const [first] = generateSummarizationExamples({ seed: 1, count: 1 });
 * first.summary;  // 'Fairview Albion beat Oakham City 2-1 at Oakham Park on Wednesday, with Eli Reid scoring the decisive goal in the 78th minute.'
 */
export function generateSummarizationExamples(options: SummarizationOptions): SummarizationExample[] {
  const { seed, count } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new ValueError('generateSummarizationExamples', `count must be a non-negative integer, got ${count}`);
  }
  const g = new Generator(seed);
  const seen = new Set<string>();
  const examples: SummarizationExample[] = [];
  for (let i = 0; examples.length < count; i++) {
    const report = sampleReport(g, i);
    const article = report.sentences.join(' ').normalize('NFC');
    if (seen.has(article)) continue;
    seen.add(article);
    examples.push({ article, summary: report.summary.normalize('NFC') });
  }
  return examples;
}
