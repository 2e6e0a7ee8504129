/**
 * What the content on disk cannot give back if the index is lost, kept also in small
 * files beside it (issue #25 item 5), each written atomically (atomic-file.ts):
 * - `decisions.json`: the user's own decisions: follows, blocks (their own, not those of
 *   block lists, which are read again from the lists), mutes, block-list subscriptions
 *   and which sites are their own. Rewritten, whole, inside the transaction that changes
 *   one of them (so it never disagrees with the index it was written beside);
 * - `records/<key hex>[.<salt hex>].record`: the newest signed record of a slot, in core's
 *   wire form (`encodeRecord`): the user's own records (written before their put: the
 *   highest seq ever signed here survives any loss of the index, so a seq is never signed
 *   twice), and those of followed sites, subscribed block lists and records that name a
 *   version stored here (so stored sites still open offline after a rebuild). Records of
 *   anything else (a neighbour's throwaway keys) get no file ({@link isKeptSlot}).
 *
 * When the index is lost (missing, empty, or damaged and moved aside), the rebuilt one
 * takes both back ({@link restoreKept}); records are verified with core again then. A
 * malformed file is ignored, never trusted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeBencode, type BencodeDict } from '../core/bencode.js';
import { encodeRecord, type MutableRecord } from '../core/bep44.js';
import { decodeSitePointer } from '../core/bep46.js';
import { binaryFromText, bytesEqual, fromHex, toHex } from '../core/bytes.js';
import { PUBLIC_KEY_BYTES } from '../core/identity.js';
import { folderNames, writeFileAtomic } from './atomic-file.js';
import type { Statements } from './database.js';
import * as social from './social.js';
import * as slots from './slots.js';

/** The file of the user's decisions inside the data folder. */
export const DECISIONS_FILE = 'decisions.json';
/** The folder of kept records inside the data folder. */
export const RECORDS_FOLDER = 'records';
const RECORD_SUFFIX = '.record';
/** Largest kept record read back (a BEP 44 record is about 1.2 KB at most). */
const MAX_RECORD_FILE_BYTES = 4096;
/** Largest decisions file read back. */
const MAX_DECISIONS_BYTES = 64 * 1024 * 1024;

/** The user's decisions, as `decisions.json` holds them (keys in hex). */
export interface Decisions {
  readonly follows: readonly { kind: social.SocialKind; key: string; sinceMs: number }[];
  readonly blocks: readonly { kind: social.SocialKind; key: string; sinceMs: number }[];
  readonly mutes: readonly { key: string; sinceMs: number }[];
  readonly blockLists: readonly { key: string; sinceMs: number }[];
  readonly ownSites: readonly string[];
}

/** The decisions as the index holds them now. */
function currentDecisions(sql: Statements): Decisions {
  return {
    follows: social.listFollows(sql).map((entry) => ({ kind: entry.kind, key: toHex(entry.key), sinceMs: entry.sinceMs })),
    blocks: social.listBlocks(sql).filter((entry) => entry.listKey === undefined).map((entry) => ({ kind: entry.kind, key: toHex(entry.key), sinceMs: entry.sinceMs })),
    mutes: social.listMutes(sql).map((entry) => ({ key: toHex(entry.key), sinceMs: entry.sinceMs })),
    blockLists: (sql.get('SELECT list_key, since_ms FROM block_lists ORDER BY since_ms, list_key').all() as { list_key: Uint8Array; since_ms: number }[])
      .map((row) => ({ key: toHex(row.list_key), sinceMs: row.since_ms })),
    ownSites: (sql.get('SELECT key FROM sites WHERE own = 1 ORDER BY key').all() as { key: Uint8Array }[]).map((row) => toHex(row.key)),
  };
}

/** Writes `decisions.json` from the index; call inside the transaction that changed a decision. */
export function keepDecisions(sql: Statements, dataDir: string): void {
  writeFileAtomic(path.join(dataDir, DECISIONS_FILE), Buffer.from(`${JSON.stringify(currentDecisions(sql))}\n`));
}

/** Whether `decisions.json` exists (it does once any decision was kept). */
export function hasKeptDecisions(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DECISIONS_FILE));
}

