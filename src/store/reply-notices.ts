/**
 * Reply notices received from peers (core/reply-notice.ts, net/reply-notices.ts): one row
 * per (reply, target), with the replier's site and the version its signed record names,
 * and where the check of that version stands: `pending` (to fetch), `verified` (the version
 * holds the reply: it shows in the thread through the items it stored) or `rejected` (the
 * version does not hold it: the notice lied). The notices of the user's own replies are
 * stored as verified. The wire form is kept so that verified notices can be handed to
 * peers that connect later, after a restart too.
 *
 * Limits: at most {@link MAX_PENDING_NOTICES} wait; a newer record of the same replier
 * replaces a pending or rejected row (never a verified one).
 */
import type { ReplyNotice } from '../core/reply-notice.js';
import type { Statements } from './database.js';
import { bytesOf } from './items.js';

/** Notices waiting for their version at most; more are refused (a flood of valid signatures). */
export const MAX_PENDING_NOTICES = 512;

export type NoticeState = 'pending' | 'verified' | 'rejected';

/** A stored notice. */
export interface StoredNotice {
  readonly reply: Uint8Array;
  readonly target: Uint8Array;
  readonly siteKey: Uint8Array;
  readonly seq: bigint;
  readonly infohash: Uint8Array;
  /** The wire form (core `encodeReplyNotice`), as received and checked. */
  readonly bytes: Uint8Array;
  readonly state: NoticeState;
  readonly attempts: number;
  readonly receivedMs: number;
}

/** What {@link noteNotice} did. */
export type NoteNoticeResult = 'new' | 'known' | 'full';

interface NoticeRow {
  readonly reply_id: Uint8Array;
  readonly target_id: Uint8Array;
  readonly site_key: Uint8Array;
  readonly seq: bigint;
  readonly infohash: Uint8Array;
  readonly notice: Uint8Array;
  readonly state: NoticeState;
  readonly attempts: bigint;
  readonly received_ms: bigint;
}

const COLUMNS = 'reply_id, target_id, site_key, seq, infohash, notice, state, attempts, received_ms';

function fromRow(row: NoticeRow): StoredNotice {
  return {
    reply: bytesOf(row.reply_id), target: bytesOf(row.target_id), siteKey: bytesOf(row.site_key), seq: row.seq, infohash: bytesOf(row.infohash),
    bytes: bytesOf(row.notice), state: row.state, attempts: Number(row.attempts), receivedMs: Number(row.received_ms),
  };
}

/**
 * Stores a checked notice as pending (or, for a notice of the user's own reply, as
 * verified): `new` when it is (or replaces an older record of a row not verified yet),
 * `known` when the row holds this record or a newer one already, `full` when
 * {@link MAX_PENDING_NOTICES} wait.
 */
export function noteNotice(sql: Statements, notice: ReplyNotice, bytes: Uint8Array, nowMs: number, state: 'pending' | 'verified' = 'pending'): NoteNoticeResult {
  return sql.transaction(() => {
    const existing = sql.get('SELECT seq, state FROM reply_notices WHERE reply_id = ? AND target_id = ?').safeIntegers(true).get(notice.reply, notice.target) as { seq: bigint; state: NoticeState } | undefined;
    if (existing !== undefined && (existing.state === 'verified' || existing.seq >= notice.record.seq)) return 'known';
    const pending = sql.get("SELECT count(*) AS n FROM reply_notices WHERE state = 'pending'").get() as { n: number };
    if (state === 'pending' && pending.n >= MAX_PENDING_NOTICES) return 'full';
    sql.get(
      `INSERT INTO reply_notices (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
       ON CONFLICT (reply_id, target_id) DO UPDATE SET site_key = excluded.site_key, seq = excluded.seq, infohash = excluded.infohash,
         notice = excluded.notice, state = excluded.state, attempts = 0, received_ms = excluded.received_ms`,
    ).run(notice.reply, notice.target, notice.record.publicKey, notice.record.seq, notice.infohash, bytes, state, nowMs);
    return 'new';
  });
}

/** Notices in `state`, oldest first (at most `limit`). */
export function noticesIn(sql: Statements, state: NoticeState, limit: number): StoredNotice[] {
  const rows = sql.get(`SELECT ${COLUMNS} FROM reply_notices WHERE state = ? ORDER BY received_ms, reply_id LIMIT ?`).safeIntegers(true).all(state, limit) as NoticeRow[];
  return rows.map(fromRow);
}

/** Verified notices whose target is one of `targets`, newest first (at most `limit`). */
export function verifiedNoticesFor(sql: Statements, targets: readonly Uint8Array[], limit: number): StoredNotice[] {
  const found: StoredNotice[] = [];
  const select = sql.get(`SELECT ${COLUMNS} FROM reply_notices WHERE target_id = ? AND state = 'verified' ORDER BY received_ms DESC LIMIT ?`).safeIntegers(true);
  for (const target of targets) found.push(...(select.all(target, limit) as NoticeRow[]).map(fromRow));
  return found.sort((a, b) => b.receivedMs - a.receivedMs).slice(0, limit);
}

/** Records the outcome of one check of notice (reply, target): a state, or one more failed attempt (`pending`). */
export function settleNotice(sql: Statements, reply: Uint8Array, target: Uint8Array, state: NoticeState): void {
  sql.get('UPDATE reply_notices SET state = ?, attempts = attempts + 1 WHERE reply_id = ? AND target_id = ?').run(state, reply, target);
}
