/**
 * Items in the index: verified before they are written, stored with every field of the
 * content model and their exact encoding, with their `related` and `next` links as edges
 * (table `related`), so that a thread or a list of backlinks is one query.
 */
import { toHex } from '../core/bytes.js';
import { decodeItem, type Item, type ItemBody, type ItemErrorCode, type RelatedItem } from '../core/item.js';
import { verifyManifest, type ManifestErrorCode, type SiteManifest } from '../core/manifest.js';
import { ok, type Result } from '../core/result.js';
import type { Statements } from './database.js';

/** An item that core's `decodeItem` verified, with the exact bytes it verified. Only {@link verifyItem} makes one. */
export interface VerifiedItem {
  readonly item: Item;
  readonly bytes: Uint8Array;
}

const verified = new WeakSet<VerifiedItem>();

/**
 * Decodes and verifies `bytes` with core (canonical encoding, every field, id, signature):
 * the only way to a {@link VerifiedItem}. Costs one ed25519 verification (a few ms in pure
 * JS), so callers may verify outside the transaction that stores the items. Never throws.
 */
export function verifyItem(bytes: Uint8Array): Result<VerifiedItem, ItemErrorCode> {
  const copy = bytes.slice();
  const decoded = decodeItem(copy);
  if (!decoded.ok) return decoded;
  const result: VerifiedItem = Object.freeze({ item: decoded.value, bytes: copy });
  verified.add(result);
  return ok(result);
}

/** Whether `value` came from {@link verifyItem}. */
export function isVerifiedItem(value: unknown): value is VerifiedItem {
  return typeof value === 'object' && value !== null && verified.has(value as VerifiedItem);
}

/** The `rel` of the edge a `next` link makes (position {@link NEXT_POSITION}). */
export const NEXT_REL = 'next';
const NEXT_POSITION = -1;

/** Stores `entry` (verified) unless it is there already; returns whether it was new. Run inside a transaction. */
export function insertItem(sql: Statements, entry: VerifiedItem, nowMs: number): boolean {
  if (!isVerifiedItem(entry)) throw new TypeError('items are stored only after verifyItem');
  const { item, bytes } = entry;
  const body = item.body;
  const inserted = sql.get(
    `INSERT OR IGNORE INTO items (id, author, title, mime, body_text, body_path, body_sha256, source, next_id, next_href, meta, created_ms, signature, encoded, stored_ms, last_access_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    item.id, item.author, item.title, item.mime,
    body.kind === 'text' ? body.text : null, body.kind === 'file' ? body.path : null, body.kind === 'file' ? body.sha256 : null,
    item.source ?? null, item.next?.id ?? null, item.next?.href ?? null,
    JSON.stringify([...item.meta]), item.createdMs, item.signature, bytes, nowMs, nowMs,
  );
  if (inserted.changes === 0) return false;
  const edge = sql.get('INSERT INTO related (from_id, position, to_id, rel, href) VALUES (?, ?, ?, ?, ?)');
  item.related.forEach((related, position) => edge.run(item.id, position, related.id, related.rel, related.href ?? null));
  if (item.next?.id !== undefined) edge.run(item.id, NEXT_POSITION, item.next.id, NEXT_REL, item.next.href ?? null);
  return true;
}

/** A row of `items` as SQLite returns it. */
export interface ItemRow {
  readonly id: Uint8Array;
  readonly author: Uint8Array;
  readonly title: string;
  readonly mime: string;
  readonly body_text: string | null;
  readonly body_path: string | null;
  readonly body_sha256: Uint8Array | null;
  readonly source: string | null;
  readonly next_id: Uint8Array | null;
  readonly next_href: string | null;
  readonly meta: string;
  readonly created_ms: number;
  readonly signature: Uint8Array;
}

/** The columns of {@link ItemRow}, for SELECTs. */
export const ITEM_COLUMNS = 'items.id, items.author, items.title, items.mime, items.body_text, items.body_path, items.body_sha256, items.source, items.next_id, items.next_href, items.meta, items.created_ms, items.signature';

/** Copies a BLOB (a Buffer into better-sqlite3's pool) into a plain Uint8Array. */
export function bytesOf(blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob);
}

interface EdgeRow {
  readonly to_id: Uint8Array;
  readonly rel: string;
  readonly href: string | null;
}

/** The item of `row`, its related list read from the edges. */
export function itemFromRow(sql: Statements, row: ItemRow): Item {
  const edges = sql.get('SELECT to_id, rel, href FROM related WHERE from_id = ? AND position >= 0 ORDER BY position').all(row.id) as EdgeRow[];
  const related: RelatedItem[] = edges.map((edge) => ({ id: bytesOf(edge.to_id), rel: edge.rel, ...(edge.href === null ? {} : { href: edge.href }) }));
  const body: ItemBody = row.body_text !== null
    ? { kind: 'text', text: row.body_text }
    : { kind: 'file', path: row.body_path ?? '', sha256: bytesOf(row.body_sha256 ?? new Uint8Array(0)) };
  const next = row.next_id === null && row.next_href === null
    ? undefined
    : { ...(row.next_id === null ? {} : { id: bytesOf(row.next_id) }), ...(row.next_href === null ? {} : { href: row.next_href }) };
  return {
    id: bytesOf(row.id),
    title: row.title,
    mime: row.mime,
    body,
    ...(row.source === null ? {} : { source: row.source }),
    ...(next === undefined ? {} : { next }),
    related,
    meta: new Map(JSON.parse(row.meta) as [string, string][]),
    author: bytesOf(row.author),
    createdMs: row.created_ms,
    signature: bytesOf(row.signature),
  };
}

/** A site version whose manifest and items core verified, with the exact bytes of each item. */
export interface VerifiedVersion {
  readonly manifest: SiteManifest;
  readonly items: readonly VerifiedItem[];
  /** Paths of the items in the version, by item id (hex). */
  readonly paths: ReadonlyMap<string, string>;
}

/**
 * Verifies a site version with core's `verifyManifest` (the manifest's signature and every
 * item it lists), reading items with `lookupItem`; the items come back as
 * {@link VerifiedItem}s paired with the bytes that were verified. Never throws unless
 * `lookupItem` does.
 */
export function verifyVersion(manifestBytes: Uint8Array, lookupItem: (id: Uint8Array) => Uint8Array | undefined): Result<VerifiedVersion, ManifestErrorCode> {
  const seen = new Map<string, Uint8Array>();
  const result = verifyManifest(manifestBytes.slice(), (id) => {
    const bytes = lookupItem(id)?.slice();
    if (bytes !== undefined) seen.set(toHex(id), bytes);
    return bytes;
  });
  if (!result.ok) return result;
  const items = result.value.items.map((item) => {
    const entry: VerifiedItem = Object.freeze({ item, bytes: seen.get(toHex(item.id)) ?? new Uint8Array(0) });
    verified.add(entry);
    return entry;
  });
  const paths = new Map(result.value.manifest.items.map((entry) => [toHex(entry.id), entry.path]));
  return ok({ manifest: result.value.manifest, items, paths });
}
