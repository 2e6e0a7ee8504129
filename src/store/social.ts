/**
 * Follows, blocks, mutes and peers: whom the user reads, whom they never want to see (their
 * own blocks and those of block lists they subscribe to), whom they keep but do not want
 * shown (mutes), and which peers were seen where.
 */
import { PUBLIC_KEY_BYTES } from '../core/identity.js';
import type { Statements } from './database.js';
import { bytesOf } from './items.js';

/** What a follow or a block names: an author (their items anywhere) or a site. */
export type SocialKind = 'author' | 'site';

/** A followed or blocked key. */
export interface SocialEntry {
  readonly kind: SocialKind;
  readonly key: Uint8Array;
  readonly sinceMs: number;
}

/** A block, and the subscribed block list it comes from (absent for the user's own). */
export interface BlockEntry extends SocialEntry {
  readonly listKey?: Uint8Array;
}

/** How a peer was found. */
export type PeerSource = 'lan' | 'swarm' | 'dht';

/** A peer seen. */
export interface PeerSeen {
  readonly host: string;
  readonly port: number;
  readonly via: PeerSource;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

const NO_LIST = new Uint8Array(0);

/** Checks a 32-byte key argument (programmer error otherwise). */
export function requireKey(key: unknown, name = 'key'): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== PUBLIC_KEY_BYTES) throw new RangeError(`${name} must be a ${PUBLIC_KEY_BYTES}-byte public key`);
  return key;
}

function requireKind(kind: unknown): SocialKind {
  if (kind !== 'author' && kind !== 'site') throw new RangeError("kind must be 'author' or 'site'");
  return kind;
}

interface SocialRow {
  readonly kind: SocialKind;
  readonly key: Uint8Array;
  readonly since_ms: number;
  readonly list_key?: Uint8Array;
}

export function follow(sql: Statements, kind: SocialKind, key: Uint8Array, nowMs: number): boolean {
  return sql.get('INSERT OR IGNORE INTO follows (kind, key, since_ms) VALUES (?, ?, ?)').run(requireKind(kind), requireKey(key), nowMs).changes === 1;
}

export function unfollow(sql: Statements, kind: SocialKind, key: Uint8Array): boolean {
  return sql.get('DELETE FROM follows WHERE kind = ? AND key = ?').run(requireKind(kind), requireKey(key)).changes === 1;
}

export function listFollows(sql: Statements): SocialEntry[] {
  return (sql.get('SELECT kind, key, since_ms FROM follows ORDER BY since_ms, key').all() as SocialRow[])
    .map((row) => ({ kind: row.kind, key: bytesOf(row.key), sinceMs: row.since_ms }));
}

export function isFollowing(sql: Statements, kind: SocialKind, key: Uint8Array): boolean {
  return sql.get('SELECT 1 AS yes FROM follows WHERE kind = ? AND key = ?').get(requireKind(kind), requireKey(key)) !== undefined;
}

export function block(sql: Statements, kind: SocialKind, key: Uint8Array, nowMs: number, listKey: Uint8Array = NO_LIST): boolean {
  return sql.get('INSERT OR IGNORE INTO blocks (kind, key, list_key, since_ms) VALUES (?, ?, ?, ?)').run(requireKind(kind), requireKey(key), listKey, nowMs).changes === 1;
}

export function unblock(sql: Statements, kind: SocialKind, key: Uint8Array): boolean {
  return sql.get("DELETE FROM blocks WHERE kind = ? AND key = ? AND list_key = x''").run(requireKind(kind), requireKey(key)).changes === 1;
}

export function listBlocks(sql: Statements): BlockEntry[] {
  return (sql.get('SELECT kind, key, list_key, since_ms FROM blocks ORDER BY since_ms, key').all() as SocialRow[]).map((row) => ({
    kind: row.kind,
    key: bytesOf(row.key),
    sinceMs: row.since_ms,
    ...(row.list_key === undefined || row.list_key.length === 0 ? {} : { listKey: bytesOf(row.list_key) }),
  }));
}

/** Whether `key` is blocked as an author or a site, by the user or by a subscribed list. */
export function isBlocked(sql: Statements, key: Uint8Array): boolean {
  return sql.get('SELECT 1 AS yes FROM blocks WHERE key = ? LIMIT 1').get(requireKey(key)) !== undefined;
}

export function subscribeBlockList(sql: Statements, listKey: Uint8Array, nowMs: number): boolean {
  return sql.get('INSERT OR IGNORE INTO block_lists (list_key, since_ms) VALUES (?, ?)').run(requireKey(listKey, 'listKey'), nowMs).changes === 1;
}

/** Ends a subscription and drops the blocks that came from that list. */
export function unsubscribeBlockList(sql: Statements, listKey: Uint8Array): boolean {
  return sql.transaction(() => {
    sql.get('DELETE FROM blocks WHERE list_key = ?').run(requireKey(listKey, 'listKey'));
    return sql.get('DELETE FROM block_lists WHERE list_key = ?').run(listKey).changes === 1;
  });
}

