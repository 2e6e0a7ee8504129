/**
 * Reply notices over BEP 10 (issue #9 "Discussion"): how the author of a post, and the
 * readers of its site, learn of a reply published in a site they neither follow nor have
 * seen. Design:
 *
 * - Sending. When a node publishes a version whose new items reply (`related rel=reply`)
 *   to an item it holds from another site S, it sends a notice (core/reply-notice.ts: its
 *   own signed record, the reply's id, the target's id, and its listen port as an unsigned
 *   hint) to the connected peers of every version of S it holds — it usually holds one,
 *   since it read the post it replies to. Notices share the extension message of pushed
 *   records (push.ts); the two are told apart by their first bencoded key, once, by the
 *   node's BEP 10 channel (node/gossip.ts), which hands this module only notices.
 * - Receiving. The envelope is read (cheap), a notice seen already is ignored silently,
 *   then the per-peer rate limit (like push.ts), then core's checks (caps, canonical
 *   bencode, the record's signature, its pointer); a blocked replier or a target this node
 *   does not hold is refused. A notice of a target not held yet that came over a version
 *   still downloading waits for it ({@link MAX_PARKED_NOTICES}, {@link PARKED_NOTICE_MS}):
 *   a reader that connects to read the post is handed the notices on the handshake, before
 *   it holds the post. What passes goes to `accept`: the node stores it as pending and
 *   fetches the replier's version as a one-off read, not a follow, from the sending host
 *   (the connection's port and the hinted one) or whoever the DHT names; the reply shows
 *   in the thread only once that version is stored and its manifest lists the reply with
 *   `rel=reply` to the target — a notice that lies is refused then (node/site-replies.ts).
 * - Passing on. A verified notice (and an own one) is sent once to the peers of the
 *   target's sites (a bounded memory of notice ids, which leave the port out: no storms),
 *   and kept among the recent ones: a peer whose extension handshake arrives on a version
 *   of S is handed the recent notices about S (at most {@link MAX_NOTICES_PER_HANDSHAKE}),
 *   so that a node that connects later still learns of the reply. Verified and own notices
 *   are stored, and kept again after a restart.
 * - Not done: the LAN notice (lan-link.ts) does not carry replies; a LAN neighbour learns
 *   of them when it joins a swarm of S.
 *
 * What is refused is counted by code (`dropped`), never thrown. Identity comes only from
 * signatures: the peer's address is only where to send, fetch from and whom to rate-limit.
 *
 * Ownership: the caller owns the session and routes its extension events here
 * ({@link ReplyNotices.handleMessage}, {@link ReplyNotices.handlePeer}); `close()` makes
 * this ignore them (idempotent).
 */
import { toHex } from '../core/bytes.js';
import { decodeReplyNotice, encodeReplyNotice, parseReplyNotice, replyNoticeId, type ReplyNotice } from '../core/reply-notice.js';
import { isIPv6 } from 'node:net';
import type { MutableRecord } from '../core/bep44.js';
import type { ExtensionEvent } from './native.js';
import type { PushSource } from './push.js';
import { RateLimiter } from './rate-limiter.js';
import type { TorrentSession } from './session.js';

/**
 * Notices read per host and in total: per host, not per connection, as one host opens as
 * many connections as it likes (issue #25: 16 connections of one host filled the 512-slot
 * backlog in ~30 s when each address:port had its own bucket). An honest peer sends one per reply it publishes and
 * a few per handshake; the limits bound the signature checks a flooding peer costs.
 */
export const NOTICE_LIMITS = { perKey: { perSecond: 2, burst: 16 }, total: { perSecond: 100, burst: 200 }, maxKeys: 1024 } as const;
/** How many notices sent or taken are remembered, so that each is passed on once. */
export const MAX_REMEMBERED_NOTICES = 4096;
/** Recent notices kept for peers that connect later. */
export const MAX_RECENT_NOTICES = 64;
/** Recent notices handed to one peer on its handshake, at most. */
export const MAX_NOTICES_PER_HANDSHAKE = 8;
/** Notices of a target not held yet, kept while the version they came with downloads, at most. */
export const MAX_PARKED_NOTICES = 32;
/** How long a parked notice waits for its target. */
export const PARKED_NOTICE_MS = 120_000;

