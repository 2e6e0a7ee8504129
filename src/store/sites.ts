/** Reading sites and their slots from the index. */
import type { Statements } from './database.js';
import { bytesOf } from './items.js';

/** A site the store knows. */
export interface SiteInfo {
  readonly key: Uint8Array;
  readonly title: string;
  /** Where it was first heard of (`own`, `url`, `lan`, `dht`, `rebuild`, … as the caller says). */
  readonly origin: string;
  readonly isOwn: boolean;
  readonly firstSeenMs: number;
  readonly lastAccessMs: number;
  /** Its slots: the unsalted one has an empty salt. */
  readonly slots: readonly { readonly salt: Uint8Array; readonly lastSeq: bigint }[];
}

/** A row of `sites`. */
export interface SiteRow {
  readonly key: Uint8Array;
  readonly title: string;
  readonly origin: string;
  readonly own: number;
  readonly first_seen_ms: number;
  readonly last_access_ms: number;
}

/** The site of `row`, with its slots. */
export function siteFromRow(sql: Statements, row: SiteRow): SiteInfo {
  const slotRows = sql.get('SELECT salt, last_seq FROM slots WHERE site_key = ? ORDER BY salt').safeIntegers(true).all(row.key) as { salt: Uint8Array; last_seq: bigint }[];
  return {
    key: bytesOf(row.key),
    title: row.title,
    origin: row.origin,
    isOwn: row.own === 1,
    firstSeenMs: row.first_seen_ms,
    lastAccessMs: row.last_access_ms,
    slots: slotRows.map((slot) => ({ salt: bytesOf(slot.salt), lastSeq: slot.last_seq })),
  };
}

