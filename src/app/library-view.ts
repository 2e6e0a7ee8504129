/**
 * The library's view-model (library-panel.ts) as the store and the LAN know it now:
 * followed sites (marked when a newer version arrived), own sites, the sites LAN
 * neighbours announce (or why there is no such list), the user's own blocks grouped by
 * key, the subscribed block lists and the mutes, and the last search. Muted sites are left
 * out of the followed and nearby lists. Titles: the stored (signed) title first; a neighbour's
 * announced title only for a site not stored here. Blocked keys are never listed as
 * nearby. Pure over its arguments: reads, never writes.
 */
import { fromHex, toHex } from '../core/bytes.js';
import type { LanLink } from '../net/lan-link.js';
import type { Store } from '../store/store.js';
import type { LibraryEntry, LibraryView } from '../widgets/main-window.js';

/** Id prefixes of the library's rows: a site opens, a block can be lifted, an item opens. */
export const SITE_ROW = 'site';
export const BLOCKED_ROW = 'blocked';
/** A muted site or author (Unmute), and a subscribed block list (Unsubscribe). */
export const MUTED_ROW = 'muted';
export const LIST_ROW = 'list';

export interface LibrarySources {
  readonly store: Store;
  /** LAN discovery, when it runs. */
  readonly lan: Pick<LanLink, 'nearbySites'> | undefined;
  /** Why LAN discovery does not run, if it does not (AppNode.lanOff). */
  readonly lanOff: string | undefined;
  /** Followed sites (hex keys) with a version newer than the reader last opened. */
  readonly newVersions: ReadonlySet<string>;
  readonly search: { readonly query: string; readonly results: readonly LibraryEntry[] } | undefined;
}

/** A key as a short label: its first 8 hex digits. */
export function shortKey(key: Uint8Array): string {
  return `${toHex(key).slice(0, 8)}…`;
}

export function libraryView(sources: LibrarySources): LibraryView {
  const { store, lan, lanOff } = sources;
  const title = (key: Uint8Array): string | undefined => {
    const stored = store.site(key)?.title;
    return stored === undefined || stored === '' ? undefined : stored;
  };
  const label = (key: Uint8Array): string => {
    const seq = store.localSeq(key);
    return `${title(key) ?? shortKey(key)}${seq === undefined ? '' : ` (v${seq.toString()})`}`;
  };
  const followed = store.follows().filter((entry) => entry.kind === 'site' && !store.isMuted(entry.key))
    .map((entry) => ({ id: `${SITE_ROW}:${toHex(entry.key)}`, label: label(entry.key), isNew: sources.newVersions.has(toHex(entry.key)) }));
  const own = store.sites().filter((site) => site.isOwn).map((site) => ({ id: `${SITE_ROW}:${toHex(site.key)}`, label: label(site.key) }));
  // The user's own blocks (a subscribed list's are lifted by unsubscribing), one row per key.
  const blocked = new Map<string, { key: Uint8Array; kinds: string[] }>();
  for (const entry of store.blocks()) {
    if (entry.listKey !== undefined) continue;
    const hex = toHex(entry.key);
    const known = blocked.get(hex) ?? { key: entry.key, kinds: [] };
    known.kinds.push(entry.kind);
    blocked.set(hex, known);
  }
  const nearby: LibraryEntry[] = [];
  for (const site of lan?.nearbySites() ?? []) {
    const key = fromHex(site.key, 32);
    if (key === undefined || store.isBlocked(key) || store.isMuted(key)) continue;
    const name = title(key) ?? (site.title === undefined || site.title === '' ? shortKey(key) : site.title);
    nearby.push({ id: `${SITE_ROW}:${site.key}`, label: `${name} (v${site.seq.toString()}) — ${site.nodes} node${site.nodes === 1 ? '' : 's'} nearby` });
  }
  return {
    followed,
    own,
    ...(lan === undefined && lanOff !== undefined ? { nearbyOff: lanOff } : { nearby }),
    blocked: [
      ...[...blocked].map(([hex, entry]) => ({ id: `${BLOCKED_ROW}:${hex}`, label: `${title(entry.key) ?? shortKey(entry.key)} (${entry.kinds.sort().join(' and ')})` })),
      ...store.blockListStatus().map((list) => ({
        id: `${LIST_ROW}:${toHex(list.listKey)}`,
        label: `Block list of ${title(list.listKey) ?? shortKey(list.listKey)}: ${list.entries} block${list.entries === 1 ? '' : 's'}${list.problem === undefined ? '' : ` (${list.problem})`}`,
        lift: 'Unsubscribe',
      })),
      ...store.mutes().map((muted) => ({ id: `${MUTED_ROW}:${toHex(muted.key)}`, label: `${title(muted.key) ?? shortKey(muted.key)} (muted)`, lift: 'Unmute' })),
    ],
    ...(sources.search === undefined ? {} : { search: sources.search }),
  };
}
