// Byte-fallback tokens `<0x00>` … `<0xFF>` (as SentencePiece): a character outside the vocabulary is
// encoded as the tokens of its UTF-8 bytes, so no text ever needs `<unk>`.

/** The 256 byte tokens, index = byte value: `<0x00>`, …, `<0xFF>` (upper-case hex). */
export const BYTE_TOKENS: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`,
);

const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;
const encoder = new TextEncoder();
// Not fatal: a model may emit byte tokens that are not valid UTF-8; they decode to U+FFFD.
const decoder = new TextDecoder('utf-8');

/** The byte a byte token stands for, or undefined for any other token. */
export function byteOfToken(token: string): number | undefined {
  const match = BYTE_TOKEN.exec(token);
  return match ? parseInt(match[1], 16) : undefined;
}

/** UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Concatenates tokens, decoding each run of byte tokens as UTF-8.
 * @example
 * joinWithBytes(['▁caf', '<0xC3>', '<0xA9>']);  // '▁café'
 */
export function joinWithBytes(tokens: readonly string[]): string {
  let text = '';
  let bytes: number[] = [];
  for (const token of tokens) {
    const byte = byteOfToken(token);
    if (byte !== undefined) {
      bytes.push(byte);
      continue;
    }
    if (bytes.length > 0) {
      text += decoder.decode(new Uint8Array(bytes));
      bytes = [];
    }
    text += token;
  }
  if (bytes.length > 0) text += decoder.decode(new Uint8Array(bytes));
  return text;
}
