/** The native hash set the program installs computes exactly what the core's pure set does. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PURE_HASHES } from '../../src/core/hash.js';
import { NATIVE_HASHES } from '../../src/app/native-hashes.js';

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
