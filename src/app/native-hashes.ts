/**
 * The core's hash functions from Node's crypto (OpenSSL) instead of JavaScript: the same
 * bytes, many times faster (SHA-512 of a 165 KB manifest, which ed25519 verification
 * hashes: ~55 ms cold in JavaScript). Installed once by the program's entry point;
 * tests of the core run the pure set, and test/app/native-hashes.test.ts checks that the
 * two agree.
 */
import { createHash } from 'node:crypto';
import { useHashes, type Digest, type Hashes } from '../core/hash.js';

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

/** Makes the core hash with Node's crypto from now on. */
export function installNativeHashes(): void {
  useHashes(NATIVE_HASHES);
}
