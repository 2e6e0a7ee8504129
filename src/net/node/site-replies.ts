/**
 * The node's side of reply notices (reply-notices.ts has the design and the wire): which
 * notices a new version of an own site sends, what is stored of one received, and the
 * check that makes a reply appear — the replier's version is fetched once (a read, not a
 * follow) and its manifest must list the reply with `related rel=reply` to the target.
 * Only then is the notice `verified` (Store.thread shows the reply from the items that
 * version stored), logged as a `reply` event (the reader refreshes the thread shown) and
 * passed on once. A version without the reply, or not signed by the notice's key, makes
 * the notice `rejected` and counted (`ERR_NOTICE_NO_REPLY`, `ERR_NOTICE_VERSION`); a
 * version that could not be fetched leaves it `pending`, retried by the node's duties
 * ({@link SiteReplies.checkPending}) up to {@link MAX_CHECK_ATTEMPTS} times, then given up
 * (`ERR_NOTICE_UNREACHABLE`).
 *
 * Ownership: the node owns this and closes it; the store and session are the node's.
 */
import { bytesEqual, toHex } from '../../core/bytes.js';
import type { AppError } from '../../core/errors.js';
import type { MutableRecord } from '../../core/bep44.js';
import { decodeReplyNotice, encodeReplyNotice, type ReplyNotice } from '../../core/reply-notice.js';
import type { ExtensionEvent } from '../native.js';
import type { PushSource } from '../push.js';
import { ReplyNotices } from '../reply-notices.js';
import type { Endpoint } from '../session.js';
import type { Fetcher } from './fetcher.js';
import type { LanJoin } from './lan-join.js';
import type { Swarms } from './swarms.js';

/** Times a pending notice's version is tried before the duties give up on it. */
export const MAX_CHECK_ATTEMPTS = 5;
/** Pending notices the duties check at the same time, at most. */
const CHECKS_AT_ONCE = 8;
/** How long one fetch of a replier's version may take. */
const CHECK_TIMEOUT_MS = 60_000;

export interface SiteRepliesOptions {
  readonly swarms: Swarms;
  /** Downloads, verifies and stores the replier's version. */
  readonly fetcher: Fetcher;
  /** Where a peer that sent from a host listens, if the LAN says so. */
  readonly lan: LanJoin;
  readonly enabled: boolean;
}

/** Which (reply, target) a notice is about, as a map key. */
function keyOf(notice: { reply: Uint8Array; target: Uint8Array }): string {
  return `${toHex(notice.reply)}:${toHex(notice.target)}`;
}

export class SiteReplies {
  readonly #options: SiteRepliesOptions;
  readonly #notices: ReplyNotices;
  /** Notices whose version is being fetched (reply:target hex). */
  readonly #checking = new Set<string>();
  #closed = false;

