/**
 * Canonical bencode (BEP 3) over `Uint8Array`: the one encoding that content is hashed and
 * signed in. "Canonical" means exactly one byte string per value, so anything that decodes
 * re-encodes to the same bytes (`encode(decode(x))` equals `x`):
 * - dictionary keys are byte strings, sorted by raw bytes, without duplicates (BEP 3);
 * - integers have no leading zeros and no `-0` (BEP 3), and fit in 64 signed bits, the
 *   range libtorrent's decoder reads (`bdecode_node::int_value`);
 * - string lengths have no leading zeros;
 * - nothing follows the value.
 *
 * Values: integers are `bigint` (no silent rounding above 2^53), strings are `Uint8Array`,
 * lists are arrays, dictionaries are `ReadonlyMap`s whose keys are *binary strings* (one
 * code unit 0-255 per byte; see bytes.ts `binaryFromText`), so that any key, including
 * one that is not UTF-8, round-trips and JavaScript's string order is the byte order.
 *
 * `decodeBencode` never throws on bad input: it returns a result with an `ERR_BENCODE_*`
 * code. `encodeBencode` throws TypeError/RangeError for values that cannot be encoded
 * (a programmer error).
 */
import { toBinaryString, utf8 } from './bytes.js';
import { fail, ok, type Result } from './result.js';

/** A bencode value as decoded or to be encoded. */
export type BencodeValue = bigint | Uint8Array | readonly BencodeValue[] | BencodeDict;
/** A bencode dictionary; keys are binary strings (one code unit per byte). */
export type BencodeDict = ReadonlyMap<string, BencodeValue>;

/** Why bytes are not canonical bencode. */
export type BencodeErrorCode =
  | 'ERR_BENCODE_TOO_LARGE'
  | 'ERR_BENCODE_TRUNCATED'
  | 'ERR_BENCODE_UNEXPECTED_BYTE'
  | 'ERR_BENCODE_BAD_INTEGER'
  | 'ERR_BENCODE_NON_CANONICAL_INTEGER'
  | 'ERR_BENCODE_INTEGER_RANGE'
  | 'ERR_BENCODE_BAD_LENGTH'
  | 'ERR_BENCODE_NON_CANONICAL_LENGTH'
  | 'ERR_BENCODE_KEY_NOT_STRING'
  | 'ERR_BENCODE_UNSORTED_KEYS'
  | 'ERR_BENCODE_DUPLICATE_KEY'
  | 'ERR_BENCODE_TOO_DEEP'
  | 'ERR_BENCODE_TRAILING_DATA';

/** Largest input `decodeBencode` reads unless told otherwise: 16 MiB, far above any item or manifest. */
export const MAX_BENCODE_BYTES = 16 * 1024 * 1024;
/**
 * Deepest nesting of lists and dictionaries accepted by default. libtorrent's `bdecode`
 * allows 100; swarmpress's own formats nest 4 deep, so 64 leaves room while keeping the
 * recursive decoder far from the stack limit.
 */
export const MAX_BENCODE_DEPTH = 64;
/** Largest integer: 2^63 - 1, libtorrent's `std::int64_t` (BEP 44 `seq` is one). */
export const MAX_BENCODE_INTEGER = 2n ** 63n - 1n;
/** Smallest integer: -2^63. */
export const MIN_BENCODE_INTEGER = -(2n ** 63n);
/** Most digits of an integer in range (19, plus a sign): longer spellings are rejected before parsing. */
const MAX_INTEGER_DIGITS = 19;
/** Most digits of a string length: lengths beyond 10 digits exceed any input the decoder reads. */
const MAX_LENGTH_DIGITS = 10;

const I = 0x69; // 'i'
const L = 0x6c; // 'l'
const D = 0x64; // 'd'
const E = 0x65; // 'e'
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Limits for {@link decodeBencode}. */
export interface BencodeLimits {
  /** Reject inputs longer than this many bytes (default {@link MAX_BENCODE_BYTES}). */
  readonly maxBytes?: number;
  /** Reject nesting deeper than this (default and maximum {@link MAX_BENCODE_DEPTH}). */
  readonly maxDepth?: number;
}

