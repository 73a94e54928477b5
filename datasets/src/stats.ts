// Measurements of the generated corpora for their READMEs: sizes, vocabulary per side, lengths, and
// the lead-sentence baseline's ROUGE on the summarization test split (`npm run generate -- --stats`).
import type { CorpusFile } from './corpus-files.js';

/** Word-level tokens as @gloss/data's word tokenizer splits them: words (inner apostrophes kept), single symbols. */
export function wordTokens(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu) ?? [];
}

/** ROUGE tokens (as rouge-score): lowercase letters and digits, everything else a separator. */
function rougeTokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function f1(overlap: number, candidate: number, reference: number): number {
  if (overlap === 0) return 0;
  const p = overlap / candidate;
  const r = overlap / reference;
  return (2 * p * r) / (p + r);
}

/** ROUGE-N F1 of one candidate against one reference. */
export function rougeN(candidate: string, reference: string, n: number): number {
  const c = ngrams(rougeTokens(candidate), n);
  const r = ngrams(rougeTokens(reference), n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return f1(overlap, total(c), total(r));
}

/** ROUGE-L F1 (longest common subsequence of tokens). */
export function rougeL(candidate: string, reference: string): number {
  const a = rougeTokens(candidate);
  const b = rougeTokens(reference);
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 0; j < b.length; j++) row[j + 1] = x === b[j] ? prev[j] + 1 : Math.max(prev[j + 1], row[j]);
    prev = row;
  }
  return f1(prev[b.length], a.length, b.length);
}

/** Splits an article into sentences at ". " (the generators never put a period inside a sentence). */
export function sentencesOf(article: string): string[] {
  return article.split(/(?<=[.?!]) /);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fixed = (x: number, digits = 1) => x.toFixed(digits);

/** Distinct word tokens of `texts`, and how many of their tokens are missing from `known`. */
function vocabulary(texts: readonly string[], known?: ReadonlySet<string>): { types: Set<string>; tokens: number; unseen: number } {
  const types = new Set<string>();
  let tokens = 0;
  let unseen = 0;
  for (const text of texts) {
    for (const w of wordTokens(text)) {
      types.add(w);
      tokens++;
      if (known && !known.has(w)) unseen++;
    }
  }
  return { types, tokens, unseen };
}

function describeSide(name: string, texts: readonly string[], train: Map<string, Set<string>>, split: string): string {
  const words = texts.map((t) => t.split(' ').length);
  const v = vocabulary(texts, train.get(name));
  if (split === 'train') train.set(name, v.types);
  const unseen = split === 'train' ? '' : `, ${fixed((100 * v.unseen) / v.tokens, 2)}% of tokens unseen in train`;
  return `${name} words mean ${fixed(mean(words))} (${Math.min(...words)}–${Math.max(...words)}), ${v.types.size} word types${unseen}`;
}

/** Lines of text describing every file (sizes, lengths, vocabularies) and, for summarization, lead-1 and best-sentence ROUGE. */
export function describeCorpora(files: readonly CorpusFile[]): string[] {
  const out: string[] = [];
  const train = new Map<string, Set<string>>();
  for (const file of files) {
    const lines = file.text.split('\n').slice(0, -1);
    const split = file.path.split('/')[1].split('.')[0];
    const head = `${file.path}: ${lines.length} lines, ${Buffer.byteLength(file.text)} bytes`;
    if (file.path.endsWith('.tsv')) {
      const pairs = lines.map((l) => l.split('\t'));
      out.push(head, `  ${describeSide('English', pairs.map((p) => p[0]), train, split)}`, `  ${describeSide('French', pairs.map((p) => p[1]), train, split)}`);
      continue;
    }
    const examples = lines.map((l) => JSON.parse(l) as { article: string; summary: string });
    const sentences = examples.map((e) => sentencesOf(e.article).length);
    out.push(head,
      `  ${describeSide('article', examples.map((e) => e.article), train, split)}; sentences mean ${fixed(mean(sentences))} (${Math.min(...sentences)}–${Math.max(...sentences)})`,
      `  ${describeSide('summary', examples.map((e) => e.summary), train, split)}`);
    if (split !== 'test') continue;
    const lead = examples.map((e) => sentencesOf(e.article)[0]);
    const best = examples.map((e) => sentencesOf(e.article).reduce((a, b) => (rougeN(b, e.summary, 2) > rougeN(a, e.summary, 2) ? b : a)));
    for (const [name, picks] of [['lead-1', lead], ['best single sentence (oracle by ROUGE-2)', best]] as const) {
      const r1 = mean(examples.map((e, i) => rougeN(picks[i], e.summary, 1))) * 100;
      const r2 = mean(examples.map((e, i) => rougeN(picks[i], e.summary, 2))) * 100;
      const rl = mean(examples.map((e, i) => rougeL(picks[i], e.summary))) * 100;
      out.push(`  ${name}: ROUGE-1 ${fixed(r1)}, ROUGE-2 ${fixed(r2)}, ROUGE-L ${fixed(rl)} (F1, mean over the split)`);
    }
  }
  return out;
}
