/**
 * What the window's Site menu and library do about muting and block lists, for the
 * reader's site actions (reader/site-actions.ts): mute or unmute a site, subscribe to
 * or unsubscribe from its published block list (the node applies it at once when a version
 * is stored, node/upkeep.ts `applyBlockList`), lift a library row of the Blocked section, and
 * whether content is hidden from lists (blocked or muted). Each action returns the sentence
 * the status line shows. JS thread only.
 */
import { isBlockListPath } from '../core/block-list.js';
import { fromHex } from '../core/bytes.js';
import type { SiteNode } from '../net/node/site-node.js';
import { isGenerated } from '../store/site-build.js';
import type { Store } from '../store/store.js';
import { BLOCKED_ROW, LIST_ROW, MUTED_ROW, shortKey } from './library-view.js';

/**
 * Whether a search hit is listed: not by a hidden author, not only in hidden sites, not a
 * site's block list (swarmpress's own file, core/block-list.ts, never a page to read), and
 * not a generated page (a home page, post list or feed only repeats the posts it lists).
 */
export function isListedHit(store: Store, hit: { readonly id: Uint8Array; readonly author: Uint8Array }): boolean {
  if (isHidden(store, hit.author) || isGenerated(store.item(hit.id))) return false;
  const places = store.itemPlaces(hit.id);
  if (places.length > 0 && places.every((place) => isBlockListPath(place.path))) return false;
  return places.length === 0 || places.some((place) => !isHidden(store, place.siteKey));
}

/** Whether content by or in `key` stays out of lists, threads and search results. */
export function isHidden(store: Store, key: Uint8Array): boolean {
  return store.isBlocked(key) || store.isMuted(key);
}

function titleOf(store: Store, key: Uint8Array): string {
  const title = store.site(key)?.title;
  return title === undefined || title === '' ? shortKey(key) : title;
}

/** The notice above a page of a muted site or author, or undefined. */
export function mutedNotice(store: Store, siteKey: Uint8Array | undefined, author: Uint8Array): string | undefined {
  const muted = (siteKey !== undefined && store.isMuted(siteKey)) || store.isMuted(author);
  return muted ? 'You muted this site: it is kept and seeded, but left out of your lists, threads and searches. Site → Unmute this site shows it again.' : undefined;
}

/** Mutes site `key` (and its author key), or unmutes it when it is muted. */
export function toggleMute(store: Store, key: Uint8Array): string {
  const title = titleOf(store, key);
  if (store.unmute(key)) return `Unmuted ${title}: it is shown in your lists again.`;
  store.mute(key);
  return `Muted ${title}: it stays stored and seeded but is left out of your lists, threads and searches.`;
}

/** Subscribes to the block list site `key` publishes (applied now if a version is stored), or unsubscribes. */
export async function toggleBlockList(node: SiteNode, key: Uint8Array): Promise<string> {
  const store = node.store;
  const title = titleOf(store, key);
  if (store.unsubscribeBlockList(key)) return `No longer using the block list of ${title}.`;
  store.noteSite({ key, origin: 'block-list' });
  store.subscribeBlockList(key);
  const outcome = await node.applyBlockList(key);
  if (!outcome.applied) return `Subscribed to the block list of ${title}; nothing applied yet: ${outcome.problem ?? 'no version read'}.`;
  return `Subscribed to the block list of ${title}: ${outcome.entries} block${outcome.entries === 1 ? '' : 's'}${outcome.problem === undefined ? '' : ` (${outcome.problem})`}.`;
}

/** Lifts a row of the library's Blocked section (`blocked:`, `muted:` or `list:` and a hex key); undefined for another row. */
export function liftLibraryRow(store: Store, id: string): string | undefined {
  const [kind, hex] = id.split(':');
  const key = hex === undefined ? undefined : fromHex(hex, 32);
  if (key === undefined) return undefined;
  const title = titleOf(store, key);
  switch (kind) {
    case BLOCKED_ROW: {
      const lifted = [store.unblock('site', key), store.unblock('author', key)].some(Boolean);
      return lifted ? `Unblocked ${title}: it can be opened, stored and seeded again.` : `${title} is blocked by a block list you subscribe to, not by you.`;
    }
    case MUTED_ROW:
      store.unmute(key);
      return `Unmuted ${title}: it is shown in your lists again.`;
    case LIST_ROW:
      store.unsubscribeBlockList(key);
      return `No longer using the block list of ${title}: what it blocked can be opened again.`;
    default:
      return undefined;
  }
}