  constructor(options: SiteRepliesOptions) {
    this.#options = options;
    const swarms = options.swarms;
    const store = swarms.store;
    const sitesOfItem = (id: Uint8Array): Uint8Array[] => {
      const sites = new Map<string, Uint8Array>();
      for (const place of store.itemPlaces(id)) sites.set(toHex(place.siteKey), place.siteKey);
      return [...sites.values()];
    };
    this.#notices = new ReplyNotices({
      session: swarms.session,
      enabled: options.enabled,
      siteOf: (id) => swarms.siteOf(id),
      torrentsOf: (key) => swarms.torrentsOf(key),
      sitesOfItem,
      isBlocked: (key) => store.isBlocked(key),
      isStored: (id) => swarms.isStored(id),
      accept: (notice, from) => this.#accept(notice, from),
    });
    // Verified notices from before a restart are handed to peers that connect.
    for (const stored of store.replyNotices('verified', 64)) {
      const decoded = decodeReplyNotice(stored.bytes);
      if (decoded.ok) this.#notices.keep(decoded.value, sitesOfItem(stored.target));
    }
  }

  /** A version was stored (fetched): notices that came before the item they reply to are taken now. */
  versionStored(): void {
    this.#notices.versionStored();
  }

  /** A reply notice arrived over BEP 10 (gossip.ts told it from a pushed record). */
  handleMessage(event: ExtensionEvent & { readonly payload: Buffer }): void {
    this.#notices.handleMessage(event);
  }

  /** A peer's extension handshake arrived: it is handed the recent notices about the torrent's site. */
  handlePeer(event: ExtensionEvent): void {
    this.#notices.handlePeer(event);
  }

  /** What notices were refused, by code. */
  get dropped(): ReadonlyMap<string, number> {
    return this.#notices.dropped;
  }

  /**
   * Sends a notice for every item that version `infohash` (named by `record`, an own
   * site's unsalted slot) adds over its previous version and that replies to an item held
   * here from another site. Returns how many notices were sent; never throws (the version
   * is published whatever happens here: a failure is logged).
   */
  announce(record: MutableRecord, infohash: Uint8Array): number {
    try {
      return this.#announce(record, infohash);
    } catch (error) {
      this.#options.swarms.log({ type: 'warning', text: `the replies of version ${toHex(infohash)} were not announced: ${(error as Error).message}`, infohash: toHex(infohash) });
      return 0;
    }
  }

  #announce(record: MutableRecord, infohash: Uint8Array): number {
    const store = this.#options.swarms.store;
    const manifest = store.manifest(infohash)?.manifest;
    if (manifest === undefined) return 0;
    const previous = manifest.previous === undefined ? undefined : store.manifest(manifest.previous)?.manifest;
    const before = new Set((previous?.items ?? []).map((entry) => toHex(entry.id)));
    let sent = 0;
    for (const entry of manifest.items) {
      if (before.has(toHex(entry.id))) continue;
      for (const related of entry.related) {
        if (related.rel !== 'reply' || store.itemPlaces(related.id).every((place) => bytesEqual(place.siteKey, record.publicKey))) continue;
        const notice = { record, reply: entry.id, target: related.id };
        // Kept as verified, so that it is handed to peers that connect later, after a restart too.
        const bytes = encodeReplyNotice(notice);
        const own = decodeReplyNotice(bytes);
        if (own.ok) store.noteReplyNotice(own.value, bytes, 'verified');
        void this.#notices.forward(notice);
        sent += 1;
        this.#options.swarms.log({ type: 'reply-sent', reply: toHex(entry.id), target: toHex(related.id), title: entry.title });
      }
    }
    return sent;
  }

  /**
   * Checks the pending notices again (the node's duties), {@link CHECKS_AT_ONCE} at a time
   * at most; a notice tried {@link MAX_CHECK_ATTEMPTS} times is given up (`rejected`).
   * Resolves with how many replies were verified; never rejects.
   */
  async checkPending(): Promise<number> {
    try {
      return await this.#checkPending();
    } catch (error) {
      if (!this.#closed) this.#options.swarms.log({ type: 'warning', text: `reply notices were not checked: ${(error as Error).message}` });
      return 0;
    }
  }

  async #checkPending(): Promise<number> {
    const store = this.#options.swarms.store;
    const due: ReplyNotice[] = [];
    for (const stored of store.replyNotices('pending', 64)) {
      if (this.#closed || due.length >= CHECKS_AT_ONCE) break;
      const decoded = decodeReplyNotice(stored.bytes);
      if (!decoded.ok || stored.attempts >= MAX_CHECK_ATTEMPTS) {
        store.settleReplyNotice(stored.reply, stored.target, 'rejected');
        if (decoded.ok) this.#notices.noteDropped('ERR_NOTICE_UNREACHABLE');
        continue;
      }
      due.push(decoded.value);
    }
    const checked = await Promise.all(due.map((notice) => this.#checkLogged(notice, [])));
    return checked.filter(Boolean).length;
  }

  close(): void {
    this.#closed = true;
    this.#notices.close();
  }

  #accept(notice: ReplyNotice, from: PushSource): string | undefined {
    if (this.#closed) return 'ERR_NOTICE_CLOSED';
    const noted = this.#options.swarms.store.noteReplyNotice(notice, encodeReplyNotice(notice));
    if (noted === 'known') return 'ERR_NOTICE_KNOWN';
    if (noted === 'full') return 'ERR_NOTICE_BACKLOG';
    this.#options.swarms.log({
      type: 'reply-notice', key: toHex(notice.record.publicKey), reply: toHex(notice.reply), target: toHex(notice.target), infohash: toHex(notice.infohash), from: from.host,
    });
    const listening = this.#options.lan.endpointOf(from.host);
    // Where the sender listens: the port it names (a hint), else what the LAN says.
    const peers = [{ host: from.host, port: from.port }, ...(notice.port === undefined ? [] : [{ host: from.host, port: notice.port }]), ...(listening === undefined ? [] : [listening])];
    void this.#checkLogged(notice, peers);
    return undefined;
  }

  /** {@link SiteReplies.#check}, never rejecting (a store closed under it is logged). */
  async #checkLogged(notice: ReplyNotice, peers: readonly Endpoint[]): Promise<boolean> {
    try {
      return await this.#check(notice, peers);
    } catch (error) {
      if (!this.#closed) this.#options.swarms.log({ type: 'warning', text: `a reply notice of ${toHex(notice.record.publicKey)} was not checked: ${(error as Error).message}` });
      return false;
    }
  }

  /** Fetches the notice's version and settles the notice; true when the reply is there. */
  async #check(notice: ReplyNotice, peers: readonly Endpoint[]): Promise<boolean> {
    const key = keyOf(notice);
    if (this.#checking.has(key)) return false;
    this.#checking.add(key);
    const store = this.#options.swarms.store;
    const site = toHex(notice.record.publicKey);
    try {
      try {
        await this.#options.fetcher.fetch(notice.infohash, { expectAuthor: notice.record.publicKey, origin: 'reply', peers, timeoutMs: CHECK_TIMEOUT_MS });
      } catch (error) {
        if (this.#closed) return false;
        const code = (error as AppError).code;
        const retry = code === 'ERR_TIMEOUT' || code === 'ERR_LIBTORRENT';
        store.settleReplyNotice(notice.reply, notice.target, retry ? 'pending' : 'rejected');
        if (!retry) this.#notices.noteDropped('ERR_NOTICE_VERSION');
        this.#options.swarms.log({ type: 'warning', text: `the version ${toHex(notice.infohash)} a reply notice names was not ${retry ? 'fetched' : 'taken'}: ${(error as Error).message}`, key: site, infohash: toHex(notice.infohash) });
        return false;
      }
      if (this.#closed) return false;
      const entry = store.manifest(notice.infohash)?.manifest.items.find((candidate) => bytesEqual(candidate.id, notice.reply));
      const replies = entry?.related.some((related) => related.rel === 'reply' && bytesEqual(related.id, notice.target)) === true;
      if (!replies) {
        store.settleReplyNotice(notice.reply, notice.target, 'rejected');
        this.#notices.noteDropped('ERR_NOTICE_NO_REPLY');
        this.#options.swarms.log({ type: 'warning', text: `a reply notice of ${site} lied: its version ${toHex(notice.infohash)} has no reply ${toHex(notice.reply)} to ${toHex(notice.target)}`, key: site, infohash: toHex(notice.infohash) });
        return false;
      }
      store.settleReplyNotice(notice.reply, notice.target, 'verified');
      store.noteRecord(notice.record, 'reply');
      this.#options.swarms.log({
        type: 'reply', key: site, reply: toHex(notice.reply), target: toHex(notice.target), infohash: toHex(notice.infohash), seq: notice.record.seq.toString(),
        site: store.site(notice.record.publicKey)?.title ?? site, title: entry.title, targetTitle: store.item(notice.target)?.title ?? toHex(notice.target),
      });
      void this.#notices.forward(notice);
      return true;
    } finally {
      this.#checking.delete(key);
    }
  }
}
