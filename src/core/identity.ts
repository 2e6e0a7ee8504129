/**
 * Author identities: ed25519 key pairs (RFC 8032) with @noble/ed25519. Randomness is
 * passed in (`generateIdentity(randomBytes)`), so this module stays pure.
 *
 * The secret seed lives in a `#private` field of {@link Identity}: it is not enumerable,
 * not printed by `console.log` and not serialized by `JSON.stringify`. It leaves only
 * through {@link formatKeyFile}, the format of the key file and of backups.
 *
 * Verification is strict RFC 8032 (`zip215: false`): non-canonical points and S >= L are
 * rejected, so a signature has exactly one valid encoding and cannot be malleated.
 *
 * A program may install a faster exact check ({@link useExactSignatureCheck}; the app
 * installs OpenSSL's, ~25× faster). It can only ever add speed, never change a verdict:
 * its "yes" is taken only for a strictly valid, not small-order key and S < L, where it
 * means [S]B = R + [k]A exactly, and every other signature goes to the strict check —
 * see verifySignature.
 */
import * as ed from '@noble/ed25519';
import { bytesEqual, concatBytes, decodeUtf8, fromHex, toHex, utf8 } from './bytes.js';
import { sha256, sha512, type Digest } from './hash.js';
import { fail, ok, type Result } from './result.js';

// @noble/ed25519 3.x needs a synchronous SHA-512 for its synchronous API (FACTS.md).
// Setting it is idempotent; every importer of this module gets the same function, which
// calls whichever set hash.ts has installed.
ed.hashes.sha512 = (data: Uint8Array): Digest => sha512(data);

/** Bytes in an ed25519 public key (RFC 8032 section 5.1.5). */
export const PUBLIC_KEY_BYTES = 32;
/** Bytes in an ed25519 secret seed, the 32 random bytes a key pair derives from (RFC 8032). */
export const SEED_BYTES = 32;
/** Bytes in an ed25519 signature (RFC 8032 section 5.1.6). */
export const SIGNATURE_BYTES = 64;

const STRICT = { zip215: false } as const;

/** L, the order of the ed25519 base point (RFC 8032 section 5.1). */
const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

/**
 * Answers true only if encode([S]B − [k]A) equals the signature's R bytes, with
 * k = SHA-512(R ‖ A ‖ message) mod L — RFC 8032 section 5.1.7's check in its cofactorless
 * form, as OpenSSL (and libsodium) do it. It may answer false for anything else.
 */
export type ExactSignatureCheck = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

let exactCheck: ExactSignatureCheck | undefined;

/** Installs (or, with undefined, removes) the faster exact check; see the module comment. */
export function useExactSignatureCheck(check: ExactSignatureCheck | undefined): void {
  exactCheck = check;
}

/** Keys that passed {@link isValidPublicKey}, so the fast path decodes each key once (bounded). */
const validKeys = new Set<string>();
const MAX_VALID_KEYS = 4096;

function isKnownValidKey(publicKey: Uint8Array): boolean {
  const hex = toHex(publicKey);
  if (validKeys.has(hex)) return true;
  if (!isValidPublicKey(publicKey)) return false;
  if (validKeys.size >= MAX_VALID_KEYS) validKeys.clear();
  validKeys.add(hex);
  return true;
}

/** S, the signature's second half, as a little-endian integer, is below L. */
function scalarBelowOrder(signature: Uint8Array): boolean {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] ?? 0);
  return s < ORDER;
}

function requireBytes(value: unknown, length: number, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (value.length !== length) throw new RangeError(`${name} must be ${length} bytes, not ${value.length}`);
  return value;
}

/** Reads the secret seed of an identity; only this module (the key file format) may. */
let seedOf: (identity: Identity) => Uint8Array;

/** An author's key pair. Immutable; safe to share between modules (not between threads: it holds a secret). */
export class Identity {
  readonly #seed: Uint8Array;
  readonly #publicKey: Uint8Array;

  private constructor(seed: Uint8Array) {
    this.#seed = seed.slice();
    this.#publicKey = ed.getPublicKey(this.#seed);
  }

  /** The identity whose secret seed is `seed` (32 bytes; TypeError/RangeError otherwise). */
  static fromSeed(seed: Uint8Array): Identity {
    return new Identity(requireBytes(seed, SEED_BYTES, 'seed'));
  }

