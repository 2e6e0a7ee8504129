/**
 * This node's side of LAN discovery (lan.ts): the `_swarmpress._tcp` service whose TXT
 * record is the LAN notice (src/core/lan-notice.ts), republished at once when it changes
 * and re-announced as a keep-alive, and the answers to other nodes' queries, rate-limited
 * so that a query flood cannot make this node flood the LAN.
 *
 * bonjour-service does the advertising: its responder answers queries and its registry
 * announces the service. A changed notice is republished at once (a goodbye for the old
 * records and an announcement of the new ones, in two datagrams), so neighbours see a new
 * seq within a LAN round trip.
 *
 * Ownership: made and closed by one LanDiscovery, which owns the Bonjour instance.
 */
import type { Bonjour, Service } from 'bonjour-service';
import { encodeLanNotice, type EncodedNotice, type NoticeSite } from '../core/lan-notice.js';
import { isCheckOf } from './lan-check.js';
import { messageOf, sourceOf, type LanContext, type Mdns } from './lan-mdns.js';
import { RateLimiter } from './rate-limiter.js';

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
 * one source (lan-browser.ts RESPONSE_LIMITS), and a single change goes out at once.
 */
export const REPUBLISH_LIMIT = { perSecond: 10, burst: 10 } as const;
/** When a republish had to wait, it is tried again after this long (one token of {@link REPUBLISH_LIMIT}). */
const REPUBLISH_RETRY_MS = 1000 / REPUBLISH_LIMIT.perSecond;
/** Queries answered per source address and in total (each answer is a multicast datagram). */
export const QUERY_LIMITS = { perKey: { perSecond: 2, burst: 6 }, total: { perSecond: 20, burst: 40 }, maxKeys: 1024 } as const;

/**
 * The notice announced for `sites` on `port`, within {@link ANNOUNCE_TXT_BYTES}. Throws
 * TypeError/RangeError for malformed sites (see encodeLanNotice).
 */
export function announcedNotice(port: number, sites: readonly NoticeSite[]): EncodedNotice {
  return encodeLanNotice({ port, sites }, ANNOUNCE_TXT_BYTES);
}

/** Who this node is on the LAN: its service's port and names. */
export interface AnnouncedService {
  readonly port: number;
  readonly instanceName: string;
  /** The instance's full DNS-SD name, lower case. */
  readonly domain: string;
}

/** The announcement of one LanDiscovery and its answers to queries. */
export class LanAnnouncer {
  readonly #bonjour: Bonjour;
  readonly #mdns: Mdns;
  readonly #context: LanContext;
  readonly #self: AnnouncedService;
  readonly #queries = new RateLimiter(QUERY_LIMITS);
  readonly #republishes = new RateLimiter({ perKey: REPUBLISH_LIMIT, maxKeys: 1 });
  #notice: EncodedNotice;
  #service: Service | undefined;
  #republishTimer: NodeJS.Timeout | undefined;

  /** Takes over answering queries at once; announces nothing before {@link LanAnnouncer.start}. */
  constructor(bonjour: Bonjour, mdns: Mdns, context: LanContext, self: AnnouncedService, notice: EncodedNotice) {
    this.#mdns = mdns;
    this.#context = context;
    this.#guardQueries();
    this.#bonjour = bonjour;
    this.#self = self;
    this.#notice = notice;
  }

  /** What the current announcement left out of the sites it was given (see encodeLanNotice). */
  get omitted(): { readonly sites: readonly string[]; readonly titles: readonly string[] } {
    return { sites: this.#notice.omitted, titles: this.#notice.untitled };
  }

  /** Announces the notice for the first time. */
  start(): void {
    this.#republishes.take('self', this.#context.now());
    this.#publish();
  }

  /**
   * Announces `sites` instead of the current ones: at once, or as soon as
   * {@link REPUBLISH_LIMIT} allows. Nothing is sent when the notice does not change.
   */
  setSites(sites: readonly NoticeSite[]): void {
    const notice = announcedNotice(this.#self.port, sites);
    if (this.#context.isClosing()) return;
    const changed = notice.strings.length !== this.#notice.strings.length || notice.strings.some((s, i) => s !== this.#notice.strings[i]);
    this.#notice = notice;
    if (changed) this.#republish();
  }

  /** Sends the current records again (the keep-alive). */
  announceAgain(): void {
    const service = this.#service;
    if (service === undefined) return;
    this.#mdns.respond(service.records(), (error) => {
      if (error !== null) this.#context.warn('ERR_LAN_SEND', `the keep-alive announcement could not be sent: ${error.message}`);
    });
  }

  /** Cancels a pending republish; the LanDiscovery says goodbye for the service. */
  close(): void {
    clearTimeout(this.#republishTimer);
  }

  /** Publishes the current notice now if the limit allows, else once it does (one pending retry at most). */
  #republish(): void {
    if (this.#republishTimer !== undefined || this.#context.isClosing()) return;
    if (this.#republishes.take('self', this.#context.now())) {
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
      name: this.#self.instanceName,
      type: SERVICE_TYPE,
      port: this.#self.port,
      host: `${this.#self.instanceName}.local`,
      txt: Object.fromEntries(this.#notice.attributes),
      probe: false,
      disableIPv6: true,
    });
  }

  /** bonjour-service answers every query it can; answer only within the rate limits. */
  #guardQueries(): void {
    const responders = this.#mdns.listeners('query');
    this.#mdns.removeAllListeners('query');
    this.#mdns.on('query', (packet, rinfo) => {
      if (this.#context.isClosing()) return;
      const source = sourceOf(rinfo);
      if (source === undefined || !this.#queries.take(source, this.#context.now())) {
        this.#context.drop('ERR_LAN_QUERY_RATE_LIMITED');
        return;
      }
      if (typeof packet !== 'object' || packet === null || !Array.isArray((packet as { questions?: unknown }).questions)) {
        this.#context.drop('ERR_LAN_PACKET_SHAPE');
        return;
      }
      try {
        this.#answerCheck(packet as { id?: unknown; questions: unknown[] }, source, rinfo);
        for (const responder of responders) responder(packet, rinfo);
      } catch (error) {
        this.#context.warn('ERR_LAN_ANSWER', `answering an mDNS query failed: ${messageOf(error)}`);
      }
    });
  }

  /**
   * A return-path check by another node (lan-check.ts): a query with a non-zero id for this
   * node's own instance is answered by unicast to where it came from, with that id.
   * (bonjour-service answers it too, by multicast, with id 0, which checks nothing.)
   */
  #answerCheck(packet: { id?: unknown; questions: unknown[] }, source: string, rinfo: unknown): void {
    const id = isCheckOf(packet, this.#self.domain);
    const port = typeof rinfo === 'object' && rinfo !== null ? (rinfo as { port?: unknown }).port : undefined;
    if (id === undefined || typeof port !== 'number' || this.#service === undefined) return;
    this.#mdns.respond({ id, answers: this.#service.records() }, { address: source, port }, (error) => {
      if (error !== null) this.#context.warn('ERR_LAN_SEND', `a return-path check could not be answered: ${error.message}`);
    });
  }
}
