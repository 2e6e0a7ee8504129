/**
 * Slots of sites (BEP 44 key + salt): the last `seq` known for each, the infohash each
 * `seq` pointed at, the newest signed record (followers re-put it: BEP 44 items expire),
 * and the outbox of the user's own publishes that are not confirmed yet.
 *
 * Publishing (DESIGN.md "Swarm and DHT"): `seq = max(local, network) + 1` is *persisted
 * before the put*. {@link reservePublish} writes the new `seq` as the slot's local seq and
 * the signed record into the outbox in one transaction; the put happens after, and
 * {@link confirmPublish} removes the entry once the DHT accepted it. After a crash, the
 * outbox says what to put again, and a `seq` once used is never reused.
 */
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../core/bencode.js';
import { checkRecord, encodeRecord, type MutableRecord, type RecordErrorCode } from '../core/bep44.js';
import { decodeSitePointer, type PointerErrorCode } from '../core/bep46.js';
import { sha256 } from '../core/hash.js';
import { binaryFromText, compareBytes } from '../core/bytes.js';
import { ok, type Result } from '../core/result.js';
import type { Statements } from './database.js';
import { bytesOf } from './items.js';
import { StoreError } from './store-error.js';

/** Inserts the site `key` if it is new (`origin` says where it was first heard of). */
export function ensureSite(sql: Statements, key: Uint8Array, origin: string, nowMs: number): void {
  sql.get('INSERT OR IGNORE INTO sites (key, origin, first_seen_ms, last_access_ms) VALUES (?, ?, ?, ?)').run(key, origin, nowMs, nowMs);
}

/** The infohash a checked record points at (BEP 46), with its errors. */
function checkSiteRecord(record: MutableRecord): Result<{ record: MutableRecord; infohash: Uint8Array }, RecordErrorCode | PointerErrorCode> {
  const checked = checkRecord(record);
  if (!checked.ok) return checked;
  const infohash = decodeSitePointer(checked.value.value);
  if (!infohash.ok) return infohash;
  return ok({ record: checked.value, infohash: infohash.value });
}

/**
 * A record from its wire form (core `encodeRecord`) as this store wrote it, after core
 * verified it: parsed, not verified again (an ed25519 verification costs ~3 ms in pure JS,
 * and the outbox and slots are read often). `undefined` if the bytes do not parse.
 */
export function parseStoredRecord(bytes: Uint8Array): MutableRecord | undefined {
  const decoded = decodeBencode(bytes);
  if (!decoded.ok || !(decoded.value instanceof Map)) return undefined;
  const dict = decoded.value as BencodeDict;
  const field = (name: string): BencodeValue | undefined => dict.get(binaryFromText(name));
  const [publicKey, salt, seq, signature, value] = [field('k'), field('salt') ?? new Uint8Array(0), field('seq'), field('sig'), field('v')];
  if (!(publicKey instanceof Uint8Array) || !(salt instanceof Uint8Array) || typeof seq !== 'bigint' || !(signature instanceof Uint8Array) || value === undefined) return undefined;
  return Object.freeze({ publicKey, salt, seq, value: encodeBencode(value), signature });
}

interface SlotRow {
  readonly last_seq: bigint;
  readonly record: Uint8Array | null;
}

function slotRow(sql: Statements, key: Uint8Array, salt: Uint8Array): SlotRow | undefined {
  return sql.get('SELECT last_seq, record FROM slots WHERE site_key = ? AND salt = ?').safeIntegers(true).get(key, salt) as SlotRow | undefined;
}

/** The highest `seq` known locally for a slot (seen, or reserved by our own publish). */
export function localSeq(sql: Statements, key: Uint8Array, salt: Uint8Array): bigint | undefined {
  return slotRow(sql, key, salt)?.last_seq;
}

/** What {@link noteRecord} found. */
export interface NotedRecord {
  /** True when the record is newer than anything known for its slot (or wins a same-seq tie) and was kept. */
  readonly isNewer: boolean;
  readonly infohash: Uint8Array;
}

/**
 * Records a BEP 46 record seen on the network or pushed by a peer: checked with core
 * (signature, limits, pointer) before anything is written. Keeps the highest `seq` per
 * slot; at an equal `seq`, the value with the lowest SHA-256 (publish-rules.ts
 * `resolveSlot`: every reader picks the same). Remembers which infohash each seq named.
 */
export function noteRecord(sql: Statements, record: MutableRecord, origin: string, nowMs: number): Result<NotedRecord, RecordErrorCode | PointerErrorCode> {
  const checked = checkSiteRecord(record);
  if (!checked.ok) return checked;
  const { infohash } = checked.value;
  const good = checked.value.record;
  const isNewer = sql.transaction(() => {
    ensureSite(sql, good.publicKey, origin, nowMs);
    const current = slotRow(sql, good.publicKey, good.salt);
    let wins = current === undefined || good.seq > current.last_seq;
    if (current !== undefined && good.seq === current.last_seq) {
      const held = current.record === null ? undefined : parseStoredRecord(current.record);
      wins = held === undefined || compareBytes(sha256(good.value), sha256(held.value)) < 0;
    }
    if (wins) {
      sql.get(
        `INSERT INTO slots (site_key, salt, last_seq, record, updated_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (site_key, salt) DO UPDATE SET last_seq = excluded.last_seq, record = excluded.record, updated_ms = excluded.updated_ms`,
      ).run(good.publicKey, good.salt, good.seq, encodeRecord(good), nowMs);
    }
    // Every seq seen is remembered with its infohash (the first one seen, for a tie), newer or not.
    sql.get('INSERT OR IGNORE INTO slot_versions (site_key, salt, seq, infohash, seen_ms) VALUES (?, ?, ?, ?, ?)').run(good.publicKey, good.salt, good.seq, infohash, nowMs);
    return wins;
  });
  return ok({ isNewer, infohash });
}

