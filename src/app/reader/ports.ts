/**
 * The reader's two seams: what it calls on the window ({@link ReaderView}) and what it
 * reads and asks of the node ({@link ReaderNode}). The window (MainWindow) and the app's
 * node (AppNode, through {@link readerNode}) implement them; the presenter tests implement
 * them over a real store with no window and no network.
 */
import type { SwarmAddress } from '../../core/address.js';
import type { Item } from '../../core/item.js';
import type { LanLink } from '../../net/lan-link.js';
import type { NodeEvent } from '../../net/node/events.js';
import type { FetchProgress, Resolved } from '../../net/node/site-node.js';
import type { LayoutPlan } from '../../render/layout.js';
import type { Store } from '../../store/store.js';
import type { LibraryView, NavigationState, ShowPageOptions, SiteActions } from '../../widgets/main-window.js';
import type { AppNode } from '../app-node.js';
import { toggleBlockList } from '../social-actions.js';
import { openAddress, ownSiteName, pageFile, type OpenedPage } from '../site-pages.js';

/** What the reader shows in the window. */
export interface ReaderView {
  showPage(plan: LayoutPlan, address: string, options?: ShowPageOptions): void;
  setStatus(text: string): void;
  setProgress(progress: number | 'busy' | undefined): void;
  setNavigation(state: NavigationState): void;
  setSiteActions(actions: SiteActions | undefined): void;
  setLibrary(view: LibraryView): void;
  /** Calls `handler` once, after the window next painted. */
  onNextPaint(handler: () => void): void;
}

/** LAN discovery as the library lists it. */
export type NearbySites = Pick<LanLink, 'nearbySites' | 'onNeighboursChanged'>;

/** How the page an address names is opened through the network. */
export interface OpenOptions {
  readonly timeoutMs: number;
  readonly onResolved?: (resolved: Resolved) => void;
  readonly onProgress?: (progress: FetchProgress) => void;
}

/** What the reader needs of the node: the store, opening pages, and the node's events. */
export interface ReaderNode {
  /** The data folder's store, opened now if the node does not run yet; undefined when it cannot be opened. */
  openStore(): Store | undefined;
  /** The store once the node runs (the reader's actions wait for it). */
  readonly store: Store | undefined;
  /** Starts the node if need be; its store. Rejects with why it cannot run. */
  start(): Promise<Store>;
  /** Resolves, fetches and verifies the version `address` names (site-pages.ts openAddress), the node started. */
  open(address: SwarmAddress, options: OpenOptions): Promise<OpenedPage>;
  /** Stops seeding and forgets the versions of a blocked site; how many were dropped. */
  dropSite(key: Uint8Array): Promise<number>;
  /** Subscribes to site `key`'s block list or unsubscribes (social-actions.ts); the status line's sentence. */
  toggleBlockList(key: Uint8Array): Promise<string>;
  /** The name of the reader's own site `key` when page `path` is a file of its folder here. */
  ownPageSite(key: Uint8Array, path: string): string | undefined;
  /** LAN discovery, when it runs. */
  readonly lan: NearbySites | undefined;
  /** Why LAN discovery does not run, if it does not (AppNode.lanOff). */
  readonly lanOff: string | undefined;
  /** Calls `listener` with every event of the node; returns what stops that. */
  onEvent(listener: (event: NodeEvent) => void): () => void;
}

/** The app's node as the reader sees it. */
export function readerNode(app: AppNode): ReaderNode {
  return {
    openStore: () => app.openStore(),
    get store() {
      return app.node?.store;
    },
    start: async () => (await app.start()).store,
    open: async (address, options) => openAddress(await app.start(), address, options),
    dropSite: async (key) => (app.node === undefined ? 0 : app.node.dropSite(key)),
    toggleBlockList: async (key) => toggleBlockList(await app.start(), key),
    ownPageSite: (key, path) => {
      const node = app.node;
      const site = node === undefined ? undefined : ownSiteName(node, key);
      return node === undefined || site === undefined || pageFile(node, site, path) === undefined ? undefined : site;
    },
    get lan() {
      return app.node?.lan;
    },
    get lanOff() {
      return app.lanOff;
    },
    onEvent: (listener) => app.onEvent(listener),
  };
}

/** The page the reader shows, when it is a page of a site. */
export interface ShownPage {
  readonly address: SwarmAddress;
  readonly text: string;
  readonly plan: LayoutPlan;
  readonly infohash: Uint8Array;
  readonly resolved: Resolved;
  readonly siteKey: Uint8Array | undefined;
  readonly item: Item;
  /** The page's path in its version. */
  readonly path: string;
}
