/**
 * The cache budget. Every reader keeps and re-seeds what it read, but the disk is
 * finite: when the stored content passes the budget, site versions are evicted by their
 * distance from the user in the follow graph (farthest first), then by age (least
 * recently opened first). Never evicted: the user's own sites, followed sites, sites of
 * followed authors, and items by the user or by followed authors.
 *
 * Distances: 1 = own or followed (protected); 2 = a site whose author wrote an item that a
 * protected site carries or relates to (replies, quotes, next); 3 = any other site;
 * blocked sites go first of all.
 *
 * The store removes rows; the caller (net) removes the torrents and their folders of the
 * evicted versions it returns: whoever creates a resource destroys it.
 */
import type { Statements } from './database.js';
import { bytesOf } from './items.js';

/** What {@link evict} removed. */
export interface EvictionReport {
  /** Versions removed from the index: delete their torrents and content folders. */
  readonly versions: readonly { readonly infohash: Uint8Array; readonly siteKey: Uint8Array; readonly bytes: number }[];
  /** Items removed (no longer carried by any stored version, nor protected). */
  readonly items: number;
  readonly usedBytesBefore: number;
  readonly usedBytesAfter: number;
}

// Keys whose content is never evicted: own sites, followed sites and authors.
const PROTECTED_KEYS = `
  SELECT key FROM sites WHERE own = 1
  UNION SELECT key FROM follows`;

const DISTANCE = `
  CASE
    WHEN v.site_key IN (SELECT key FROM blocks) THEN 9
    WHEN v.site_key IN (
      SELECT i.author FROM version_items vi JOIN versions pv ON pv.infohash = vi.infohash JOIN items i ON i.id = vi.item_id
        WHERE pv.site_key IN (${PROTECTED_KEYS})
      UNION
      SELECT t.author FROM version_items vi JOIN versions pv ON pv.infohash = vi.infohash
        JOIN related r ON r.from_id = vi.item_id JOIN items t ON t.id = r.to_id
        WHERE pv.site_key IN (${PROTECTED_KEYS})
    ) THEN 2
    ELSE 3
  END`;

/** Bytes the stored content takes: each version's content, plus items no version carries. */
export function usedBytes(sql: Statements): number {
  const row = sql.get(
    `SELECT (SELECT coalesce(sum(content_bytes), 0) FROM versions)
          + (SELECT coalesce(sum(length(encoded)), 0) FROM items WHERE NOT EXISTS (SELECT 1 FROM version_items vi WHERE vi.item_id = items.id)) AS used`,
  ).get() as { used: number };
  return row.used;
}

/** Bytes the stored versions of site `siteKey` take (the content the budget counts for it). */
export function siteUsedBytes(sql: Statements, siteKey: Uint8Array): number {
  const row = sql.get('SELECT coalesce(sum(content_bytes), 0) AS used FROM versions WHERE site_key = ?').get(siteKey) as { used: number };
  return row.used;
}

interface CandidateRow {
  readonly infohash: Uint8Array;
  readonly site_key: Uint8Array;
  readonly content_bytes: number;
}

/** Deletes the version `infohash` and those of its items no other version carries (unless protected). */
function removeVersion(sql: Statements, infohash: Uint8Array): number {
  const ids = (sql.get('SELECT item_id FROM version_items WHERE infohash = ?').all(infohash) as { item_id: Uint8Array }[]).map((row) => row.item_id);
  sql.get('DELETE FROM versions WHERE infohash = ?').run(infohash);
  const remove = sql.get(
    `DELETE FROM items WHERE id = ? AND NOT EXISTS (SELECT 1 FROM version_items vi WHERE vi.item_id = items.id)
       AND author NOT IN (${PROTECTED_KEYS})`,
  );
  let removed = 0;
  for (const id of ids) removed += remove.run(id).changes;
  return removed;
}

/**
 * Evicts content until at most `budgetBytes` are used (or only protected content is
 * left), in one transaction. Items that no version carries any more go with their last
 * version; loose items (fetched alone) go, oldest first, when versions were not enough.
 */
export function evict(sql: Statements, budgetBytes: number): EvictionReport {
  if (!Number.isSafeInteger(budgetBytes) || budgetBytes < 0) throw new RangeError('budgetBytes must be a non-negative integer');
  return sql.transaction(() => {
    const before = usedBytes(sql);
    let used = before;
    const versions: { infohash: Uint8Array; siteKey: Uint8Array; bytes: number }[] = [];
    let items = 0;
    if (used > budgetBytes) {
      const candidates = sql.get(
        `SELECT v.infohash, v.site_key, v.content_bytes FROM versions v
         WHERE v.site_key NOT IN (${PROTECTED_KEYS})
         ORDER BY ${DISTANCE} DESC, v.last_access_ms ASC, v.created_ms ASC`,
      ).all() as CandidateRow[];
      for (const candidate of candidates) {
        if (used <= budgetBytes) break;
        items += removeVersion(sql, candidate.infohash);
        versions.push({ infohash: bytesOf(candidate.infohash), siteKey: bytesOf(candidate.site_key), bytes: candidate.content_bytes });
        used = usedBytes(sql);
      }
    }
    if (used > budgetBytes) {
      const loose = sql.get(
        `SELECT id, length(encoded) AS bytes FROM items
         WHERE NOT EXISTS (SELECT 1 FROM version_items vi WHERE vi.item_id = items.id) AND author NOT IN (${PROTECTED_KEYS})
         ORDER BY last_access_ms, created_ms`,
      ).all() as { id: Uint8Array; bytes: number }[];
      for (const item of loose) {
        if (used <= budgetBytes) break;
        sql.get('DELETE FROM items WHERE id = ?').run(item.id);
        items += 1;
        used -= item.bytes;
      }
    }
    return { versions, items, usedBytesBefore: before, usedBytesAfter: usedBytes(sql) };
  });
}
