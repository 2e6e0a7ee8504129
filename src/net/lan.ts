/**
 * LAN discovery over mDNS/DNS-SD (DESIGN.md "LAN and fast updates"): advertises this node
 * as a `_swarmpress._tcp` service (port = its BitTorrent listen port, TXT = the LAN notice
 * of src/core/lan-notice.ts), browses for the other nodes, and emits typed events when a
 * peer comes up, changes (a new seq of a site) or goes down.
 *
 * This is the facade that opens the socket (lan-mdns.ts), validates the options, counts
 * what is refused, and closes; the parts are rooms of their own: the announcement and the
 * answers to queries (lan-announcer.ts), the browsing of neighbours (lan-browser.ts), and
 * the return-path checks (lan-check.ts). Every packet from the LAN is hostile until
 * checked; what is refused is counted by code (`dropped`), never thrown.
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
import { Bonjour } from 'bonjour-service';
import { AppError } from '../core/errors.js';
import type { NoticeSite } from '../core/lan-notice.js';
import { announcedNotice, LanAnnouncer } from './lan-announcer.js';
import { DEFAULT_PEER_LIMITS, LanBrowser, type LanPeerEvents } from './lan-browser.js';
import { PathChecks } from './lan-check.js';
import { MDNS_PORT, mdnsOf, messageOf, whenReady, type LanContext, type Mdns } from './lan-mdns.js';
import { SERVICE_DOMAIN } from './lan-packet.js';
import { LanPeerTable, type LanPeer, type PeerTableLimits } from './lan-peers.js';

export type { LanPeer, PeerDownReason } from './lan-peers.js';
export { ANNOUNCE_TXT_BYTES, QUERY_LIMITS, REPUBLISH_LIMIT } from './lan-announcer.js';
export { DEFAULT_PEER_LIMITS } from './lan-browser.js';

/** The node re-announces itself this often, so that peers keep it ({@link DEFAULT_PEER_LIMITS}.peerTtlMs). */
export const KEEPALIVE_INTERVAL_MS = 60_000;
/** Queries for the other nodes when starting (RFC 6762 section 5.2: at least 1 s apart, then doubling). */
const STARTUP_QUERY_DELAYS_MS = [0, 1000, 3000] as const;
/** How long a goodbye is sent for before the socket closes. */
const CLOSE_TIMEOUT_MS = 1000;

/** What a LanDiscovery is opened with. */
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

/** What a LanDiscovery emits: the neighbours' comings and goings, and warnings. */
export interface LanDiscoveryEvents extends LanPeerEvents {
  /** Something failed that does not stop discovery (a send, the socket); also counted in `dropped`. */
  warning: [error: AppError];
}

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/** LAN discovery of one node: its announcement, its neighbours, and what was refused. */
export class LanDiscovery extends EventEmitter<LanDiscoveryEvents> {
  readonly #instanceName: string;
  readonly #now: () => number;
  readonly #bonjour: Bonjour;
  readonly #mdns: Mdns;
  readonly #announcer: LanAnnouncer;
  readonly #browser: LanBrowser;
  readonly #dropped = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Return-path checks of neighbours (lan-check.ts). */
  readonly #checks: PathChecks;
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
      await whenReady(lan.#mdns, options.interfaceAddress !== undefined);
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
    const notice = announcedNotice(port, options.sites ?? []);
    this.#instanceName = instanceName ?? `swarmpress-${randomBytes(6).toString('hex')}`;
    const domain = `${this.#instanceName.toLowerCase()}.${SERVICE_DOMAIN}`;
    this.#now = options.now ?? (() => performance.now());
    const table = new LanPeerTable({ ...DEFAULT_PEER_LIMITS, ...options.limits });
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
    const context: LanContext = {
      now: this.#now,
      isClosing: () => this.#closing !== undefined,
      drop: (code) => {
        this.#drop(code);
      },
      warn: (code, message) => {
        this.#warn(code, message);
      },
    };
    this.#browser = new LanBrowser(mdns, context, { domain, table, checks: this.#checks, sink: this });
    this.#announcer = new LanAnnouncer(this.#bonjour, mdns, context, { port, instanceName: this.#instanceName, domain }, notice);
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
    return this.#browser.peers;
  }

  /** What was refused or failed so far, by code (`ERR_LAN_*`, `ERR_LAN_NOTICE_*`). */
  get dropped(): ReadonlyMap<string, number> {
    return this.#dropped;
  }

  /** What the current announcement left out of the sites it was given (see encodeLanNotice). */
  get omitted(): { readonly sites: readonly string[]; readonly titles: readonly string[] } {
    return this.#announcer.omitted;
  }

  /**
   * Announces `sites` (most important first) instead of the current ones: at once, or as
   * soon as {@link REPUBLISH_LIMIT} allows, with whatever was set last by then. Nothing is
   * sent when the notice does not change. Throws TypeError/RangeError for malformed sites
   * (see encodeLanNotice).
   */
  setSites(sites: readonly NoticeSite[]): void {
    this.#announcer.setSites(sites);
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
      this.#announcer.close();
      this.#browser.close();
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

  #start(): void {
    this.#announcer.start();
    for (const delay of STARTUP_QUERY_DELAYS_MS) {
      this.#later(delay, () => {
        this.#browser.query();
      });
    }
    const keepAlive = setInterval(() => {
      this.#announcer.announceAgain();
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

  #drop(code: string): void {
    this.#dropped.set(code, (this.#dropped.get(code) ?? 0) + 1);
  }

  #warn(code: string, message: string): void {
    this.#drop(code);
    if (this.#closing === undefined) this.emit('warning', new AppError(code, message));
  }
}
