/**
 * The reader's library: followed and own sites (marked when a newer version arrived), the
 * sites LAN neighbours announce (their changes coalesced), the blocks, and a search of
 * everything stored; an entry opens through the reader's navigation.
 */
import { fromHex, toHex } from '../../core/bytes.js';
import type { LibraryEntry } from '../../widgets/main-window.js';
import { libraryView, SITE_ROW } from '../library-view.js';
import { isListedHit } from '../social-actions.js';
import { placeAddress } from './compose.js';
import type { ReaderNode, ReaderView } from './ports.js';

/** LAN neighbours' changes reach the library at most this often (STYLE.md: ≤ 1 UI update per 100 ms per view). */
const LIBRARY_COALESCE_MS = 250;

export class ReaderLibrary {
  readonly #view: ReaderView;
  readonly #node: ReaderNode;
  readonly #navigate: (address: string) => void;
  /** Followed sites (hex keys) with a version newer than the reader last opened. */
  readonly #newVersions = new Set<string>();
  #lastSearch: { query: string; results: LibraryEntry[] } | undefined;
  /** Stops listening to LAN neighbours (set once the node's LAN discovery is listened to). */
  #lanListening: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(view: ReaderView, node: ReaderNode, navigate: (address: string) => void) {
    this.#view = view;
    this.#node = node;
    this.#navigate = navigate;
  }

  /** A version of site `hex` newer than the one last opened arrived. */
  markNew(hex: string): void {
    this.#newVersions.add(hex);
  }

  /** The reader opened site `hex`: it is no longer marked. */
  markSeen(hex: string): void {
    this.#newVersions.delete(hex);
  }

  /** Searches everything stored; the results are listed in the library. */
  search(query: string): void {
    const store = this.#node.store;
    if (store === undefined || query === '') {
      this.#lastSearch = undefined;
    } else {
      const hits = store.search(query, { limit: 30 }).filter((hit) => isListedHit(store, hit));
      this.#lastSearch = { query, results: hits.map((hit) => ({ id: `item:${toHex(hit.id)}`, label: `${hit.title === '' ? 'Untitled' : hit.title} — ${hit.snippet.replace(/\s+/g, ' ').slice(0, 80)}` })) };
    }
    this.refresh();
  }

  /** Opens an entry of the library (a site or a search result). */
  open(id: string): void {
    const store = this.#node.store;
    if (store === undefined) return;
    const [kind, hex] = id.split(':');
    if (kind === SITE_ROW && hex !== undefined) {
      this.#navigate(`bittorrent://${hex}`);
    } else if (kind === 'item' && hex !== undefined) {
      const itemId = fromHex(hex, 32);
      const place = itemId === undefined ? undefined : store.itemPlaces(itemId)[0];
      if (place === undefined) this.#view.setStatus('This item is not in any stored version.');
      else this.#navigate(placeAddress(place));
    }
  }

  /** Hands the window the library's contents as the store has them now. */
  refresh(): void {
    const store = this.#node.store;
    if (store === undefined) return;
    const lan = this.#node.lan;
    if (lan !== undefined && this.#lanListening === undefined) {
      this.#lanListening = lan.onNeighboursChanged(() => {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.refresh();
        }, LIBRARY_COALESCE_MS);
      });
    }
    this.#view.setLibrary(libraryView({ store, lan, lanOff: this.#node.lanOff, newVersions: this.#newVersions, search: this.#lastSearch }));
  }

  /** Stops listening to LAN neighbours and the coalescing timer. */
  close(): void {
    this.#lanListening?.();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