export interface ReplyNoticesOptions {
  readonly session: TorrentSession;
  /** The site key of the version torrent `torrentId`, when this node knows it. */
  readonly siteOf: (torrentId: string) => Uint8Array | undefined;
  /** The torrent ids of every version of site `key` held here. */
  readonly torrentsOf: (key: Uint8Array) => readonly string[];
  /** The sites whose stored versions hold item `id` (empty: this node does not hold it). */
  readonly sitesOfItem: (id: Uint8Array) => readonly Uint8Array[];
  readonly isBlocked: (key: Uint8Array) => boolean;
  /** Whether the version torrent `torrentId` is stored here (not still downloading). */
  readonly isStored: (torrentId: string) => boolean;
  /**
   * A checked notice of a held target by a replier not blocked: returns undefined when it
   * was taken, else why not (a code counted in `dropped`).
   */
  readonly accept: (notice: ReplyNotice, from: PushSource) => string | undefined;
  /** False: nothing is sent and what arrives is ignored. */
  readonly enabled?: boolean;
  /** A monotonic clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** What a notice says (core/reply-notice.ts), without where it came from. */
export interface NoticeContent {
  readonly record: MutableRecord;
  readonly reply: Uint8Array;
  readonly target: Uint8Array;
}

interface Recent {
  readonly notice: NoticeContent;
  readonly id: string;
  /** The target's sites (hex keys). */
  readonly sites: ReadonlySet<string>;
}

/**
 * Whom a peer's notices count against: its IPv4 address, or the /64 of an IPv6 one (a
 * host is handed a whole /64 and may use any address in it).
 */
export function hostKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** Adds `id` to a bounded memory (oldest forgotten first); true when it was not there. */
function remember(memory: Set<string>, id: string): boolean {
  if (memory.has(id)) return false;
  memory.add(id);
  if (memory.size > MAX_REMEMBERED_NOTICES) {
    const oldest = memory.values().next().value;
    if (oldest !== undefined) memory.delete(oldest);
  }
  return true;
}

export class ReplyNotices {
  readonly #options: ReplyNoticesOptions;
  readonly #limiter = new RateLimiter(NOTICE_LIMITS);
  readonly #dropped = new Map<string, number>();
  /** Notices sent or taken (their ids, hex), oldest first: an incoming copy is ignored. */
  readonly #seen = new Set<string>();
  /** Notices sent or forwarded: each is sent once. */
  readonly #sent = new Set<string>();
  /** Notices for peers that connect later, oldest first. */
  readonly #recent: Recent[] = [];
  /**
   * Checked notices whose target is not held yet, that came over a version still
   * downloading: a reader that connects to read the post is handed them on the handshake,
   * before it holds the post. Oldest first.
   */
  readonly #parked: { readonly notice: ReplyNotice; readonly from: PushSource; readonly atMs: number }[] = [];
  #closed = false;

  constructor(options: ReplyNoticesOptions) {
    this.#options = options;
  }

  /** What was refused so far, by code (`ERR_NOTICE_*` and core's `ERR_RECORD_*`, `ERR_POINTER_*`). */
  get dropped(): ReadonlyMap<string, number> {
    return this.#dropped;
  }

  /** Counts a notice refused after it was taken (its version does not hold the reply). */
  noteDropped(code: string): void {
    this.#dropped.set(code, (this.#dropped.get(code) ?? 0) + 1);
  }