function keyOf(text: unknown): Uint8Array | undefined {
  return typeof text === 'string' ? fromHex(text, PUBLIC_KEY_BYTES) : undefined;
}

function timeOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function kindOf(value: unknown): social.SocialKind | undefined {
  return value === 'author' || value === 'site' ? value : undefined;
}

/** The kept decisions; entries that do not parse are left out. */
export function readKeptDecisions(dataDir: string): Decisions | undefined {
  let data: Record<string, unknown>;
  try {
    const file = path.join(dataDir, DECISIONS_FILE);
    if (fs.statSync(file).size > MAX_DECISIONS_BYTES) return undefined;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    data = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const list = (name: string): Record<string, unknown>[] => {
    const value = data[name];
    return Array.isArray(value) ? value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null) : [];
  };
  const socialEntries = (name: string): { kind: social.SocialKind; key: string; sinceMs: number }[] => list(name).flatMap((entry) => {
    const kind = kindOf(entry['kind']);
    return kind === undefined || keyOf(entry['key']) === undefined ? [] : [{ kind, key: entry['key'] as string, sinceMs: timeOf(entry['sinceMs']) }];
  });
  const keyed = (name: string): { key: string; sinceMs: number }[] => list(name).flatMap((entry) =>
    keyOf(entry['key']) === undefined ? [] : [{ key: entry['key'] as string, sinceMs: timeOf(entry['sinceMs']) }]);
  const own = data['ownSites'];
  return {
    follows: socialEntries('follows'),
    blocks: socialEntries('blocks'),
    mutes: keyed('mutes'),
    blockLists: keyed('blockLists'),
    ownSites: Array.isArray(own) ? own.filter((key): key is string => keyOf(key) !== undefined) : [],
  };
}

function recordFile(dataDir: string, key: Uint8Array, salt: Uint8Array): string {
  return path.join(dataDir, RECORDS_FOLDER, `${toHex(key)}${salt.length === 0 ? '' : `.${toHex(salt)}`}${RECORD_SUFFIX}`);
}

/** The `seq` of a record's wire form, without verifying it; `undefined` if it does not parse. */
function seqOf(bytes: Uint8Array): bigint | undefined {
  const decoded = decodeBencode(bytes);
  if (!decoded.ok || !(decoded.value instanceof Map)) return undefined;
  const seq = (decoded.value as BencodeDict).get(binaryFromText('seq'));
  return typeof seq === 'bigint' ? seq : undefined;
}

