/**
 * The hash functions of the content core, in one place: SHA-256 names items and binary
 * files (DESIGN.md "Content model", BEP 52), SHA-1 names BEP 44 targets and v1 infohashes.
 * Pure JavaScript (@noble/hashes): the same bytes on every platform, no Node crypto.
 */
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** Bytes in a SHA-256 digest. */
export const SHA256_BYTES = 32;
/** Bytes in a SHA-1 digest (BEP 3 infohash, BEP 44 target). */
export const SHA1_BYTES = 20;

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** SHA-1 of `data`: only for the identifiers the BitTorrent specs define with it, never for trust on its own. */
export function sha1(data: Uint8Array): Uint8Array {
  return nobleSha1(data);
}
