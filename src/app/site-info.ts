/**
 * Site information in the window (Ctrl+I): the presenter that words what the store and
 * the node know of the site of the page shown for site-info-dialog.ts — the author key,
 * the version shown (infohash and seq), the peers in its swarm now (from libtorrent,
 * refreshed every {@link REFRESH_MS} while the dialog is open), when the site was last
 * updated, what its versions take on disk (the bytes the cache budget counts), and every
 * version the store holds, newest first. A version opened from the history is handed to
 * the reader (`onOpenVersion`), which shows it from the store.
 *
 * Ownership: the view and the node are the caller's; `close()` stops the refresh timer.
 * JS thread only.
 */
import { fromHex, toHex } from '../core/bytes.js';
import { INFOHASH_BYTES } from '../core/bep46.js';
import type { SiteNode } from '../net/node/site-node.js';
import { formatBytes } from '../render/block-widgets.js';
import type { SiteInfoView } from '../widgets/main-window.js';
import { localTime } from './when.js';

/** How often the open dialog is refreshed (the peer count moves): well under the 100 ms-per-view cap. */
export const REFRESH_MS = 1000;

/** The page shown, as far as the site information needs it. */
export interface ShownVersion {
  readonly siteKey: Uint8Array;
  readonly infohash: Uint8Array;
}

/** The id of a history row: `version:<40-hex infohash>`. */
export function versionRowId(infohash: Uint8Array): string {
  return `version:${toHex(infohash)}`;
}

/** The infohash a history row's id names, or undefined when it names none. */
export function versionOfRow(id: string): Uint8Array | undefined {
  const match = /^version:([0-9a-f]{40})$/.exec(id);
  return match?.[1] === undefined ? undefined : fromHex(match[1], INFOHASH_BYTES);
}

/** What the site information reads of the node: its store and the peers of a version's swarm. */
export type SiteInfoNode = Pick<SiteNode, 'store' | 'peersOf'>;

/** What the presenter calls on the window. */
export interface SiteInfoWindow {
  showSiteInfo(view: SiteInfoView): void;
  closeSiteInfo(): void;
  /** Whether the dialog is still shown (the reader may have hidden it with Escape). */
  readonly isSiteInfoOpen: boolean;
  setStatus(text: string): void;
}

/** The view-model of site `shown.siteKey` with version `shown.infohash` shown, as `node` knows it now. */
export function siteInfoView(node: SiteInfoNode, shown: ShownVersion): SiteInfoView {
  const store = node.store;
  const { siteKey, infohash } = shown;
  const site = store.site(siteKey);
  const versions = store.siteVersions(siteKey);
  const current = versions.find((version) => toHex(version.infohash) === toHex(infohash));
  const newest = versions[0];
  const peers = node.peersOf(infohash);
  const used = store.siteUsedBytes(siteKey);
  const title = site === undefined || site.title === '' ? `${toHex(siteKey).slice(0, 8)}…` : site.title;
  const seqOf = (seq: bigint | undefined): string => (seq === undefined ? 'no record names it' : seq.toString());
  const history = versions.map((version) => ({
    id: versionRowId(version.infohash),
    label: `${version.seq === undefined ? 'version ?' : `version ${version.seq.toString()}`} — ${localTime(version.createdMs)} — ${toHex(version.infohash).slice(0, 12)}…${toHex(version.infohash) === toHex(infohash) ? '  (shown)' : ''}`,
  }));
  const chain = newest === undefined ? undefined : store.versionChain(newest.infohash);
  const unsigned = versions.length - versions.filter((version) => version.seq !== undefined).length;
  const notes = [
    chain?.missing === undefined ? '' : `The hash chain goes back further: version ${toHex(chain.missing).slice(0, 12)}… is not stored here.`,
    unsigned === 0 ? '' : `${unsigned} stored version${unsigned === 1 ? ' is' : 's are'} named by no record of the site's address (a device's own, or opened by infohash).`,
  ].filter((line) => line !== '');
  return {
    title,
    key: toHex(siteKey),
    infohash: toHex(infohash),
    seq: seqOf(current?.seq),
    peers: peers === undefined ? 'not in this version\'s swarm now' : `${peers} peer${peers === 1 ? '' : 's'} connected`,
    lastUpdate: newest === undefined
      ? 'no version stored'
      : `${newest.seq === undefined ? 'newest version' : `version ${newest.seq.toString()}`} published ${localTime(newest.createdMs)}, received here ${localTime(newest.receivedMs)}`,
    cacheSize: `${formatBytes(used)} in ${versions.length} version${versions.length === 1 ? '' : 's'}`,
    history,
    ...(notes.length === 0 ? {} : { historyNote: notes.join(' ') }),
  };
}

export interface SiteInfoOptions {
  readonly view: SiteInfoWindow;
  /** The running node, if it runs. */
  readonly node: () => SiteInfoNode | undefined;
  /** The version shown, if the page belongs to a site. */
  readonly shown: () => ShownVersion | undefined;
}

/** Opens, refreshes and closes the site information of the window. */
export class SiteInfoPresenter {
  readonly #options: SiteInfoOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SiteInfoOptions) {
    this.#options = options;
  }

  /** Ctrl+I: opens the site information of the page shown, or says why there is none. */
  open(): void {
    const window = this.#options.view;
    const node = this.#options.node();
    const shown = this.#options.shown();
    if (node === undefined) {
      window.setStatus('Site information: the swarm node has not started yet.');
      return;
    }
    if (shown === undefined) {
      window.setStatus('Site information: this page belongs to no site.');
      return;
    }
    window.showSiteInfo(siteInfoView(node, shown));
    this.#timer ??= setInterval(() => {
      this.refresh();
    }, REFRESH_MS);
    this.#timer.unref();
  }

  /** Shows the site information again if it is open (another page, a new version, the timer). */
  refresh(): void {
    const window = this.#options.view;
    if (!window.isSiteInfoOpen) {
      // Hidden by the reader (Escape): let it go.
      window.closeSiteInfo();
      this.closed();
      return;
    }
    const node = this.#options.node();
    const shown = this.#options.shown();
    if (node === undefined || shown === undefined) return;
    window.showSiteInfo(siteInfoView(node, shown));
  }

  /** The reader closed the dialog. */
  closed(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.closed();
    this.#options.view.closeSiteInfo();
  }
}
