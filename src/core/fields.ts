/**
 * Reading swarmpress's own bencoded records (items, manifests) field by field, with one
 * set of rules and error codes: required fields are present, every field has its type
 * and limits, optional fields are absent rather than empty (so each record has exactly
 * one encoding), and unknown fields are rejected (the id and signature would cover them,
 * but no code would understand them: a new field needs a new format version).
 *
 * Internally a failed check throws {@link FieldRejection}; decoders catch it with
 * {@link readFields} and return it as a result, so nothing escapes to their callers.
 */
import type { BencodeDict, BencodeValue } from './bencode.js';
import { binaryFromText, decodeUtf8, fromBinaryString, textFromBinary, toHex } from './bytes.js';
import { fail, ok, type Result } from './result.js';
import { checkSitePath } from './site-path.js';

/** Why a field of a record is rejected. Messages name the field, e.g. `item.related[2].rel`. */
export type FieldErrorCode =
  | 'ERR_FIELD_MISSING'
  | 'ERR_FIELD_TYPE'
  | 'ERR_FIELD_EMPTY'
  | 'ERR_FIELD_TOO_LONG'
  | 'ERR_FIELD_INVALID'
  | 'ERR_FIELD_UNKNOWN';

/** Thrown inside a decoder to abandon the record; {@link readFields} turns it into a result. */
export class FieldRejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a {@link FieldRejection}; for checks beyond the reader's own. */
export function reject(code: string, message: string): never {
  throw new FieldRejection(code, message);
}

/**
 * Runs `read`, turning a {@link FieldRejection} into a failed result. Any other exception
 * is a bug and propagates.
 */
export function readFields<T, Code extends string>(read: () => T): Result<T, Code> {
  try {
    return ok(read());
  } catch (error) {
    if (error instanceof FieldRejection) return fail(error.code as Code, error.message);
    throw error;
  }
}

/** Kinds of text a field may hold. */
export type TextKind =
  /** One line: no control characters at all. */
  | 'line'
  /** Running text: tab, line feed and carriage return allowed, no other control character. */
  | 'multiline';

/**
 * Why `text` is not acceptable text of `kind`, or `undefined`. C0 and C1 controls and DEL
 * are refused because peer text ends up in terminals (`swarmpress get`) and widgets.
 */
export function textProblem(text: string, kind: TextKind): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const control = unit < 0x20 || unit === 0x7f || (unit >= 0x80 && unit <= 0x9f);
    if (control && !(kind === 'multiline' && (unit === 0x09 || unit === 0x0a || unit === 0x0d))) {
      return `contains the control character U+${unit.toString(16).padStart(4, '0')}`;
    }
  }
  return undefined;
}

/** Limits of a text field. */
export interface TextRule {
  readonly maxBytes: number;
  readonly kind: TextKind;
  /** Whether the empty string is a value (default false: required text is non-empty). */
  readonly allowEmpty?: boolean;
}

/** Reads the fields of one bencoded dictionary and checks that none is left unread. */
export class FieldReader {
  readonly #dict: BencodeDict;
  readonly #where: string;
  readonly #read = new Set<string>();

  /** `where` names the record in messages (`item`, `manifest.items[3]`). */
  constructor(value: BencodeValue, where: string) {
    if (!(value instanceof Map)) reject('ERR_FIELD_TYPE', `${where} is not a dictionary`);
    this.#dict = value as BencodeDict;
    this.#where = where;
  }

  /** The name of `key` in messages. */
  name(key: string): string {
    return `${this.#where}.${key}`;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#dict.has(binaryFromText(key));
  }

  /** The raw value of `key`, or `undefined`; marks it read. */
  optionalValue(key: string): BencodeValue | undefined {
    const binary = binaryFromText(key);
    this.#read.add(binary);
    return this.#dict.get(binary);
  }

  /** The raw value of `key`; rejects a missing field. */
  value(key: string): BencodeValue {
    const value = this.optionalValue(key);
    if (value === undefined) reject('ERR_FIELD_MISSING', `${this.name(key)} is missing`);
    return value;
  }

