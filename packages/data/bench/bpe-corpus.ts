// A synthetic corpus for BPE training: `n` sentences of 10 words drawn Zipf-like (squared uniform) from 20,000
// random words of 2–9 letters (a–z, ä, ö, ü). Seeded; shared by bpe.bench.ts and the BPE tokenizer's test.
export function syntheticSentences(n = 20000): string[] {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);
  const letters = 'abcdefghijklmnopqrstuvwxyzäöü';
  const words = Array.from({ length: 20000 }, () => Array.from({ length: 2 + Math.floor(rand() * 8) }, () => letters[Math.floor(rand() * letters.length)]).join(''));
  return Array.from({ length: n }, () => Array.from({ length: 10 }, () => words[Math.floor(words.length * rand() ** 2)]).join(' '));
}