  /**
   * Passes notice `notice` (an own reply's, or one whose version was checked) to the peers
   * of the target's sites, once: a notice already sent is not sent again. Keeps it for peers
   * that connect later. Resolves with how many peers it reached; never rejects.
   */
  async forward(notice: NoticeContent): Promise<number> {
    if (this.#closed || this.#options.enabled === false) return 0;
    const sites = this.#options.sitesOfItem(notice.target);
    const id = this.keep(notice, sites);
    remember(this.#seen, id);
    if (!remember(this.#sent, id)) return 0;
    const payload = this.#payload(notice);
    const sends = sites.flatMap((site) => this.#options.torrentsOf(site)).map((torrent) => this.#options.session.sendExtension(torrent, payload).catch(() => 0));
    const counts = await Promise.all(sends);
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Keeps a notice (e.g. one verified before a restart) for peers of `sites` that connect later; returns its id (hex). */
  keep(notice: NoticeContent, sites: readonly Uint8Array[]): string {
    const id = toHex(replyNoticeId(notice.record, notice.reply, notice.target));
    if (sites.length === 0) return id;
    const at = this.#recent.findIndex((recent) => recent.id === id);
    if (at >= 0) this.#recent.splice(at, 1);
    this.#recent.push({ notice, id, sites: new Set(sites.map(toHex)) });
    if (this.#recent.length > MAX_RECENT_NOTICES) this.#recent.shift();
    return id;
  }

  /** The wire form of `notice` as this node sends it: with its listen port. */
  #payload(notice: NoticeContent): Uint8Array {
    const port = this.#options.session.isClosed ? 0 : this.#options.session.listenPort;
    return encodeReplyNotice(notice, port > 0 ? port : undefined);
  }

  /** Stops taking notices (idempotent). */
  close(): void {
    this.#closed = true;
  }

  /** A reply notice arrived (the channel told it from a pushed record); what is refused is counted. */
  handleMessage(event: ExtensionEvent & { readonly payload: Buffer }): void {
    if (this.#closed || this.#options.enabled === false) return;
    const refused = this.#read(event);
    if (refused !== undefined) this.noteDropped(refused);
  }

  /** Reads one notice; returns why it was refused, if it was. */
  #read(event: ExtensionEvent & { readonly payload: Buffer }): string | undefined {
    const envelope = parseReplyNotice(event.payload);
    if (!envelope.ok) return envelope.error.code;
    // One this node sent or took already (the echo of a forward, or the same notice over
    // each version both peers hold): not an error, and not counted against the peer's rate
    // (no signature was checked yet).
    const id = toHex(envelope.value.id);
    if (this.#seen.has(id)) return undefined;
    const now = this.#options.now?.() ?? performance.now();
    if (!this.#limiter.take(hostKey(event.address), now)) return 'ERR_NOTICE_RATE';
    const decoded = decodeReplyNotice(event.payload);
    if (!decoded.ok) return decoded.error.code;
    const notice = decoded.value;
    if (this.#options.isBlocked(notice.record.publicKey)) return 'ERR_NOTICE_BLOCKED';
    const from: PushSource = { host: event.address, port: event.port, torrent: event.torrent };
    if (this.#options.sitesOfItem(notice.target).length === 0) {
      if (this.#options.isStored(event.torrent)) return 'ERR_NOTICE_UNKNOWN_TARGET';
      this.#parked.push({ notice, from, atMs: now });
      if (this.#parked.length > MAX_PARKED_NOTICES) {
        this.#parked.shift();
        return 'ERR_NOTICE_UNKNOWN_TARGET';
      }
      return undefined;
    }
    return this.#take(notice, id, from);
  }

  /** Hands a checked notice of a held target to `accept`; returns why it was refused, if it was. */
  #take(notice: ReplyNotice, id: string, from: PushSource): string | undefined {
    let refused: string | undefined;
    try {
      refused = this.#options.accept(notice, from);
    } catch {
      return 'ERR_NOTICE_ACCEPT';
    }
    if (refused !== undefined) return refused;
    // Taken: an echo of it is ignored; it is passed on once its version was checked.
    remember(this.#seen, id);
    return undefined;
  }

  /** A version was stored: the parked notices whose target it holds are taken, those too old given up. */
  versionStored(): void {
    if (this.#closed) return;
    const now = this.#options.now?.() ?? performance.now();
    for (const parked of this.#parked.splice(0)) {
      const id = toHex(parked.notice.id);
      let refused: string | undefined;
      if (this.#seen.has(id)) continue;
      if (this.#options.sitesOfItem(parked.notice.target).length > 0) refused = this.#take(parked.notice, id, parked.from);
      else if (now - parked.atMs > PARKED_NOTICE_MS) refused = 'ERR_NOTICE_UNKNOWN_TARGET';
      else this.#parked.push(parked);
      if (refused !== undefined) this.noteDropped(refused);
    }
  }

  /** A peer's extension handshake arrived: it is handed the recent notices about the torrent's site. */
  handlePeer(event: ExtensionEvent): void {
    if (this.#closed || this.#options.enabled === false) return;
    const site = this.#options.siteOf(event.torrent);
    if (site === undefined) return;
    const hex = toHex(site);
    const about = this.#recent.filter((recent) => recent.sites.has(hex)).slice(-MAX_NOTICES_PER_HANDSHAKE);
    for (const recent of about) {
      this.#options.session.sendExtension(event.torrent, this.#payload(recent.notice), { host: event.address, port: event.port }).catch(() => 0);
    }
  }
}
