/**
 * Reading in the window: the presenter between the main window and the app's node. An
 * address typed, pasted or clicked is resolved and fetched through the node while the
 * status line and the progress bar say what happens (resolving, peers, % downloaded); the
 * page is the item's body drawn by the renderer, with "Next →" and the replies the store
 * knows. Offline, the last stored version is shown with "stored copy, version N, from …".
 * Back, forward and reload go over the addresses shown (back and forward show the exact
 * version seen before, from the store). Follow, unfollow, block, mute, subscribing to its
 * block list (social-actions.ts) and reply act on the site of the page shown (a muted site's
 * page opens with a notice); a page of one of the reader's own sites can be edited (its file in the
 * site folder opens in the editor); the library lists followed and own sites, the sites LAN
 * neighbours announce and the blocks (with unblock), and searches the store. A version picked
 * in the site information's history is shown from the store, never fetched.
 *
 * Ownership: the window, the node and the layout function are the caller's. JS thread only.
 */
import { assertNever } from '../core/assert-never.js';
import { formatAddress, parseAddress, parseTypedAddress, resolveReference, type SwarmAddress } from '../core/address.js';
import { bytesEqual, fromHex, toHex } from '../core/bytes.js';
import { decodeSitePointer } from '../core/bep46.js';
import { decodeItem, type Item } from '../core/item.js';
import type { LayoutPlan } from '../render/layout.js';
import { folderSiteFiles } from '../render/site-files.js';
import type { Store } from '../store/store.js';
import type { FetchProgress, NodeEvent, Resolved } from '../net/site-node.js';
import type { LibraryEntry, MainWindow } from '../widgets/main-window.js';
import type { AppNode } from './app-node.js';
import { presentError } from './messages.js';
import { escapeInline, itemMarkdown, pageMarkdown, type ReplyLine } from './reader-page.js';
import { libraryView, shortKey, SITE_ROW } from './library-view.js';
import { isHidden, isListedHit, liftLibraryRow, mutedNotice, toggleBlockList, toggleMute } from './social-actions.js';
import { openAddress, ownSiteName, pageFile, type PageEntry } from './site-pages.js';
import { localTime } from './when.js';

/** How long a page may take to download before the reader is told it was not found. */
const FETCH_TIMEOUT_MS = 60_000;
/** LAN neighbours' changes reach the library at most this often (STYLE.md: ≤ 1 UI update per 100 ms per view). */
const LIBRARY_COALESCE_MS = 250;

/** What the reply action hands to the editor. */
export interface ReplyTarget {
  readonly id: Uint8Array;
  readonly title: string;
  readonly href: string;
}

/** How long the whole of a long page waits for its first screens to be painted, at most (a hidden window may not paint). */
const FIRST_SCREENS_PAINT_WAIT_MS = 500;

export interface ReaderOptions {
  readonly window: MainWindow;
  readonly node: AppNode;
  /** Markdown -> layout plan, off the UI thread (a PlanWorker). */
  readonly layout: (source: string) => Promise<LayoutPlan>;
  /**
   * Like `layout`, but a long page's first screens are handed to `onFirstScreens` first and
   * the whole page laid out once that settles (PlanWorker.layoutInStages). Without it, pages
   * are laid out whole.
   */
  readonly layoutInStages?: (source: string, onFirstScreens: (plan: LayoutPlan) => Promise<void>) => Promise<LayoutPlan>;
  /** Kiosk: the site opened is followed and a new version is shown as soon as it arrives. */
  readonly kiosk?: boolean;
  /** Says why an address the reader asked for is not opened (kiosk.ts), or undefined to open it. */
  readonly refuse?: (address: string) => string | undefined;
  readonly onReply?: (target: ReplyTarget) => void;
  /** Called once a page of a site was first painted (automation: benchmarks time it). */
  readonly onPageShown?: (page: { readonly address: string; readonly title: string; readonly source: Resolved['source'] }) => void;
  /** The reader asked to edit page `path` of their own site `site`. */
  readonly onEdit?: (target: { readonly site: string; readonly path: string }) => void;
  /** The stored page of the address the app was started with, composed while Qt loaded: the first navigation there shows it. */
  readonly prepared?: PreparedPage;
}

