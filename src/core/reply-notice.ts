/**
 * Reply notices: the wire form of "the site whose signed record this is has published
 * item `reply`, a reply to item `target`". A notice travels as a
 * BEP 10 extension message next to pushed records (net/reply-notices.ts); it proves only
 * that the replier's key signed a version (the record), never that the reply is in it:
 * the receiver fetches that version and checks before anything is shown.
 *
 * Wire form: the canonical bencode of `{notice: "reply", port: <the sender's listen port,
 * optional>, record: <the record's wire form as a dict, bep44.ts encodeRecord>, reply:
 * <32-byte item id>, target: <32-byte item id>}`. `port` is a hint and is not signed: where
 * on the sending host the version can be fetched (the connection a notice arrives on is
 * often one the sender opened, from a port where nothing listens). Each node that passes a
 * notice on puts its own port; the notice's {@link ReplyNotice.id} leaves the port out, so
 * that it names the same notice at every hop.
 * Canonical bencode sorts keys, so a notice always starts with `d6:notice` while a pushed
 * record starts with `d1:k` (its first key is `k`): the two never mix on the shared
 * extension message ({@link isReplyNotice}).
 *
 * Pure: no I/O. {@link decodeReplyNotice} never throws.
 */
import { decodeRecord, encodeRecord, MAX_RECORD_BYTES, type MutableRecord, type RecordWireErrorCode } from './bep44.js';
import { decodeSitePointer, type PointerErrorCode } from './bep46.js';
import { decodeBencode, dictFromEntries, encodeBencode } from './bencode.js';
import { concatBytes, utf8 } from './bytes.js';
import { sha1 } from './hash.js';
import { FieldReader, readFields, reject } from './fields.js';
import { ITEM_ID_BYTES } from './item.js';
import { fail, ok, type Result } from './result.js';

/** The only kind of notice so far (the value of `notice`). */
export const NOTICE_KIND = 'reply';
/** Largest notice: a record ({@link MAX_RECORD_BYTES}), two ids, a port and their keys (~130 bytes), rounded up. */
export const MAX_NOTICE_BYTES = MAX_RECORD_BYTES + 192;

/** The bytes every notice starts with (canonical bencode: `notice` is its first key). */
const NOTICE_PREFIX = utf8('d6:notice');
/** Largest TCP port. */
const MAX_PORT = 65535;

/** A checked reply notice. */
export interface ReplyNotice {
  /** The replier's signed record (unsalted slot): its key names the site, its value the version. */
  readonly record: MutableRecord;
  /** The version the record names (BEP 46 pointer). */
  readonly infohash: Uint8Array;
  /** The reply item's id. */
  readonly reply: Uint8Array;
  /** The id of the item replied to. */
  readonly target: Uint8Array;
  /** The sender's listen port, if it said (a hint, not signed). */
  readonly port?: number;
  /** SHA-1 of the record's wire form, the reply and the target: the same at every hop. */
  readonly id: Uint8Array;
}

/** A notice's fields before its record is checked (cheap: no signature verification). */
export interface NoticeEnvelope {
  /** The record's wire form (bep44.ts encodeRecord), unchecked. */
  readonly record: Uint8Array;
  readonly reply: Uint8Array;
  readonly target: Uint8Array;
  readonly port?: number;
  readonly id: Uint8Array;
}

/** Why bytes are not a reply notice. */
export type NoticeErrorCode = 'ERR_NOTICE_TOO_LARGE' | 'ERR_NOTICE_ENVELOPE' | 'ERR_NOTICE_SALTED' | RecordWireErrorCode | PointerErrorCode;

/** Whether `bytes` claim to be a notice (by their first key); says nothing about validity. */
export function isReplyNotice(bytes: Uint8Array): boolean {
  if (bytes.length < NOTICE_PREFIX.length) return false;
  for (let i = 0; i < NOTICE_PREFIX.length; i += 1) if (bytes[i] !== NOTICE_PREFIX[i]) return false;
  return true;
}

/**
 * The wire form of a notice, with `port` (the sending node's listen port) when given.
 * Throws RangeError for a salted record, ids of the wrong length or a bad port (programmer errors).
 */
