/**
 * The reply-notice rate limit counts per host (issue #25 item 8): notices reach the
 * module as the node's BEP 10 channel (node/gossip.ts) hands them over, from one address
 * over many connections (ports), and only one host's burst of them is read.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { signRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { generateIdentity } from '../../src/core/identity.js';
import { encodeReplyNotice } from '../../src/core/reply-notice.js';
import { hostKey, NOTICE_LIMITS, ReplyNotices } from '../../src/net/reply-notices.js';
import { TorrentSession } from '../../src/net/session.js';
import { LOOPBACK } from '../helpers/loopback.js';

const TORRENT = 'ab'.repeat(20);

function notices(session: TorrentSession): ReplyNotices {
  return new ReplyNotices({
    session,
    siteOf: () => undefined,
    torrentsOf: () => [],
    sitesOfItem: () => [],
    isBlocked: () => false,
    isStored: () => true,
    accept: () => undefined,
    now: () => 0,
  });
}

function flood(replies: ReplyNotices, address: string, connections: number): void {
  const stranger = generateIdentity(crypto.randomBytes(32));
  for (let i = 0; i < connections; i++) {
    const record = signRecord(stranger, { seq: BigInt(i + 1), value: encodeSitePointer(crypto.randomBytes(20)) });
    const payload = Buffer.from(encodeReplyNotice({ record, reply: crypto.randomBytes(32), target: crypto.randomBytes(32) }));
    replies.handleMessage({ type: 'message', torrent: TORRENT, address, port: 40_000 + i, payload });
  }
}

test('one host over 64 connections is read as one peer: its burst, then ERR_NOTICE_RATE', async () => {
  const session = new TorrentSession(LOOPBACK);
  const replies = notices(session);
  try {
    flood(replies, '10.0.0.7', 64);
    const burst = NOTICE_LIMITS.perKey.burst;
    assert.equal(replies.dropped.get('ERR_NOTICE_RATE'), 64 - burst, JSON.stringify([...replies.dropped]));
    assert.equal(replies.dropped.get('ERR_NOTICE_UNKNOWN_TARGET'), burst, 'the ones read went on to the target check');
    // Another host has its own bucket.
    flood(replies, '10.0.0.8', 1);
    assert.equal(replies.dropped.get('ERR_NOTICE_UNKNOWN_TARGET'), burst + 1);
    // The addresses of one IPv6 /64 are one host.
    flood(replies, '2001:db8:1:2::1', 10);
    flood(replies, '2001:db8:1:2:ffff::9', 10);
    assert.equal(replies.dropped.get('ERR_NOTICE_RATE'), 64 - burst + 20 - burst);
  } finally {
    replies.close();
    await session.close();
  }
});

test('host keys: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
  assert.equal(hostKey('192.0.2.1'), '192.0.2.1');
  assert.equal(hostKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(hostKey('2001:db8:0:1::5'), '2001:db8:0:1::/64');
  assert.equal(hostKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd'), '2001:db8:0:1::/64');
  assert.equal(hostKey('::1'), '0:0:0:0::/64');
  assert.notEqual(hostKey('2001:db8:0:1::5'), hostKey('2001:db8:0:2::5'));
});