/** The newest signed record kept for a slot (for re-puts), or `undefined`. */
export function latestRecord(sql: Statements, key: Uint8Array, salt: Uint8Array): MutableRecord | undefined {
  const row = slotRow(sql, key, salt);
  if (row?.record == null) return undefined;
  return parseStoredRecord(bytesOf(row.record));
}

/** The infohash a slot's `seq` pointed at, when it was seen. */
export function infohashAt(sql: Statements, key: Uint8Array, salt: Uint8Array, seq: bigint): Uint8Array | undefined {
  const row = sql.get('SELECT infohash FROM slot_versions WHERE site_key = ? AND salt = ? AND seq = ?').get(key, salt, seq) as { infohash: Uint8Array } | undefined;
  return row === undefined ? undefined : bytesOf(row.infohash);
}

/** A publish waiting for confirmation. */
export interface PendingPublish {
  readonly id: number;
  readonly record: MutableRecord;
  readonly infohash: Uint8Array;
  readonly createdMs: number;
  readonly attempts: number;
  readonly lastAttemptMs?: number;
  readonly lastError?: string;
}

/**
 * Persists an own publish before it is put: the slot's local seq becomes `record.seq` and
 * the record joins the outbox, in one transaction. Refuses (`ERR_STORE_CONFLICT`) a `seq`
 * that is not above the slot's local seq: a seq is never used twice. The record is checked
 * with core first (a bad one is a programmer error: RangeError).
 */
export function reservePublish(sql: Statements, record: MutableRecord, nowMs: number): number {
  const checked = checkSiteRecord(record);
  if (!checked.ok) throw new RangeError(`reservePublish: the record is invalid: ${checked.error.code}: ${checked.error.message}`);
  const good = checked.value.record;
  return sql.transaction(() => {
    ensureSite(sql, good.publicKey, 'own', nowMs);
    sql.get('UPDATE sites SET own = 1 WHERE key = ?').run(good.publicKey);
    const local = localSeq(sql, good.publicKey, good.salt);
    if (local !== undefined && good.seq <= local) {
      throw new StoreError('ERR_STORE_CONFLICT', `seq ${good.seq.toString()} is not above ${local.toString()}, the last seq of this slot: a seq is never used twice`);
    }
    sql.get(
      `INSERT INTO slots (site_key, salt, last_seq, record, updated_ms) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (site_key, salt) DO UPDATE SET last_seq = excluded.last_seq, updated_ms = excluded.updated_ms`,
    ).run(good.publicKey, good.salt, good.seq, nowMs);
    sql.get('INSERT INTO slot_versions (site_key, salt, seq, infohash, seen_ms) VALUES (?, ?, ?, ?, ?)').run(good.publicKey, good.salt, good.seq, checked.value.infohash, nowMs);
    const inserted = sql.get('INSERT INTO outbox (site_key, salt, seq, infohash, record, created_ms) VALUES (?, ?, ?, ?, ?, ?)')
      .run(good.publicKey, good.salt, good.seq, checked.value.infohash, encodeRecord(good), nowMs);
    return Number(inserted.lastInsertRowid);
  });
}

interface OutboxRow {
  readonly id: bigint;
  readonly infohash: Uint8Array;
  readonly record: Uint8Array;
  readonly created_ms: bigint;
  readonly attempts: bigint;
  readonly last_attempt_ms: bigint | null;
  readonly last_error: string | null;
}

/** The publishes not confirmed yet, oldest first. */
export function pendingPublishes(sql: Statements): PendingPublish[] {
  const rows = sql.get('SELECT id, infohash, record, created_ms, attempts, last_attempt_ms, last_error FROM outbox ORDER BY id').safeIntegers(true).all() as OutboxRow[];
  return rows.flatMap((row) => {
    const record = parseStoredRecord(bytesOf(row.record));
    if (record === undefined) return [];
    return [{
      id: Number(row.id),
      record,
      infohash: bytesOf(row.infohash),
      createdMs: Number(row.created_ms),
      attempts: Number(row.attempts),
      ...(row.last_attempt_ms === null ? {} : { lastAttemptMs: Number(row.last_attempt_ms) }),
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
    }];
  });
}

/** Records a failed or pending attempt to put publish `id`. */
export function notePublishAttempt(sql: Statements, id: number, error: string | undefined, nowMs: number): void {
  sql.get('UPDATE outbox SET attempts = attempts + 1, last_attempt_ms = ?, last_error = ? WHERE id = ?').run(nowMs, error ?? null, id);
}

/** The DHT accepted publish `id`: it leaves the outbox and its record becomes the slot's record to re-put. */
export function confirmPublish(sql: Statements, id: number, nowMs: number): boolean {
  return sql.transaction(() => {
    const row = sql.get('SELECT site_key, salt, seq, record FROM outbox WHERE id = ?').safeIntegers(true).get(id) as
      { site_key: Uint8Array; salt: Uint8Array; seq: bigint; record: Uint8Array } | undefined;
    if (row === undefined) return false;
    sql.get('UPDATE slots SET record = ?, updated_ms = ? WHERE site_key = ? AND salt = ? AND last_seq = ?').run(row.record, nowMs, row.site_key, row.salt, row.seq);
    sql.get('DELETE FROM outbox WHERE id = ?').run(id);
    return true;
  });
}

