/**
 * The hash functions of the content core, in one place: SHA-256 names items and binary
 * files (DESIGN.md "Content model", BEP 52), SHA-1 names BEP 44 targets and v1 infohashes.
 * SHA-512 is ed25519's (identity.ts). Pure JavaScript (@noble/hashes) by default, so the
 * core needs no Node crypto; a program may install the same functions from a native
 * library with {@link useHashes} (the app does: verifying a 1,000-post manifest spent
 * ~55 ms in JavaScript SHA-512 — src/app/native-hashes.ts). The bytes are the same.
 */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';

/** Bytes in a SHA-256 digest. */
export const SHA256_BYTES = 32;
/** Bytes in a SHA-1 digest (BEP 3 infohash, BEP 44 target). */
export const SHA1_BYTES = 20;

/** The hash functions, as a set that can be replaced as a whole. Each returns a new array. */
export interface Hashes {
  readonly sha256: (data: Uint8Array) => Digest;
  readonly sha512: (data: Uint8Array) => Digest;
  readonly sha1: (data: Uint8Array) => Digest;
}

/** A digest: a new array of its own. */
export type Digest = Uint8Array<ArrayBuffer>;

/** The pure-JavaScript set, used until {@link useHashes} installs another. */
export const PURE_HASHES: Hashes = { sha256: nobleSha256, sha512: nobleSha512, sha1: nobleSha1 };

let active: Hashes = PURE_HASHES;

/** Installs `hashes` (which must compute exactly these functions) for everything after. */
export function useHashes(hashes: Hashes): void {
  active = hashes;
}

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return active.sha256(data);
}

/** SHA-512 of `data` (ed25519's hash). */
export function sha512(data: Uint8Array): Digest {
  return active.sha512(data);
}

/** SHA-1 of `data`: only for the identifiers the BitTorrent specs define with it, never for trust on its own. */
export function sha1(data: Uint8Array): Uint8Array {
  return active.sha1(data);
}
