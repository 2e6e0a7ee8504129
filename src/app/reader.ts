/**
 * Reading in the window: the presenter between the window ({@link ReaderView}) and the
 * app's node ({@link ReaderNode}). An address typed, pasted or clicked is resolved and
 * fetched through the node while the status line and the progress bar say what happens
 * (resolving, peers, % downloaded); the page is the item's body drawn by the renderer,
 * with "Next →" and the replies the store knows (reader/compose.ts). Offline, the last stored
 * version is shown with "stored copy, version N, from …". Back, forward and reload go over
 * the addresses shown (reader/history.ts: back and forward show the exact version seen before,
 * from the store). The site actions (reader/site-actions.ts) act on the site of the page shown;
 * the library (reader/library.ts) lists followed, own and nearby sites, the blocks, and searches
 * the store. A version picked in the site information's history is shown from the store,
 * never fetched. A new version of the site shown, or a reply to its item, arrives as a node
 * event (handleNodeEvent).
 *
 * Ownership: the view, the node and the layout function are the caller's. JS thread only.
 */
import { assertNever } from '../core/assert-never.js';
import { formatAddress, parseTypedAddress, resolveReference, type SwarmAddress } from '../core/address.js';
import { bytesEqual, toHex } from '../core/bytes.js';
import { describeEvent, type NodeEvent } from '../net/node/events.js';
import type { FetchProgress, Resolved } from '../net/node/site-node.js';
import type { LayoutPlan } from '../render/layout.js';
import type { Store } from '../store/store.js';
import { presentError } from './messages.js';
import { escapeInline } from './reader-page.js';
import type { PageEntry } from './site-pages.js';
import { localTime } from './when.js';
import { composePage, storedCopy, type PreparedPage } from './reader/compose.js';
import { History } from './reader/history.js';
import { ReaderLibrary } from './reader/library.js';
import { followLink } from './reader/links.js';
import type { ReaderNode, ReaderView, ShownPage } from './reader/ports.js';
import { ReaderSiteActions, type ReplyTarget } from './reader/site-actions.js';

export { prepareStoredPage, type PreparedPage } from './reader/compose.js';
export { readerNode, type ReaderNode, type ReaderView, type ShownPage } from './reader/ports.js';
export type { ReplyTarget } from './reader/site-actions.js';

/** How long a page may take to download before the reader is told it was not found. */
const FETCH_TIMEOUT_MS = 60_000;
/** How long the whole of a long page waits for its first screens to be painted, at most (a hidden window may not paint). */
const FIRST_SCREENS_PAINT_WAIT_MS = 500;

export interface ReaderOptions {
  readonly view: ReaderView;
  readonly node: ReaderNode;
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

function describeProgress(progress: FetchProgress): string {
  const peers = `${progress.peers} peer${progress.peers === 1 ? '' : 's'}`;
  if (progress.progress <= 0 && progress.peers === 0) return 'finding peers…';
  return `${peers}, ${Math.floor(progress.progress * 100)}% downloaded`;
}

export class Reader {
  /** The options, but for `prepared`: held in #prepared until taken, and not after. */
  readonly #options: Omit<ReaderOptions, 'prepared'>;
  readonly #window: ReaderView;
  readonly #node: ReaderNode;
  readonly #history = new History();
  readonly #library: ReaderLibrary;
  readonly #actions: ReaderSiteActions;
  readonly #forgetEvents: () => void;
  #token = 0;
  #shown: ShownPage | undefined;
  /** ReaderOptions.prepared until the first navigation takes it (or not). */
  #prepared: PreparedPage | undefined;

