/**
 * The reader presenter without a window and without a network: a real Store on a temporary
 * SQLite file holding real signed items and versions, a recording {@link ReaderView} (what
 * the reader showed, in order), and a {@link ReaderNode} over that store whose network
 * answers are given by the test (`answer`), as the node's would come from the DHT and peers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatAddress, type SwarmAddress } from '../../../src/core/address.js';
import { toHex } from '../../../src/core/bytes.js';
import { AppError } from '../../../src/core/errors.js';
import type { Identity } from '../../../src/core/identity.js';
import { createManifest, encodeManifest, itemFilePath, MANIFEST_PATH } from '../../../src/core/manifest.js';
import type { NodeEvent } from '../../../src/net/node/events.js';
import { layoutDoc, type LayoutPlan } from '../../../src/render/layout.js';
import { parseMarkdown } from '../../../src/render/markdown.js';
import { contentFolder } from '../../../src/store/rebuild.js';
import type { Store } from '../../../src/store/store.js';
import type { LibraryView, NavigationState, ShowPageOptions, SiteActions } from '../../../src/widgets/main-window.js';
import type { OpenOptions, ReaderNode, ReaderView } from '../../../src/app/reader/ports.js';
import type { OpenedPage } from '../../../src/app/site-pages.js';
import { siteRecord, type MadeItem } from '../../store/fixtures.js';

/** A page the view was asked to show: its address and the Markdown it was laid out from. */
export interface ShownRecord {
  readonly address: string;
  readonly title: string;
  readonly source: string;
}

/** The Markdown each plan was laid out from (the layout function records it). */
const sources = new WeakMap<LayoutPlan, string>();

/** The reader's layout function, in-process: the real Markdown parser and layout. */
export function layout(source: string): Promise<LayoutPlan> {
  const plan = layoutDoc(parseMarkdown(source));
  sources.set(plan, source);
  return Promise.resolve(plan);
}

/** A ReaderView that records what the reader shows; "painted" on the next turn of the loop. */
export class RecordingView implements ReaderView {
  readonly pages: ShownRecord[] = [];
  readonly statuses: string[] = [];
  navigation: NavigationState | undefined;
  actions: SiteActions | undefined;
  library: LibraryView | undefined;
  progress: number | 'busy' | undefined;

  showPage(plan: LayoutPlan, address: string, options: ShowPageOptions = {}): void {
    this.pages.push({ address, title: plan.title, source: sources.get(plan) ?? '' });
    if (options.onFirstPaint !== undefined) setImmediate(options.onFirstPaint);
  }

  setStatus(text: string): void {
    this.statuses.push(text);
  }

  setProgress(progress: number | 'busy' | undefined): void {
    this.progress = progress;
  }

  setNavigation(state: NavigationState): void {
    this.navigation = state;
  }

  setSiteActions(actions: SiteActions | undefined): void {
    this.actions = actions;
  }

  setLibrary(view: LibraryView): void {
    this.library = view;
  }

  onNextPaint(handler: () => void): void {
    setImmediate(handler);
  }

  get page(): ShownRecord | undefined {
    return this.pages.at(-1);
  }

  get status(): string | undefined {
    return this.statuses.at(-1);
  }
}

/** A ReaderNode over `store`: the node "runs" at once; the network answers with `answer`. */
export class StoreNode implements ReaderNode {
  readonly store: Store;
  readonly lan = undefined;
  readonly lanOff = 'LAN discovery is off (--no-lan).';
  readonly opened: string[] = [];
  readonly #listeners = new Set<(event: NodeEvent) => void>();
  /** What the network answers for an address; by default, as offline: the download times out. */
  answer: (address: SwarmAddress, options: OpenOptions) => Promise<OpenedPage> = () => Promise.reject(new AppError('ERR_TIMEOUT', 'version 0a1b was not downloaded within 60 s (no metadata, 0 peers)'));

  constructor(store: Store) {
    this.store = store;
  }

  /** The network answers with `version()` of `identity`'s site, which is stored here already (nothing to fetch). */
  answerWith(identity: Identity, version: () => StoredVersion): void {
    this.answer = (address) => {
      const { infohash, seq } = version();
      const entry = this.store.versionPage(infohash, address.path);
      if (entry === undefined) return Promise.reject(new Error(`the test's version has no page '${address.path}'`));
      return Promise.resolve({ resolved: { infohash, key: identity.publicKey, seq, source: 'dht' }, entry });
    };
  }

  openStore(): Store {
    return this.store;
  }

  start(): Promise<Store> {
    return Promise.resolve(this.store);
  }

  open(address: SwarmAddress, options: OpenOptions): Promise<OpenedPage> {
    this.opened.push(formatAddress(address));
    return this.answer(address, options);
  }

  dropSite(): Promise<number> {
    return Promise.resolve(0);
  }

  toggleBlockList(): Promise<string> {
    return Promise.resolve('');
  }

  ownPageSite(): string | undefined {
    return undefined;
  }

  onEvent(listener: (event: NodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands `event` to the reader as the node would. */
  emit(event: NodeEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** A stored version of a site: the version's infohash and its seq. */
export interface StoredVersion {
  readonly infohash: Uint8Array;
  readonly seq: bigint;
}

/**
 * Stores version `seq` of `identity`'s site holding `pages` (path -> signed item), as the
 * node stores a fetched version (verified from its folder), and the signed record that
 * names it. The infohash is random: no torrent is made.
 */
export function storeVersion(store: Store, identity: Identity, seq: bigint, pages: Readonly<Record<string, MadeItem>>, createdMs: number, title = 'Garden notes'): StoredVersion {
  const manifest = createManifest({ title, items: Object.entries(pages).map(([sitePath, made]) => ({ item: made.item, path: sitePath })) }, identity, createdMs);
  if (!manifest.ok) throw new Error(`test manifest: ${manifest.error.message}`);
  const infohash = new Uint8Array(crypto.randomBytes(20));
  const folder = contentFolder(store.dataDir, infohash);
  const files = new Map<string, Uint8Array>([[MANIFEST_PATH, encodeManifest(manifest.value)], ...Object.values(pages).map((made) => [itemFilePath(made.item.id), made.bytes] as const)]);
  for (const [rel, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    fs.writeFileSync(path.join(folder, rel), bytes);
  }
  const added = store.addVersionFromDisk(infohash, 'test');
  if (!added.ok) throw new Error(`test version: ${added.error.message}`);
  const noted = store.noteRecord(siteRecord(identity, seq, infohash), 'dht');
  if (!noted.ok) throw new Error(`test record: ${noted.error.message}`);
  return { infohash, seq };
}

/** The site address of `identity`'s page `sitePath`. */
export function siteAddress(identity: Identity, sitePath = ''): string {
  return `bittorrent://${toHex(identity.publicKey)}${sitePath === '' ? '' : `/${sitePath}`}`;
}
