import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRecord, MAX_SALT_BYTES, MAX_SEQ, signRecord, type MutableRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { compareBytes, toHex } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { casFor, deviceSalt, gatherAuthorSlots, isDeviceSalt, nextSeq, resolveSlot } from '../../src/core/publish-rules.js';
import { bytes } from './vectors.js';

const ALICE = Identity.fromSeed(new Uint8Array(32).fill(0xa1));
const BOB = Identity.fromSeed(new Uint8Array(32).fill(0xb0));

function pointer(n: number): Uint8Array {
  return encodeSitePointer(new Uint8Array(20).fill(n));
}

function put(seq: bigint, value: Uint8Array, salt: Uint8Array = new Uint8Array(0), identity = ALICE): MutableRecord {
  return signRecord(identity, { seq, value, salt });
}

test('next seq is max(local, network) + 1, exact beyond 2^53, and ends at 2^63-1', () => {
  assert.deepEqual(nextSeq(undefined, undefined), { ok: true, value: 1n }, 'the first version is version 1');
  assert.deepEqual(nextSeq(4n, undefined), { ok: true, value: 5n });
  assert.deepEqual(nextSeq(undefined, 9n), { ok: true, value: 10n });
  assert.deepEqual(nextSeq(7n, 3n), { ok: true, value: 8n }, 'a network that lags does not roll the author back');
  assert.deepEqual(nextSeq(3n, 7n), { ok: true, value: 8n }, 'another device published meanwhile');
  assert.deepEqual(nextSeq(2n ** 53n, 0n), { ok: true, value: 2n ** 53n + 1n });
  assert.deepEqual(nextSeq(MAX_SEQ - 1n, undefined), { ok: true, value: MAX_SEQ });
  const exhausted = nextSeq(MAX_SEQ, 0n);
  assert.equal(exhausted.ok ? undefined : exhausted.error.code, 'ERR_SEQ_EXHAUSTED');
  assert.throws(() => nextSeq(-1n, undefined), RangeError);
  assert.throws(() => nextSeq(1 as unknown as bigint, undefined), RangeError);
});

test('cas is the seq of the record being replaced', () => {
  assert.equal(casFor(undefined), undefined);
  assert.equal(casFor(put(41n, pointer(1))), 41n);
});

test('device salts are deterministic, distinct, recognizable and within BEP 44', () => {
  const laptop = deviceSalt('laptop-7f3a');
  assert.deepEqual(deviceSalt('laptop-7f3a'), laptop);
  assert.notDeepEqual(deviceSalt('desktop'), laptop);
  assert.ok(laptop.length <= MAX_SALT_BYTES);
  assert.match(new TextDecoder().decode(laptop), /^swarmpress-device:[0-9a-f]{32}$/);
  assert.equal(new TextDecoder().decode(laptop).slice(18), toHex(sha256(bytes('laptop-7f3a'))).slice(0, 32));
  assert.ok(isDeviceSalt(laptop));
  assert.equal(isDeviceSalt(bytes('foobar')), false);
  assert.equal(isDeviceSalt(new Uint8Array(0)), false);
  assert.equal(isDeviceSalt(bytes(`swarmpress-device:${'g'.repeat(32)}`)), false);
  assert.throws(() => deviceSalt(''), TypeError);
});

test('a slot\'s head is its highest seq, whatever order the records arrive in', () => {
  const records = [put(1n, pointer(1)), put(3n, pointer(3)), put(2n, pointer(2)), put(3n, pointer(3))];
  for (const order of [records, [...records].reverse()]) {
    const head = resolveSlot(order);
    assert.equal(head?.record.seq, 3n);
    assert.equal(head.conflict, undefined, 'the same value twice is a re-put, not a conflict');
  }
  assert.equal(resolveSlot([]), undefined);
  assert.throws(() => resolveSlot([put(1n, pointer(1)), put(1n, pointer(1), deviceSalt('x'))]), RangeError);
  assert.throws(() => resolveSlot([put(1n, pointer(1)), put(1n, pointer(1), undefined, BOB)]), RangeError);
});

test('different values at one seq resolve to the lowest SHA-256 on every reader, reported as a conflict', () => {
  const values = [pointer(1), pointer(2), pointer(3)];
  const competing = values.map((value) => put(5n, value));
  const expected = [...values].sort((a, b) => compareBytes(sha256(a), sha256(b)));
  for (const order of [competing, [...competing].reverse(), [competing[1], competing[2], competing[0]]]) {
    const head = resolveSlot(order.filter((record): record is MutableRecord => record !== undefined));
    assert.ok(head?.conflict !== undefined);
    assert.deepEqual(head.record.value, expected[0]);
    assert.deepEqual(head.conflict.chosen, expected[0]);
    assert.deepEqual(head.conflict.others, expected.slice(1));
    assert.equal(head.conflict.seq, 5n);
  }
  // An older seq never competes.
  const head = resolveSlot([put(4n, pointer(9)), ...competing]);
  assert.deepEqual(head?.conflict?.others.length, 2);
});

test('a reader gathers the main slot and the device slots it knows, and ignores the rest', () => {
  const laptop = deviceSalt('laptop');
  const desktop = deviceSalt('desktop');
  const stranger = deviceSalt('injected');
  const records = [
    put(10n, pointer(10)),
    put(9n, pointer(9)),
    put(4n, pointer(4), laptop),
    put(6n, pointer(6), desktop),
    put(6n, pointer(7), desktop),
    put(99n, pointer(99), stranger),
  ];
  for (const record of records) assert.ok(checkRecord(record).ok);
  const slots = gatherAuthorSlots(ALICE.publicKey, [laptop, desktop], records);
  assert.equal(slots.main?.record.seq, 10n);
  assert.deepEqual(slots.devices.map((head) => toHex(head.record.salt)), [laptop, desktop].sort(compareBytes).map(toHex));
  assert.deepEqual(slots.devices.map((head) => head.record.seq), [laptop, desktop].sort(compareBytes).map((salt) => (salt === laptop ? 4n : 6n)));
  assert.equal(slots.conflicts.length, 1);
  assert.deepEqual(slots.conflicts[0]?.salt, desktop);
  const none = gatherAuthorSlots(ALICE.publicKey, [], []);
  assert.deepEqual(none, { devices: [], conflicts: [] });
  assert.throws(() => gatherAuthorSlots(BOB.publicKey, [], records), RangeError);
});
