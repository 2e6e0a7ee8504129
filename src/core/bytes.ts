/**
 * Byte helpers shared by the content core: hex, strict UTF-8, RFC 4648 base32, ordering
 * and "binary strings" (one UTF-16 code unit per byte, the representation of bencode
 * dictionary keys). All pure; nothing here allocates more than its output.
 */

const HEX_DIGITS = '0123456789abcdef';
const HEX_PAIR = /^(?:[0-9a-fA-F]{2})*$/;
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** RFC 4648 section 6: the base32 alphabet (upper case; decoding is case-insensitive). */
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** How many code units `String.fromCharCode` receives at once (stays far below engine argument limits). */
const CHAR_CODE_CHUNK = 8192;
/** Up to this many bytes a binary string is built character by character. */
const SHORT_BINARY = 32;

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += (HEX_DIGITS[byte >> 4] ?? '') + (HEX_DIGITS[byte & 15] ?? '');
  return out;
}

/**
 * The bytes of a hex string (either case), or `undefined` when `text` is not an even number
 * of hex digits. `expectedBytes`, when given, is the exact length required.
 */
export function fromHex(text: string, expectedBytes?: number): Uint8Array | undefined {
  if (!HEX_PAIR.test(text)) return undefined;
  if (expectedBytes !== undefined && text.length !== expectedBytes * 2) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The UTF-8 encoding of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8(text: string): Uint8Array {
  return UTF8_ENCODER.encode(text);
}

/** The text of well-formed UTF-8 `bytes`, or `undefined` for any malformed sequence. A BOM is kept as U+FEFF. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8_DECODER.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether `text` has no lone surrogate, so that its UTF-8 encoding round-trips. */
export function isWellFormedText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Orders byte strings as unsigned bytes, shorter first on a common prefix (memcmp order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Whether `a` and `b` hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** One array holding `parts` one after the other. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The binary string of `bytes`: one code unit (0-255) per byte, so string order is byte order. */
export function toBinaryString(bytes: Uint8Array): string {
  let out = '';
  if (bytes.length <= SHORT_BINARY) {
    // Spreading a short array costs more than the characters themselves.
    for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] as number);
    return out;
  }
  for (let i = 0; i < bytes.length; i += CHAR_CODE_CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHAR_CODE_CHUNK));
  }
  return out;
}

/** The bytes of a binary string, or `undefined` if a code unit is above 255. */
export function fromBinaryString(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0xff) return undefined;
    out[i] = unit;
  }
  return out;
}

/** The binary string of the UTF-8 encoding of `text` (how a text key is stored in a bencode dictionary). */
export function binaryFromText(text: string): string {
  // ASCII is its own UTF-8: field names, the common case, need no encoding.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return toBinaryString(utf8(text));
  return text;
}

/** The text whose UTF-8 encoding is the binary string `key`, or `undefined` if it is not UTF-8 (or not binary). */
export function textFromBinary(key: string): string | undefined {
  const bytes = fromBinaryString(key);
  return bytes === undefined ? undefined : decodeUtf8(bytes);
}

/** RFC 4648 base32 (upper case, no padding) of `bytes`. */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31] ?? '';
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31] ?? '';
  return out;
}

/**
 * The bytes of unpadded RFC 4648 base32 (either case), or `undefined` if a character is
 * outside the alphabet or the unused trailing bits are not zero (so every byte string has
 * exactly one accepted spelling, up to case).
 */
export function fromBase32(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text.toUpperCase()) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  if (bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
