/**
 * BEP 44 mutable items ("Storing arbitrary data in the DHT"): the exact bytes that are
 * signed, the target id, signing, and the checks every received record passes before
 * anything else looks at it. A record here is what a DHT `get` returns, what swarmpress
 * pushes to peers, and what followers re-put: the author's key, an optional salt, `seq`,
 * the bencoded value `v`, and the signature.
 *
 * `seq` is a `bigint` (BEP 44 calls it a 64-bit integer; libtorrent stores an int64): a
 * sequence number above 2^53 is neither rounded nor rejected.
 */
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeValue } from './bencode.js';
import { bytesEqual, concatBytes, toHex, utf8 } from './bytes.js';
import { FieldReader, readFields, reject } from './fields.js';
import { sha1 } from './hash.js';
import { Identity, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature } from './identity.js';
import { fail, ok, type Result } from './result.js';

/** Largest value, measured bencoded: "the bencoded form of v must be less than 1000 bytes" is enforced by nodes as <= 1000 (BEP 44; libtorrent `dht_item.cpp`). */
export const MAX_VALUE_BYTES = 1000;
/** Largest salt (BEP 44: "The salt argument may be up to 64 bytes"). */
export const MAX_SALT_BYTES = 64;
/** Largest sequence number: BEP 44's `seq` is a 64-bit signed integer in libtorrent (`sequence_number`). */
export const MAX_SEQ = 2n ** 63n - 1n;
/** Bytes in a target id: a SHA-1 digest (BEP 44). */
export const TARGET_BYTES = 20;
/**
 * Largest wire record ({@link encodeMutableRecord}): `d1:k32:…4:salt64:…3:seqi<19 digits>e3:sig64:…1:v<1000 bytes>e`
 * is 1,214 bytes; rounded up.
 */
export const MAX_RECORD_BYTES = 1280;

/** A signed BEP 44 mutable item. All fields are checked once it exists: construct it with {@link signRecord} or {@link checkRecord}. */
export interface MutableRecord {
  /** The author's ed25519 public key, 32 bytes (`k`). */
  readonly publicKey: Uint8Array;
  /** The salt, 0 to 64 bytes; empty for the unsalted slot. */
  readonly salt: Uint8Array;
  /** The sequence number, 0 to {@link MAX_SEQ}. */
  readonly seq: bigint;
  /** The value `v`, canonical bencode, at most {@link MAX_VALUE_BYTES}. */
  readonly value: Uint8Array;
  /** ed25519 signature of {@link signedBytes}, 64 bytes. */
  readonly signature: Uint8Array;
}

/** Why a received record is discarded. */
export type RecordErrorCode =
  | 'ERR_RECORD_TYPE'
  | 'ERR_RECORD_PUBLIC_KEY'
  | 'ERR_RECORD_SIGNATURE_LENGTH'
  | 'ERR_RECORD_SALT_TOO_LONG'
  | 'ERR_RECORD_SEQ_RANGE'
  | 'ERR_RECORD_VALUE_TOO_LARGE'
  | 'ERR_RECORD_VALUE_NOT_CANONICAL'
  | 'ERR_RECORD_TARGET_MISMATCH'
  | 'ERR_RECORD_BAD_SIGNATURE';

/** The fields of a record as they arrive from a peer or the native layer; nothing about them is trusted. */
export interface RecordFields {
  readonly publicKey: unknown;
  readonly salt?: unknown;
  readonly seq: unknown;
  readonly value: unknown;
  readonly signature: unknown;
}

/** What is signed: the salt, the sequence number and the value. */
export interface SignedContent {
  /** Salt, 0 to 64 bytes (default empty). */
  readonly salt?: Uint8Array;
  readonly seq: bigint;
  /** The value, already bencoded. */
  readonly value: Uint8Array;
}

/**
 * The exact bytes BEP 44 signs: `4:salt<len>:<salt>` when the salt is not empty, then
 * `3:seqi<seq>e1:v<bencoded value>` ("the bencoded dictionary with the keys salt, seq and
 * v, without the d and e"). Throws RangeError/TypeError for out-of-range arguments.
 */
