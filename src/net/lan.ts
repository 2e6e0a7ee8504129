/**
 * LAN discovery over mDNS/DNS-SD (DESIGN.md "LAN and fast updates"): advertises this node
 * as a `_swarmpress._tcp` service (port = its BitTorrent listen port, TXT = the LAN notice
 * of src/core/lan-notice.ts), browses for the other nodes, and emits typed events when a
 * peer comes up, changes (a new seq of a site) or goes down.
 *
 * bonjour-service does the advertising: its responder answers queries and its registry
 * announces the service. A changed notice is republished at once (a goodbye for the old
 * records and an announcement of the new ones, in two datagrams), so neighbours see a new
 * seq within a LAN round trip; receivers treat the goodbye as RFC 6762 section 10.1 says
 * (remove one second later unless re-announced), so a republish is one update.
 *
 * Browsing is done here rather than with bonjour-service's Browser, which keeps every
 * service it ever heard of (no bound, O(n) per packet) and trusts what it reads. Every
 * packet from the LAN is hostile until checked: multicast-dns drops what dns-packet cannot
 * decode; what it decodes is rate-limited per source and in total, read within fixed
 * limits (lan-packet.ts), the TXT record decoded by src/core, and kept in a bounded table
 * (lan-peers.ts). What is refused is counted by code (`dropped`), never thrown. Queries are
 * rate-limited too, so that a query flood cannot make this node flood the LAN with answers.
 *
 * Nothing learned here is identity: a peer is an address, a port and claims about sites,
 * for connecting and asking; only signed records count. Even the address is a claim (a
 * raw socket forges a packet's source): {@link LanDiscovery.confirm} checks it by a unicast
 * round trip (lan-check.ts) before anyone connects there.
 *
 * Ownership: whoever opens a LanDiscovery closes it (`close()`, idempotent), which says
 * goodbye on the LAN and frees the socket.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Bonjour, type Service } from 'bonjour-service';
import { AppError } from '../core/errors.js';
import { decodeLanNotice, encodeLanNotice, type EncodedNotice, type NoticeSite } from '../core/lan-notice.js';
import { isCheckOf, PathChecks } from './lan-check.js';
import { readAnnouncements, SERVICE_DOMAIN } from './lan-packet.js';
import { LanPeerTable, type LanPeer, type PeerChange, type PeerDownReason, type PeerTableLimits } from './lan-peers.js';
import { RateLimiter } from './rate-limiter.js';

export type { LanPeer, PeerDownReason } from './lan-peers.js';

/** The DNS-SD service type (bonjour-service adds the underscores and `_tcp`). */
const SERVICE_TYPE = 'swarmpress';
/**
 * Budget of the TXT record in an announcement. dns-packet does not compress names, and the
 * other records of our announcement (two PTR, SRV, one A) take about 360 bytes (measured
 * with dns-packet 5.6.1, 23-character instance name): 1000 keeps the datagram under the
 * 1472 bytes of UDP payload in a 1500-byte Ethernet frame, with room for a few more A
 * records; a full 1300-byte notice would be fragmented. About 10 sites fit without titles.
 */
export const ANNOUNCE_TXT_BYTES = 1000;
/**
 * How often the notice may be republished: a burst of 10 at once, then one every 100 ms;
 * changes that come faster are coalesced into the next republish. Each republish is two
 * datagrams, so a node sends at most ~20 a second, well within what receivers accept from
 * one source (RESPONSE_LIMITS), and a single change goes out at once.
 */
export const REPUBLISH_LIMIT = { perSecond: 10, burst: 10 } as const;
/** When a republish had to wait, it is tried again after this long (one token of {@link REPUBLISH_LIMIT}). */
const REPUBLISH_RETRY_MS = 1000 / REPUBLISH_LIMIT.perSecond;
/** The node re-announces itself this often, so that peers keep it ({@link DEFAULT_PEER_LIMITS}.peerTtlMs). */
export const KEEPALIVE_INTERVAL_MS = 60_000;
/** Queries for the other nodes when starting (RFC 6762 section 5.2: at least 1 s apart, then doubling). */
const STARTUP_QUERY_DELAYS_MS = [0, 1000, 3000] as const;
/** How long a goodbye is sent for before the socket closes. */
const CLOSE_TIMEOUT_MS = 1000;
const MDNS_PORT = 5353;

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
 * second ({@link REPUBLISH_LIMIT}) plus answers to queries; a flood from one
 * source costs at most 40 readings a second, floods from many at most 400.
 */