  constructor({ prepared, ...options }: ReaderOptions) {
    this.#options = options;
    this.#window = options.view;
    this.#node = options.node;
    this.#prepared = prepared;
    this.#library = new ReaderLibrary(options.view, options.node, (address) => {
      this.navigate(address);
    });
    this.#actions = new ReaderSiteActions({
      view: options.view,
      node: options.node,
      kiosk: options.kiosk === true,
      onReply: options.onReply,
      onEdit: options.onEdit,
      shown: () => this.#shown,
      replaceShown: async (address, markdown) => {
        this.#shown = undefined;
        await this.#showMessage(address, markdown);
      },
      reload: () => this.reload(),
      refreshLibrary: () => {
        this.refreshLibrary();
      },
    });
    this.#forgetEvents = options.node.onEvent((event) => {
      this.#handleNodeEvent(event);
    });
  }

  /** The page shown by the reader, if the window shows one of a site. */
  get shown(): ShownPage | undefined {
    return this.#shown;
  }

  /** The site actions on the page shown (follow, block, mute, block list, reply, edit, unblock). */
  get actions(): ReaderSiteActions {
    return this.#actions;
  }

  /**
   * Shows version `infohash` of the site shown, from the store (offline, with the "stored
   * copy, version N" notice): the same page if that version has it, else its home page.
   * A new entry in the history.
   */
  openVersion(infohash: Uint8Array): void {
    const shown = this.#shown;
    const store = this.#node.store;
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
    const entry = this.#history.back();
    if (entry !== undefined) void this.#open(entry.address, 'keep', entry.infohash);
  }

  forward(): void {
    const entry = this.#history.forward();
    if (entry !== undefined) void this.#open(entry.address, 'keep', entry.infohash);
  }

  /** Resolves the address shown again (a newer version, if there is one). */
  reload(): Promise<void> {
    const entry = this.#history.current;
    if (entry === undefined) return Promise.resolve();
    return this.#open(entry.address, 'keep');
  }

  /** Link number `index` of the page the reader shows. */
  link(index: number): void {
    const shown = this.#shown;
    const target = shown?.plan.links[index]?.target;
    if (shown === undefined || target === undefined) return;
    followLink(target, {
      openSwarm: (href) => {
        this.navigate(href);
      },
      openRelative: (relative) => {
        const resolved = resolveReference(shown.address, `${relative.path}${relative.fragment === '' ? '' : `#${relative.fragment}`}`);
        if (!resolved.ok) this.#window.setStatus(`This link is not followed: ${resolved.error.message}.`);
        else this.navigate(formatAddress({ ...resolved.value, fragment: '' }));
      },
      setStatus: (text) => {
        this.#window.setStatus(text);
      },
    });
  }

  /** Searches everything stored; the results are listed in the library. */
  search(query: string): void {
    this.#library.search(query);
  }

  /** Opens an entry of the library (a site or a search result). */
  openLibraryEntry(id: string): void {
    this.#library.open(id);
  }

  /** Hands the window the library's contents as the store has them now. */
  refreshLibrary(): void {
    this.#library.refresh();
  }

  /** Stops listening to the node (its events, LAN neighbours, timers). */
  close(): void {
    this.#forgetEvents();
    this.#library.close();
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
    if (history === 'push') this.#history.push(canonical);
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
      const earlyStore = address.kind === 'mutable' && version === undefined ? this.#node.openStore() : undefined;
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
      const store = await this.#node.start();
      if (!current()) return;
      let opened: { resolved: Resolved; entry: PageEntry };
      const storedVersion = version === undefined ? undefined : store.version(version);
      const storedEntry = version === undefined || storedVersion === undefined ? undefined : store.versionPage(version, address.path);
      if (version !== undefined && storedEntry !== undefined && fromHistory) {
        const seq = store.siteVersions(storedVersion?.siteKey ?? new Uint8Array(32)).find((candidate) => bytesEqual(candidate.infohash, version))?.seq;
        opened = { resolved: { infohash: version, source: 'stored', ...(seq === undefined ? {} : { seq }), note: "from the site's history, not fetched" }, entry: storedEntry };
      } else if (version !== undefined && storedEntry !== undefined) {
        opened = { resolved: { infohash: version, source: 'infohash' }, entry: storedEntry };
      } else {
        opened = await this.#node.open(address, {
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
      const entry = this.#history.current;
      if (entry !== undefined && entry.address === canonical) entry.infohash = opened.resolved.infohash;
      if (earlyShown !== undefined && bytesEqual(earlyShown.infohash, opened.resolved.infohash) && this.#shown !== undefined) {
        // The stored copy is the newest: only what the status line says changes.
        window.setProgress(undefined);
        this.#showStatus(store, opened.resolved, this.#shown.siteKey);
        return;
      }
      await this.#showItem(store, address, canonical, opened.resolved, opened.entry, token);
    } catch (error) {
      if (!current()) return;
      const message = presentError(error).message;
      if (earlyShown !== undefined && this.#shown !== undefined) {
        // The stored copy stays; the status line says why it is the one shown.
        window.setProgress(undefined);
        this.#showStatus(this.#node.store, { ...earlyShown, note: message }, this.#shown.siteKey);
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
  async #showItem(store: Store, address: SwarmAddress, canonical: string, resolved: Resolved, entry: PageEntry, token: number, replacing?: ShownPage, composed = composePage(store, resolved, entry)): Promise<void> {
    const { item, siteKey, source, files } = composed;
    const onPageShown = this.#options.onPageShown;
    /** What this call showed last (the first screens of a long page), else what it replaces. */
    let current: ShownPage | undefined = replacing;
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
      this.#library.markSeen(toHex(siteKey));
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
    this.#window.setNavigation(this.#history.navigation);
  }

  #showActions(): void {
    this.#actions.show();
  }

  #handleNodeEvent(event: NodeEvent): void {
    if (event.type === 'reply') {
      void this.#refreshThread(event);
      return;
    }
    if (event.type !== 'updated') return;
    const hex = event.key;
    const shown = this.#shown;
    const isShown = shown?.siteKey !== undefined && toHex(shown.siteKey) === hex;
    // The version shown already (it arrived by two ways at once: opened, and pushed by a peer).
    if (isShown && event.infohash === toHex(shown.infohash)) return;
    if (isShown && this.#options.kiosk === true) {
      void this.reload();
      return;
    }
    this.#library.markNew(hex);
    this.refreshLibrary();
    if (isShown) this.#window.setStatus(`Version ${event.seq ?? '?'} of this site arrived: press F5 to show it.`);
  }

  /** A reply to the item shown was verified (node/site-replies.ts): the page is shown again with its thread. */
  async #refreshThread(event: Extract<NodeEvent, { type: 'reply' }>): Promise<void> {
    const shown = this.#shown;
    const store = this.#node.store;
    if (shown === undefined || store === undefined || event.target !== toHex(shown.item.id)) return;
    try {
      await this.#showItem(store, shown.address, shown.text, shown.resolved, { id: shown.item.id, path: shown.path }, this.#token, shown);
    } catch {
      return; // the page is gone from the store meanwhile: what is shown stays
    }
    const now = this.#shown;
    if (now !== shown && now !== undefined && bytesEqual(now.item.id, shown.item.id)) this.#window.setStatus(`A reply arrived: ${describeEvent(event)}`);
  }
}
