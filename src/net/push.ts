/**
 * Pushed updates (DESIGN.md "LAN and fast updates", issue #8): a site's newest signed
 * record travels as a BEP 10 extension message (`swarmpress_update`) to the connected
 * peers of every version of the site a node holds — the old versions' swarms included, so
 * that a reader still on version N learns of N+1 — instead of waiting for a DHT poll.
 *
 * The payload is exactly the record's wire form (core `encodeRecord`); reply notices
 * (reply-notices.ts) share the message, and the node's one BEP 10 channel (node/gossip.ts)
 * tells the two apart and hands this module only records. A receiver:
 * rate-limits per peer, reads the record with core (`decodeRecord`: caps, canonical form,
 * signature) against the target of the site whose torrent the message came on (a record
 * of another site or slot is refused), and hands it to `accept`, which stores it only if
 * it is newer than what is known. Only a newer record is forwarded, and each record at
 * most once (a bounded memory of recent records): no storms. When a peer's extension
 * handshake arrives, it is sent the newest record of that torrent's site, so that a node
 * that restarts catches up at once.
 *
 * What is refused is counted by code (`dropped`), never thrown. Identity comes only from
 * signatures: the peer's address is only where to send and whom to rate-limit.
 *
 * Ownership: the caller owns the session and routes its extension events here
 * ({@link UpdatePush.handleMessage}, {@link UpdatePush.handlePeer}); `close()` makes this
 * ignore them (idempotent).
 */
import { decodeRecord, encodeRecord, mutableTarget, MAX_RECORD_BYTES, type MutableRecord } from '../core/bep44.js';
import { toHex } from '../core/bytes.js';
import { sha1 } from '../core/hash.js';
import type { ExtensionEvent } from './native.js';
import { RateLimiter } from './rate-limiter.js';
import type { Endpoint, TorrentSession } from './session.js';

/**
 * Messages read per peer and in total. An honest peer sends one record per new version
 * and one per handshake (a burst when several versions' swarms connect at once); the
 * limits bound the signature checks a flooding peer can cost (~100 µs each).
 */
export const PUSH_LIMITS = { perKey: { perSecond: 4, burst: 32 }, total: { perSecond: 200, burst: 400 }, maxKeys: 1024 } as const;
/** How many records sent or accepted are remembered, so that each is forwarded once. */
export const MAX_REMEMBERED_RECORDS = 4096;

/** Where a pushed record came from. */
export interface PushSource extends Endpoint {
  /** The torrent (a version of the record's site) the message arrived on. */
  readonly torrent: string;
}

export interface UpdatePushOptions {
  readonly session: TorrentSession;
  /** The site key of the version torrent `torrentId`, when this node knows it. */
  readonly siteOf: (torrentId: string) => Uint8Array | undefined;
  /** The torrent ids of every version of site `key` held here. */
  readonly torrentsOf: (key: Uint8Array) => readonly string[];
  /** The newest signed record of site `key`'s unsalted slot, if any. */
  readonly latest: (key: Uint8Array) => MutableRecord | undefined;
  /** A checked record of the torrent's site: store it if newer; true when it was. */
  readonly accept: (record: MutableRecord, from: PushSource) => boolean;
  /** False: nothing is sent and what arrives is ignored (a reference for benchmarks). */
  readonly enabled?: boolean;
  /** A monotonic clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

export class UpdatePush {
  readonly #options: UpdatePushOptions;
  readonly #limiter = new RateLimiter(PUSH_LIMITS);
  readonly #dropped = new Map<string, number>();
  /** Recently sent or accepted records (SHA-1 of the wire form, hex), oldest first. */
  readonly #remembered = new Set<string>();
  #closed = false;

  constructor(options: UpdatePushOptions) {
    this.#options = options;
  }

  /** What was refused so far, by code (`ERR_PUSH_*` and core's `ERR_RECORD_*`). */
  get dropped(): ReadonlyMap<string, number> {
    return this.#dropped;
  }

  /**
   * Sends `record` (unsalted slot) to the peers of every version of its site held here,
   * once: a record already sent or received is not sent again. Resolves with how many
   * peers it was sent to; never rejects.
   */
  async broadcast(record: MutableRecord): Promise<number> {
    if (this.#closed || this.#options.enabled === false || record.salt.length > 0) return 0;
    const payload = encodeRecord(record);
    if (!this.#remember(payload)) return 0;
    const sends = this.#options.torrentsOf(record.publicKey).map((id) => this.#options.session.sendExtension(id, payload).catch(() => 0));
    const counts = await Promise.all(sends);
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Stops taking messages and sending (idempotent). */
  close(): void {
    this.#closed = true;
  }

  /** True when `payload` was not remembered yet (and now is). */
  #remember(payload: Uint8Array): boolean {
    const id = toHex(sha1(payload));
    if (this.#remembered.has(id)) return false;
    this.#remembered.add(id);
    if (this.#remembered.size > MAX_REMEMBERED_RECORDS) {
      const oldest = this.#remembered.values().next().value;
      if (oldest !== undefined) this.#remembered.delete(oldest);
    }
    return true;
  }

  #drop(code: string): void {
    this.#dropped.set(code, (this.#dropped.get(code) ?? 0) + 1);
  }

  /** A pushed record arrived (a message that is not a reply notice); what is refused is counted. */
  handleMessage(event: ExtensionEvent & { readonly payload: Buffer }): void {
    if (this.#closed || this.#options.enabled === false) return;
    const refused = this.#read(event);
    if (refused !== undefined) this.#drop(refused);
  }

  /** Reads one pushed message; returns why it was refused, if it was. */
  #read(event: ExtensionEvent & { readonly payload: Buffer }): string | undefined {
    if (event.payload.length > MAX_RECORD_BYTES) return 'ERR_PUSH_TOO_LARGE';
    // A record this node sent or took already: the echo of a forward, or the same record
    // arriving over the connection of each version both peers hold. Not an error, and not
    // counted against the peer's rate (a SHA-1 of ≤ 1280 bytes, no signature check).
    if (this.#remembered.has(toHex(sha1(event.payload)))) return undefined;
    const now = this.#options.now?.() ?? performance.now();
    if (!this.#limiter.take(`${event.address}:${event.port}`, now)) return 'ERR_PUSH_RATE';
    const site = this.#options.siteOf(event.torrent);
    if (site === undefined) return 'ERR_PUSH_UNKNOWN_TORRENT';
    // The target binds the record to the site of the torrent and to its unsalted slot.
    const decoded = decodeRecord(event.payload, mutableTarget(site));
    if (!decoded.ok) return decoded.error.code;
    const from: PushSource = { host: event.address, port: event.port, torrent: event.torrent };
    let isNewer: boolean;
    try {
      isNewer = this.#options.accept(decoded.value, from);
    } catch {
      return 'ERR_PUSH_ACCEPT';
    }
    if (!isNewer) return 'ERR_PUSH_STALE';
    void this.broadcast(decoded.value);
    return undefined;
  }

  /** A peer's extension handshake arrived: it is sent the newest record of the torrent's site. */
  handlePeer(event: ExtensionEvent): void {
    if (this.#closed || this.#options.enabled === false) return;
    const site = this.#options.siteOf(event.torrent);
    const record = site === undefined ? undefined : this.#options.latest(site);
    if (record === undefined) return;
    this.#options.session.sendExtension(event.torrent, encodeRecord(record), { host: event.address, port: event.port }).catch(() => 0);
  }
}
