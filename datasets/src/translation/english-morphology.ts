// English inflection for the synthetic corpus: plural nouns, third-person -s, regular past, a/an, and
// number words (one … one hundred).

/** Regular English plural: box → boxes, city → cities, cat → cats. */
export function englishPlural(noun: string): string {
  if (/(s|sh|ch|x|z)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

/** Third person singular present: go → goes, watch → watches, carry → carries, eat → eats. */
export function englishThird(base: string): string {
  if (base === 'have') return 'has';
  if (/(s|sh|ch|x|z|o)$/.test(base)) return `${base}es`;
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
  return `${base}s`;
}

/** Regular past: like → liked, carry → carried, play → played, walk → walked (no consonant doubling). */
export function englishPast(base: string): string {
  if (base.endsWith('e')) return `${base}d`;
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ied`;
  return `${base}ed`;
}

/** "an" before a vowel letter (an apple, an old dog), "a" otherwise. */
export function englishArticle(nextWord: string): 'a' | 'an' {
  return /^[aeiou]/i.test(nextWord) ? 'an' : 'a';
}

const ONES = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Cardinal 1–100 in words: 7 → seven, 21 → twenty-one, 100 → one hundred. */
export function englishNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new RangeError(`englishNumber: expected an integer in 1–100, got ${n}`);
  if (n === 100) return 'one hundred';
  if (n < 20) return ONES[n];
  const tens = TENS[Math.floor(n / 10)];
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]}`;
}
