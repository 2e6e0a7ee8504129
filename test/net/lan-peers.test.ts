import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LanNotice } from '../../src/core/lan-notice.js';
import { LanPeerTable, type PeerChange } from '../../src/net/lan-peers.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';

const LIMITS = { maxPeers: 4, maxPerSource: 2, peerTtlMs: 10_000, goodbyeGraceMs: 1000 };
const KEY = 'ab'.repeat(32);

function notice(seq: bigint, port = 6881): LanNotice {
  return { port, sites: [{ key: KEY, seq }], carried: 1 };
}

function kinds(changes: readonly PeerChange[]): string[] {
  return changes.map((change) => (change.kind === 'down' ? `down:${change.reason}:${change.peer.id}` : `${change.kind}:${change.peer.id}`));
}

test('a peer comes up, changes, says goodbye, and goes after the grace period', () => {
  const table = new LanPeerTable(LIMITS);
  assert.deepEqual(kinds(table.announce('10.0.0.1', 'a.x', 'a', notice(1n), ['10.0.0.1'], 0).changes), ['up:10.0.0.1 a.x']);
  assert.deepEqual(table.announce('10.0.0.1', 'a.x', 'a', notice(1n), ['10.0.0.1'], 10).changes, [], 'the same announcement changes nothing');
  const updated = table.announce('10.0.0.1', 'a.x', 'a', notice(2n), ['10.0.0.1'], 20).changes;
  const change = updated[0];
  assert.ok(change?.kind === 'updated');
  assert.equal(change.previous.sites[0]?.seq, 1n);
  assert.equal(change.peer.sites[0]?.seq, 2n);
  assert.deepEqual(table.peers[0], { id: '10.0.0.1 a.x', instance: 'a', domain: 'a.x', host: '10.0.0.1', port: 6881, sites: [{ key: KEY, seq: 2n }], carried: 1, addresses: ['10.0.0.1'] });
  assert.ok(Object.isFrozen(table.peers[0]));

  table.goodbye('10.0.0.1', 'a.x', 100);
  assert.equal(table.nextExpiryMs(), 1100);
  assert.deepEqual(table.expire(1099), []);
  assert.deepEqual(kinds(table.expire(1100)), ['down:goodbye:10.0.0.1 a.x']);
  assert.equal(table.size, 0);
  assert.equal(table.nextExpiryMs(), undefined);
});

test('a goodbye followed by a new announcement (a republish) is one update, not a leave', () => {
  const table = new LanPeerTable(LIMITS);
  table.announce('10.0.0.1', 'a.x', 'a', notice(1n), [], 0);
  table.goodbye('10.0.0.1', 'a.x', 50);
  assert.deepEqual(kinds(table.announce('10.0.0.1', 'a.x', 'a', notice(2n), [], 51).changes), ['updated:10.0.0.1 a.x']);
  assert.deepEqual(table.expire(5000), [], 'the goodbye no longer applies');
  assert.equal(table.nextExpiryMs(), 51 + LIMITS.peerTtlMs);
});

test('a peer that stops announcing expires after its TTL; announcing again keeps it', () => {
  const table = new LanPeerTable(LIMITS);
  table.announce('10.0.0.1', 'a.x', 'a', notice(1n), [], 0);
  table.announce('10.0.0.2', 'b.x', 'b', notice(1n), [], 0);
  table.announce('10.0.0.2', 'b.x', 'b', notice(1n), [], 9000);
  assert.deepEqual(kinds(table.expire(10_000)), ['down:expired:10.0.0.1 a.x']);
  assert.deepEqual(table.peers.map((peer) => peer.id), ['10.0.0.2 b.x']);
});

test('a host speaks only for itself: another source with the same name, or its goodbye, changes nothing of the first', () => {
  const table = new LanPeerTable(LIMITS);
  table.announce('10.0.0.1', 'a.x', 'a', notice(1n), [], 0);
  const fake = table.announce('10.0.0.9', 'a.x', 'a', notice(999n), [], 1);
  assert.deepEqual(kinds(fake.changes), ['up:10.0.0.9 a.x'], 'the impostor is a peer of its own, at its own address');
  table.goodbye('10.0.0.9', 'a.x', 2);
  table.goodbye('10.0.0.9', 'b.x', 2);
  assert.deepEqual(kinds(table.expire(2000)), ['down:goodbye:10.0.0.9 a.x']);
  assert.equal(table.peers[0]?.sites[0]?.seq, 1n);
});