  /** The 32-byte public key (a copy): the author's name everywhere in swarmpress. */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** The 64-byte ed25519 signature of `message`. Deterministic (RFC 8032): same message, same signature. */
  sign(message: Uint8Array): Uint8Array {
    if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
    return ed.sign(message, this.#seed);
  }

  static {
    seedOf = (identity) => identity.#seed.slice();
  }

  /** What `JSON.stringify` shows: the public key only. */
  toJSON(): { publicKey: string } {
    return { publicKey: ed.etc.bytesToHex(this.#publicKey) };
  }
}

/**
 * A new identity from 32 bytes of cryptographically secure randomness supplied by the
 * caller (e.g. `crypto.getRandomValues`). The bytes become the secret seed.
 */
export function generateIdentity(randomBytes: Uint8Array): Identity {
  return Identity.fromSeed(requireBytes(randomBytes, SEED_BYTES, 'randomBytes'));
}

/** Longest site name: a short label chosen by the author (`--site NAME`). */
export const MAX_SITE_NAME_CHARS = 64;
const SITE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** The site of an author that has no name: its address is the author's own key. */
export const DEFAULT_SITE_NAME = 'default';

/** Whether `name` is a site name: lower-case letters, digits, `-` and `_`, 1 to 64 characters. */
export function isSiteName(name: string): boolean {
  return typeof name === 'string' && name.length <= MAX_SITE_NAME_CHARS && SITE_NAME.test(name);
}

/**
 * The key pair of an author's site `name`. Each site is its own address (BEP 46: one key,
 * one site), derived from the author's secret seed, so the backup of the identity is the
 * backup of every site: SHA-256 of a domain tag, the name and the seed. The default site
 * ({@link DEFAULT_SITE_NAME}) is the author's own key. RangeError for a bad name.
 */
export function deriveSiteIdentity(author: Identity, name: string): Identity {
  if (!(author instanceof Identity)) throw new TypeError('author must be an Identity');
  if (!isSiteName(name)) throw new RangeError(`a site name is 1 to ${MAX_SITE_NAME_CHARS} lower-case letters, digits, '-' or '_', not ${JSON.stringify(name)}`);
  if (name === DEFAULT_SITE_NAME) return author;
  return Identity.fromSeed(sha256(concatBytes(utf8(`swarmpress-site-key:1:${name}:`), seedOf(author))));
}

/**
 * Whether `signature` is a valid ed25519 signature of `message` by `publicKey`. Never
 * throws for byte arrays of any length (a wrong length is simply invalid); throws
 * TypeError for arguments that are not Uint8Arrays.
 */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  // The fast path's "yes" is the strict check's "yes": with A decoded strictly (canonical,
  // on the curve, not of small order) and S < L, an exact check that re-encodes
  // [S]B − [k]A and finds R's bytes has shown that R is the canonical encoding of a point
  // and that [S]B = R + [k]A, hence [8][S]B = [8]R + [8][k]A, which is what the strict
  // check below tests (with the same k: both hash R's and A's bytes as given). Its "no"
  // proves nothing (a signature valid only up to a small-order component, say): those go on.
  if (exactCheck !== undefined && scalarBelowOrder(signature) && isKnownValidKey(publicKey)) {
    try {
      if (exactCheck(publicKey, message, signature)) return true;
    } catch {
      // the strict check decides
    }
  }
  try {
    return ed.verify(signature, message, publicKey, STRICT);
  } catch {
    return false;
  }
}

/**
 * Whether `publicKey` is a canonical encoding of a point of the curve that is not of small
 * order: the keys {@link verifySignature} can ever accept a signature from.
 */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return !ed.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

// --- The key file ----------------------------------------------------------------------
//
// A small, versioned text file, also the backup format (`swarmpress identity export`):
//
//   # swarmpress identity. Anyone who has this file can publish as this author: ...
//   swarmpress-identity: 1
//   public-key: <64 hex>
//   secret-seed: <64 hex>
//   checksum: <16 hex>
//
// The checksum (the first 8 bytes of SHA-256 over a version tag, the public key and the
// seed) detects a corrupted copy; the public key derived from the seed must also equal
// the stored one. Lines may end in CRLF (a backup that travelled through Windows), hex may
// be upper case, and '#' lines are comments; anything else is an error, never a new key.

/** Why a key file was not accepted. A missing or corrupt key is never replaced silently. */
export type KeyFileErrorCode =
  | 'ERR_KEY_FILE_MISSING'
  | 'ERR_KEY_FILE_EMPTY'
  | 'ERR_KEY_FILE_TOO_LARGE'
  | 'ERR_KEY_FILE_NOT_TEXT'
  | 'ERR_KEY_FILE_FORMAT'
  | 'ERR_KEY_FILE_VERSION'
  | 'ERR_KEY_FILE_CHECKSUM'
  | 'ERR_KEY_FILE_KEY_MISMATCH';

/** The key file format this code writes and reads. */
export const KEY_FILE_VERSION = 1;
/** Largest key file read: the format needs about 300 bytes; comments may add a little. */
export const MAX_KEY_FILE_BYTES = 4096;
/** Bytes of SHA-256 kept as the checksum (64 bits: corruption, not forgery, is the threat). */
const CHECKSUM_BYTES = 8;
const KEY_FILE_COMMENT =
  '# swarmpress identity. Anyone who has this file can publish as this author: keep it private, and keep a backup.';
const FIELDS = ['swarmpress-identity', 'public-key', 'secret-seed', 'checksum'] as const;
type FieldName = (typeof FIELDS)[number];

function checksumOf(publicKey: Uint8Array, seed: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(`swarmpress-identity ${KEY_FILE_VERSION}\n`), publicKey, seed)).slice(0, CHECKSUM_BYTES);
}

