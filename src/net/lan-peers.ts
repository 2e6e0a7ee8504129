/**
 * The table of LAN peers a node has heard announce themselves over mDNS, bounded
 * whatever the LAN sends: at most `maxPeers` entries and `maxPerSource` per source
 * address; entries expire `peerTtlMs` after their last announcement; a goodbye removes an
 * entry `goodbyeGraceMs` later unless the instance announces itself again first (RFC 6762
 * section 10.1 — which is also how a node republishing a changed TXT record is seen as
 * one update, not a leave and a return).
 *
 * An entry is keyed by the packet's source address and the instance domain: a host can
 * only speak for itself, so a spoofer announcing another node's instance name (or saying
 * goodbye in its name) makes an entry of its own and changes nothing of the other's.
 * When a full table refuses a newcomer, the entries it has are kept (they expire on their
 * own if they stop announcing): a flood cannot push genuine peers out.
 *
 * Nothing here is identity: a peer is what was announced, for connecting and asking; the
 * signed records decide everything else. Time is an argument; nothing here reads a clock.
 */
import type { LanNotice, NoticeSite } from '../core/lan-notice.js';

/** A node on the LAN, as it announced itself. */
export interface LanPeer {
  /** Opaque and stable while the entry lives: source address and instance domain. */
  readonly id: string;
  /** The announced instance name (display only). */
  readonly instance: string;
  /** The announced instance domain, lower-cased (`<instance>._swarmpress._tcp.local`). */
  readonly domain: string;
  /** Where to connect: the IPv4 source address of the announcement. */
  readonly host: string;
  /** The announced BitTorrent listen port. */
  readonly port: number;
  /** The announced sites with their seq (claims, until a signed record confirms them). */
  readonly sites: readonly NoticeSite[];
  /** How many sites the peer says it carries (its notice may not list them all). */
  readonly carried: number;
  /** The IPv4 addresses the peer announced for itself (unverified; `host` is the one to use). */
  readonly addresses: readonly string[];
}

export type PeerDownReason = 'goodbye' | 'expired' | 'replaced';

export type PeerChange =
  | { readonly kind: 'up'; readonly peer: LanPeer }
  | { readonly kind: 'updated'; readonly peer: LanPeer; readonly previous: LanPeer }
  | { readonly kind: 'down'; readonly peer: LanPeer; readonly reason: PeerDownReason };

/** Why an announcement was not taken into the table. */
export type PeerRefusal = 'ERR_LAN_TABLE_FULL' | 'ERR_LAN_SOURCE_FULL';

export interface PeerTableLimits {
  /** Most peers in the table. */
  readonly maxPeers: number;
  /** Most peers announced from one source address (several nodes may share a host). */
  readonly maxPerSource: number;
  /** How long a peer stays after its last announcement. */
  readonly peerTtlMs: number;
  /** How long after a goodbye a peer is removed, unless it announces itself again. */
  readonly goodbyeGraceMs: number;
}

/** What one announcement did. */
export interface AnnounceResult {
  readonly changes: readonly PeerChange[];
  readonly refused?: PeerRefusal;
}

interface Entry {
  peer: LanPeer;
  source: string;
  expiresMs: number;
  /** It said goodbye and has not announced itself since. */
  leaving: boolean;
}

function sameSites(a: readonly NoticeSite[], b: readonly NoticeSite[]): boolean {
  return a.length === b.length && a.every((site, i) => site.key === b[i]?.key && site.seq === b[i].seq && site.title === b[i].title);
}

function samePeer(a: LanPeer, b: LanPeer): boolean {
  return (
    a.port === b.port &&
    a.carried === b.carried &&
    a.instance === b.instance &&
    sameSites(a.sites, b.sites) &&
    a.addresses.length === b.addresses.length &&
    a.addresses.every((address, i) => address === b.addresses[i])
  );
}

export class LanPeerTable {
  readonly #limits: PeerTableLimits;
  readonly #entries = new Map<string, Entry>();
  readonly #perSource = new Map<string, number>();

  constructor(limits: PeerTableLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
    }
    this.#limits = limits;
  }

  /** Every peer, in the order they came up. */
  get peers(): readonly LanPeer[] {
    return [...this.#entries.values()].map((entry) => entry.peer);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Takes an announcement of `domain` (lower-cased) from `source` at `nowMs`. */
  announce(source: string, domain: string, instance: string, notice: LanNotice, addresses: readonly string[], nowMs: number): AnnounceResult {
    const id = `${source} ${domain}`;
    const peer: LanPeer = Object.freeze({
      id,
      instance,
      domain,
      host: source,
      port: notice.port,
      sites: Object.freeze([...notice.sites]),
      carried: notice.carried,
      addresses: Object.freeze([...addresses]),
    });
    const expiresMs = nowMs + this.#limits.peerTtlMs;
    const existing = this.#entries.get(id);
    if (existing !== undefined) {
      existing.expiresMs = expiresMs;
      existing.leaving = false;
      if (samePeer(existing.peer, peer)) return { changes: [] };
      const previous = existing.peer;
      existing.peer = peer;
      return { changes: [{ kind: 'updated', peer, previous }] };
    }
    const changes: PeerChange[] = [];
    // A node that restarted comes back with a new instance name on the same host and port:
    // its old entry is replaced rather than left to expire.
    for (const [otherId, other] of this.#entries) {
      if (other.source === source && other.peer.port === peer.port) {
        this.#remove(otherId, other);
        changes.push({ kind: 'down', peer: other.peer, reason: 'replaced' });
      }
    }
    if ((this.#perSource.get(source) ?? 0) >= this.#limits.maxPerSource) return { changes, refused: 'ERR_LAN_SOURCE_FULL' };
    if (this.#entries.size >= this.#limits.maxPeers) return { changes, refused: 'ERR_LAN_TABLE_FULL' };
    this.#entries.set(id, { peer, source, expiresMs, leaving: false });
    this.#perSource.set(source, (this.#perSource.get(source) ?? 0) + 1);
    changes.push({ kind: 'up', peer });
    return { changes };
  }

  /** Takes a goodbye of `domain` from `source`: the peer goes after the grace period. */
  goodbye(source: string, domain: string, nowMs: number): void {
    const entry = this.#entries.get(`${source} ${domain}`);
    if (entry === undefined) return;
    entry.expiresMs = Math.min(entry.expiresMs, nowMs + this.#limits.goodbyeGraceMs);
    entry.leaving = true;
  }

  /** Removes the peers whose time is up at `nowMs`. */
  expire(nowMs: number): PeerChange[] {
    const changes: PeerChange[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.expiresMs <= nowMs) {
        this.#remove(id, entry);
        changes.push({ kind: 'down', peer: entry.peer, reason: entry.leaving ? 'goodbye' : 'expired' });
      }
    }
    return changes;
  }

  /** When {@link expire} next has something to do, or undefined for an empty table. */
  nextExpiryMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.#entries.values()) if (next === undefined || entry.expiresMs < next) next = entry.expiresMs;
    return next;
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    const count = (this.#perSource.get(entry.source) ?? 1) - 1;
    if (count <= 0) this.#perSource.delete(entry.source);
    else this.#perSource.set(entry.source, count);
  }
}
