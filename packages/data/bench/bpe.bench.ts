// What BPE training costs: BpeTokenizer.train on 20,000 synthetic sentences (bench/bpe-corpus.ts) to vocabularies
// of 1,000 and 4,000, in this process's CPU time, as a multiple of one reference pass over the same text (split
// every sentence into words and count them in a Map, the first thing BPE training does). With incremental pair
// counts and a heap, 4× the merges should cost well under 4× the time.
//   npm run bench -w @gloss/data            (add -- --quick for fewer repetitions)
import { medianCpuMs } from '@gloss/tensor/testing';
import { BpeTokenizer } from '../src/index.js';
import { syntheticSentences } from './bpe-corpus.js';

const reps = process.argv.includes('--quick') ? 1 : 3;

const cpuMs = (fn: () => unknown): number => medianCpuMs(fn, reps);

const corpus = syntheticSentences(20000);
const ref = cpuMs(() => {
  const counts = new Map<string, number>();
  for (const s of corpus) for (const w of s.split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts.size;
});
console.log(`BPE training on ${corpus.length} sentences, CPU ms (median of ${reps})`);
console.log(`  ${'reference: word counts'.padEnd(28)} ${ref.toFixed(1).padStart(9)}        1.0×`);
for (const vocabSize of [1000, 4000]) {
  const ms = cpuMs(() => BpeTokenizer.train(corpus, { vocabSize }));
  console.log(`  ${`train to ${vocabSize} tokens`.padEnd(28)} ${ms.toFixed(1).padStart(9)} ${(ms / ref).toFixed(1).padStart(10)}×`);
}
