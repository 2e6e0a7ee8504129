/** The native hash set and signature check the program installs decide exactly what the core's pure ones do. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { concatBytes, utf8 } from '../../src/core/bytes.js';
import { PURE_HASHES } from '../../src/core/hash.js';
import { Identity, useExactSignatureCheck, verifySignature } from '../../src/core/identity.js';
import { NATIVE_HASHES, opensslExactCheck } from '../../src/app/native-hashes.js';

test('native SHA-256, SHA-512 and SHA-1 agree with the pure ones on any bytes, and return plain arrays', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (data) => {
      for (const name of ['sha256', 'sha512', 'sha1'] as const) {
        const native = NATIVE_HASHES[name](data);
        assert.equal(Object.getPrototypeOf(native), Uint8Array.prototype, name);
        assert.deepEqual(native, PURE_HASHES[name](data), name);
      }
    }),
    { numRuns: 300 },
  );
  // One large input, across the pure implementations' block boundaries many times.
  const large = Uint8Array.from({ length: 1_000_003 }, (_, i) => (i * 31) & 0xff);
  for (const name of ['sha256', 'sha512', 'sha1'] as const) assert.deepEqual(NATIVE_HASHES[name](large), PURE_HASHES[name](large), name);
});

// --- ed25519: OpenSSL's exact check may only make verification faster ---------------------

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;

function le(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function sha512Mod(...parts: Uint8Array[]): bigint {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return le(hash.digest()) % L;
}

/** The verdicts of verifySignature without and with the exact check installed, and the check's own answer. */
function verdicts(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): { strict: boolean; fast: boolean; openssl: boolean } {
  useExactSignatureCheck(undefined);
  const strict = verifySignature(publicKey, message, signature);
  useExactSignatureCheck(opensslExactCheck);
  try {
    const fast = verifySignature(publicKey, message, signature);
    let openssl: boolean;
    try {
      openssl = opensslExactCheck(publicKey, message, signature);
    } catch {
      openssl = false;
    }
    return { strict, fast, openssl };
  } finally {
    useExactSignatureCheck(undefined);
  }
}

/**
 * A signature by seed's key that holds only up to a small-order point T: R' = [r]B + T,
 * S = r + k'a with k' hashed over R'. The strict (cofactored) check accepts it; OpenSSL's
 * cofactorless one must not, so the fast path's "no" has to fall through.
 */
function cofactorSignature(seed: Uint8Array, message: Uint8Array, smallOrder: InstanceType<typeof ed.Point>): Uint8Array {
  const { scalar, pointBytes } = ed.utils.getExtendedPublicKey(seed);
  const r = sha512Mod(utf8('nonce'), seed, message);
  const rPoint = ed.Point.BASE.multiply(r).add(smallOrder);
  const rBytes = rPoint.toBytes();
  const k = sha512Mod(rBytes, pointBytes, message);
  const s = (r + k * scalar) % L;
  return concatBytes(rBytes, le32(s));
}

test('ed25519 with OpenSSL installed gives the strict verdict on valid, tampered, non-canonical, small-order and cofactor-only signatures', () => {
  const seeds = Array.from({ length: 12 }, (_, i) => createHash('sha256').update(`seed ${i}`).digest()).map((b) => new Uint8Array(b));
  // A point of order 4 (y = 0) and the point of order 2 (y = −1).
  const order4 = ed.Point.fromBytes(new Uint8Array(32), false);
  const order2 = ed.Point.fromBytes(le32(P - 1n), false);
  assert.ok(order4.isSmallOrder() && !order4.is0() && order2.isSmallOrder() && !order2.is0());
  const counts = { fastAccepted: 0, fellThrough: 0, rejected: 0 };
  const check = (label: string, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void => {
    const v = verdicts(publicKey, message, signature);
    assert.equal(v.fast, v.strict, `${label}: the verdict changed with OpenSSL installed`);
    if (v.strict && v.openssl) counts.fastAccepted += 1;
    else if (v.strict) counts.fellThrough += 1;
    else counts.rejected += 1;
  };
  for (const seed of seeds) {
    const identity = Identity.fromSeed(seed);
    const key = identity.publicKey;
    for (const message of [new Uint8Array(0), utf8('a signed item'), new Uint8Array(3000).fill(7)]) {
      const signature = identity.sign(message);
      check('valid', key, message, signature);
      // Every single-bit change of signature, key and message (a sample of positions).
      for (let bit = 0; bit < 512; bit += 37) {
        const flipped = signature.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        check('signature bit', key, message, flipped);
      }
      for (let bit = 0; bit < 256; bit += 41) {
        const flipped = key.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        check('key bit', flipped, message, signature);
      }
      if (message.length > 0) {
        const changed = message.slice();
        changed[0] = (changed[0] ?? 0) ^ 1;
        check('message', key, changed, signature);
      }
      // S + L: the same scalar mod L, not canonical (strict RFC 8032 rejects it; OpenSSL too).
      const s = le(signature.subarray(32));
      if (s + L < 2n ** 256n) check('S + L', key, message, concatBytes(signature.subarray(0, 32), le32(s + L)));
      // Cofactor-only signatures: valid for the strict (cofactored) equation only.
      for (const small of [order4, order2]) {
        const crafted = cofactorSignature(seed, message, small);
        const v = verdicts(key, message, crafted);
        assert.equal(v.openssl, false, 'OpenSSL accepted a cofactor-only signature: it is not the exact check assumed');
        check('cofactor-only', key, message, crafted);
      }
    }
  }
  // Small-order keys, and non-canonical encodings (y + p) of R and of the key.
  for (const smallKey of [new Uint8Array(32), le32(P - 1n), le32(1n)]) check('small-order key', smallKey, utf8('x'), new Uint8Array(64));
  const identity = Identity.fromSeed(seeds[0] ?? new Uint8Array(32));
  const signature = identity.sign(utf8('x'));
  const r = le(signature.subarray(0, 32)) & ((1n << 255n) - 1n);
  if (r + P < 2n ** 255n) check('non-canonical R', identity.publicKey, utf8('x'), concatBytes(le32(r + P), signature.subarray(32)));
  check('non-canonical key', le32(1n + P), utf8('x'), signature);
  // Both paths were exercised: most valid signatures took the fast one, cofactor-only ones fell through.
  assert.ok(counts.fastAccepted >= 36, `fast path taken ${counts.fastAccepted} times`);
  assert.ok(counts.fellThrough >= 72, `fell through ${counts.fellThrough} times`);
  assert.ok(counts.rejected > 300, `rejected ${counts.rejected} times`);
});

test('ed25519 with OpenSSL installed agrees with the strict check on random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (key, message, signature) => {
      const v = verdicts(key, message, signature);
      assert.equal(v.fast, v.strict);
    }),
    { numRuns: 200 },
  );
});