function readRecordFile(file: string): Uint8Array | undefined {
  try {
    if (fs.statSync(file).size > MAX_RECORD_FILE_BYTES) return undefined;
    return new Uint8Array(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The seq of the record kept for a slot, if any (the highest ever signed here for an own slot). */
export function keptSeq(dataDir: string, key: Uint8Array, salt: Uint8Array): bigint | undefined {
  const bytes = readRecordFile(recordFile(dataDir, key, salt));
  return bytes === undefined ? undefined : seqOf(bytes);
}

/**
 * Keeps `record` (checked by core already) as its slot's newest, unless a record with a
 * higher seq is kept: a kept seq never goes down.
 */
export function keepRecord(dataDir: string, record: MutableRecord): void {
  const kept = keptSeq(dataDir, record.publicKey, record.salt);
  if (kept !== undefined && kept > record.seq) return;
  const folder = path.join(dataDir, RECORDS_FOLDER);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileAtomic(recordFile(dataDir, record.publicKey, record.salt), encodeRecord(record));
}

/** The record kept for each slot (wire form, not verified yet). */
export function readKeptRecords(dataDir: string): Uint8Array[] {
  const folder = path.join(dataDir, RECORDS_FOLDER);
  return folderNames(folder).flatMap((name) => {
    if (!name.endsWith(RECORD_SUFFIX)) return [];
    const bytes = readRecordFile(path.join(folder, name));
    return bytes === undefined ? [] : [bytes];
  });
}

/**
 * Whether a record of the site `key` that names `infohash` gets a file: the site is the
 * user's own, followed or a subscribed block list, or the version is stored here.
 */
export function isKeptSlot(sql: Statements, key: Uint8Array, infohash: Uint8Array): boolean {
  return sql.get(
    `SELECT 1 AS yes WHERE EXISTS (SELECT 1 FROM sites WHERE key = @key AND own = 1) OR EXISTS (SELECT 1 FROM follows WHERE kind = 'site' AND key = @key)
       OR EXISTS (SELECT 1 FROM block_lists WHERE list_key = @key) OR EXISTS (SELECT 1 FROM versions WHERE infohash = @infohash)`,
  ).get({ key, infohash }) !== undefined;
}

/** Keeps the newest record of each slot of `siteKey` (all of them, or those naming `infohash`), if {@link isKeptSlot}. */
function keepSlotsOf(sql: Statements, dataDir: string, siteKey: Uint8Array | undefined, infohash?: Uint8Array): void {
  const rows = (siteKey === undefined
    ? sql.get('SELECT site_key, salt FROM slots WHERE record IS NOT NULL').all()
    : sql.get('SELECT site_key, salt FROM slots WHERE site_key = ? AND record IS NOT NULL').all(siteKey)) as { site_key: Uint8Array; salt: Uint8Array }[];
  for (const row of rows) {
    const record = slots.latestRecord(sql, row.site_key, row.salt);
    const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
    if (record === undefined || pointer?.ok !== true) continue;
    if (infohash !== undefined && !bytesEqual(pointer.value, infohash)) continue;
    if (isKeptSlot(sql, record.publicKey, pointer.value)) keepRecord(dataDir, record);
  }
}

/** A version was just stored: the records that name it get their files (a fetch notes the record first, stores the version after). */
export function keepRecordsNaming(sql: Statements, dataDir: string, infohash: Uint8Array): void {
  const row = sql.get('SELECT site_key FROM versions WHERE infohash = ?').get(infohash) as { site_key: Uint8Array } | undefined;
  if (row !== undefined) keepSlotsOf(sql, dataDir, row.site_key, infohash);
}

/** Keeps what an index from before these files holds (once: when `decisions.json` is missing), and after a rebuild. */
export function keepAll(sql: Statements, dataDir: string): void {
  keepSlotsOf(sql, dataDir, undefined);
  for (const pending of slots.pendingPublishes(sql)) keepRecord(dataDir, pending.record);
  keepDecisions(sql, dataDir);
}

/** What {@link restoreKept} took back into a rebuilt index. */
export interface RestoreReport {
  readonly decisions: number;
  readonly records: number;
  /** Kept records that failed core's checks (left out). */
  readonly rejected: number;
}

/**
 * Takes the kept decisions and records back into a rebuilt index (after the rebuild from
 * `content/` and any salvage). Records are verified with core (slots.ts `noteRecord`):
 * each slot gets back its newest seq, so the next publish signs above it.
 */
export function restoreKept(sql: Statements, dataDir: string, nowMs: number): RestoreReport {
  let decisions = 0;
  const kept = readKeptDecisions(dataDir);
  if (kept !== undefined) {
    for (const key of kept.ownSites) {
      const bytes = keyOf(key) as Uint8Array;
      slots.ensureSite(sql, bytes, 'own', nowMs);
      decisions += sql.get('UPDATE sites SET own = 1 WHERE key = ? AND own = 0').run(bytes).changes;
    }
    for (const entry of kept.follows) if (social.follow(sql, entry.kind, keyOf(entry.key) as Uint8Array, entry.sinceMs)) decisions += 1;
    for (const entry of kept.blocks) if (social.block(sql, entry.kind, keyOf(entry.key) as Uint8Array, entry.sinceMs)) decisions += 1;
    for (const entry of kept.mutes) if (social.mute(sql, keyOf(entry.key) as Uint8Array, entry.sinceMs)) decisions += 1;
    for (const entry of kept.blockLists) if (social.subscribeBlockList(sql, keyOf(entry.key) as Uint8Array, entry.sinceMs)) decisions += 1;
  }
  let records = 0;
  let rejected = 0;
  for (const bytes of readKeptRecords(dataDir)) {
    const record = slots.parseStoredRecord(bytes);
    const noted = record === undefined ? undefined : slots.noteRecord(sql, record, 'kept', nowMs);
    if (noted?.ok === true) records += 1;
    else rejected += 1;
  }
  return { decisions, records, rejected };
}