/** Internal: unwinds the recursive decoder to `decodeBencode`, which turns it into a result. */
class Rejection extends Error {
  constructor(
    readonly code: BencodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

class Decoder {
  readonly #bytes: Uint8Array;
  readonly #maxDepth: number;
  #pos = 0;

  constructor(bytes: Uint8Array, maxDepth: number) {
    this.#bytes = bytes;
    this.#maxDepth = maxDepth;
  }

  get position(): number {
    return this.#pos;
  }

  value(depth: number): BencodeValue {
    const byte = this.#peek();
    if (byte === I) return this.#integer();
    if (byte === L || byte === D) {
      if (depth >= this.#maxDepth) throw new Rejection('ERR_BENCODE_TOO_DEEP', `nesting deeper than ${this.#maxDepth} at byte ${this.#pos}`);
      return byte === L ? this.#list(depth + 1) : this.#dict(depth + 1);
    }
    if (byte >= ZERO && byte <= NINE) return this.#string();
    throw new Rejection('ERR_BENCODE_UNEXPECTED_BYTE', `unexpected byte 0x${byte.toString(16).padStart(2, '0')} at byte ${this.#pos}`);
  }

  #peek(): number {
    const byte = this.#bytes[this.#pos];
    if (byte === undefined) throw new Rejection('ERR_BENCODE_TRUNCATED', `input ends at byte ${this.#pos} inside a value`);
    return byte;
  }

  /** Reads digits up to `terminator`; returns them as text. */
  #digits(terminator: number, maxDigits: number, code: 'ERR_BENCODE_BAD_INTEGER' | 'ERR_BENCODE_BAD_LENGTH'): string {
    const start = this.#pos;
    let text = '';
    for (;;) {
      const byte = this.#peek();
      if (byte === terminator) break;
      const isDigit = byte >= ZERO && byte <= NINE;
      const isSign = byte === MINUS && this.#pos === start && code === 'ERR_BENCODE_BAD_INTEGER';
      if (!isDigit && !isSign) throw new Rejection(code, `unexpected byte 0x${byte.toString(16).padStart(2, '0')} in a number at byte ${this.#pos}`);
      text += String.fromCharCode(byte);
      this.#pos++;
      if (text.length > maxDigits + 1) {
        const what = code === 'ERR_BENCODE_BAD_INTEGER' ? 'ERR_BENCODE_INTEGER_RANGE' : 'ERR_BENCODE_BAD_LENGTH';
        throw new Rejection(what, `number at byte ${start} has more than ${maxDigits} digits`);
      }
    }
    this.#pos++; // the terminator
    return text;
  }

  #integer(): bigint {
    const start = this.#pos;
    this.#pos++; // 'i'
    const text = this.#digits(E, MAX_INTEGER_DIGITS, 'ERR_BENCODE_BAD_INTEGER');
    const unsigned = text.startsWith('-') ? text.slice(1) : text;
    if (unsigned === '') throw new Rejection('ERR_BENCODE_BAD_INTEGER', `integer without digits at byte ${start}`);
    if (unsigned.length > 1 && unsigned.startsWith('0')) {
      throw new Rejection('ERR_BENCODE_NON_CANONICAL_INTEGER', `integer with a leading zero at byte ${start}`);
    }
    if (text === '-0') throw new Rejection('ERR_BENCODE_NON_CANONICAL_INTEGER', `integer -0 at byte ${start}`);
    if (unsigned.length > MAX_INTEGER_DIGITS) throw new Rejection('ERR_BENCODE_INTEGER_RANGE', `integer at byte ${start} exceeds 64 bits`);
    const value = BigInt(text);
    if (value > MAX_BENCODE_INTEGER || value < MIN_BENCODE_INTEGER) {
      throw new Rejection('ERR_BENCODE_INTEGER_RANGE', `integer at byte ${start} exceeds 64 bits`);
    }
    return value;
  }

