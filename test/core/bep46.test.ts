import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRecord, mutableTarget, signRecord } from '../../src/core/bep44.js';
import { decodeSitePointer, encodeSitePointer, INFOHASH_BYTES } from '../../src/core/bep46.js';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { bytes, hex, readVectors } from './vectors.js';

const IH = hex('c12fe1c06bba254a9dc9f519b335aa7c1367a88a');

function code(value: Uint8Array): string | undefined {
  const result = decodeSitePointer(value);
  return result.ok ? undefined : result.error.code;
}

test('the official BEP 46 targets follow from key and salt', () => {
  const vectors = (readVectors('bep44-bep46.json') as { bep46: { public_key: string; salt_hex?: string; target: string }[] }).bep46;
  for (const v of vectors) {
    assert.equal(toHex(mutableTarget(hex(v.public_key), hex(v.salt_hex ?? ''))), v.target);
  }
});

test('the pointer value is {ih: 20 bytes}, bencoded', () => {
  const value = encodeSitePointer(IH);
  assert.equal(new TextDecoder('latin1').decode(value.subarray(0, 8)), 'd2:ih20:');
  assert.equal(value.length, 8 + INFOHASH_BYTES + 1);
  assert.deepEqual(decodeSitePointer(value), { ok: true, value: IH });
  // A record carrying it signs and verifies.
  const record = signRecord(Identity.fromSeed(new Uint8Array(32).fill(1)), { seq: 1n, value });
  assert.ok(checkRecord(record).ok);
  assert.throws(() => encodeSitePointer(new Uint8Array(INFOHASH_BYTES + 1)), RangeError);
});

test('other keys next to ih are tolerated; anything else is rejected', () => {
  const withExtra = new Uint8Array([...bytes('d2:ih20:'), ...IH, ...bytes('1:xi1ee')]);
  assert.deepEqual(decodeSitePointer(withExtra), { ok: true, value: IH });
  assert.equal(code(bytes('d2:ih19:0123456789012345678e')), 'ERR_POINTER_BAD_INFOHASH');
  assert.equal(code(bytes('d2:ihi1ee')), 'ERR_POINTER_BAD_INFOHASH');
  assert.equal(code(bytes('de')), 'ERR_POINTER_NO_INFOHASH');
  assert.equal(code(bytes('le')), 'ERR_POINTER_NOT_DICT');
  assert.equal(code(bytes('d2:ih')), 'ERR_POINTER_NOT_CANONICAL');
});
