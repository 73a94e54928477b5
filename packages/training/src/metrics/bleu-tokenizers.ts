// The tokenizers sacreBLEU applies before counting BLEU n-grams: '13a' (mteval-v13a.pl, WMT's default),
// 'intl' (mteval-v14.pl's international tokenization), 'char' and 'none'. Ports of sacreBLEU 2.6.0's
// tokenizers/tokenizer_13a.py, tokenizer_re.py, tokenizer_intl.py, tokenizer_char.py and tokenizer_none.py.
import { ValueError } from '@gloss/tensor';
import { codePoints, pyRstrip, pySplit } from './python-text.js';

/** A tokenizer sacreBLEU knows by this name (its `tokenize=` argument and the `tok:` of the signature). */
export type BleuTokenizerName = '13a' | 'intl' | 'char' | 'none';

/** Every tokenizer name `corpusBleu` accepts. */
export const BLEU_TOKENIZERS: readonly BleuTokenizerName[] = ['13a', 'intl', 'char', 'none'];

// tokenizer_re.py, the language-dependent part of mteval-v13a (Western languages), applied in order:
const RULES_13A: readonly (readonly [RegExp, string])[] = [
  // Separate ASCII punctuation and symbols except ' , - . : the class [{-~[-` -&(-+:-@/], i.e.
  // { | } ~  [ \ ] ^ _ `  space ! " # $ % &  ( ) * +  : ; < = > ? @  /
  [/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/gu, ' $1 '],
  // Period and comma unless preceded by a digit.
  [/([^0-9])([.,])/gu, '$1 $2 '],
  // Period and comma unless followed by a digit.
  [/([.,])([^0-9])/gu, ' $1 $2'],
  // Dash when preceded by a digit.
  [/([0-9])(-)/gu, '$1 $2 '],
];

// tokenizer_intl.py: Unicode punctuation (P) next to a non-number (N) and every symbol (S) stand apart.
const RULES_INTL: readonly (readonly [RegExp, string])[] = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function applyRules(line: string, rules: readonly (readonly [RegExp, string])[]): string {
  // Each rule is one left-to-right pass of non-overlapping matches, as Python's re.sub.
  for (const [pattern, replacement] of rules) line = line.replace(pattern, replacement);
  // Python's ' '.join(line.split()): single spaces, no ends.
  return pySplit(line).join(' ');
}

/**
 * sacreBLEU's default tokenizer, equivalent to mteval-v13a.pl: removes `<skipped>`, joins `-\n` line
 * breaks, turns newlines into spaces, unescapes `&quot; &amp; &lt; &gt;` (not `&apos;`), then separates
 * punctuation and symbols, and periods and commas except inside numbers (`3,000.50` stays whole).
 * @example
 * tokenize13a('The cost is $3,000.50 (approx.).');  // 'The cost is $ 3,000.50 ( approx . ) .'
 */
export function tokenize13a(line: string): string {
  line = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  // mteval pads with spaces so that a final period is always followed by a non-digit.
  return applyRules(` ${line} `, RULES_13A);
}

/**
 * mteval-v14.pl's international tokenization (sacreBLEU 'intl'): Unicode punctuation is split off unless it
 * sits between digits, every Unicode symbol stands alone. No unescaping; unlike '13a' a number followed by
 * a final period keeps it ('2005.'), as in mteval-v14.
 * @example
 * tokenizeIntl('„Größe“: 5 €!');  // '„ Größe “ : 5 € !'
 */
export function tokenizeIntl(line: string): string {
  return applyRules(line, RULES_INTL);
}

/** sacreBLEU 'char': every character (code point) is a token, whitespace included before the split. */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(' ');
}

/** sacreBLEU 'none': the line as it is; tokens are then its whitespace-separated words. */
export function tokenizeNone(line: string): string {
  return line;
}

const TOKENIZERS: Record<BleuTokenizerName, (line: string) => string> = {
  '13a': tokenize13a,
  intl: tokenizeIntl,
  char: tokenizeChar,
  none: tokenizeNone,
};

/** The tokenizer function for `name`; throws ValueError naming the choices for an unknown name. */
export function bleuTokenizer(name: BleuTokenizerName, op = 'bleuTokenizer'): (line: string) => string {
  const tokenizer = Object.hasOwn(TOKENIZERS, name) ? TOKENIZERS[name] : undefined;
  if (tokenizer === undefined) {
    throw new ValueError(op, `unknown tokenize ${JSON.stringify(name)} (expected one of ${BLEU_TOKENIZERS.join(', ')})`);
  }
  return tokenizer;
}

/**
 * What sacreBLEU's BLEU does to a segment before counting n-grams: optional lowercasing (Python's
 * `str.lower`), `rstrip`, then the tokenizer. The tokens are the result's whitespace-separated words.
 * @example
 * preprocessForBleu('Hello, World!  ', { tokenize: '13a', lowercase: true });  // 'hello , world !'
 */
export function preprocessForBleu(
  line: string,
  { tokenize = '13a', lowercase = false }: { readonly tokenize?: BleuTokenizerName; readonly lowercase?: boolean } = {},
): string {
  const tokenizer = bleuTokenizer(tokenize, 'preprocessForBleu');
  if (lowercase) line = line.toLowerCase();
  return tokenizer(pyRstrip(line));
}