/** The key file (and backup) of `identity`, as UTF-8 text with LF line ends. Contains the secret seed. */
export function formatKeyFile(identity: Identity): string {
  if (!(identity instanceof Identity)) throw new TypeError('identity must be an Identity');
  const seed = seedOf(identity);
  const publicKey = identity.publicKey;
  return [
    KEY_FILE_COMMENT,
    `swarmpress-identity: ${KEY_FILE_VERSION}`,
    `public-key: ${toHex(publicKey)}`,
    `secret-seed: ${toHex(seed)}`,
    `checksum: ${toHex(checksumOf(publicKey, seed))}`,
    '',
  ].join('\n');
}

function readFields(text: string): Result<Map<FieldName, string>, KeyFileErrorCode> {
  const fields = new Map<FieldName, string>();
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-z-]+): *([^ ]*) *$/.exec(line);
    const name = FIELDS.find((field) => field === match?.[1]);
    if (match === null || name === undefined) return fail('ERR_KEY_FILE_FORMAT', `line ${index + 1} of the key file is not a known field`);
    if (fields.has(name)) return fail('ERR_KEY_FILE_FORMAT', `the key file has '${name}' twice`);
    fields.set(name, match[2] ?? '');
  }
  return ok(fields);
}

/**
 * Reads a key file or a backup. `bytes` is `undefined` when there is no file: that is an
 * error too (`ERR_KEY_FILE_MISSING`), so the caller has to choose to create an identity
 * (`generateIdentity`) or to import one, and never splits an author in two by accident.
 * Never throws for any bytes.
 */
export function parseKeyFile(bytes: Uint8Array | undefined): Result<Identity, KeyFileErrorCode> {
  if (bytes === undefined) return fail('ERR_KEY_FILE_MISSING', 'there is no identity key file');
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array or undefined');
  if (bytes.length > MAX_KEY_FILE_BYTES) return fail('ERR_KEY_FILE_TOO_LARGE', `the key file is larger than ${MAX_KEY_FILE_BYTES} bytes`);
  const text = decodeUtf8(bytes);
  if (text === undefined) return fail('ERR_KEY_FILE_NOT_TEXT', 'the key file is not UTF-8 text');
  if (text.trim() === '') return fail('ERR_KEY_FILE_EMPTY', 'the key file is empty');
  const read = readFields(text);
  if (!read.ok) return read;
  const fields = read.value;
  const version = fields.get('swarmpress-identity');
  if (version === undefined) return fail('ERR_KEY_FILE_FORMAT', 'this is not a swarmpress identity key file');
  if (version !== String(KEY_FILE_VERSION)) {
    return fail('ERR_KEY_FILE_VERSION', `the key file has format version '${version}'; this swarmpress reads version ${KEY_FILE_VERSION}`);
  }
  const publicKey = fromHex(fields.get('public-key') ?? '', PUBLIC_KEY_BYTES);
  const seed = fromHex(fields.get('secret-seed') ?? '', SEED_BYTES);
  const checksum = fromHex(fields.get('checksum') ?? '', CHECKSUM_BYTES);
  if (publicKey === undefined) return fail('ERR_KEY_FILE_FORMAT', `the key file's public-key is not ${PUBLIC_KEY_BYTES * 2} hex digits`);
  if (seed === undefined) return fail('ERR_KEY_FILE_FORMAT', `the key file's secret-seed is not ${SEED_BYTES * 2} hex digits`);
  if (checksum === undefined) return fail('ERR_KEY_FILE_FORMAT', `the key file's checksum is not ${CHECKSUM_BYTES * 2} hex digits`);
  if (!bytesEqual(checksum, checksumOf(publicKey, seed))) {
    return fail('ERR_KEY_FILE_CHECKSUM', 'the key file is corrupt: its checksum does not match its keys');
  }
  const identity = Identity.fromSeed(seed);
  if (!bytesEqual(identity.publicKey, publicKey)) {
    return fail('ERR_KEY_FILE_KEY_MISMATCH', 'the key file is corrupt: its secret seed does not belong to its public key');
  }
  return ok(identity);
}
