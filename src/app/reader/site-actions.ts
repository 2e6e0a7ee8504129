/**
 * What the reader does to the site of the page shown: follow and unfollow, block (and its
 * author), mute, subscribe to its block list (social-actions.ts), reply, edit a page of
 * one's own site, and lift a row of the library's Blocked section; and which of these the
 * window offers for the page shown. None in kiosk mode.
 */
import { bytesEqual, toHex } from '../../core/bytes.js';
import { shortKey } from '../library-view.js';
import { escapeInline } from '../reader-page.js';
import { liftLibraryRow, toggleMute } from '../social-actions.js';
import type { ReaderNode, ReaderView, ShownPage } from './ports.js';

/** What the reply action hands to the editor. */
export interface ReplyTarget {
  readonly id: Uint8Array;
  readonly title: string;
  readonly href: string;
}

/** The reader, as its site actions use it. */
export interface SiteActionsHost {
  readonly view: ReaderView;
  readonly node: ReaderNode;
  readonly kiosk: boolean;
  readonly onReply: ((target: ReplyTarget) => void) | undefined;
  readonly onEdit: ((target: { readonly site: string; readonly path: string }) => void) | undefined;
  /** The page shown, if it is a site's. */
  shown(): ShownPage | undefined;
  /** The page is no longer shown (it was blocked); `markdown` is shown at `address` instead. */
  replaceShown(address: string, markdown: string): Promise<void>;
  /** Shows the address shown again (with or without a muted notice). */
  reload(): Promise<void>;
  refreshLibrary(): void;
}

export class ReaderSiteActions {
  readonly #host: SiteActionsHost;

  constructor(host: SiteActionsHost) {
    this.#host = host;
  }

  /** Follows the site shown, or unfollows it when it is followed. */
  toggleFollow(): void {
    const { view, node, kiosk } = this.#host;
    const key = this.#host.shown()?.siteKey;
    const store = node.store;
    if (key === undefined || store === undefined || kiosk) return;
    if (store.isFollowing('site', key)) {
      store.unfollow('site', key);
      view.setStatus(`No longer following ${store.site(key)?.title ?? shortKey(key)}.`);
    } else {
      store.noteSite({ key, origin: 'follow' });
      store.follow('site', key);
      view.setStatus(`Following ${store.site(key)?.title ?? shortKey(key)}: new versions are fetched and seeded by this app.`);
    }
    this.show();
    this.#host.refreshLibrary();
  }

  /** Blocks the site shown (and its author): not shown, fetched, stored or seeded. */
  async block(): Promise<void> {
    const { view, node, kiosk } = this.#host;
    const shown = this.#host.shown();
    const key = shown?.siteKey;
    const store = node.store;
    if (shown === undefined || key === undefined || store === undefined || kiosk) return;
    const title = store.site(key)?.title ?? shortKey(key);
    store.block('site', key);
    store.block('author', key);
    store.unfollow('site', key);
    const dropped = await node.dropSite(key);
    await this.#host.replaceShown(shown.text, `# Blocked\n\n${escapeInline(title)} (${toHex(key)}) is blocked: it is not shown, fetched or seeded${dropped > 0 ? ` (stopped seeding ${dropped} version${dropped === 1 ? '' : 's'})` : ''}.\n`);
    this.show();
    view.setStatus(`Blocked ${title}: the library lists it, with Unblock.`);
    this.#host.refreshLibrary();
  }

  /** Opens the editor on a reply to the item shown. */
  reply(): void {
    const shown = this.#host.shown();
    if (shown === undefined || this.#host.kiosk) return;
    this.#host.onReply?.({ id: shown.item.id, title: shown.item.title, href: shown.text });
  }

  /** Lifts a row of the library's Blocked section: a block, a mute or a block list subscription. */
  unblock(id: string): void {
    const store = this.#host.node.store;
    const message = store === undefined ? undefined : liftLibraryRow(store, id);
    if (message === undefined) return;
    this.#host.view.setStatus(message);
    this.show();
    this.#host.refreshLibrary();
    // The page shown loses its muted notice.
    const shown = this.#host.shown();
    if (shown?.siteKey !== undefined && id.endsWith(`:${toHex(shown.siteKey)}`)) void this.#host.reload().then(() => { this.#host.view.setStatus(message); });
  }

  /** Mutes the site shown, or unmutes it; the page is shown again with (or without) the notice. */
  toggleMute(): void {
    const key = this.#host.shown()?.siteKey;
    const store = this.#host.node.store;
    if (key === undefined || store === undefined || this.#host.kiosk) return;
    const message = toggleMute(store, key);
    void this.#host.reload().then(() => { this.#host.view.setStatus(message); });
  }

  /** Subscribes to the block list of the site shown, or unsubscribes from it. */
  async toggleBlockList(): Promise<void> {
    const key = this.#host.shown()?.siteKey;
    if (key === undefined || this.#host.node.store === undefined || this.#host.kiosk) return;
    this.#host.view.setStatus(await this.#host.node.toggleBlockList(key));
    this.show();
    this.#host.refreshLibrary();
  }

  /** Opens the editor on the page shown, when it is a page of one of the reader's own sites. */
  edit(): void {
    const target = this.#editTarget();
    if (target === undefined) {
      if (this.#host.shown() !== undefined && !this.#host.kiosk) this.#host.view.setStatus('Only pages of your own sites, from their folders on this computer, can be edited.');
      return;
    }
    this.#host.onEdit?.(target);
  }

  /** Hands the window the actions it offers for the page shown. */
  show(): void {
    const shown = this.#host.shown();
    const store = this.#host.node.store;
    if (shown?.siteKey === undefined || store === undefined || this.#host.kiosk) {
      this.#host.view.setSiteActions(undefined);
      return;
    }
    const own = store.site(shown.siteKey)?.isOwn === true;
    this.#host.view.setSiteActions({
      following: store.isFollowing('site', shown.siteKey), canBlock: !own, canReply: shown.item.body.kind === 'text', canEdit: this.#editTarget() !== undefined,
      muted: store.isMuted(shown.siteKey), subscribedList: store.blockLists().some((key) => bytesEqual(key, shown.siteKey ?? key)),
    });
  }

  /** The own site and path of the page shown, when it can be edited here. */
  #editTarget(): { site: string; path: string } | undefined {
    const shown = this.#host.shown();
    if (shown?.siteKey === undefined || this.#host.node.store === undefined || this.#host.kiosk || shown.item.body.kind !== 'text') return undefined;
    const site = this.#host.node.ownPageSite(shown.siteKey, shown.path);
    return site === undefined ? undefined : { site, path: shown.path };
  }
}