export function encodeReplyNotice(notice: { record: MutableRecord; reply: Uint8Array; target: Uint8Array }, port?: number): Uint8Array {
  if (notice.record.salt.length > 0) throw new RangeError('a reply notice carries the record of the unsalted slot');
  if (notice.reply.length !== ITEM_ID_BYTES || notice.target.length !== ITEM_ID_BYTES) throw new RangeError(`item ids are ${ITEM_ID_BYTES} bytes`);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > MAX_PORT)) throw new RangeError('port must be an integer from 1 to 65535');
  const record = decodeBencode(encodeRecord(notice.record));
  if (!record.ok) throw new RangeError('the record does not encode');
  return encodeBencode(dictFromEntries({
    notice: utf8(NOTICE_KIND), port: port === undefined ? undefined : BigInt(port), record: record.value, reply: notice.reply.slice(), target: notice.target.slice(),
  }));
}

/** The id of the notice that `record`'s site published `reply` to `target` (see {@link ReplyNotice.id}). */
export function replyNoticeId(record: MutableRecord, reply: Uint8Array, target: Uint8Array): Uint8Array {
  return noticeId(encodeRecord(record), reply, target);
}

function noticeId(recordWire: Uint8Array, reply: Uint8Array, target: Uint8Array): Uint8Array {
  return sha1(concatBytes(recordWire, reply, target));
}

/** Reads a notice's envelope: size, canonical bencode, exactly its fields, the kind. The record is not checked. Never throws. */
export function parseReplyNotice(bytes: Uint8Array): Result<NoticeEnvelope, 'ERR_NOTICE_TOO_LARGE' | 'ERR_NOTICE_ENVELOPE'> {
  if (bytes.length > MAX_NOTICE_BYTES) return fail('ERR_NOTICE_TOO_LARGE', `a notice is at most ${MAX_NOTICE_BYTES} bytes, not ${bytes.length}`);
  const decoded = decodeBencode(bytes);
  if (!decoded.ok) return fail('ERR_NOTICE_ENVELOPE', `the notice is not canonical bencode: ${decoded.error.message}`);
  const fields = readFields<NoticeEnvelope, 'ERR_NOTICE_ENVELOPE'>(() => {
    const reader = new FieldReader(decoded.value, 'notice');
    const kind = reader.text('notice', { kind: 'line', maxBytes: 16 });
    if (kind !== NOTICE_KIND) reject('ERR_NOTICE_ENVELOPE', `notice.notice is '${kind}', not '${NOTICE_KIND}'`);
    const port = reader.has('port') ? reader.integer('port', 1, MAX_PORT) : undefined;
    const record = encodeBencode(reader.value('record'));
    const reply = reader.fixedBytes('reply', ITEM_ID_BYTES).slice();
    const target = reader.fixedBytes('target', ITEM_ID_BYTES).slice();
    reader.finish();
    return { record, reply, target, ...(port === undefined ? {} : { port }), id: noticeId(record, reply, target) };
  });
  if (!fields.ok) return fail('ERR_NOTICE_ENVELOPE', fields.error.message);
  return fields;
}

/**
 * Reads and checks a notice: its envelope ({@link parseReplyNotice}), then the record
 * (core's checks, signature included; unsalted) and the version it points at. Never throws.
 */
export function decodeReplyNotice(bytes: Uint8Array): Result<ReplyNotice, NoticeErrorCode> {
  const envelope = parseReplyNotice(bytes);
  if (!envelope.ok) return envelope;
  const { record: wire, reply, target, port, id } = envelope.value;
  const record = decodeRecord(wire);
  if (!record.ok) return record;
  if (record.value.salt.length > 0) return fail('ERR_NOTICE_SALTED', "a notice carries the record of the site's unsalted slot");
  const infohash = decodeSitePointer(record.value.value);
  if (!infohash.ok) return infohash;
  return ok(Object.freeze({ record: record.value, infohash: infohash.value, reply, target, ...(port === undefined ? {} : { port }), id }));
}
