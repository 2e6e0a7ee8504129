/**
 * The core's hash functions and ed25519's exact check from Node's crypto (OpenSSL) instead
 * of JavaScript: the same results, many times faster (SHA-512 of a 165 KB manifest, which
 * ed25519 verification hashes: ~55 ms cold in JavaScript; a signature check: ~2.5 ms in
 * JavaScript, ~0.1 ms in OpenSSL). Installed once by the program's entry point; tests of
 * the core run the pure set, and test/app/native-hashes.test.ts checks that the two agree,
 * on valid signatures and on every kind of invalid or borderline one.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { useHashes, type Digest, type Hashes } from '../core/hash.js';
import { toHex } from '../core/bytes.js';
import { useExactSignatureCheck } from '../core/identity.js';

function digest(algorithm: string): (data: Uint8Array) => Digest {
  return (data) => {
    const hashed = createHash(algorithm).update(data).digest();
    // A plain Uint8Array of its own (not a Buffer), like the pure functions return.
    const out = new Uint8Array(hashed.length);
    out.set(hashed);
    return out;
  };
}

export const NATIVE_HASHES: Hashes = { sha256: digest('sha256'), sha512: digest('sha512'), sha1: digest('sha1') };

/** SubjectPublicKeyInfo (RFC 8410) of an Ed25519 key, up to the 32 key bytes. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Public keys as OpenSSL objects: a site's items are all signed by one or two keys. */
const keyObjects = new Map<string, KeyObject>();
const MAX_KEY_OBJECTS = 1024;

/**
 * OpenSSL's Ed25519 verification (RFC 8032: encode([S]B − [k]A) compared with R), which is
 * the exact check core/identity.ts can take a "yes" from.
 */
export function opensslExactCheck(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const hex = toHex(publicKey);
  let key = keyObjects.get(hex);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyObjects.size >= MAX_KEY_OBJECTS) keyObjects.clear();
    keyObjects.set(hex, key);
  }
  return verify(null, message, key, signature);
}

/** Makes the core hash and check signatures with Node's crypto from now on. */
export function installNativeHashes(): void {
  useHashes(NATIVE_HASHES);
  useExactSignatureCheck(opensslExactCheck);
}