/** Replaces the entries of a subscribed block list with `entries` (its newest published version). */
export function setBlockListEntries(sql: Statements, listKey: Uint8Array, entries: readonly { kind: SocialKind; key: Uint8Array }[], nowMs: number): void {
  requireKey(listKey, 'listKey');
  sql.transaction(() => {
    if (sql.get('SELECT 1 AS yes FROM block_lists WHERE list_key = ?').get(listKey) === undefined) {
      throw new RangeError('setBlockListEntries: subscribe to the list first');
    }
    sql.get('DELETE FROM blocks WHERE list_key = ?').run(listKey);
    for (const entry of entries) block(sql, entry.kind, entry.key, nowMs, listKey);
  });
}

export function listBlockLists(sql: Statements): Uint8Array[] {
  return (sql.get('SELECT list_key FROM block_lists ORDER BY since_ms').all() as { list_key: Uint8Array }[]).map((row) => bytesOf(row.list_key));
}

/** A subscribed block list and what its last check found. */
export interface BlockListStatus {
  readonly listKey: Uint8Array;
  readonly sinceMs: number;
  /** Blocks it adds now. */
  readonly entries: number;
  /** When its newest version was last read; absent before the first read. */
  readonly checkedMs?: number;
  /** Why the last version read was refused (the entries before it stay), or absent. */
  readonly problem?: string;
}

/** Records the outcome of reading a subscribed list's newest version (no-op for a list not subscribed). */
export function noteBlockListCheck(sql: Statements, listKey: Uint8Array, nowMs: number, problem?: string): void {
  sql.get('UPDATE block_lists SET checked_ms = ?, problem = ? WHERE list_key = ?').run(nowMs, problem ?? null, requireKey(listKey, 'listKey'));
}

export function listBlockListStatus(sql: Statements): BlockListStatus[] {
  const rows = sql.get(
    'SELECT list_key, since_ms, checked_ms, problem, (SELECT count(*) FROM blocks WHERE blocks.list_key = block_lists.list_key) AS entries FROM block_lists ORDER BY since_ms, list_key',
  ).all() as { list_key: Uint8Array; since_ms: number; checked_ms: number | null; problem: string | null; entries: number }[];
  return rows.map((row) => ({
    listKey: bytesOf(row.list_key),
    sinceMs: row.since_ms,
    entries: row.entries,
    ...(row.checked_ms === null ? {} : { checkedMs: row.checked_ms }),
    ...(row.problem === null ? {} : { problem: row.problem }),
  }));
}

/** Mutes `key` (an author or a site): hidden from what the user sees, still stored and seeded. */
export function mute(sql: Statements, key: Uint8Array, nowMs: number): boolean {
  return sql.get('INSERT OR IGNORE INTO mutes (key, since_ms) VALUES (?, ?)').run(requireKey(key), nowMs).changes === 1;
}

export function unmute(sql: Statements, key: Uint8Array): boolean {
  return sql.get('DELETE FROM mutes WHERE key = ?').run(requireKey(key)).changes === 1;
}

export function isMuted(sql: Statements, key: Uint8Array): boolean {
  return sql.get('SELECT 1 AS yes FROM mutes WHERE key = ?').get(requireKey(key)) !== undefined;
}

export function listMutes(sql: Statements): { key: Uint8Array; sinceMs: number }[] {
  return (sql.get('SELECT key, since_ms FROM mutes ORDER BY since_ms, key').all() as { key: Uint8Array; since_ms: number }[])
    .map((row) => ({ key: bytesOf(row.key), sinceMs: row.since_ms }));
}

/** Records that a peer was seen now. */
export function notePeer(sql: Statements, peer: { host: string; port: number; via: PeerSource }, nowMs: number): void {
  if (typeof peer.host !== 'string' || peer.host === '' || peer.host.length > 255) throw new RangeError('peer.host must be 1 to 255 characters');
  if (!Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) throw new RangeError('peer.port must be 1 to 65535');
  if (!(['lan', 'swarm', 'dht'] as unknown[]).includes(peer.via)) throw new RangeError("peer.via must be 'lan', 'swarm' or 'dht'");
  sql.get(
    `INSERT INTO peers (host, port, via, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (host, port, via) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
  ).run(peer.host, peer.port, peer.via, nowMs, nowMs);
}

interface PeerRow {
  readonly host: string;
  readonly port: number;
  readonly via: PeerSource;
  readonly first_seen_ms: number;
  readonly last_seen_ms: number;
}

/** Peers seen since `sinceMs` (default: ever), most recent first, optionally of one source. */
export function listPeers(sql: Statements, options: { via?: PeerSource; sinceMs?: number; limit?: number } = {}): PeerSeen[] {
  const rows = sql.get(
    'SELECT host, port, via, first_seen_ms, last_seen_ms FROM peers WHERE (@via IS NULL OR via = @via) AND last_seen_ms >= @since ORDER BY last_seen_ms DESC, host, port LIMIT @limit',
  ).all({ via: options.via ?? null, since: options.sinceMs ?? 0, limit: options.limit ?? -1 }) as PeerRow[];
  return rows.map((row) => ({ host: row.host, port: row.port, via: row.via, firstSeenMs: row.first_seen_ms, lastSeenMs: row.last_seen_ms }));
}

/** Forgets peers not seen since `beforeMs`; returns how many. */
export function forgetPeers(sql: Statements, beforeMs: number): number {
  return sql.get('DELETE FROM peers WHERE last_seen_ms < ?').run(beforeMs).changes;
}