  /** A string's length and the position of its first byte; the position moves past the string. */
  #stringSpan(): number {
    const start = this.#pos;
    const bytes = this.#bytes;
    let length = 0;
    let digits = 0;
    for (;;) {
      const byte = this.#peek();
      if (byte === COLON) break;
      if (byte < ZERO || byte > NINE) throw new Rejection('ERR_BENCODE_BAD_LENGTH', `unexpected byte 0x${byte.toString(16).padStart(2, '0')} in a number at byte ${this.#pos}`);
      if (++digits > MAX_LENGTH_DIGITS + 1) throw new Rejection('ERR_BENCODE_BAD_LENGTH', `number at byte ${start} has more than ${MAX_LENGTH_DIGITS} digits`);
      length = length * 10 + (byte - ZERO);
      this.#pos++;
    }
    this.#pos++; // ':'
    if (digits === 0) throw new Rejection('ERR_BENCODE_BAD_LENGTH', `string without a length at byte ${start}`);
    if (digits > 1 && bytes[start] === ZERO) throw new Rejection('ERR_BENCODE_NON_CANONICAL_LENGTH', `string length with a leading zero at byte ${start}`);
    if (length > bytes.length - this.#pos) {
      throw new Rejection('ERR_BENCODE_TRUNCATED', `string of ${length} bytes at byte ${start} runs past the end of the input`);
    }
    const at = this.#pos;
    this.#pos += length;
    return at;
  }

  #string(): Uint8Array {
    const at = this.#stringSpan();
    return this.#bytes.slice(at, this.#pos);
  }

  /** A dictionary key as a binary string, read without copying its bytes. */
  #key(): string {
    const at = this.#stringSpan();
    const bytes = this.#bytes;
    if (this.#pos - at > 64) return toBinaryString(bytes.subarray(at, this.#pos));
    let key = '';
    for (let i = at; i < this.#pos; i++) key += String.fromCharCode(bytes[i] as number);
    return key;
  }

  #list(depth: number): BencodeValue[] {
    this.#pos++; // 'l'
    const items: BencodeValue[] = [];
    while (this.#peek() !== E) items.push(this.value(depth));
    this.#pos++;
    return items;
  }

  #dict(depth: number): Map<string, BencodeValue> {
    this.#pos++; // 'd'
    const entries = new Map<string, BencodeValue>();
    let previous: string | undefined;
    while (this.#peek() !== E) {
      const at = this.#pos;
      const byte = this.#peek();
      if (byte < ZERO || byte > NINE) throw new Rejection('ERR_BENCODE_KEY_NOT_STRING', `dictionary key at byte ${at} is not a string`);
      const key = this.#key();
      if (previous !== undefined) {
        if (key === previous) throw new Rejection('ERR_BENCODE_DUPLICATE_KEY', `duplicate dictionary key at byte ${at}`);
        if (key < previous) throw new Rejection('ERR_BENCODE_UNSORTED_KEYS', `dictionary key at byte ${at} is out of order`);
      }
      previous = key;
      entries.set(key, this.value(depth));
    }
    this.#pos++;
    return entries;
  }
}

/**
 * Decodes one canonical bencode value that spans all of `bytes`. Never throws for any
 * input bytes; linear in the input size; recursion bounded by `limits.maxDepth`.
 * The returned strings are copies: the caller may reuse `bytes`.
 */
export function decodeBencode(bytes: Uint8Array, limits: BencodeLimits = {}): Result<BencodeValue, BencodeErrorCode> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeBencode: bytes must be a Uint8Array');
  const maxBytes = limits.maxBytes ?? MAX_BENCODE_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_BENCODE_DEPTH;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('decodeBencode: limits.maxBytes must be a non-negative integer');
  // Never deeper than the encoder accepts, so that everything decoded can be re-encoded.
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_BENCODE_DEPTH) {
    throw new RangeError(`decodeBencode: limits.maxDepth must be an integer from 0 to ${MAX_BENCODE_DEPTH}`);
  }
  if (bytes.length > maxBytes) return fail('ERR_BENCODE_TOO_LARGE', `${bytes.length} bytes exceed the limit of ${maxBytes}`);
  const decoder = new Decoder(bytes, maxDepth);
  try {
    const value = decoder.value(0);
    if (decoder.position !== bytes.length) {
      return fail('ERR_BENCODE_TRAILING_DATA', `${bytes.length - decoder.position} bytes follow the value at byte ${decoder.position}`);
    }
    return ok(value);
  } catch (error) {
    if (error instanceof Rejection) return fail(error.code, error.message);
    throw error;
  }
}

