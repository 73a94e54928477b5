// What the corpus metrics cost on a realistic evaluation set (bench/metrics-corpus.ts): corpusBleu, corpusChrF and
// rouge on 1,000 and 2,000 segments, in this process's CPU time (a shared machine's other work does not count), as
// a multiple of one reference pass over the same text (split every segment into words and count them in a Map),
// and how each grows from 1,000 to 2,000 segments (2× is linear; quadratic work would show 4×).
// Measured on the 2-core dev machine: corpusBleu ≈ 130 ms, corpusChrF ≈ 220 ms, rouge ≈ 70 ms at 2,000 segments.
//   npm run bench -w @gloss/training            (add -- --quick for fewer repetitions)
import { medianCpuMs } from '@gloss/tensor/testing';
import { corpusBleu, corpusChrF, rouge } from '../src/index.js';
import { syntheticCorpus } from './metrics-corpus.js';

const reps = process.argv.includes('--quick') ? 2 : 5;

const cpuMs = (fn: () => unknown): number => medianCpuMs(fn, reps);

function wordCounts(hyps: readonly string[], refs: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const s of [...hyps, ...refs]) for (const w of s.split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts.size;
}

const sizes = [1000, 2000];
const rows: Record<string, number[]> = { 'reference: word counts': [], corpusBleu: [], corpusChrF: [], rouge: [] };
{
  const { hyps, refs } = syntheticCorpus(4, 500);   // warm the JIT on every metric before the first timing
  for (let i = 0; i < 3; i++) { corpusBleu(hyps, refs); corpusChrF(hyps, refs); rouge(hyps, refs); }
}
for (const size of sizes) {
  const { hyps, refs } = syntheticCorpus(3, size);
  rows['reference: word counts'].push(cpuMs(() => wordCounts(hyps, refs)));
  rows.corpusBleu.push(cpuMs(() => corpusBleu(hyps, refs)));
  rows.corpusChrF.push(cpuMs(() => corpusChrF(hyps, refs)));
  rows.rouge.push(cpuMs(() => rouge(hyps, refs)));
}
const ref = rows['reference: word counts'];
console.log(`corpus metrics, CPU ms (median of ${reps})   ${sizes.map((s) => `${s} segments`.padStart(14)).join('')}   × reference at ${sizes.at(-1)}   growth ${sizes[0]}→${sizes.at(-1)}`);
for (const [name, ms] of Object.entries(rows)) {
  const last = ms.length - 1;
  console.log(`  ${name.padEnd(38)} ${ms.map((x) => x.toFixed(1).padStart(14)).join('')}   ${(ms[last] / ref[last]).toFixed(1).padStart(16)}×   ${(ms[last] / ms[0]).toFixed(2)}×`);
}
