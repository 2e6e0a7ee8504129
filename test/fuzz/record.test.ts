import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeBencode } from '../../src/core/bencode.js';
import { checkRecord, decodeRecord, encodeRecord, MAX_SALT_BYTES, MAX_SEQ, MAX_VALUE_BYTES, mutableTarget, signRecord } from '../../src/core/bep44.js';
import { decodeSitePointer, encodeSitePointer } from '../../src/core/bep46.js';
import { Identity } from '../../src/core/identity.js';
import { nextSeq, resolveSlot } from '../../src/core/publish-rules.js';
import { bencodeValue, bounded, fuzz, mutate, mutations } from './fuzz.js';

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
const salt = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: MAX_SALT_BYTES }));
const seq = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: MAX_SEQ }));
const value = fc.oneof(
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map(encodeSitePointer),
  bencodeValue.map(encodeBencode).filter((bytes) => bytes.length <= MAX_VALUE_BYTES),
);

test('any signed record checks, survives its wire form, and every reader picks the same head', () => {
  fuzz(
    fc.property(seed, salt, seq, value, (secret, slot, sequence, bytes) => {
      const record = signRecord(Identity.fromSeed(secret), { salt: slot, seq: sequence, value: bytes });
      const target = mutableTarget(record.publicKey, record.salt);
      assert.deepEqual(checkRecord(record, target), { ok: true, value: record });
      const wire = encodeRecord(record);
      assert.deepEqual(decodeRecord(wire, target), { ok: true, value: record });
      assert.deepEqual(encodeRecord(record), wire);
      const next = nextSeq(sequence, undefined);
      assert.ok(next.ok ? next.value === sequence + 1n : sequence === MAX_SEQ);
      bounded('decodeSitePointer', () => decodeSitePointer(record.value));
    }),
    150,
    2500,
  );
});

test('fields of any type never make checkRecord throw', () => {
  const anyField = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 70 }), fc.bigInt(), seq);
  fuzz(
    fc.property(fc.record({ publicKey: anyField, salt: anyField, seq: anyField, value: anyField, signature: anyField }, { requiredKeys: [] }), (fields) => {
      const result = bounded('checkRecord', () => checkRecord(fields as Parameters<typeof checkRecord>[0]));
      assert.equal(result.ok, false);
    }),
    2000,
    2000,
  );
});

const BASE = signRecord(Identity.fromSeed(new Uint8Array(32).fill(5)), { salt: new Uint8Array([1, 2, 3]), seq: 7n, value: encodeSitePointer(new Uint8Array(20).fill(9)) });

test('mutated wire records never throw; anything accepted round-trips exactly', () => {
  const wire = encodeRecord(BASE);
  fuzz(
    fc.property(mutations, fc.boolean(), (edits, withTarget) => {
      const mutated = mutate(wire, edits);
      const result = bounded('decodeRecord', () => decodeRecord(mutated, withTarget ? mutableTarget(BASE.publicKey, BASE.salt) : undefined));
      if (result.ok) {
        assert.deepEqual(encodeRecord(result.value), mutated);
        assert.deepEqual(resolveSlot([result.value, BASE])?.record.value, BASE.value, 'a verified record equal to the original');
      }
    }),
    1500,
    2500,
  );
});
