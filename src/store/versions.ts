/**
 * Site versions: each manifest is kept (its exact bytes), with the items it lists and the
 * infohash of the version before it, so older versions stay readable offline and the
 * hash chain of a site (its audit trail) can be walked in one query.
 */
import { INFOHASH_BYTES } from '../core/bep46.js';
import { bytesEqual, toHex } from '../core/bytes.js';
import { decodeManifest, type SiteManifest } from '../core/manifest.js';
import { pageCandidates } from '../core/site-path.js';
import type { Statements } from './database.js';
import { bytesOf, insertItem, type VerifiedVersion } from './items.js';
import { ensureSite } from './slots.js';

/** One stored version of a site. */
export interface VersionInfo {
  readonly infohash: Uint8Array;
  readonly siteKey: Uint8Array;
  /** The infohash of the version before it, if any (it may not be stored). */
  readonly previous?: Uint8Array;
  readonly createdMs: number;
  readonly receivedMs: number;
  /** Bytes of the version's content on disk (the cache budget counts them). */
  readonly contentBytes: number;
}

/** Checks a 20-byte infohash argument. */
export function requireInfohash(infohash: unknown): Uint8Array {
  if (!(infohash instanceof Uint8Array) || infohash.length !== INFOHASH_BYTES) throw new RangeError(`infohash must be ${INFOHASH_BYTES} bytes`);
  return infohash;
}

/** What {@link insertVersion} wrote. */
export interface InsertedVersion {
  readonly isNew: boolean;
  readonly newItems: number;
}

/**
 * Stores a verified version and its items (those not stored yet) in one transaction; the
 * site gets the manifest's title when this is its newest version. `contentBytes`
 * defaults to the manifest and item encodings.
 */