export function signedBytes(content: SignedContent): Uint8Array {
  const salt = content.salt ?? new Uint8Array(0);
  requireSigned(salt, content.seq, content.value);
  const parts: Uint8Array[] = [];
  if (salt.length > 0) parts.push(utf8(`4:salt${salt.length}:`), salt);
  parts.push(utf8(`3:seqi${content.seq.toString()}e1:v`), content.value);
  return concatBytes(...parts);
}

function requireSigned(salt: unknown, seq: unknown, value: unknown): void {
  if (!(salt instanceof Uint8Array)) throw new TypeError('salt must be a Uint8Array');
  if (salt.length > MAX_SALT_BYTES) throw new RangeError(`salt must be at most ${MAX_SALT_BYTES} bytes (BEP 44)`);
  if (typeof seq !== 'bigint') throw new TypeError('seq must be a bigint');
  if (seq < 0n || seq > MAX_SEQ) throw new RangeError(`seq must be from 0 to ${MAX_SEQ}`);
  if (!(value instanceof Uint8Array)) throw new TypeError('value must be a Uint8Array (bencoded)');
  if (value.length > MAX_VALUE_BYTES) throw new RangeError(`value must be at most ${MAX_VALUE_BYTES} bytes bencoded (BEP 44)`);
}

/** The DHT target of a mutable item: SHA-1 of the public key followed by the salt (BEP 44). */
export function mutableTarget(publicKey: Uint8Array, salt: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`publicKey must be ${PUBLIC_KEY_BYTES} bytes`);
  if (!(salt instanceof Uint8Array) || salt.length > MAX_SALT_BYTES) throw new RangeError(`salt must be at most ${MAX_SALT_BYTES} bytes`);
  return sha1(concatBytes(publicKey, salt));
}

/** The DHT target of an immutable item: SHA-1 of its bencoded value (BEP 44). */
export function immutableTarget(value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError('value must be a Uint8Array (bencoded)');
  return sha1(value);
}

/**
 * Signs `content` as `identity`. The value must be canonical bencode within the limits:
 * anything else is a programmer error (TypeError/RangeError), since peers would reject it.
 */
export function signRecord(identity: Identity, content: SignedContent): MutableRecord {
  if (!(identity instanceof Identity)) throw new TypeError('identity must be an Identity');
  const salt = (content.salt ?? new Uint8Array(0)).slice();
  const value = content.value.slice();
  const bytes = signedBytes({ salt, seq: content.seq, value });
  if (!decodeBencode(value).ok) throw new RangeError('value must be canonical bencode');
  return Object.freeze({ publicKey: identity.publicKey, salt, seq: content.seq, value, signature: identity.sign(bytes) });
}

/**
 * Checks a record received from anywhere, in BEP 44's order: types and lengths, limits,
 * a canonical value, the target (when the record answers a `get` for `expectedTarget`,
 * a key that does not hash to it is discarded), then the signature. Never throws.
 * The returned record holds copies of the bytes.
 */