interface HistoryEntry {
  readonly address: string;
  /** The version shown there (back and forward show it again). */
  infohash?: Uint8Array;
}

interface Shown {
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

function describeProgress(progress: FetchProgress): string {
  const peers = `${progress.peers} peer${progress.peers === 1 ? '' : 's'}`;
  if (progress.progress <= 0 && progress.peers === 0) return 'finding peers…';
  return `${peers}, ${Math.floor(progress.progress * 100)}% downloaded`;
}

export class Reader {
  /** The options, but for `prepared`: held in #prepared until taken, and not after. */
  readonly #options: Omit<ReaderOptions, 'prepared'>;
  readonly #window: MainWindow;
  readonly #history: HistoryEntry[] = [];
  #index = -1;
  #token = 0;
  #shown: Shown | undefined;
  /** Followed sites (hex keys) with a version newer than the reader last opened. */
  readonly #newVersions = new Set<string>();
  #lastSearch: { query: string; results: LibraryEntry[] } | undefined;
  /** Stops listening to LAN neighbours (set once the node's LAN discovery is listened to). */
  #lanListening: (() => void) | undefined;
  #libraryTimer: NodeJS.Timeout | undefined;
  /** ReaderOptions.prepared until the first navigation takes it (or not). */
  #prepared: PreparedPage | undefined;

  constructor({ prepared, ...options }: ReaderOptions) {
    this.#options = options;
    this.#window = options.window;
    this.#prepared = prepared;
    options.node.onEvent((event) => {
      this.#handleNodeEvent(event);
    });
  }

  /** The page shown by the reader, if the window shows one of a site. */
  get shown(): Shown | undefined {
    return this.#shown;
  }

  /**
   * Shows version `infohash` of the site shown, from the store (offline, with the "stored
   * copy, version N" notice): the same page if that version has it, else its home page.
   * A new entry in the history.
   */
  openVersion(infohash: Uint8Array): void {
    const shown = this.#shown;
    const store = this.#options.node.node?.store;
    if (shown?.siteKey === undefined || store === undefined) return;
    const version = store.version(infohash);
    if (version === undefined || !bytesEqual(version.siteKey, shown.siteKey)) {
      this.#window.setStatus('That version is no longer stored here.');
      return;
    }
    // The site's address (a fixed version shown is named by its site's key): the history's notice says which version it is.
    const base: SwarmAddress = shown.address.kind === 'mutable' ? shown.address : { kind: 'mutable', publicKey: shown.siteKey, salt: new Uint8Array(0), path: shown.address.path, fragment: '' };
    const address: SwarmAddress = { ...base, fragment: '', ...(store.versionPage(infohash, shown.address.path) === undefined ? { path: '' } : {}) };
    void this.#open(formatAddress(address), 'push', infohash, true);
  }

  /** Opens what the reader typed or clicked; a new entry in the history. */
  navigate(text: string): void {
    const refusal = this.#options.refuse?.(text);
    if (refusal !== undefined) {
      this.#window.setStatus(refusal);
      return;
    }
    void this.#open(text, 'push');
  }