const RESPONSE_LIMITS = { perKey: { perSecond: 40, burst: 80 }, total: { perSecond: 400, burst: 800 }, maxKeys: 1024 } as const;
/** Queries answered per source address and in total (each answer is a multicast datagram). */
export const QUERY_LIMITS = { perKey: { perSecond: 2, burst: 6 }, total: { perSecond: 20, burst: 40 }, maxKeys: 1024 } as const;

export interface LanDiscoveryOptions {
  /** This node's BitTorrent listen port, 1 to 65535: the service's port and the notice's. */
  readonly port: number;
  /** The sites to announce, most important first (see {@link LanDiscovery.setSites}). */
  readonly sites?: readonly NoticeSite[];
  /**
   * The IPv4 address of the interface to use: multicast membership and outgoing multicast
   * go through it (in a network namespace, its one veth address). Default: every interface.
   */
  readonly interfaceAddress?: string;
  /** The instance name to announce (letters, digits, '-'); default `swarmpress-<12 random hex digits>`. */
  readonly instanceName?: string;
  /** Limits of the peer table (defaults: {@link DEFAULT_PEER_LIMITS}). */
  readonly limits?: Partial<PeerTableLimits>;
  /** A monotonic clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

export interface LanDiscoveryEvents {
  /** A node announced itself for the first time. */
  'peer-up': [peer: LanPeer];
  /** A node announced something new (a site's seq, its sites, its port): the peer, and what it was. */
  'peer-updated': [peer: LanPeer, previous: LanPeer];
  /** A node said goodbye, went quiet, or was replaced by a restart of itself. */
  'peer-down': [peer: LanPeer, reason: PeerDownReason];
  /** Something failed that does not stop discovery (a send, the socket); also counted in `dropped`. */
  warning: [error: AppError];
}

