/**
 * The node's one BEP 10 channel (`swarmpress_update`): it listens to the session once,
 * tells the two kinds of message apart once — a reply notice (core/reply-notice.ts, its
 * first bencoded key) or a pushed record — and routes each to the one module that reads
 * it: push.ts for records, reply notices to site-replies.ts (bittorrent-protocol's
 * `_onExtended` routes by name the same way). A peer's extension handshake goes to both:
 * each hands the peer what it keeps about the torrent's site.
 *
 * It also does what the node does with a pushed record (store it when newer, then fetch
 * its version from the pusher) and pushes the newer records the node learns of.
 *
 * Ownership: listens to the node's session until `close()` (idempotent).
 */
import type { MutableRecord } from '../../core/bep44.js';
import { toHex } from '../../core/bytes.js';
import { isReplyNotice } from '../../core/reply-notice.js';
import type { ExtensionEvent } from '../native.js';
import { UpdatePush, type PushSource } from '../push.js';
import type { Fetcher } from './fetcher.js';
import type { LanJoin } from './lan-join.js';
import { latestSigned } from './resolver.js';
import { SiteReplies } from './site-replies.js';
import type { Swarms } from './swarms.js';

export class Gossip {
  readonly #swarms: Swarms;
  readonly #fetcher: Fetcher;
  readonly #lan: LanJoin;
  readonly #push: UpdatePush;
  /** Reply notices sent and received. */
  readonly replies: SiteReplies;
  readonly #onMessage = (event: ExtensionEvent & { readonly payload: Buffer }): void => {
    this.#handleMessage(event);
  };
  readonly #onPeer = (event: ExtensionEvent): void => {
    this.#handlePeer(event);
  };
  readonly #onNewRecord = (record: MutableRecord, broadcast: boolean): void => {
    if (broadcast) void this.#push.broadcast(record);
  };
  #closed = false;

  constructor(swarms: Swarms, fetcher: Fetcher, lan: LanJoin, options: { enabled: boolean }) {
    this.#swarms = swarms;
    this.#fetcher = fetcher;
    this.#lan = lan;
    this.#push = new UpdatePush({
      session: swarms.session,
      enabled: options.enabled,
      siteOf: (id) => swarms.siteOf(id),
      torrentsOf: (key) => swarms.torrentsOf(key),
      latest: (key) => latestSigned(swarms.store, key),
      accept: (record, from) => this.#acceptPushed(record, from),
    });
    this.replies = new SiteReplies({ swarms, fetcher, lan, enabled: options.enabled });
    swarms.onNewRecord(this.#onNewRecord);
    swarms.onVersionStored(() => {
      this.replies.versionStored();
    });
    if (!options.enabled) return;
    swarms.session.on('extension-message', this.#onMessage);
    swarms.session.on('extension-peer', this.#onPeer);
  }

  /** What pushed messages were refused, by code. */
  get pushDropped(): ReadonlyMap<string, number> {
    return this.#push.dropped;
  }

  /** Stops listening (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#swarms.session.off('extension-message', this.#onMessage);
    this.#swarms.session.off('extension-peer', this.#onPeer);
    this.#swarms.offNewRecord(this.#onNewRecord);
    this.#push.close();
    this.replies.close();
  }

  #handleMessage(event: ExtensionEvent & { readonly payload: Buffer }): void {
    if (this.#closed) return;
    this.#swarms.guard('BEP 10 message', () => {
      if (isReplyNotice(event.payload)) this.replies.handleMessage(event);
      else this.#push.handleMessage(event);
    });
  }

  #handlePeer(event: ExtensionEvent): void {
    if (this.#closed) return;
    this.#swarms.guard('BEP 10 handshake', () => {
      this.#push.handlePeer(event);
    });
    this.#swarms.guard('BEP 10 handshake', () => {
      this.replies.handlePeer(event);
    });
  }

  /** A record pushed by a peer (checked by push.ts): stored when newer, then its version fetched. */
  #acceptPushed(record: MutableRecord, from: PushSource): boolean {
    const swarms = this.#swarms;
    if (swarms.closed || swarms.store.isBlocked(record.publicKey)) return false;
    const noted = swarms.store.noteRecord(record, 'push');
    if (!noted.ok || !noted.value.isNewer) return false;
    const key = toHex(record.publicKey);
    swarms.log({ type: 'pushed', key, seq: record.seq.toString(), infohash: toHex(noted.value.infohash), from: from.host });
    swarms.noteNewRecord(record, false);
    void this.#fetchPushed(record, noted.value.infohash, from);
    return true;
  }

  async #fetchPushed(record: MutableRecord, infohash: Uint8Array, from: PushSource): Promise<void> {
    const swarms = this.#swarms;
    const key = record.publicKey;
    try {
      // The pusher's connection may be one it opened (from a port where nothing listens):
      // its announced LAN endpoint is where to fetch from.
      const listening = this.#lan.endpointOf(from.host);
      const peers = [{ host: from.host, port: from.port }, ...(listening === undefined ? [] : [listening])];
      const fetched = await this.#fetcher.fetch(infohash, { expectAuthor: key, origin: 'push', peers });
      // A newer one may have arrived meanwhile: the log says which version this was.
      swarms.log({
        type: 'updated', key: toHex(key), title: swarms.store.site(key)?.title ?? toHex(key), seq: record.seq.toString(), infohash: toHex(infohash), newItems: fetched.newItems, via: 'push',
      });
    } catch (error) {
      if (swarms.closed) return;
      swarms.log({ type: 'warning', text: `version ${toHex(infohash)} of ${toHex(key)} (seq ${record.seq.toString()}) was not fetched: ${(error as Error).message}`, key: toHex(key), infohash: toHex(infohash) });
    }
  }
}
