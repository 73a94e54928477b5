// Python's string semantics where the reference metrics (sacreBLEU, rouge-score) rely on them: str.split()
// and str.rstrip() whitespace, indexing by code point, and format(x, '.Nf') rounding.

/**
 * The characters Python's `str.isspace()` accepts, so `str.split()` splits on them. It differs from
 * JavaScript's `\s`: Python adds U+001C–U+001F and U+0085 (NEL); JavaScript adds U+FEFF (BOM).
 */
const PY_WHITESPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const WHITESPACE_RUN_GLOBAL = new RegExp(`[${PY_WHITESPACE}]+`, 'gu');
const TRAILING_WHITESPACE = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Python's `s.split()`: the runs of non-whitespace, with no empty strings.
 * @example
 * pySplit('  a\x1cb  c ');  // ['a', 'b', 'c']
 */
export function pySplit(s: string): string[] {
  const parts = s.split(WHITESPACE_RUN);
  // A leading or trailing whitespace run leaves one empty string at that end, never in between.
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `''.join(s.split())`: `s` with every whitespace character removed. */
export function pyRemoveWhitespace(s: string): string {
  return s.replace(WHITESPACE_RUN_GLOBAL, '');
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_WHITESPACE, '');
}

/**
 * The characters of `s` as Python indexes them: one entry per code point, so an emoji or any other
 * astral character is one element, not two UTF-16 halves.
 */
export function codePoints(s: string): string[] {
  // Fast path: without surrogates every code unit is a code point.
  return SURROGATE.test(s) ? Array.from(s) : s.split('');
}

/** Python's `len(s)`: the number of code points. */
export function pyLength(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

/**
 * Python's `f'{x:.{digits}f}'`. Number.prototype.toFixed rounds an exact tie (0.125 to 2 digits) up,
 * Python rounds it to even ('0.12'); everything else is the same, since both round the exact binary value.
 * @example
 * pyFixed(0.125, 2);  // '0.12' (toFixed gives '0.13')
 */
export function pyFixed(x: number, digits: number): string {
  const fixed = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || digits > 50) return fixed;
  // toFixed(100) is the exact decimal expansion of any double whose fraction needs at most 100 digits;
  // a tie at `digits` shows as '5' followed only by zeros.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return fixed;
  // A tie: round half to even instead of half up.
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 0) return (x < 0 ? '-' : '') + kept;
  return fixed;
}
