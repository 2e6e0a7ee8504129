import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { signRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { bytesEqual } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { decodeReplyNotice, encodeReplyNotice, type ReplyNotice } from '../../src/core/reply-notice.js';
import { MAX_PENDING_NOTICES } from '../../src/store/reply-notices.js';
import { Store } from '../../src/store/store.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const site = Identity.fromSeed(new Uint8Array(32).fill(8));

function notice(seq: bigint, reply: Uint8Array, target: Uint8Array): { notice: ReplyNotice; bytes: Uint8Array } {
  const bytes = encodeReplyNotice({ record: signRecord(site, { seq, value: encodeSitePointer(crypto.randomBytes(20)) }), reply, target });
  const decoded = decodeReplyNotice(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return { notice: decoded.value, bytes };
}

test('reply notices: a newer record replaces one not verified yet, never a verified one; pending ones are capped; they survive a reopen', () => {
  const dir = makeTempDir();
  try {
    const store = Store.open({ dataDir: path.join(dir, 'data') });
    const reply = crypto.randomBytes(32);
    const target = crypto.randomBytes(32);
    const first = notice(2n, reply, target);
    assert.equal(store.noteReplyNotice(first.notice, first.bytes), 'new');
    assert.equal(store.noteReplyNotice(first.notice, first.bytes), 'known');
    assert.equal(store.noteReplyNotice(notice(1n, reply, target).notice, first.bytes), 'known', 'an older record');
    const newer = notice(3n, reply, target);
    assert.equal(store.noteReplyNotice(newer.notice, newer.bytes), 'new');
    const [pending] = store.replyNotices('pending');
    assert.ok(pending !== undefined);
    assert.equal(pending.seq, 3n);
    assert.ok(bytesEqual(pending.infohash, newer.notice.infohash));
    assert.ok(bytesEqual(pending.siteKey, site.publicKey));
    store.settleReplyNotice(reply, target, 'pending');
    assert.equal(store.replyNotices('pending')[0]?.attempts, 1);
    store.settleReplyNotice(reply, target, 'verified');
    assert.equal(store.noteReplyNotice(notice(4n, reply, target).notice, newer.bytes), 'known', 'a verified notice stays');
    assert.equal(store.verifiedReplyNotices([crypto.randomBytes(32), target]).length, 1);
    for (let i = 0; i < MAX_PENDING_NOTICES; i++) {
      const more = notice(1n, crypto.randomBytes(32), target);
      assert.equal(store.noteReplyNotice(more.notice, more.bytes), 'new');
    }
    const overflow = notice(1n, crypto.randomBytes(32), target);
    assert.equal(store.noteReplyNotice(overflow.notice, overflow.bytes), 'full');
    store.close();
    const again = Store.open({ dataDir: path.join(dir, 'data') });
    assert.equal(again.replyNotices('pending', 1000).length, MAX_PENDING_NOTICES);
    assert.deepEqual(again.replyNotices('verified')[0]?.bytes, newer.bytes);
    again.close();
  } finally {
    removeDir(dir);
  }
});
