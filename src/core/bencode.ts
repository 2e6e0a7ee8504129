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
import { fromBinaryString, toBinaryString, utf8 } from './bytes.js';
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

  #string(): Uint8Array {
    const start = this.#pos;
    const text = this.#digits(COLON, MAX_LENGTH_DIGITS, 'ERR_BENCODE_BAD_LENGTH');
    if (text.length > 1 && text.startsWith('0')) {
      throw new Rejection('ERR_BENCODE_NON_CANONICAL_LENGTH', `string length with a leading zero at byte ${start}`);
    }
    const length = Number(text);
    if (length > this.#bytes.length - this.#pos) {
      throw new Rejection('ERR_BENCODE_TRUNCATED', `string of ${length} bytes at byte ${start} runs past the end of the input`);
    }
    const value = this.#bytes.slice(this.#pos, this.#pos + length);
    this.#pos += length;
    return value;
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
      const key = toBinaryString(this.#string());
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

/** Internal: collects encoded pieces and joins them once. */
class Encoder {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  ascii(text: string): void {
    this.bytes(utf8(text));
  }

  bytes(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  value(value: BencodeValue, depth: number, where: string): void {
    if (typeof value === 'bigint') {
      if (value > MAX_BENCODE_INTEGER || value < MIN_BENCODE_INTEGER) throw new RangeError(`encodeBencode: ${where} exceeds 64 bits`);
      this.ascii(`i${value.toString()}e`);
    } else if (value instanceof Uint8Array) {
      this.ascii(`${value.length}:`);
      this.bytes(value);
    } else if (depth >= MAX_BENCODE_DEPTH) {
      throw new RangeError(`encodeBencode: ${where} nests deeper than ${MAX_BENCODE_DEPTH} (or is cyclic)`);
    } else if (Array.isArray(value)) {
      this.ascii('l');
      value.forEach((item: BencodeValue, index) => {
        this.value(item, depth + 1, `${where}[${index}]`);
      });
      this.ascii('e');
    } else if (value instanceof Map) {
      this.#dict(value as BencodeDict, depth, where);
    } else {
      throw new TypeError(`encodeBencode: ${where} is not a bigint, Uint8Array, array or Map`);
    }
  }

  #dict(dict: BencodeDict, depth: number, where: string): void {
    const entries: [string, Uint8Array, BencodeValue][] = [];
    for (const [key, value] of dict) {
      const bytes = typeof key === 'string' ? fromBinaryString(key) : undefined;
      if (bytes === undefined) throw new TypeError(`encodeBencode: ${where} has a key that is not a binary string (code units 0-255)`);
      entries.push([key, bytes, value]);
    }
    // Code-unit order of binary strings is raw byte order (BEP 3: "sorted as raw strings").
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.ascii('d');
    for (const [key, bytes, value] of entries) {
      this.ascii(`${bytes.length}:`);
      this.bytes(bytes);
      this.value(value, depth + 1, `${where}.${JSON.stringify(key)}`);
    }
    this.ascii('e');
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/**
 * The canonical bencode of `value`: dictionary keys sorted by bytes. Throws TypeError for
 * values of other types (numbers must be bigints) or non-binary keys, RangeError for
 * integers beyond 64 bits and nesting beyond {@link MAX_BENCODE_DEPTH} (cycles included).
 */
export function encodeBencode(value: BencodeValue): Uint8Array {
  const encoder = new Encoder();
  encoder.value(value, 0, 'value');
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
