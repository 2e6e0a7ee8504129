/**
 * The browsing side of LAN discovery (lan.ts): asks for the other nodes, reads their
 * announcements, keeps them in a bounded table (lan-peers.ts), and emits a typed event
 * when a peer comes up, changes (a new seq of a site) or goes down.
 *
 * Browsing is done here rather than with bonjour-service's Browser, which keeps every
 * service it ever heard of (no bound, O(n) per packet) and trusts what it reads. Every
 * packet from the LAN is hostile until checked: multicast-dns drops what dns-packet cannot
 * decode; what it decodes is rate-limited per source and in total, read within fixed
 * limits (lan-packet.ts), the TXT record decoded by src/core, and kept in a bounded table.
 * What is refused is counted by code (LanContext.drop), never thrown. Receivers treat a
 * goodbye as RFC 6762 section 10.1 says (remove one second later unless re-announced), so
 * a neighbour's republish is one update.
 *
 * Ownership: made and closed by one LanDiscovery.
 */
import { decodeLanNotice } from '../core/lan-notice.js';
import type { PathChecks } from './lan-check.js';
import { messageOf, sourceOf, type LanContext, type Mdns } from './lan-mdns.js';
import { readAnnouncements, SERVICE_DOMAIN } from './lan-packet.js';
import type { LanPeer, LanPeerTable, PeerChange, PeerDownReason, PeerTableLimits } from './lan-peers.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Limits of the peer table. Announced TTLs are not trusted (a peer could pin itself
 * forever): peers are kept 150 s after the last announcement, so that a live node, which
 * re-announces every 60 s, may miss one keep-alive and stay.
 */
export const DEFAULT_PEER_LIMITS: PeerTableLimits = Object.freeze({
  maxPeers: 256,
  maxPerSource: 4,
  peerTtlMs: 150_000,
  goodbyeGraceMs: 1000,
});

/**
 * Responses handled per source address and in total. A node sends at most ~20 datagrams a
 * second (lan-announcer.ts REPUBLISH_LIMIT) plus answers to queries; a flood from one
 * source costs at most 40 readings a second, floods from many at most 400.
 */
const RESPONSE_LIMITS = { perKey: { perSecond: 40, burst: 80 }, total: { perSecond: 400, burst: 800 }, maxKeys: 1024 } as const;

/** The events about neighbours (part of LanDiscoveryEvents). */
export interface LanPeerEvents {
  /** A node announced itself for the first time. */
  'peer-up': [peer: LanPeer];
  /** A node announced something new (a site's seq, its sites, its port): the peer, and what it was. */
  'peer-updated': [peer: LanPeer, previous: LanPeer];
  /** A node said goodbye, went quiet, or was replaced by a restart of itself. */
  'peer-down': [peer: LanPeer, reason: PeerDownReason];
}

/** Where the browser's events go (the LanDiscovery, an EventEmitter of LanPeerEvents). */
export interface LanPeerSink {
  emit<K extends keyof LanPeerEvents>(event: K, ...args: LanPeerEvents[K]): boolean;
}

/** The neighbours of one LanDiscovery, as their announcements say. */
export class LanBrowser {
  readonly #mdns: Mdns;
  readonly #context: LanContext;
  /** This node's own instance (its own announcements are skipped). */
  readonly #domain: string;
  readonly #table: LanPeerTable;
  readonly #checks: PathChecks;
  readonly #sink: LanPeerSink;
  readonly #responses = new RateLimiter(RESPONSE_LIMITS);
  #expiryTimer: NodeJS.Timeout | undefined;
  #expiryAtMs: number | undefined;

  /** Listens to responses at once; `table` is this browser's alone. */
  constructor(mdns: Mdns, context: LanContext, options: { domain: string; table: LanPeerTable; checks: PathChecks; sink: LanPeerSink }) {
    this.#mdns = mdns;
    this.#context = context;
    this.#domain = options.domain;
    this.#table = options.table;
    this.#checks = options.checks;
    this.#sink = options.sink;
    this.#mdns.on('response', (packet, rinfo) => {
      this.#handleResponse(packet, rinfo);
    });
  }

  /** The peers heard from, in the order they came up. */
  get peers(): readonly LanPeer[] {
    return this.#table.peers;
  }

  /** Asks the LAN for the swarmpress services. */
  query(): void {
    this.#mdns.query(SERVICE_DOMAIN, 'PTR', (error) => {
      if (error !== null) this.#context.warn('ERR_LAN_SEND', `the mDNS query could not be sent: ${error.message}`);
    });
  }

  /** Stops the expiry timer. */
  close(): void {
    clearTimeout(this.#expiryTimer);
  }

  #handleResponse(packet: unknown, rinfo: unknown): void {
    if (this.#context.isClosing()) return;
    const changes: PeerChange[] = [];
    try {
      const source = sourceOf(rinfo);
      if (source === undefined) {
        this.#context.drop('ERR_LAN_PACKET_SHAPE');
        return;
      }
      const now = this.#context.now();
      if (!this.#responses.take(source, now)) {
        this.#context.drop('ERR_LAN_RATE_LIMITED');
        return;
      }
      this.#checks.settle(packet, source);
      const reading = readAnnouncements(packet);
      for (const problem of reading.problems) this.#context.drop(problem);
      for (const announcement of reading.announcements) {
        if (announcement.domain === this.#domain) continue;
        if (announcement.goodbye) {
          this.#table.goodbye(source, announcement.domain, now);
          continue;
        }
        const notice = decodeLanNotice(announcement.txt);
        if (!notice.ok) {
          this.#context.drop(notice.error.code);
          continue;
        }
        if (notice.value.port !== announcement.port) {
          this.#context.drop('ERR_LAN_PORT_MISMATCH');
          continue;
        }
        const result = this.#table.announce(source, announcement.domain, announcement.instance, notice.value, announcement.addresses, now);
        if (result.refused !== undefined) this.#context.drop(result.refused);
        changes.push(...result.changes);
      }
      this.#scheduleExpiry();
    } catch (error) {
      // A defect here must not take the process down with a packet from the LAN.
      this.#context.warn('ERR_LAN_INTERNAL', `an mDNS response could not be handled: ${messageOf(error)}`);
    }
    this.#emitChanges(changes);
  }

  #emitChanges(changes: readonly PeerChange[]): void {
    for (const change of changes) {
      if (change.kind === 'down') this.#checks.forget(change.peer);
      if (change.kind === 'up') this.#sink.emit('peer-up', change.peer);
      else if (change.kind === 'updated') this.#sink.emit('peer-updated', change.peer, change.previous);
      else this.#sink.emit('peer-down', change.peer, change.reason);
    }
  }

  #scheduleExpiry(): void {
    const next = this.#table.nextExpiryMs();
    // A timer that fires earlier than needed finds nothing to do and sets the next one.
    if (next === undefined || (this.#expiryAtMs !== undefined && this.#expiryAtMs <= next)) return;
    clearTimeout(this.#expiryTimer);
    this.#expiryAtMs = next;
    this.#expiryTimer = setTimeout(
      () => {
        this.#expiryTimer = undefined;
        this.#expiryAtMs = undefined;
        if (this.#context.isClosing()) return;
        const changes = this.#table.expire(this.#context.now());
        this.#scheduleExpiry();
        this.#emitChanges(changes);
      },
      Math.max(0, next - this.#context.now()),
    );
    this.#expiryTimer.unref();
  }
}
