// Text normalization applied before every tokenizer: Unicode NFC, optional lowercasing, and one space
// for every run of whitespace, so that `decode(encode(s)) === normalizeText(s)`.

/** Options every tokenizer takes for normalization; saved with the tokenizer. */
export interface NormalizeOptions {
  /** Lowercase (locale-independent `toLowerCase`) after NFC. Default false. */
  readonly lowercase?: boolean;
}

/** U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's word-boundary marker ("▁"). */
export const WORD_BOUNDARY = '\u2581';

const WHITESPACE_RUN = /[\s\u2581]+/gu;

/**
 * Normalizes `text` as every tokenizer does before encoding: NFC; lowercase if asked; every run of
 * whitespace (spaces, tabs, newlines, and the marker ▁ itself) becomes one space; ends are trimmed.
 * @example
 * normalizeText('  Cafe\u0301   au\tlait ');  // 'Café au lait' (é precomposed)
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  let out = text.normalize('NFC');
  // Lowercasing can decompose (İ → i + U+0307), so NFC again afterwards.
  if (options.lowercase) out = out.toLowerCase().normalize('NFC');
  return out.replace(WHITESPACE_RUN, ' ').trim();
}