  /** A byte string of exactly `length` bytes. */
  fixedBytes(key: string, length: number): Uint8Array {
    const value = this.value(key);
    if (!(value instanceof Uint8Array)) reject('ERR_FIELD_TYPE', `${this.name(key)} is not a byte string`);
    if (value.length !== length) reject('ERR_FIELD_INVALID', `${this.name(key)} is ${value.length} bytes, not ${length}`);
    return value;
  }

  /** Optional byte string of exactly `length` bytes. */
  optionalFixedBytes(key: string, length: number): Uint8Array | undefined {
    return this.has(key) ? this.fixedBytes(key, length) : undefined;
  }

  /** UTF-8 text obeying `rule`. */
  text(key: string, rule: TextRule): string {
    return checkedText(this.value(key), this.name(key), rule);
  }

  /** Optional text: absent is `undefined`, present must be non-empty (an empty value is spelled by omission). */
  optionalText(key: string, rule: TextRule): string | undefined {
    const value = this.optionalValue(key);
    return value === undefined ? undefined : checkedText(value, this.name(key), { ...rule, allowEmpty: false });
  }

  /** A site path (site-path.ts); a bad one is rejected with its `ERR_PATH_*` code. */
  sitePath(key: string): string {
    const value = this.value(key);
    if (!(value instanceof Uint8Array)) reject('ERR_FIELD_TYPE', `${this.name(key)} is not a string`);
    const text = decodeUtf8(value);
    if (text === undefined) reject('ERR_FIELD_INVALID', `${this.name(key)} is not UTF-8`);
    const path = checkSitePath(text);
    if (!path.ok) reject(path.error.code, `${this.name(key)}: ${path.error.message}`);
    return path.value;
  }

  /** An integer from `min` to `max` (both safe integers), as a number. */
  integer(key: string, min: number, max: number): number {
    const value = this.value(key);
    if (typeof value !== 'bigint') reject('ERR_FIELD_TYPE', `${this.name(key)} is not an integer`);
    if (value < BigInt(min) || value > BigInt(max)) reject('ERR_FIELD_INVALID', `${this.name(key)} is outside ${min}..${max}`);
    return Number(value);
  }

  /** A list of at most `maxItems` values; absent or empty lists are rejected unless `optional` (then absent means []). */
  list(key: string, maxItems: number, optional: boolean): readonly BencodeValue[] {
    const value = optional ? this.optionalValue(key) : this.value(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) reject('ERR_FIELD_TYPE', `${this.name(key)} is not a list`);
    const list = value as readonly BencodeValue[];
    if (optional && list.length === 0) reject('ERR_FIELD_EMPTY', `${this.name(key)} is present but empty (omit it instead)`);
    if (list.length > maxItems) reject('ERR_FIELD_TOO_LONG', `${this.name(key)} has more than ${maxItems} entries`);
    return list;
  }

  /** A description of a value's type for messages. */
  static describe(value: BencodeValue | undefined): string {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Uint8Array) return 'a string';
    return value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : 'a dictionary';
  }

  /** Rejects the record if it has a field that was never read. */
  finish(): void {
    for (const key of this.#dict.keys()) {
      if (!this.#read.has(key)) {
        const shown = textFromBinary(key) ?? `0x${toHex(fromBinaryString(key) ?? new Uint8Array(0))}`;
        reject('ERR_FIELD_UNKNOWN', `${this.#where} has the unknown field ${JSON.stringify(shown)}`);
      }
    }
  }
}

/** Checks that `value` is UTF-8 text obeying `rule`; `name` is the field in messages. */
export function checkedText(value: BencodeValue, name: string, rule: TextRule): string {
  if (!(value instanceof Uint8Array)) reject('ERR_FIELD_TYPE', `${name} is not a string`);
  if (value.length > rule.maxBytes) reject('ERR_FIELD_TOO_LONG', `${name} is longer than ${rule.maxBytes} bytes`);
  if (value.length === 0 && rule.allowEmpty !== true) reject('ERR_FIELD_EMPTY', `${name} is empty`);
  const text = decodeUtf8(value);
  if (text === undefined) reject('ERR_FIELD_INVALID', `${name} is not UTF-8`);
  const problem = textProblem(text, rule.kind);
  if (problem !== undefined) reject('ERR_FIELD_INVALID', `${name} ${problem}`);
  return text;
}
