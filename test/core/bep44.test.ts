import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkRecord,
  decodeRecord,
  encodeRecord,
  immutableTarget,
  MAX_RECORD_BYTES,
  MAX_SALT_BYTES,
  MAX_SEQ,
  MAX_VALUE_BYTES,
  mutableTarget,
  signedBytes,
  signRecord,
  type MutableRecord,
  type RecordFields,
} from '../../src/core/bep44.js';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { bytes, hex, readVectors } from './vectors.js';

interface Bep44Vector {
  readonly name: string;
  readonly official: boolean;
  readonly seq?: number;
  readonly salt?: string;
  readonly value_bencoded: string;
  readonly signed_buffer?: string;
  readonly public_key?: string;
  readonly target?: string;
  readonly signature?: string;
  readonly seed?: string;
  readonly cases?: readonly { readonly salt: string | null; readonly target: string; readonly signature: string }[];
}

const VECTORS = (readVectors('bep44-bep46.json') as { bep44: Bep44Vector[] }).bep44;

function vector(name: string): Bep44Vector {
  const found = VECTORS.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no vector ${name}`);
  return found;
}

function code(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code;
}

test('official BEP 44 vectors: signed bytes, targets and signatures, exactly', () => {
  const mutable = [vector('test 1 (mutable)'), vector('test 2 (mutable with salt)')];
  for (const v of mutable) {
    const salt = v.salt === undefined ? new Uint8Array(0) : bytes(v.salt);
    const value = bytes(v.value_bencoded);
    const seq = BigInt(v.seq ?? -1);
    assert.equal(new TextDecoder().decode(signedBytes({ salt, seq, value })), v.signed_buffer, v.name);
    const publicKey = hex(v.public_key ?? '');
    assert.equal(toHex(mutableTarget(publicKey, salt)), v.target, v.name);
    const fields = { publicKey, salt, seq, value, signature: hex(v.signature ?? '') };
    // The official private key is an expanded key (FACTS.md): verify, do not re-sign.
    const checked = checkRecord(fields, hex(v.target ?? ''));
    assert.equal(code(checked), undefined, v.name);
  }
  const immutable = vector('test 3 (immutable)');
  assert.equal(toHex(immutableTarget(bytes(immutable.value_bencoded))), immutable.target);
});

test('the seed-based vector is re-signed exactly, with and without salt', () => {
  const v = vector('seed-based signing cross-check');
  const identity = Identity.fromSeed(hex(v.seed ?? ''));
  assert.equal(toHex(identity.publicKey), v.public_key);
  for (const c of v.cases ?? []) {
    const salt = c.salt === null ? new Uint8Array(0) : bytes(c.salt);
    const record = signRecord(identity, { salt, seq: BigInt(v.seq ?? -1), value: bytes(v.value_bencoded) });
    assert.equal(toHex(record.signature), c.signature);
    assert.equal(toHex(mutableTarget(record.publicKey, record.salt)), c.target);
    assert.ok(checkRecord(record, hex(c.target)).ok);
  }
});

function seedRecord(): MutableRecord {
  const v = vector('seed-based signing cross-check');
  return signRecord(Identity.fromSeed(hex(v.seed ?? '')), { salt: bytes('foobar'), seq: 1n, value: bytes(v.value_bencoded) });
}

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const copy = data.slice();
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

test('flipping any bit of signature, key, seq, salt or value fails verification', () => {
  const record = seedRecord();
  const target = mutableTarget(record.publicKey, record.salt);
  assert.ok(checkRecord(record).ok);
  const variants: [string, RecordFields][] = [];
  for (let bit = 0; bit < 512; bit++) variants.push([`sig bit ${bit}`, { ...record, signature: flipBit(record.signature, bit) }]);
  for (let bit = 0; bit < 256; bit++) variants.push([`key bit ${bit}`, { ...record, publicKey: flipBit(record.publicKey, bit) }]);
  for (let bit = 0n; bit < 64n; bit++) variants.push([`seq bit ${bit}`, { ...record, seq: BigInt.asIntN(64, record.seq ^ (1n << bit)) }]);
  for (let bit = 0; bit < record.salt.length * 8; bit++) variants.push([`salt bit ${bit}`, { ...record, salt: flipBit(record.salt, bit) }]);
  for (let bit = 0; bit < record.value.length * 8; bit++) variants.push([`value bit ${bit}`, { ...record, value: flipBit(record.value, bit) }]);
  assert.equal(variants.length, 512 + 256 + 64 + 48 + 120);
  for (const [name, fields] of variants) {
    // Without a target the signature alone must catch every flip; with one, the target catches key and salt first.
    assert.equal(checkRecord(fields).ok, false, name);
    if (name.startsWith('key') || name.startsWith('salt')) assert.equal(code(checkRecord(fields, target)), 'ERR_RECORD_TARGET_MISMATCH', name);
  }
});

test('BEP 44 limits: 1000-byte value, 64-byte salt, seq in 0..2^63-1 without rounding', () => {
  const identity = Identity.fromSeed(new Uint8Array(32).fill(3));
  const maxValue = bytes(`${MAX_VALUE_BYTES - 4}:${'x'.repeat(MAX_VALUE_BYTES - 4)}`);
  assert.equal(maxValue.length, MAX_VALUE_BYTES);
  const record = signRecord(identity, { salt: new Uint8Array(MAX_SALT_BYTES).fill(1), seq: MAX_SEQ, value: maxValue });
  assert.ok(checkRecord(record).ok);
  const beyond53 = signRecord(identity, { seq: 2n ** 53n + 1n, value: bytes('i1e') });
  assert.match(new TextDecoder().decode(signedBytes(beyond53)), /^3:seqi9007199254740993e1:v/);
  assert.ok(checkRecord(beyond53).ok);
  assert.equal(code(checkRecord({ ...beyond53, seq: 2n ** 53n + 2n })), 'ERR_RECORD_BAD_SIGNATURE', 'seq 2^53+1 is not rounded to 2^53+2');

  const tooLong = bytes(`${MAX_VALUE_BYTES - 3}:${'x'.repeat(MAX_VALUE_BYTES - 3)}`);
  assert.equal(code(checkRecord({ ...record, value: tooLong })), 'ERR_RECORD_VALUE_TOO_LARGE');
  assert.equal(code(checkRecord({ ...record, salt: new Uint8Array(MAX_SALT_BYTES + 1) })), 'ERR_RECORD_SALT_TOO_LONG');
  assert.equal(code(checkRecord({ ...record, seq: -1n })), 'ERR_RECORD_SEQ_RANGE');
  assert.equal(code(checkRecord({ ...record, seq: MAX_SEQ + 1n })), 'ERR_RECORD_SEQ_RANGE');
  assert.equal(code(checkRecord({ ...record, seq: 1 })), 'ERR_RECORD_TYPE', 'a number is not accepted as seq');
  assert.equal(code(checkRecord({ ...record, value: bytes('i03e') })), 'ERR_RECORD_VALUE_NOT_CANONICAL');
  assert.equal(code(checkRecord({ ...record, value: bytes('d1:bi1e1:ai2ee') })), 'ERR_RECORD_VALUE_NOT_CANONICAL');
  assert.equal(code(checkRecord({ ...record, publicKey: new Uint8Array(33) })), 'ERR_RECORD_PUBLIC_KEY');
  assert.equal(code(checkRecord({ ...record, signature: new Uint8Array(10) })), 'ERR_RECORD_SIGNATURE_LENGTH');
  assert.equal(code(checkRecord({ ...record, salt: 5 })), 'ERR_RECORD_TYPE');
  assert.equal(code(checkRecord({ publicKey: null, seq: null, value: null, signature: null })), 'ERR_RECORD_TYPE');

  assert.throws(() => signRecord(identity, { seq: 0n, value: tooLong }), RangeError);
  assert.throws(() => signRecord(identity, { seq: -1n, value: bytes('0:') }), RangeError);
  assert.throws(() => signRecord(identity, { seq: 0n, value: bytes('0:'), salt: new Uint8Array(65) }), RangeError);
  assert.throws(() => signRecord(identity, { seq: 0n, value: bytes('i03e') }), RangeError);
  assert.throws(() => signRecord(identity, { seq: 1 as unknown as bigint, value: bytes('0:') }), TypeError);
});

test('a response whose key does not hash to the requested target is discarded', () => {
  const record = seedRecord();
  const otherTarget = mutableTarget(record.publicKey, bytes('other'));
  assert.equal(code(checkRecord(record, otherTarget)), 'ERR_RECORD_TARGET_MISMATCH');
  assert.equal(code(checkRecord(record, mutableTarget(record.publicKey))), 'ERR_RECORD_TARGET_MISMATCH', 'the salt is part of the target');
});

test('the wire form round-trips and is checked like any record', () => {
  const record = seedRecord();
  const wire = encodeRecord(record);
  assert.equal(new TextDecoder().decode(wire.subarray(0, 7)), 'd1:k32:');
  const decoded = decodeRecord(wire, mutableTarget(record.publicKey, record.salt));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, record);
  assert.deepEqual(encodeRecord(decoded.value), wire);
  const unsalted = signRecord(Identity.fromSeed(new Uint8Array(32)), { seq: 5n, value: bytes('d2:ih20:aaaaaaaaaaaaaaaaaaaae') });
  assert.ok(!new TextDecoder().decode(encodeRecord(unsalted)).includes('4:salt'));
  assert.deepEqual(decodeRecord(encodeRecord(unsalted)), { ok: true, value: unsalted });

  assert.equal(code(decodeRecord(wire, mutableTarget(record.publicKey))), 'ERR_RECORD_TARGET_MISMATCH');
  assert.equal(code(decodeRecord(new Uint8Array(MAX_RECORD_BYTES + 1))), 'ERR_RECORD_TOO_LARGE');
  assert.equal(code(decodeRecord(bytes('le'))), 'ERR_RECORD_ENVELOPE');
  assert.equal(code(decodeRecord(wire.subarray(0, wire.length - 1))), 'ERR_RECORD_ENVELOPE');
  const text = new TextDecoder('latin1').decode(wire);
  const extra = text.replace('1:v', '1:xi1e1:v');
  assert.equal(code(decodeRecord(Uint8Array.from(extra, (c) => c.charCodeAt(0)))), 'ERR_RECORD_ENVELOPE');
  const emptySalt = text.replace(/4:salt6:foobar/, '4:salt0:');
  assert.equal(code(decodeRecord(Uint8Array.from(emptySalt, (c) => c.charCodeAt(0)))), 'ERR_RECORD_ENVELOPE');
});