export function insertVersion(
  sql: Statements,
  version: { readonly infohash: Uint8Array; readonly manifestBytes: Uint8Array; readonly verified: VerifiedVersion; readonly contentBytes?: number; readonly origin: string },
  nowMs: number,
): InsertedVersion {
  const { infohash, manifestBytes, verified } = version;
  const manifest = verified.manifest;
  const contentBytes = version.contentBytes ?? verified.items.reduce((sum, entry) => sum + entry.bytes.length, manifestBytes.length);
  return sql.transaction(() => {
    ensureSite(sql, manifest.author, version.origin, nowMs);
    const inserted = sql.get(
      `INSERT OR IGNORE INTO versions (infohash, site_key, previous, manifest, created_ms, received_ms, content_bytes, last_access_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(infohash, manifest.author, manifest.previous ?? null, manifestBytes, manifest.createdMs, nowMs, contentBytes, nowMs);
    if (inserted.changes === 0) return { isNew: false, newItems: 0 };
    let newItems = 0;
    const link = sql.get('INSERT OR IGNORE INTO version_items (infohash, item_id, path) VALUES (?, ?, ?)');
    for (const entry of verified.items) {
      if (insertItem(sql, entry, nowMs)) newItems += 1;
      link.run(infohash, entry.item.id, verified.paths.get(toHex(entry.item.id)) ?? '');
    }
    sql.get(
      `UPDATE sites SET title = ? WHERE key = ? AND NOT EXISTS (
         SELECT 1 FROM versions WHERE site_key = ? AND created_ms > ?)`,
    ).run(manifest.title, manifest.author, manifest.author, manifest.createdMs);
    return { isNew: true, newItems };
  });
}

interface VersionRow {
  readonly infohash: Uint8Array;
  readonly site_key: Uint8Array;
  readonly previous: Uint8Array | null;
  readonly created_ms: number;
  readonly received_ms: number;
  readonly content_bytes: number;
}

const VERSION_COLUMNS = 'infohash, site_key, previous, created_ms, received_ms, content_bytes';

function versionFromRow(row: VersionRow): VersionInfo {
  return {
    infohash: bytesOf(row.infohash),
    siteKey: bytesOf(row.site_key),
    ...(row.previous === null ? {} : { previous: bytesOf(row.previous) }),
    createdMs: row.created_ms,
    receivedMs: row.received_ms,
    contentBytes: row.content_bytes,
  };
}

/** The stored version `infohash`. */
export function versionInfo(sql: Statements, infohash: Uint8Array): VersionInfo | undefined {
  const row = sql.get(`SELECT ${VERSION_COLUMNS} FROM versions WHERE infohash = ?`).get(requireInfohash(infohash)) as VersionRow | undefined;
  return row === undefined ? undefined : versionFromRow(row);
}

/** Decoded manifests by the exact bytes they were decoded from (see `versionManifest`). */
export type ManifestCache = Map<string, { bytes: Uint8Array; manifest: SiteManifest }>;
/** Manifests kept decoded: the pages of a few sites read in turn (a 1,000-post manifest decodes and verifies in ~30-170 ms). */
const MANIFEST_CACHE_SIZE = 4;

/**
 * The manifest of a stored version, exactly as received, and decoded. With `cache`, bytes
 * decoded before are not decoded again: the entry is used only when the stored bytes are
 * the very bytes it was decoded from.
 */
export function versionManifest(sql: Statements, infohash: Uint8Array, cache?: ManifestCache): { bytes: Uint8Array; manifest: SiteManifest } | undefined {
  const row = sql.get('SELECT manifest FROM versions WHERE infohash = ?').get(requireInfohash(infohash)) as { manifest: Uint8Array } | undefined;
  if (row === undefined) return undefined;
  const bytes = bytesOf(row.manifest);
  const key = toHex(infohash);
  const cached = cache?.get(key);
  if (cached !== undefined && bytesEqual(cached.bytes, bytes)) {
    cache?.delete(key);
    cache?.set(key, cached);
    return cached;
  }
  const decoded = decodeManifest(bytes);
  // It was verified before it was stored; failing now means the database was altered.
  if (!decoded.ok) throw new Error(`the stored manifest of a version no longer verifies: ${decoded.error.message}`);
  const result = { bytes, manifest: decoded.value };
  if (cache !== undefined) {
    cache.set(key, result);
    for (const oldest of cache.keys()) {
      if (cache.size <= MANIFEST_CACHE_SIZE) break;
      cache.delete(oldest);
    }
  }
  return result;
}

/** The newest stored version of a site (by the manifest's time). */
export function latestVersion(sql: Statements, siteKey: Uint8Array): VersionInfo | undefined {
  const row = sql.get(`SELECT ${VERSION_COLUMNS} FROM versions WHERE site_key = ? ORDER BY created_ms DESC, infohash LIMIT 1`).get(siteKey) as VersionRow | undefined;
  return row === undefined ? undefined : versionFromRow(row);
}

/**
 * The hash chain from `head` back through `previous` links, newest first, as far as the
 * versions are stored (one recursive query). `missing` is the first previous infohash
 * that is not stored, if the chain is cut there.
 */
export function versionChain(sql: Statements, head: Uint8Array): { versions: VersionInfo[]; missing?: Uint8Array } {
  const rows = sql.get(
    `WITH RECURSIVE chain(infohash, depth) AS (
       SELECT infohash, 0 FROM versions WHERE infohash = ?
       UNION ALL
       SELECT v.infohash, chain.depth + 1 FROM chain JOIN versions c ON c.infohash = chain.infohash
         JOIN versions v ON v.infohash = c.previous AND v.site_key = c.site_key
       WHERE chain.depth < 100000
     )
     SELECT ${VERSION_COLUMNS.split(', ').map((column) => `v.${column}`).join(', ')} FROM chain JOIN versions v ON v.infohash = chain.infohash ORDER BY chain.depth`,
  ).all(requireInfohash(head)) as VersionRow[];
  const versions = rows.map(versionFromRow);
  const last = versions.at(-1);
  return { versions, ...(last?.previous === undefined ? {} : { missing: last.previous }) };
}

/** The items of a stored version with their paths, in path order. */
export function versionItemIds(sql: Statements, infohash: Uint8Array): { id: Uint8Array; path: string }[] {
  return (sql.get('SELECT item_id, path FROM version_items WHERE infohash = ? ORDER BY path').all(requireInfohash(infohash)) as { item_id: Uint8Array; path: string }[])
    .map((row) => ({ id: bytesOf(row.item_id), path: row.path }));
}

/**
 * The item of a stored version that an address path names (site-path.ts `pageCandidates`),
 * read from the index without decoding the manifest (a 1,000-post manifest takes ~150 ms
 * to decode and check in a cold process).
 */
export function versionPage(sql: Statements, infohash: Uint8Array, sitePath: string): { id: Uint8Array; path: string } | undefined {
  const candidates = pageCandidates(sitePath);
  const rows = sql.get('SELECT item_id, path FROM version_items WHERE infohash = ? AND path IN (?, ?, ?)').all(requireInfohash(infohash), ...candidates) as { item_id: Uint8Array; path: string }[];
  for (const wanted of candidates) {
    const row = rows.find((candidate) => candidate.path === wanted);
    if (row !== undefined) return { id: bytesOf(row.item_id), path: row.path };
  }
  return undefined;
}

/** The path of item `id` in stored version `infohash`, if it is one of its items. */
export function versionItemPath(sql: Statements, infohash: Uint8Array, id: Uint8Array): string | undefined {
  const row = sql.get('SELECT path FROM version_items WHERE infohash = ? AND item_id = ?').get(requireInfohash(infohash), id) as { path: string } | undefined;
  return row?.path;
}

/** The stored versions that hold item `id`, with its path in each, newest version first. */
export function itemPlaces(sql: Statements, id: Uint8Array): { infohash: Uint8Array; siteKey: Uint8Array; path: string }[] {
  return (sql.get('SELECT vi.infohash, v.site_key, vi.path FROM version_items vi JOIN versions v ON v.infohash = vi.infohash WHERE vi.item_id = ? ORDER BY v.created_ms DESC LIMIT 16').all(id) as { infohash: Uint8Array; site_key: Uint8Array; path: string }[])
    .map((row) => ({ infohash: bytesOf(row.infohash), siteKey: bytesOf(row.site_key), path: row.path }));
}

/** A stored version of a site with the seq its site's unsalted slot gave it, if a record named it. */
export interface SiteVersion extends VersionInfo {
  readonly seq?: bigint;
}

/**
 * Every stored version of site `siteKey`, newest first (by the manifest's time), each
 * with the highest seq of the site's unsalted slot that named it (the address readers
 * resolve); a version no stored record named (a device's own, or one fetched by its
 * infohash) has no seq.
 */
export function siteVersions(sql: Statements, siteKey: Uint8Array): SiteVersion[] {
  const rows = sql.get(
    `SELECT ${VERSION_COLUMNS.split(', ').map((column) => `v.${column}`).join(', ')},
       (SELECT max(sv.seq) FROM slot_versions sv WHERE sv.site_key = v.site_key AND sv.salt = x'' AND sv.infohash = v.infohash) AS seq
     FROM versions v WHERE v.site_key = ? ORDER BY v.created_ms DESC, v.infohash`,
  ).safeIntegers(true).all(siteKey) as (Record<keyof VersionRow, unknown> & { seq: bigint | null })[];
  return rows.map((row) => ({
    ...versionFromRow({
      infohash: row.infohash as Uint8Array,
      site_key: row.site_key as Uint8Array,
      previous: row.previous as Uint8Array | null,
      created_ms: Number(row.created_ms),
      received_ms: Number(row.received_ms),
      content_bytes: Number(row.content_bytes),
    }),
    ...(row.seq === null ? {} : { seq: row.seq }),
  }));
}