/**
 * Internal: writes straight into one growing buffer (a 165 KB manifest was ~10k small
 * pieces, each through TextEncoder, then joined: most of the time of reading a stored
 * site). `#path` is where the encoder is, for error messages only.
 */
class Encoder {
  #buffer = new Uint8Array(256);
  #length = 0;
  readonly #path: (string | number)[] = [];

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  /** Writes ASCII text (digits and bencode's letters only). */
  #ascii(text: string): void {
    this.#reserve(text.length);
    const buffer = this.#buffer;
    let at = this.#length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  #byte(byte: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = byte;
  }

  #bytes(bytes: Uint8Array): void {
    this.#ascii(String(bytes.length));
    this.#byte(COLON);
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Writes a dictionary key (a binary string); false when a code unit is above 255. */
  #key(key: string): boolean {
    this.#ascii(String(key.length));
    this.#byte(COLON);
    this.#reserve(key.length);
    const buffer = this.#buffer;
    let at = this.#length;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      if (unit > 0xff) return false;
      buffer[at++] = unit;
    }
    this.#length = at;
    return true;
  }

  #where(): string {
    let where = 'value';
    for (const step of this.#path) where += typeof step === 'number' ? `[${step}]` : `.${JSON.stringify(step)}`;
    return where;
  }

  value(value: BencodeValue, depth: number): void {
    if (typeof value === 'bigint') {
      if (value > MAX_BENCODE_INTEGER || value < MIN_BENCODE_INTEGER) throw new RangeError(`encodeBencode: ${this.#where()} exceeds 64 bits`);
      this.#byte(I);
      this.#ascii(value.toString());
      this.#byte(E);
    } else if (value instanceof Uint8Array) {
      this.#bytes(value);
    } else if (depth >= MAX_BENCODE_DEPTH) {
      throw new RangeError(`encodeBencode: ${this.#where()} nests deeper than ${MAX_BENCODE_DEPTH} (or is cyclic)`);
    } else if (Array.isArray(value)) {
      this.#byte(L);
      const items = value as readonly BencodeValue[];
      for (let index = 0; index < items.length; index++) {
        this.#path.push(index);
        this.value(items[index] as BencodeValue, depth + 1);
        this.#path.pop();
      }
      this.#byte(E);
    } else if (value instanceof Map) {
      this.#dict(value as BencodeDict, depth);
    } else {
      throw new TypeError(`encodeBencode: ${this.#where()} is not a bigint, Uint8Array, array or Map`);
    }
  }

  #dict(dict: BencodeDict, depth: number): void {
    const keys: string[] = [];
    for (const key of dict.keys()) {
      if (typeof key !== 'string') throw new TypeError(`encodeBencode: ${this.#where()} has a key that is not a binary string (code units 0-255)`);
      keys.push(key);
    }
    // Code-unit order of binary strings is raw byte order (BEP 3: "sorted as raw strings").
    // Decoded dictionaries are in order already, which the sort only checks.
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.#byte(D);
    for (const key of keys) {
      if (!this.#key(key)) throw new TypeError(`encodeBencode: ${this.#where()} has a key that is not a binary string (code units 0-255)`);
      this.#path.push(key);
      this.value(dict.get(key) as BencodeValue, depth + 1);
      this.#path.pop();
    }
    this.#byte(E);
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}

/**
 * The canonical bencode of `value`: dictionary keys sorted by bytes. Throws TypeError for
 * values of other types (numbers must be bigints) or non-binary keys, RangeError for
 * integers beyond 64 bits and nesting beyond {@link MAX_BENCODE_DEPTH} (cycles included).
 */
export function encodeBencode(value: BencodeValue): Uint8Array {
  const encoder = new Encoder();
  encoder.value(value, 0);
  return encoder.finish();
}

/**
 * A dictionary from text keys (stored as the binary string of their UTF-8), leaving out
 * entries whose value is `undefined`: the builder encoders of items and records use.
 */
export function dictFromEntries(entries: Readonly<Record<string, BencodeValue | undefined>>): BencodeDict {
  const dict = new Map<string, BencodeValue>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) dict.set(toBinaryString(utf8(key)), value);
  }
  return dict;
}