test('the table is bounded per source and in total; a full table keeps the peers it has', () => {
  const table = new LanPeerTable(LIMITS);
  assert.equal(table.announce('10.0.0.9', 'f1.x', 'f1', notice(1n, 1), [], 0).refused, undefined);
  assert.equal(table.announce('10.0.0.9', 'f2.x', 'f2', notice(1n, 2), [], 0).refused, undefined);
  assert.equal(table.announce('10.0.0.9', 'f3.x', 'f3', notice(1n, 3), [], 0).refused, 'ERR_LAN_SOURCE_FULL');
  table.announce('10.0.0.1', 'a.x', 'a', notice(1n), [], 0);
  table.announce('10.0.0.2', 'b.x', 'b', notice(1n), [], 0);
  const refused = table.announce('10.0.0.3', 'c.x', 'c', notice(1n), [], 0);
  assert.deepEqual(refused, { changes: [], refused: 'ERR_LAN_TABLE_FULL' });
  assert.equal(table.size, 4);
  // Known peers still update when the table is full.
  assert.equal(table.announce('10.0.0.1', 'a.x', 'a', notice(5n), [], 1).changes[0]?.kind, 'updated');
  for (let i = 0; i < 10_000; i++) table.announce(`10.1.${i >> 8}.${i & 255}`, `n${i}.x`, `n${i}`, notice(1n), [], 2);
  assert.equal(table.size, 4);
});

test('a node that restarts under a new name on the same host and port replaces its old entry', () => {
  const table = new LanPeerTable(LIMITS);
  table.announce('10.0.0.1', 'old.x', 'old', notice(1n), [], 0);
  table.announce('10.0.0.1', 'other.x', 'other', notice(1n, 7000), [], 0);
  const changes = table.announce('10.0.0.1', 'new.x', 'new', notice(2n), [], 5);
  assert.deepEqual(kinds(changes.changes), ['down:replaced:10.0.0.1 old.x', 'up:10.0.0.1 new.x']);
  assert.deepEqual(table.peers.map((peer) => peer.instance), ['other', 'new']);
});

test('the table refuses limits that are not positive integers', () => {
  assert.throws(() => new LanPeerTable({ ...LIMITS, maxPeers: 0 }), RangeError);
  assert.throws(() => new LanPeerTable({ ...LIMITS, peerTtlMs: 1.5 }), RangeError);
});

test('rate limiter: a burst, then the rate; per key and in total; the keys are bounded', () => {
  const limiter = new RateLimiter({ perKey: { perSecond: 10, burst: 3 }, total: { perSecond: 10, burst: 5 }, maxKeys: 3 });
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a', 0)), [true, true, true, false]);
  assert.equal(limiter.take('a', 99), false, 'less than one token back after 99 ms');
  assert.equal(limiter.take('a', 100), true);
  // The total bucket: 5 - 3 at 0 ms, + 1 at 100 ms - 1 for 'a': 2 left for the others.
  assert.deepEqual(['b', 'c', 'd'].map((key) => limiter.take(key, 100)), [true, true, false]);
  assert.equal(limiter.take('d', 200), true, 'the total refilled by one');
  for (let i = 0; i < 1000; i++) limiter.take(`k${i}`, 200 + i);
  assert.equal(limiter.size, 3);

  const perKey = new RateLimiter({ perKey: { perSecond: 1, burst: 2 }, maxKeys: 2 });
  assert.deepEqual([0, 0, 0].map((at) => perKey.take('a', at)), [true, true, false]);
  perKey.take('b', 0);
  perKey.take('c', 0);
  assert.equal(perKey.take('a', 0), true, 'a forgotten key starts again with a full bucket');
  assert.equal(perKey.take('a', -5000), true, 'a clock going back neither refills nor drains');
  assert.equal(perKey.take('a', -5000), false);
  assert.throws(() => new RateLimiter({ perKey: { perSecond: 0, burst: 1 }, maxKeys: 1 }), RangeError);
  assert.throws(() => new RateLimiter({ perKey: { perSecond: 1, burst: 0.5 }, maxKeys: 1 }), RangeError);
  assert.throws(() => new RateLimiter({ perKey: { perSecond: 1, burst: 1 }, maxKeys: 0 }), RangeError);
});