  back(): void {
    if (this.#index <= 0) return;
    this.#index -= 1;
    void this.#open(this.#history[this.#index]?.address ?? '', 'keep', this.#history[this.#index]?.infohash);
  }

  forward(): void {
    if (this.#index >= this.#history.length - 1) return;
    this.#index += 1;
    void this.#open(this.#history[this.#index]?.address ?? '', 'keep', this.#history[this.#index]?.infohash);
  }

  /** Resolves the address shown again (a newer version, if there is one). */
  reload(): Promise<void> {
    const entry = this.#history[this.#index];
    if (entry === undefined) return Promise.resolve();
    return this.#open(entry.address, 'keep');
  }

  /** Link number `index` of the page the reader shows. */
  link(index: number): void {
    const shown = this.#shown;
    const target = shown?.plan.links[index]?.target;
    if (shown === undefined || target === undefined) return;
    switch (target.kind) {
      case 'swarm':
        this.navigate(target.href);
        return;
      case 'relative': {
        const resolved = resolveReference(shown.address, `${target.path}${target.fragment === '' ? '' : `#${target.fragment}`}`);
        if (!resolved.ok) this.#window.setStatus(`This link is not followed: ${resolved.error.message}.`);
        else this.navigate(formatAddress({ ...resolved.value, fragment: '' }));
        return;
      }
      case 'fragment':
        return;
      case 'external':
        this.#window.setStatus(`Web link (not opened): ${target.display}`);
        return;
      case 'inert':
        this.#window.setStatus(`This link is not followed: ${target.reason}.`);
        return;
    }
  }

  /** Follows the site shown, or unfollows it when it is followed. */
  toggleFollow(): void {
    const key = this.#shown?.siteKey;
    const node = this.#options.node.node;
    if (key === undefined || node === undefined || this.#options.kiosk === true) return;
    const store = node.store;
    if (store.isFollowing('site', key)) {
      store.unfollow('site', key);
      this.#window.setStatus(`No longer following ${store.site(key)?.title ?? shortKey(key)}.`);
    } else {
      store.noteSite({ key, origin: 'follow' });
      store.follow('site', key);
      this.#window.setStatus(`Following ${store.site(key)?.title ?? shortKey(key)}: new versions are fetched and seeded by this app.`);
    }
    this.#showActions();
    this.refreshLibrary();
  }

  /** Blocks the site shown (and its author): not shown, fetched, stored or seeded. */
  async block(): Promise<void> {
    const shown = this.#shown;
    const key = shown?.siteKey;
    const node = this.#options.node.node;
    if (shown === undefined || key === undefined || node === undefined || this.#options.kiosk === true) return;
    const store = node.store;
    const title = store.site(key)?.title ?? shortKey(key);
    store.block('site', key);
    store.block('author', key);
    store.unfollow('site', key);
    const dropped = await node.dropSite(key);
    this.#shown = undefined;
    await this.#showMessage(shown.text, `# Blocked\n\n${escapeInline(title)} (${toHex(key)}) is blocked: it is not shown, fetched or seeded${dropped > 0 ? ` (stopped seeding ${dropped} version${dropped === 1 ? '' : 's'})` : ''}.\n`);
    this.#showActions();
    this.#window.setStatus(`Blocked ${title}: the library lists it, with Unblock.`);
    this.refreshLibrary();
  }

  /** Opens the editor on a reply to the item shown. */
  reply(): void {
    const shown = this.#shown;
    if (shown === undefined || this.#options.kiosk === true) return;
    this.#options.onReply?.({ id: shown.item.id, title: shown.item.title, href: shown.text });
  }

  /** Lifts a row of the library's Blocked section: a block, a mute or a block list subscription. */
  unblock(id: string): void {
    const node = this.#options.node.node;
    const message = node === undefined ? undefined : liftLibraryRow(node.store, id);
    if (message === undefined) return;
    this.#window.setStatus(message);
    this.#showActions();
    this.refreshLibrary();
    // The page shown loses its muted notice.
    const shown = this.#shown;
    if (shown?.siteKey !== undefined && id.endsWith(`:${toHex(shown.siteKey)}`)) void this.reload().then(() => { this.#window.setStatus(message); });
  }

  /** Mutes the site shown, or unmutes it; the page is shown again with (or without) the notice. */
  toggleMute(): void {
    const key = this.#shown?.siteKey;
    const node = this.#options.node.node;
    if (key === undefined || node === undefined || this.#options.kiosk === true) return;
    const message = toggleMute(node.store, key);
    void this.reload().then(() => { this.#window.setStatus(message); });
  }

  /** Subscribes to the block list of the site shown, or unsubscribes from it. */
  async toggleBlockList(): Promise<void> {
    const key = this.#shown?.siteKey;
    const node = this.#options.node.node;
    if (key === undefined || node === undefined || this.#options.kiosk === true) return;
    this.#window.setStatus(await toggleBlockList(node, key));
    this.#showActions();
    this.refreshLibrary();
  }

  /** Opens the editor on the page shown, when it is a page of one of the reader's own sites. */
  edit(): void {
    const target = this.#editTarget();
    if (target === undefined) {
      if (this.#shown !== undefined && this.#options.kiosk !== true) this.#window.setStatus('Only pages of your own sites, from their folders on this computer, can be edited.');
      return;
    }
    this.#options.onEdit?.(target);
  }

  /** The own site and path of the page shown, when it can be edited here. */
  #editTarget(): { site: string; path: string } | undefined {
    const shown = this.#shown;
    const node = this.#options.node.node;
    if (shown?.siteKey === undefined || node === undefined || this.#options.kiosk === true || shown.item.body.kind !== 'text') return undefined;
    const site = ownSiteName(node, shown.siteKey);
    if (site === undefined || pageFile(node, site, shown.path) === undefined) return undefined;
    return { site, path: shown.path };
  }

  /** Searches everything stored; the results are listed in the library. */
  search(query: string): void {
    const node = this.#options.node.node;
    if (node === undefined || query === '') {
      this.#lastSearch = undefined;
    } else {
      const hits = node.store.search(query, { limit: 30 }).filter((hit) => isListedHit(node.store, hit));
      this.#lastSearch = { query, results: hits.map((hit) => ({ id: `item:${toHex(hit.id)}`, label: `${hit.title === '' ? 'Untitled' : hit.title} — ${hit.snippet.replace(/\s+/g, ' ').slice(0, 80)}` })) };
    }
    this.refreshLibrary();
  }

  /** Opens an entry of the library (a site or a search result). */
  openLibraryEntry(id: string): void {
    const node = this.#options.node.node;
    if (node === undefined) return;
    const [kind, hex] = id.split(':');
    if (kind === SITE_ROW && hex !== undefined) {
      this.navigate(`bittorrent://${hex}`);
    } else if (kind === 'item' && hex !== undefined) {
      const itemId = fromHex(hex, 32);
      const place = itemId === undefined ? undefined : node.store.itemPlaces(itemId)[0];
      if (place === undefined) this.#window.setStatus('This item is not in any stored version.');
      else this.navigate(`bittorrent://${toHex(place.siteKey)}/${place.path.split('/').map(encodeURIComponent).join('/')}`);
    }
  }

  /** Hands the window the library's contents as the store has them now. */
  refreshLibrary(): void {
    const node = this.#options.node.node;
    if (node === undefined) return;
    const lan = node.lan;
    if (lan !== undefined && this.#lanListening === undefined) {
      this.#lanListening = lan.onNeighboursChanged(() => {
        this.#libraryTimer ??= setTimeout(() => {
          this.#libraryTimer = undefined;
          this.refreshLibrary();
        }, LIBRARY_COALESCE_MS);
      });
    }
    const view = libraryView({ store: node.store, lan, lanOff: this.#options.node.lanOff, newVersions: this.#newVersions, search: this.#lastSearch });
    this.#window.setLibrary(view);
  }

  /** Stops listening to the node (LAN neighbours, timers). */
  close(): void {
    this.#lanListening?.();
    clearTimeout(this.#libraryTimer);
    this.#libraryTimer = undefined;
  }

  async #open(text: string, history: 'push' | 'keep', version?: Uint8Array, fromHistory = false): Promise<void> {
    const window = this.#window;
    const parsed = parseTypedAddress(text);
    if (!parsed.ok) {
      window.setStatus(`'${text}' is not an address swarmpress opens: ${parsed.error.message}`);
      return;
    }
    const address = parsed.value;
    const canonical = formatAddress(address);
    if (history === 'push') {
      this.#history.splice(this.#index + 1, this.#history.length, { address: canonical });
      this.#index = this.#history.length - 1;
    }
    this.#showNavigation();
    const token = ++this.#token;
    const current = (): boolean => token === this.#token;
    window.setProgress('busy');
    window.setStatus(address.kind === 'mutable' ? `Resolving ${canonical}: asking the DHT for the newest version…` : `Opening version ${canonical}…`);
    const tried: string[] = [];
    /** The stored copy shown while the network was asked, if one was. */
    let earlyShown: Resolved | undefined;
    try {
      // A site stored here is shown at once, from the store alone (the swarm node may still
      // be starting), while the network is asked for a newer version: the DHT may take
      // seconds to answer, or never answer offline.
      const earlyStore = address.kind === 'mutable' && version === undefined ? this.#options.node.openStore() : undefined;
      const prepared = this.#takePrepared(canonical);
      const early = earlyStore === undefined || address.kind !== 'mutable' ? undefined : prepared ?? storedCopy(earlyStore, address);
      if (earlyStore !== undefined && early !== undefined) {
        await this.#showItem(earlyStore, address, canonical, early.resolved, early.entry, token, undefined, prepared?.composed);
        if (!current()) return;
        earlyShown = early.resolved;
        window.setProgress('busy');
        // The node starts once the page is on screen and what waited for that paint ran
        // (starting libtorrent takes ~60 ms of this thread).
        await new Promise<void>((resolve) => {
          window.onNextPaint(() => setTimeout(resolve, 0));
        });
        if (!current()) return;
      }
      const node = await this.#options.node.start();
      if (!current()) return;
      let opened: { resolved: Resolved; entry: PageEntry };
      const storedVersion = version === undefined ? undefined : node.store.version(version);
      const storedEntry = version === undefined || storedVersion === undefined ? undefined : node.store.versionPage(version, address.path);
      if (version !== undefined && storedEntry !== undefined && fromHistory) {
        const seq = node.store.siteVersions(storedVersion?.siteKey ?? new Uint8Array(32)).find((candidate) => bytesEqual(candidate.infohash, version))?.seq;
        opened = { resolved: { infohash: version, source: 'stored', ...(seq === undefined ? {} : { seq }), note: "from the site's history, not fetched" }, entry: storedEntry };
      } else if (version !== undefined && storedEntry !== undefined) {
        opened = { resolved: { infohash: version, source: 'infohash' }, entry: storedEntry };
      } else {
        opened = await openAddress(node, address, {
          timeoutMs: FETCH_TIMEOUT_MS,
          onResolved: (resolved) => {
            tried.push(resolved.source === 'dht' || resolved.source === 'lan' ? `the ${resolved.source === 'dht' ? 'DHT' : 'LAN'} answered with version ${resolved.seq?.toString() ?? '?'}` : resolved.source === 'stored' ? `the DHT: ${resolved.note ?? 'no answer'}; used the stored record` : 'opened by its infohash');
            if (current() && (earlyShown === undefined || !bytesEqual(earlyShown.infohash, resolved.infohash))) window.setStatus(`Downloading ${resolved.seq === undefined ? 'the version' : `version ${resolved.seq.toString()}`}: finding peers…`);
          },
          onProgress: (progress) => {
            if (!current()) return;
            window.setProgress(progress.progress > 0 ? progress.progress : 'busy');
            window.setStatus(`Downloading: ${describeProgress(progress)}`);
          },
        });
      }
      if (!current()) return;
      const entry = this.#history[this.#index];
      if (entry !== undefined && entry.address === canonical) entry.infohash = opened.resolved.infohash;
      if (earlyShown !== undefined && bytesEqual(earlyShown.infohash, opened.resolved.infohash) && this.#shown !== undefined) {
        // The stored copy is the newest: only what the status line says changes.
        window.setProgress(undefined);
        this.#showStatus(node.store, opened.resolved, this.#shown.siteKey);
        return;
      }
      await this.#showItem(node.store, address, canonical, opened.resolved, opened.entry, token);
    } catch (error) {
      if (!current()) return;
      const message = presentError(error).message;
      if (earlyShown !== undefined && this.#shown !== undefined) {
        // The stored copy stays; the status line says why it is the one shown.
        window.setProgress(undefined);
        this.#showStatus(this.#options.node.node?.store, { ...earlyShown, note: message }, this.#shown.siteKey);
        return;
      }
      window.setProgress(undefined);
      this.#shown = undefined;
      this.#showActions();
      const lines = tried.length === 0 ? '' : `\n\nWhat was tried:\n\n${tried.map((line) => `- ${escapeInline(line)}`).join('\n')}\n`;
      await this.#showMessage(canonical, `# Not found\n\n${escapeInline(canonical)}\n\n${escapeInline(message)}${lines}`);
      window.setStatus(`Nothing shown: ${message}`);
    }
  }

  /** The prepared page, once, if it is the page of `canonical`. */
  #takePrepared(canonical: string): PreparedPage | undefined {
    const prepared = this.#prepared;
    this.#prepared = undefined;
    return prepared?.canonical === canonical ? prepared : undefined;
  }

  /** Shows `entry`; `replacing`: only if that page is still the one shown once laid out (a refresh of its thread). */
  async #showItem(store: Store, address: SwarmAddress, canonical: string, resolved: Resolved, entry: PageEntry, token: number, replacing?: Shown, composed = composePage(store, resolved, entry)): Promise<void> {
    const { item, siteKey, source, files } = composed;
    const onPageShown = this.#options.onPageShown;
    /** What this call showed last (the first screens of a long page), else what it replaces. */
    let current: Shown | undefined = replacing;
    const stale = (): boolean => token !== this.#token || (current !== undefined && this.#shown !== current);
    const present = (plan: LayoutPlan, announce: boolean): void => {
      current = { address, text: canonical, plan, infohash: resolved.infohash, resolved, siteKey, item, path: entry.path };
      this.#shown = current;
      this.#window.showPage(plan, canonical, {
        ...(files === undefined ? {} : { files }),
        ...(onPageShown === undefined || !announce ? {} : { onFirstPaint: () => { onPageShown({ address: canonical, title: item.title, source: resolved.source }); } }),
      });
    };
    let announced = false;
    const staged = replacing === undefined ? this.#options.layoutInStages : undefined;
    const plan = staged === undefined
      ? await this.#options.layout(source)
      : await staged(source, async (head) => {
        // A long page (a site's index of 1,000 posts): its top is on screen while the rest is lexed.
        if (stale()) return;
        present(head, true);
        announced = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, FIRST_SCREENS_PAINT_WAIT_MS);
          this.#window.onNextPaint(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      });
    if (stale()) return;
    present(plan, !announced);
    if (siteKey !== undefined) {
      this.#newVersions.delete(toHex(siteKey));
      store.touchSite(siteKey);
    }
    this.#window.setProgress(undefined);
    this.#showActions();
    this.#showStatus(store, resolved, siteKey);
    if (this.#options.kiosk === true && siteKey !== undefined && address.kind === 'mutable' && !store.isFollowing('site', siteKey)) {
      store.noteSite({ key: siteKey, origin: 'follow' });
      store.follow('site', siteKey);
    }
    this.refreshLibrary();
  }

  /** What the status line says about the version shown and how it was found. */
  #showStatus(store: Store | undefined, resolved: Resolved, siteKey: Uint8Array | undefined): void {
    const version = store?.version(resolved.infohash);
    const seq = resolved.seq?.toString() ?? '?';
    const made = version === undefined ? '' : localTime(version.createdMs);
    switch (resolved.source) {
      case 'stored':
        this.#window.setStatus(`stored copy, version ${seq}, from ${made} (${resolved.note ?? 'the network did not answer'})`);
        break;
      case 'dht':
      case 'lan':
        this.#window.setStatus(`Version ${seq} of ${(siteKey === undefined ? undefined : store?.site(siteKey)?.title) ?? 'this site'}, from ${made}${resolved.source === 'lan' ? ' (from a LAN neighbour)' : ''}.`);
        break;
      case 'infohash':
        this.#window.setStatus(`A fixed version${made === '' ? '' : `, from ${made}`}.`);
        break;
      default:
        assertNever(resolved.source, 'resolve source');
    }
  }

  async #showMessage(address: string, markdown: string): Promise<void> {
    const plan = await this.#options.layout(markdown);
    this.#window.showPage(plan, address);
  }

  #showNavigation(): void {
    this.#window.setNavigation({ canBack: this.#index > 0, canForward: this.#index < this.#history.length - 1 });
  }

  #showActions(): void {
    const shown = this.#shown;
    const store = this.#options.node.node?.store;
    if (shown?.siteKey === undefined || store === undefined || this.#options.kiosk === true) {
      this.#window.setSiteActions(undefined);
      return;
    }
    const own = store.site(shown.siteKey)?.isOwn === true;
    this.#window.setSiteActions({
      following: store.isFollowing('site', shown.siteKey), canBlock: !own, canReply: shown.item.body.kind === 'text', canEdit: this.#editTarget() !== undefined,
      muted: store.isMuted(shown.siteKey), subscribedList: store.blockLists().some((key) => bytesEqual(key, shown.siteKey ?? key)),
    });
  }

  #handleNodeEvent(event: NodeEvent): void {
    if (event.event === 'reply') {
      void this.#refreshThread(event);
      return;
    }
    if (event.event !== 'updated' || typeof event['key'] !== 'string') return;
    const hex = event['key'];
    const shown = this.#shown;
    const isShown = shown?.siteKey !== undefined && toHex(shown.siteKey) === hex;
    // The version shown already (it arrived by two ways at once: opened, and pushed by a peer).
    if (isShown && event['infohash'] === toHex(shown.infohash)) return;
    if (isShown && this.#options.kiosk === true) {
      void this.reload();
      return;
    }
    this.#newVersions.add(hex);
    this.refreshLibrary();
    if (isShown) this.#window.setStatus(`Version ${typeof event['seq'] === 'string' ? event['seq'] : '?'} of this site arrived: press F5 to show it.`);
  }

  /** A reply to the item shown was verified (site-replies.ts): the page is shown again with its thread. */
  async #refreshThread(event: NodeEvent): Promise<void> {
    const shown = this.#shown;
    const store = this.#options.node.node?.store;
    if (shown === undefined || store === undefined || event['target'] !== toHex(shown.item.id)) return;
    try {
      await this.#showItem(store, shown.address, shown.text, shown.resolved, { id: shown.item.id, path: shown.path }, this.#token, shown);
    } catch {
      return; // the page is gone from the store meanwhile: what is shown stays
    }
    const now = this.#shown;
    if (now !== shown && now !== undefined && bytesEqual(now.item.id, shown.item.id)) this.#window.setStatus(`A reply arrived: ${event.message}`);
  }
}

/** A page's Markdown as the reader shows it (the item, its `next`, the thread of replies, a muted notice), from the store. */
interface ComposedPage {
  readonly item: Item;
  readonly siteKey: Uint8Array | undefined;
  readonly source: string;
  readonly files: ReturnType<typeof folderSiteFiles> | undefined;
}

function composePage(store: Store, resolved: Resolved, entry: PageEntry): ComposedPage {
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
      ...(place === undefined ? {} : { href: `bittorrent://${toHex(place.siteKey)}/${place.path.split('/').map(encodeURIComponent).join('/')}` }),
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
export function prepareStoredPage(node: AppNode, text: string, onSource: (source: string) => void): PreparedPage | undefined {
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
function storedCopy(store: Store, address: Extract<SwarmAddress, { kind: 'mutable' }>): { resolved: Resolved; entry: PageEntry } | undefined {
  if (store.isBlocked(address.publicKey)) return undefined;
  const record = store.latestRecord(address.publicKey, address.salt);
  const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
  if (record === undefined || pointer === undefined || !pointer.ok) return undefined;
  const entry = store.versionPage(pointer.value, address.path);
  if (entry === undefined) return undefined;
  return { resolved: { infohash: pointer.value, key: address.publicKey, seq: record.seq, source: 'stored', note: 'asking the network for a newer version…' }, entry };
}
