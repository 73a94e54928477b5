import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { sentencesOf } from '../stats.js';
import { generateSummarizationExamples, MAX_ARTICLE_WORDS, MIN_ARTICLE_WORDS, sampleReport } from './examples.js';

describe('generateSummarizationExamples', () => {
  const examples = generateSummarizationExamples({ seed: 11, count: 600 });

  it('is deterministic per seed and keeps each article once', () => {
    expect(generateSummarizationExamples({ seed: 11, count: 600 })).toEqual(examples);
    expect(generateSummarizationExamples({ seed: 12, count: 30 })).not.toEqual(examples.slice(0, 30));
    expect(new Set(examples.map((e) => e.article)).size).toBe(examples.length);
  });

  it('writes articles of 3–6 sentences and 40–90 words, and one-sentence summaries', () => {
    for (const { article, summary } of examples) {
      const sentences = sentencesOf(article);
      expect(sentences.length >= 3 && sentences.length <= 6, article).toBe(true);
      const words = article.split(' ').length;
      expect(words >= MIN_ARTICLE_WORDS && words <= MAX_ARTICLE_WORDS, article).toBe(true);
      expect(sentencesOf(summary), summary).toHaveLength(1);
      expect(summary.endsWith('.')).toBe(true);
      expect(article.normalize('NFC')).toBe(article);
    }
  });

  it('never uses the lead sentence as the summary, nor any other sentence', () => {
    for (const { article, summary } of examples) {
      expect(sentencesOf(article)).not.toContain(summary);
      expect(sentencesOf(article)[0]).not.toBe(summary);
    }
  });

  it('states only facts the article contains', () => {
    const g = new Generator('facts');
    for (let i = 0; i < 600; i++) {
      const report = sampleReport(g, i);
      const article = report.sentences.join(' ').toLowerCase();
      for (const fact of report.facts) {
        expect(report.summary.toLowerCase(), report.summary).toContain(fact.toLowerCase());
        expect(article, `${fact} in ${article}`).toContain(fact.toLowerCase());
      }
    }
  });

  it('rotates the three report kinds', () => {
    expect(examples.slice(0, 3).map((e) => e.summary.match(/ beat | drew | can expect | is recalling /)?.[0].trim()))
      .toEqual([expect.stringMatching(/beat|drew/), 'can expect', 'is recalling']);
  });

  it('gives the summary its documentation shows', () => {
    expect(generateSummarizationExamples({ seed: 1, count: 1 })[0].summary)
      .toBe('Fairview Albion beat Oakham City 2-1 at Oakham Park on Wednesday, with Eli Reid scoring the decisive goal in the 78th minute.');
  });

  it('refuses a bad count', () => {
    expect(() => generateSummarizationExamples({ seed: 1, count: -3 }))
      .toThrow('generateSummarizationExamples: count must be a non-negative integer, got -3');
  });
});