/** The parts of multicast-dns (reached through bonjour-service) that are used here. */
interface Mdns {
  on(event: 'response' | 'query', listener: (packet: unknown, rinfo: unknown) => void): unknown;
  on(event: 'warning' | 'error', listener: (error: unknown) => void): unknown;
  once(event: 'ready', listener: () => void): unknown;
  once(event: 'error', listener: (error: unknown) => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
  off(event: 'error' | 'warning', listener: (error: unknown) => void): unknown;
  listeners(event: 'query'): ((packet: unknown, rinfo: unknown) => void)[];
  removeAllListeners(event: 'query'): unknown;
  query(name: string, type: string, callback: (error: Error | null) => void): void;
  respond(records: unknown[] | { id: number; answers: unknown[] }, rinfo: ((error: Error | null) => void) | { address: string; port: number }, callback?: (error: Error | null) => void): void;
  send(message: { type: 'query'; id: number; questions: { name: string; type: string }[] }, rinfo: { address: string; port: number }, callback: (error: Error | null) => void): void;
}

/**
 * The multicast-dns instance inside bonjour-service (`bonjour.server.mdns`, not part of
 * its typed API): checked here, so that a change of the library fails loudly at open.
 */
function mdnsOf(bonjour: Bonjour): Mdns {
  const mdns = (bonjour as unknown as { server?: { mdns?: Record<string, unknown> } }).server?.mdns;
  for (const method of ['on', 'once', 'off', 'listeners', 'removeAllListeners', 'query', 'respond', 'send']) {
    if (typeof mdns?.[method] !== 'function') throw new AppError('ERR_LAN_LIBRARY', `bonjour-service has no server.mdns.${method}(): was it upgraded?`);
  }
  return mdns as unknown as Mdns;
}

function sourceOf(rinfo: unknown): string | undefined {
  const address = typeof rinfo === 'object' && rinfo !== null ? (rinfo as { address?: unknown }).address : undefined;
  return typeof address === 'string' && isIPv4(address) ? address : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

export class LanDiscovery extends EventEmitter<LanDiscoveryEvents> {
  readonly #port: number;
  readonly #instanceName: string;
  readonly #domain: string;
  readonly #now: () => number;
  readonly #bonjour: Bonjour;
  readonly #mdns: Mdns;
  readonly #table: LanPeerTable;
  readonly #responses = new RateLimiter(RESPONSE_LIMITS);
  readonly #queries = new RateLimiter(QUERY_LIMITS);
  readonly #republishes = new RateLimiter({ perKey: REPUBLISH_LIMIT, maxKeys: 1 });
  readonly #dropped = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Return-path checks of neighbours (lan-check.ts). */
  readonly #checks: PathChecks;
  #notice: EncodedNotice;
  #service: Service | undefined;
  #republishTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #expiryAtMs: number | undefined;
  #closing: Promise<void> | undefined;

  /**
   * Opens the mDNS socket (UDP 5353 with SO_REUSEADDR, so that it can share the port with
   * another responder that allows it), announces this node and starts browsing. Rejects
   * with TypeError/RangeError for bad options, and with an AppError `ERR_LAN_OPEN` when the
   * socket cannot be bound or the interface cannot join the mDNS group.
   */
  static async open(options: LanDiscoveryOptions): Promise<LanDiscovery> {
    const lan = new LanDiscovery(options);
    try {
      await lan.#ready(options.interfaceAddress !== undefined);
    } catch (error) {
      await lan.close();
      throw error;
    }
    lan.#start();
    return lan;
  }

  private constructor(options: LanDiscoveryOptions) {
    super();
    const { port, interfaceAddress, instanceName } = options;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError('port must be an integer from 1 to 65535');
    if (interfaceAddress !== undefined && !isIPv4(interfaceAddress)) throw new TypeError('interfaceAddress must be an IPv4 address');
    if (instanceName !== undefined && !INSTANCE_NAME.test(instanceName)) throw new TypeError('instanceName must be 1 to 63 letters, digits and hyphens');
    this.#port = port;
    this.#notice = encodeLanNotice({ port, sites: options.sites ?? [] }, ANNOUNCE_TXT_BYTES);
    this.#instanceName = instanceName ?? `swarmpress-${randomBytes(6).toString('hex')}`;
    this.#domain = `${this.#instanceName.toLowerCase()}.${SERVICE_DOMAIN}`;
    this.#now = options.now ?? (() => performance.now());
    this.#table = new LanPeerTable({ ...DEFAULT_PEER_LIMITS, ...options.limits });
    // multicast-dns binds to `interface` unless told otherwise, and a socket bound to a
    // unicast address receives no multicast on Linux: bind to every address, join the
    // group on the one interface.
    const socketOptions = interfaceAddress === undefined ? {} : { interface: interfaceAddress, bind: '0.0.0.0' };
    // bonjour-service throws from its send callback unless given one.
    this.#bonjour = new Bonjour(socketOptions as ConstructorParameters<typeof Bonjour>[0], (error: unknown) => {
      this.#warn('ERR_LAN_SEND', `an mDNS answer could not be sent: ${messageOf(error)}`);
    });
    try {
      this.#mdns = mdnsOf(this.#bonjour);
    } catch (error) {
      this.#bonjour.destroy();
      throw error;
    }
    const mdns = this.#mdns;
    this.#checks = new PathChecks({
      send: (id, domain, host, done) => {
        mdns.send({ type: 'query', id, questions: [{ name: domain, type: 'SRV' }] }, { address: host, port: MDNS_PORT }, done);
      },
      onFailed: () => {
        this.#drop('ERR_LAN_UNCONFIRMED');
      },
    });
    this.#mdns.on('response', (packet, rinfo) => {
      this.#handleResponse(packet, rinfo);
    });
    this.#guardQueries();
    this.#mdns.on('warning', (error) => {
      // Socket errors are system errors (they name a syscall); the rest are dns-packet's
      // decoding errors (plain Errors and Node's RangeErrors of buffer reads).
      if (typeof (error as { syscall?: unknown }).syscall === 'string') this.#warn('ERR_LAN_SOCKET', `mDNS socket: ${messageOf(error)}`);
      else this.#drop('ERR_LAN_PACKET_MALFORMED');
    });
    this.#mdns.on('error', (error) => {
      this.#warn('ERR_LAN_SOCKET', `mDNS socket: ${messageOf(error)}`);
    });
  }

  /** The instance name this node announces. */
  get instanceName(): string {
    return this.#instanceName;
  }

  /** The peers heard from, in the order they came up. */
  get peers(): readonly LanPeer[] {
    return this.#table.peers;
  }

  /** What was refused or failed so far, by code (`ERR_LAN_*`, `ERR_LAN_NOTICE_*`). */
  get dropped(): ReadonlyMap<string, number> {
    return this.#dropped;
  }

  /** What the current announcement left out of the sites it was given (see encodeLanNotice). */
  get omitted(): { readonly sites: readonly string[]; readonly titles: readonly string[] } {
    return { sites: this.#notice.omitted, titles: this.#notice.untitled };
  }

  /**
   * Announces `sites` (most important first) instead of the current ones: at once, or as
   * soon as {@link REPUBLISH_LIMIT} allows, with whatever was set last by then. Nothing is
   * sent when the notice does not change. Throws TypeError/RangeError for malformed sites
   * (see encodeLanNotice).
   */
  setSites(sites: readonly NoticeSite[]): void {
    const notice = encodeLanNotice({ port: this.#port, sites }, ANNOUNCE_TXT_BYTES);
    if (this.#closing !== undefined) return;
    const changed = notice.strings.length !== this.#notice.strings.length || notice.strings.some((s, i) => s !== this.#notice.strings[i]);
    this.#notice = notice;
    if (changed) this.#republish();
  }

  /**
   * Whether `peer` really is at its source address (issue #25 item 9; lan-check.ts): it
   * answered a unicast query with a random id sent there. Never rejects.
   */
  confirm(peer: LanPeer): Promise<boolean> {
    return this.#checks.confirm(peer);
  }

  /** Says goodbye on the LAN and closes the socket. Idempotent; no event is emitted after it. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#checks.close();
      for (const timer of this.#timers) clearTimeout(timer);
      clearTimeout(this.#republishTimer);
      clearTimeout(this.#expiryTimer);
      let destroyed = false;
      const destroy = (): void => {
        clearTimeout(deadline);
        if (destroyed) return;
        destroyed = true;
        try {
          this.#bonjour.destroy(() => {
            resolve();
          });
        } catch {
          // A socket that never bound has nothing to close.
          resolve();
        }
      };
      const deadline = setTimeout(destroy, CLOSE_TIMEOUT_MS);
      this.#bonjour.unpublishAll(destroy);
    });
    return this.#closing;
  }

  #ready(joinsInterface: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: unknown): void => {
        this.#mdns.off('ready', onReady);
        this.#mdns.off('error', onError);
        this.#mdns.off('warning', onWarning);
        reject(new AppError('ERR_LAN_OPEN', `the mDNS socket could not be opened: ${messageOf(error)}`));
      };
      // An interface that cannot join 224.0.0.251 would hear nothing: fail rather than wait.
      const onWarning = (error: unknown): void => {
        if (joinsInterface && (error as { syscall?: unknown }).syscall === 'addMembership') onError(error);
      };
      const onReady = (): void => {
        this.#mdns.off('error', onError);
        this.#mdns.off('warning', onWarning);
        resolve();
      };
      this.#mdns.once('ready', onReady);
      this.#mdns.once('error', onError);
      this.#mdns.on('warning', onWarning);
    });
  }

  #start(): void {
    this.#republishes.take('self', this.#now());
    this.#publish();
    for (const delay of STARTUP_QUERY_DELAYS_MS) {
      this.#later(delay, () => {
        this.#query();
      });
    }
    const keepAlive = setInterval(() => {
      this.#announceAgain();
    }, KEEPALIVE_INTERVAL_MS);
    keepAlive.unref();
    this.#timers.add(keepAlive);
  }

  #later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#closing === undefined) action();
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Publishes the current notice now if the limit allows, else once it does (one pending retry at most). */
  #republish(): void {
    if (this.#republishTimer !== undefined || this.#closing !== undefined) return;
    if (this.#republishes.take('self', this.#now())) {
      this.#publish();
      return;
    }
    this.#republishTimer = setTimeout(() => {
      this.#republishTimer = undefined;
      this.#republish();
    }, REPUBLISH_RETRY_MS);
    this.#republishTimer.unref();
  }

  #publish(): void {
    // The old records go with a goodbye; receivers keep the peer for the grace period, in
    // which the new announcement (sent right after, on the same socket) arrives.
    // bonjour-service re-announces a service (1 s, 3 s, 9 s … up to an hour) from the
    // callback of its first send, which marks it active again if it was stopped before that
    // callback ran: the old notice was re-announced and neighbours saw the sites vanish and
    // come back (issue #25). A destroyed service's re-announcements stop.
    if (this.#service !== undefined) this.#service.destroyed = true;
    this.#service?.stop();
    this.#service = this.#bonjour.publish({
      name: this.#instanceName,
      type: SERVICE_TYPE,
      port: this.#port,
      host: `${this.#instanceName}.local`,
      txt: Object.fromEntries(this.#notice.attributes),
      probe: false,
      disableIPv6: true,
    });
  }

  #announceAgain(): void {
    const service = this.#service;
    if (service === undefined) return;
    this.#mdns.respond(service.records(), (error) => {
      if (error !== null) this.#warn('ERR_LAN_SEND', `the keep-alive announcement could not be sent: ${error.message}`);
    });
  }

  #query(): void {
    this.#mdns.query(SERVICE_DOMAIN, 'PTR', (error) => {
      if (error !== null) this.#warn('ERR_LAN_SEND', `the mDNS query could not be sent: ${error.message}`);
    });
  }

  /** bonjour-service answers every query it can; answer only within the rate limits. */
  #guardQueries(): void {
    const responders = this.#mdns.listeners('query');
    this.#mdns.removeAllListeners('query');
    this.#mdns.on('query', (packet, rinfo) => {
      if (this.#closing !== undefined) return;
      const source = sourceOf(rinfo);
      if (source === undefined || !this.#queries.take(source, this.#now())) {
        this.#drop('ERR_LAN_QUERY_RATE_LIMITED');
        return;
      }
      if (typeof packet !== 'object' || packet === null || !Array.isArray((packet as { questions?: unknown }).questions)) {
        this.#drop('ERR_LAN_PACKET_SHAPE');
        return;
      }
      try {
        this.#answerCheck(packet as { id?: unknown; questions: unknown[] }, source, rinfo);
        for (const responder of responders) responder(packet, rinfo);
      } catch (error) {
        this.#warn('ERR_LAN_ANSWER', `answering an mDNS query failed: ${messageOf(error)}`);
      }
    });
  }

  /**
   * A return-path check by another node (lan-check.ts): a query with a non-zero id for this
   * node's own instance is answered by unicast to where it came from, with that id.
   * (bonjour-service answers it too, by multicast, with id 0, which checks nothing.)
   */
  #answerCheck(packet: { id?: unknown; questions: unknown[] }, source: string, rinfo: unknown): void {
    const id = isCheckOf(packet, this.#domain);
    const port = typeof rinfo === 'object' && rinfo !== null ? (rinfo as { port?: unknown }).port : undefined;
    if (id === undefined || typeof port !== 'number' || this.#service === undefined) return;
    this.#mdns.respond({ id, answers: this.#service.records() }, { address: source, port }, (error) => {
      if (error !== null) this.#warn('ERR_LAN_SEND', `a return-path check could not be answered: ${error.message}`);
    });
  }

  #handleResponse(packet: unknown, rinfo: unknown): void {
    if (this.#closing !== undefined) return;
    const changes: PeerChange[] = [];
    try {
      const source = sourceOf(rinfo);
      if (source === undefined) {
        this.#drop('ERR_LAN_PACKET_SHAPE');
        return;
      }
      const now = this.#now();
      if (!this.#responses.take(source, now)) {
        this.#drop('ERR_LAN_RATE_LIMITED');
        return;
      }
      this.#checks.settle(packet, source);
      const reading = readAnnouncements(packet);
      for (const problem of reading.problems) this.#drop(problem);
      for (const announcement of reading.announcements) {
        if (announcement.domain === this.#domain) continue;
        if (announcement.goodbye) {
          this.#table.goodbye(source, announcement.domain, now);
          continue;
        }
        const notice = decodeLanNotice(announcement.txt);
        if (!notice.ok) {
          this.#drop(notice.error.code);
          continue;
        }
        if (notice.value.port !== announcement.port) {
          this.#drop('ERR_LAN_PORT_MISMATCH');
          continue;
        }
        const result = this.#table.announce(source, announcement.domain, announcement.instance, notice.value, announcement.addresses, now);
        if (result.refused !== undefined) this.#drop(result.refused);
        changes.push(...result.changes);
      }
      this.#scheduleExpiry();
    } catch (error) {
      // A defect here must not take the process down with a packet from the LAN.
      this.#warn('ERR_LAN_INTERNAL', `an mDNS response could not be handled: ${messageOf(error)}`);
    }
    this.#emitChanges(changes);
  }

  #emitChanges(changes: readonly PeerChange[]): void {
    for (const change of changes) {
      if (change.kind === 'down') this.#checks.forget(change.peer);
      if (change.kind === 'up') this.emit('peer-up', change.peer);
      else if (change.kind === 'updated') this.emit('peer-updated', change.peer, change.previous);
      else this.emit('peer-down', change.peer, change.reason);
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
        if (this.#closing !== undefined) return;
        const changes = this.#table.expire(this.#now());
        this.#scheduleExpiry();
        this.#emitChanges(changes);
      },
      Math.max(0, next - this.#now()),
    );
    this.#expiryTimer.unref();
  }

  #drop(code: string): void {
    this.#dropped.set(code, (this.#dropped.get(code) ?? 0) + 1);
  }

  #warn(code: string, message: string): void {
    this.#drop(code);
    if (this.#closing === undefined) this.emit('warning', new AppError(code, message));
  }
}