export function checkRecord(fields: RecordFields, expectedTarget?: Uint8Array): Result<MutableRecord, RecordErrorCode> {
  const { publicKey, seq, value, signature } = fields;
  const salt = fields.salt ?? new Uint8Array(0);
  if (!(publicKey instanceof Uint8Array) || !(salt instanceof Uint8Array) || !(value instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return fail('ERR_RECORD_TYPE', 'the key, salt, value and signature of a record must be byte strings');
  }
  if (typeof seq !== 'bigint') return fail('ERR_RECORD_TYPE', 'the seq of a record must be an integer');
  if (publicKey.length !== PUBLIC_KEY_BYTES) return fail('ERR_RECORD_PUBLIC_KEY', `the public key is ${publicKey.length} bytes, not ${PUBLIC_KEY_BYTES}`);
  if (signature.length !== SIGNATURE_BYTES) return fail('ERR_RECORD_SIGNATURE_LENGTH', `the signature is ${signature.length} bytes, not ${SIGNATURE_BYTES}`);
  if (salt.length > MAX_SALT_BYTES) return fail('ERR_RECORD_SALT_TOO_LONG', `the salt is ${salt.length} bytes, more than ${MAX_SALT_BYTES}`);
  if (seq < 0n || seq > MAX_SEQ) return fail('ERR_RECORD_SEQ_RANGE', `seq ${seq.toString()} is outside 0..2^63-1`);
  if (value.length > MAX_VALUE_BYTES) return fail('ERR_RECORD_VALUE_TOO_LARGE', `the value is ${value.length} bytes, more than ${MAX_VALUE_BYTES}`);
  const decoded = decodeBencode(value);
  if (!decoded.ok) return fail('ERR_RECORD_VALUE_NOT_CANONICAL', `the value is not canonical bencode: ${decoded.error.message}`);
  if (expectedTarget !== undefined && !bytesEqual(sha1(concatBytes(publicKey, salt)), expectedTarget)) {
    return fail('ERR_RECORD_TARGET_MISMATCH', `the key and salt do not hash to the target ${toHex(expectedTarget)}`);
  }
  const record: MutableRecord = Object.freeze({ publicKey: publicKey.slice(), salt: salt.slice(), seq, value: value.slice(), signature: signature.slice() });
  if (!verifySignature(record.publicKey, signedBytes(record), record.signature)) {
    return fail('ERR_RECORD_BAD_SIGNATURE', 'the signature does not match the key, salt, seq and value');
  }
  return ok(record);
}

/** The decoded value of a checked record (it is canonical bencode by construction). */
export function recordValue(record: MutableRecord): BencodeValue {
  const decoded = decodeBencode(record.value);
  if (!decoded.ok) throw new RangeError('record.value is not canonical bencode: was the record built by hand?');
  return decoded.value;
}

/**
 * The wire form of a record, for BEP 10 pushes to peers and for storage: the canonical
 * bencode of `{k, salt (if any), seq, sig, v}`, the keys of a BEP 44 `put` request, with
 * `v` embedded as a value (not as a string).
 */
export function encodeRecord(record: MutableRecord): Uint8Array {
  return encodeBencode(
    dictFromEntries({
      k: record.publicKey,
      salt: record.salt.length > 0 ? record.salt : undefined,
      seq: record.seq,
      sig: record.signature,
      v: recordValue(record),
    }),
  );
}

/** Why wire bytes are not a record; the codes of {@link checkRecord} plus those of the envelope. */
export type RecordWireErrorCode = RecordErrorCode | 'ERR_RECORD_TOO_LARGE' | 'ERR_RECORD_ENVELOPE';

/**
 * Reads the wire form written by {@link encodeRecord} and checks the record (signature
 * and, when given, the target). Never throws.
 */
export function decodeRecord(bytes: Uint8Array, expectedTarget?: Uint8Array): Result<MutableRecord, RecordWireErrorCode> {
  if (bytes.length > MAX_RECORD_BYTES) return fail('ERR_RECORD_TOO_LARGE', `a record is at most ${MAX_RECORD_BYTES} bytes, not ${bytes.length}`);
  const decoded = decodeBencode(bytes);
  if (!decoded.ok) return fail('ERR_RECORD_ENVELOPE', `the record is not canonical bencode: ${decoded.error.message}`);
  const fields = readFields<RecordFields, 'ERR_RECORD_ENVELOPE'>(() => {
    const reader = new FieldReader(decoded.value, 'record');
    const salt = reader.optionalValue('salt');
    if (salt !== undefined && (!(salt instanceof Uint8Array) || salt.length === 0)) reject('ERR_RECORD_ENVELOPE', 'record.salt must be a non-empty string when present');
    const result = {
      publicKey: reader.value('k'),
      salt,
      seq: reader.value('seq'),
      signature: reader.value('sig'),
      value: encodeBencode(reader.value('v')),
    };
    reader.finish();
    return result;
  });
  if (!fields.ok) return fail('ERR_RECORD_ENVELOPE', fields.error.message);
  return checkRecord(fields.value, expectedTarget);
}
