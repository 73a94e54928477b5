// A realistic evaluation set for the corpus metrics: `size` segments of 5–44 Zipf-like words (~49k tokens a side
// at 2,000), each hypothesis its reference with 5 random substitutions. Seeded; shared by metrics.bench.ts and the
// corpus-scale test.
import { Generator } from '@gloss/tensor';

export function syntheticCorpus(seed: number, size: number): { hyps: string[]; refs: string[] } {
  const gen = new Generator(seed);
  const vocab = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);
  const hyps: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < size; i++) {
    // Zipf-like word choice (squared uniform), 5–44 words, then 5 random substitutions for the hypothesis.
    const words = Array.from({ length: 5 + gen.int(40) }, () => vocab[Math.floor(gen.random() ** 2 * vocab.length)]);
    refs.push(`${words.join(' ')}.`);
    for (let k = 0; k < 5; k++) words[gen.int(words.length)] = vocab[gen.int(vocab.length)];
    hyps.push(`${words.join(' ')}.`);
  }
  return { hyps, refs };
}
