import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord, signRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { dictFromEntries, encodeBencode } from '../../src/core/bencode.js';
import { bytesEqual, utf8 } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { decodeReplyNotice, encodeReplyNotice, isReplyNotice, MAX_NOTICE_BYTES } from '../../src/core/reply-notice.js';

const site = Identity.fromSeed(new Uint8Array(32).fill(7));
const infohash = new Uint8Array(20).fill(0xab);
const record = signRecord(site, { seq: 3n, value: encodeSitePointer(infohash) });
const reply = new Uint8Array(32).fill(1);
const target = new Uint8Array(32).fill(2);

test('a notice round-trips and is told apart from a pushed record by its first key', () => {
  const bytes = encodeReplyNotice({ record, reply, target });
  assert.ok(isReplyNotice(bytes));
  assert.ok(!isReplyNotice(encodeRecord(record)), 'a record is not a notice');
  assert.ok(bytes.length <= MAX_NOTICE_BYTES);
  const decoded = decodeReplyNotice(bytes);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.ok(bytesEqual(decoded.value.record.publicKey, site.publicKey));
  assert.equal(decoded.value.record.seq, 3n);
  assert.ok(bytesEqual(decoded.value.infohash, infohash));
  assert.ok(bytesEqual(decoded.value.reply, reply));
  assert.ok(bytesEqual(decoded.value.target, target));
});

test('hostile notices are refused with a code, never thrown', () => {
  const good = encodeReplyNotice({ record, reply, target });
  const forged = Buffer.from(good);
  // Flip one byte of the signature (64 bytes after "3:sig64:").
  const at = forged.indexOf('3:sig64:') + 8 + 10;
  forged[at] = (forged[at] ?? 0) ^ 0xff;
  const cases: [string, Uint8Array][] = [
    ['ERR_NOTICE_TOO_LARGE', new Uint8Array(MAX_NOTICE_BYTES + 1)],
    ['ERR_NOTICE_ENVELOPE', utf8('d6:notice5:reply')],
    ['ERR_NOTICE_ENVELOPE', utf8('garbage')],
    ['ERR_NOTICE_ENVELOPE', encodeBencode(dictFromEntries({ notice: utf8('quote'), reply, target }))],
    ['ERR_NOTICE_ENVELOPE', encodeBencode(dictFromEntries({ notice: utf8('reply'), record: 1n, reply, target, extra: 1n }))],
    ['ERR_NOTICE_ENVELOPE', encodeBencode(dictFromEntries({ notice: utf8('reply'), record: 1n, reply: reply.subarray(1), target }))],
    ['ERR_RECORD_ENVELOPE', encodeBencode(dictFromEntries({ notice: utf8('reply'), record: 1n, reply, target }))],
    ['ERR_RECORD_BAD_SIGNATURE', forged],
  ];
  for (const [code, bytes] of cases) {
    const decoded = decodeReplyNotice(bytes);
    assert.equal(decoded.ok ? 'accepted' : decoded.error.code, code);
  }
  const salted = signRecord(site, { seq: 1n, salt: utf8('device'), value: encodeSitePointer(infohash) });
  assert.throws(() => encodeReplyNotice({ record: salted, reply, target }), RangeError);
  const notPointer = signRecord(site, { seq: 1n, value: encodeBencode(dictFromEntries({ x: 1n })) });
  const wrongValue = decodeReplyNotice(encodeReplyNotice({ record: notPointer, reply, target }));
  assert.equal(wrongValue.ok ? '' : wrongValue.error.code, 'ERR_POINTER_NO_INFOHASH');
  // Every truncation of a good notice is refused without throwing.
  for (let length = 0; length < good.length; length += 1) assert.equal(decodeReplyNotice(good.subarray(0, length)).ok, false);
});
