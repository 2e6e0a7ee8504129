/**
 * Page loading from the store: a page's Markdown as the reader shows it (the item, its
 * `next`, the thread of replies, a muted notice), the stored copy of a site's page that is
 * shown before the network answers, and that copy prepared while Qt still loads.
 */
import { formatAddress, parseAddress, parseTypedAddress, type SwarmAddress } from '../../core/address.js';
import { toHex } from '../../core/bytes.js';
import { decodeSitePointer } from '../../core/bep46.js';
import { decodeItem, type Item } from '../../core/item.js';
import type { Resolved } from '../../net/node/site-node.js';
import { folderSiteFiles } from '../../render/site-files.js';
import type { Store } from '../../store/store.js';
import type { AppNode } from '../app-node.js';
import { shortKey } from '../library-view.js';
import { itemMarkdown, pageMarkdown, type ReplyLine } from '../reader-page.js';
import type { PageEntry } from '../site-pages.js';
import { isHidden, mutedNotice } from '../social-actions.js';

/** A page's Markdown as the reader shows it, and what it was composed of. */
export interface ComposedPage {
  readonly item: Item;
  readonly siteKey: Uint8Array | undefined;
  readonly source: string;
  readonly files: ReturnType<typeof folderSiteFiles> | undefined;
}

/** The site address of a stored place of an item (each path segment encoded). */
export function placeAddress(place: { readonly siteKey: Uint8Array; readonly path: string }): string {
  return `bittorrent://${toHex(place.siteKey)}/${place.path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Composes page `entry` of version `resolved.infohash` from `store`; throws when its item cannot be read. */
export function composePage(store: Store, resolved: Resolved, entry: PageEntry): ComposedPage {
  const bytes = store.itemBytes(entry.id);
  const decoded = bytes === undefined ? undefined : decodeItem(bytes);
  if (decoded === undefined || !decoded.ok) throw new Error(`the stored item of ${entry.path} cannot be read`);
  const item = decoded.value;
  const version = store.version(resolved.infohash);
  const siteKey = version?.siteKey;
  let next: string | undefined;
  if (item.next?.id !== undefined) {
    const target = store.versionItemPath(resolved.infohash, item.next.id);
    if (target !== undefined) next = `/${target}`;
  }
  if (next === undefined && item.next?.href !== undefined && parseAddress(item.next.href).ok) next = item.next.href;
  const replies: ReplyLine[] = store.thread(item.id).flatMap((reply) => {
    const places = store.itemPlaces(reply.item.id);
    const place = places.find((candidate) => !isHidden(store, candidate.siteKey));
    if (isHidden(store, reply.item.author) || (place === undefined && places.length > 0)) return [];
    return [{
      title: reply.item.title,
      author: store.site(place?.siteKey ?? reply.item.author)?.title ?? shortKey(reply.item.author),
      createdMs: reply.item.createdMs,
      depth: reply.depth,
      ...(place === undefined ? {} : { href: placeAddress(place) }),
    }];
  });
  const notice = mutedNotice(store, siteKey, item.author);
  const source = pageMarkdown(itemMarkdown(item, entry.path), { ...(next === undefined ? {} : { next }), replies, ...(notice === undefined ? {} : { notice }) });
  const root = store.versionRoot(resolved.infohash);
  return { item, siteKey, source, files: root === undefined ? undefined : folderSiteFiles(root, entry.path) };
}

/** The stored copy of a site's page, composed before the window exists (prepareStoredPage). */
export interface PreparedPage {
  readonly canonical: string;
  readonly resolved: Resolved;
  readonly entry: PageEntry;
  readonly composed: ComposedPage;
}

/**
 * Reads the stored copy of the page at `text` (a site address) and composes it, while Qt
 * still loads; `onSource` gets its Markdown at once (the layout thread starts on its first
 * screens: PlanWorker.prefetchFirstScreens). The reader opening that address first shows
 * it without reading it again (ReaderOptions.prepared). Undefined when there is no stored
 * copy, the address is not a site's, or opening the store would check the database first:
 * the reader then opens it the usual way, after the window's first frame.
 */
export function prepareStoredPage(node: Pick<AppNode, 'opensStoreQuickly' | 'openStore'>, text: string, onSource: (source: string) => void): PreparedPage | undefined {
  const parsed = parseTypedAddress(text);
  if (!parsed.ok || parsed.value.kind !== 'mutable') return undefined;
  const address = parsed.value;
  // Not at the price of a database check (or repair) before the window is even shown.
  if (!node.opensStoreQuickly()) return undefined;
  const store = node.openStore();
  try {
    const early = store === undefined ? undefined : storedCopy(store, address);
    if (store === undefined || early === undefined) return undefined;
    const composed = composePage(store, early.resolved, early.entry);
    onSource(composed.source);
    return { canonical: formatAddress(address), resolved: early.resolved, entry: early.entry, composed };
  } catch {
    return undefined; // the reader meets the same problem again and says what it is
  }
}

/**
 * The page `address` names in the newest version of its site that a stored record names,
 * if that version and page are stored here (and the site is not blocked).
 */
export function storedCopy(store: Store, address: Extract<SwarmAddress, { kind: 'mutable' }>): { resolved: Resolved; entry: PageEntry } | undefined {
  if (store.isBlocked(address.publicKey)) return undefined;
  const record = store.latestRecord(address.publicKey, address.salt);
  const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
  if (record === undefined || pointer === undefined || !pointer.ok) return undefined;
  const entry = store.versionPage(pointer.value, address.path);
  if (entry === undefined) return undefined;
  return { resolved: { infohash: pointer.value, key: address.publicKey, seq: record.seq, source: 'stored', note: 'asking the network for a newer version…' }, entry };
}
