// Pre-tokenization: splits normalized text into pieces (words, punctuation, symbols, emoji) and marks
// the pieces that follow a space with ▁, as SentencePiece does, so joining pieces restores the text.
import { WORD_BOUNDARY } from './normalize.js';

/** Scripts written without spaces; in 'word' mode each of their characters is its own piece. */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
/** A letter, digit or combining mark of a space-separated script. */
const WORD_CHAR = `(?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}])`;
/** Letters/digits/marks, with inner apostrophes kept (don't, l'homme, rock'n'roll). */
const WORD = `${WORD_CHAR}+(?:['\u2019]${WORD_CHAR}+)*`;
/** An emoji with its modifiers, variation selectors and ZWJ sequences (👍🏽, 👩‍💻), or a flag. */
const EMOJI = '\\p{Extended_Pictographic}(?:\\p{Emoji_Modifier}|\\uFE0F|\\u200D\\p{Extended_Pictographic})*|\\p{Regional_Indicator}{2}';
/** Any other non-space character, with the combining marks that follow it. */
const OTHER = '\\S\\p{M}*';

const WORD_MODE = new RegExp(`${WORD}|[${CJK}]\\p{M}*|${EMOJI}|${OTHER}`, 'gu');
const CJK_RUN_MODE = new RegExp(`${WORD}|(?:[${CJK}]\\p{M}*)+|${EMOJI}|${OTHER}`, 'gu');

/** 'word': one piece per CJK character (word tokenizer); 'subword': CJK runs stay whole so BPE can learn words. */
export type PreTokenizeMode = 'word' | 'subword';

/**
 * Splits normalized text (see normalizeText) into pieces; a piece at the start or after a space gets a
 * leading ▁. `pieces.join('')` with ▁ read as a space and the first space dropped gives the text back.
 * @example
 * preTokenize("Don't stop, Bob!");  // ['▁Don't', '▁stop', ',', '▁Bob', '!']
 */
export function preTokenize(text: string, mode: PreTokenizeMode = 'word'): string[] {
  const pattern = mode === 'word' ? WORD_MODE : CJK_RUN_MODE;
  const pieces: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    const afterSpace = start === 0 || text[start - 1] === ' ';
    pieces.push(afterSpace ? WORD_BOUNDARY + match[0] : match[0]);
  }
  return pieces;
}

/** Inverse of preTokenize on joined pieces: ▁ → space, the leading space dropped. */
export function joinPieces(joined: string): string {
  const text = joined.replaceAll(WORD_BOUNDARY, ' ');
  return text.startsWith(' ') ? text.slice(1) : text;
}
