/**
 * The node's side of LAN discovery (lan-link.ts): which sites it announces (what the user
 * publishes or chose to share — settings-file.ts `LanAnnounce` — never a site only read:
 * the LAN notice is heard by everyone on the network, issue #25 item 11), whether a
 * neighbour's claim concerns a site it carries, and joining the neighbour in that site's
 * swarms, where the BEP 10 handshake makes it push its signed record (push.ts).
 *
 * Ownership: opens its LanLink in {@link LanJoin.start} and closes it in `close()`.
 */
import { INFOHASH_BYTES } from '../../core/bep46.js';
import { fromHex, toHex } from '../../core/bytes.js';
import type { LanAnnounce } from '../../store/settings-file.js';
import { LanLink } from '../lan-link.js';
import type { Endpoint } from '../session.js';
import { latestSigned } from './resolver.js';
import type { Swarms } from './swarms.js';

/** How long a swarm joined on a LAN neighbour's unsigned hint is kept when no record names it. */
const LAN_HINT_TTL_MS = 60_000;
/** Most sites announced on the LAN (the notice holds about ten with their infohashes). */
const MAX_ANNOUNCED_SITES = 16;

export class LanJoin {
  readonly #swarms: Swarms;
  #lan: LanLink | undefined;
  /** The swarm joined on a LAN hint, per site (hex key -> v1 hex). */
  readonly #hints = new Map<string, string>();
  #announce: LanAnnounce;
  readonly #stopDecisions: () => void;

  constructor(swarms: Swarms, options: { announce?: LanAnnounce } = {}) {
    this.#swarms = swarms;
    this.#announce = options.announce ?? 'own-and-followed';
    // A follow, unfollow or block changes what is announced, whoever made it.
    this.#stopDecisions = swarms.store.onDecision(() => {
      swarms.guard('lan notice', () => {
        this.#lan?.advertise();
      });
    });
    swarms.onNewRecord(() => {
      this.#lan?.advertise();
    });
    // A site carried now (a version stored) is heard of on the LAN: a record that arrived
    // before the version was stored was not announced, since the site was not carried yet.
    swarms.onVersionStored((version) => {
      if (version.seeded && version.isNew) this.#lan?.advertise();
    });
  }

  /** LAN discovery, when it runs. */
  get link(): LanLink | undefined {
    return this.#lan;
  }

  /** Which sites are announced on the LAN. */
  get announce(): LanAnnounce {
    return this.#announce;
  }

  /** Announces `choice`'s sites from now on (at once, when LAN discovery runs). */
  setAnnounce(choice: LanAnnounce): void {
    this.#announce = choice;
    this.#lan?.advertise();
  }

  get running(): boolean {
    return this.#lan !== undefined;
  }

  /**
   * Opens LAN discovery on the node's listen port (on `interfaceAddress`, else every
   * interface) and announces the sites it carries. Rejects with `ERR_LAN_OPEN` when the
   * mDNS socket cannot be opened; the node works on without it.
   */
  async start(options: { interfaceAddress?: string } = {}): Promise<void> {
    const swarms = this.#swarms;
    if (this.#lan !== undefined || swarms.closed) return;
    this.#lan = await LanLink.open({
      port: swarms.session.listenPort,
      ...(options.interfaceAddress === undefined ? {} : { interfaceAddress: options.interfaceAddress }),
      onWarning: (message) => {
        swarms.log({ type: 'lan-warning', reason: message });
      },
      onError: (error) => {
        swarms.handlerFailed('lan', error);
      },
      node: {
        sites: () => this.#announcedSites(),
        carries: (key) => this.#carries(key),
        latestSigned: (key) => latestSigned(swarms.store, key),
        title: (key) => swarms.store.site(key)?.title,
        joinSwarm: (key, infohash, peer) => {
          swarms.guard('lan join', () => {
            this.#joinSwarm(key, infohash, peer);
          });
        },
      },
    });
    // close() may have run while the socket opened.
    if (swarms.session.isClosed) await this.#lan.close();
  }

  /** Where the neighbour at `host` listens for BitTorrent, if it announced it. */
  endpointOf(host: string): Endpoint | undefined {
    return this.#lan?.endpointOf(host);
  }

  /** The highest seq a neighbour claims for `key` (a claim, not a record). */
  claimedSeq(key: Uint8Array): bigint | undefined {
    return this.#lan?.claimedSeq(key);
  }

  /** Looks for site `key` on the LAN until {@link forget}. */
  want(key: Uint8Array): void {
    this.#lan?.want(key);
  }

  forget(key: Uint8Array): void {
    this.#lan?.forget(key);
  }

  async close(): Promise<void> {
    this.#stopDecisions();
    await this.#lan?.close();
  }

  #carries(key: Uint8Array): boolean {
    const store = this.#swarms.store;
    const site = store.site(key);
    return site !== undefined && (site.isOwn || store.isFollowing('site', key) || store.latestVersion(key) !== undefined);
  }

  /**
   * The sites announced: own ones, then followed ones when {@link announce} allows; never
   * one only read (it is still carried: a neighbour's newer claim of it is heard).
   */
  #announcedSites(): Uint8Array[] {
    const store = this.#swarms.store;
    if (this.#announce === 'nothing') return [];
    const withFollowed = this.#announce === 'own-and-followed';
    const rank = (key: Uint8Array, isOwn: boolean): number => (isOwn ? 0 : withFollowed && store.isFollowing('site', key) ? 1 : 2);
    return store.sites()
      .filter((site) => rank(site.key, site.isOwn) < 2 && !store.isBlocked(site.key) && this.#carries(site.key))
      .sort((x, y) => rank(x.key, x.isOwn) - rank(y.key, y.isOwn))
      .slice(0, MAX_ANNOUNCED_SITES)
      .map((site) => site.key);
  }

  /**
   * Connects to a LAN neighbour in the swarms of site `key`: every version held, and the
   * one it hints at (joined on trust for {@link LAN_HINT_TTL_MS}, one per site).
   */
  #joinSwarm(key: Uint8Array, infohash: Uint8Array | undefined, peer: Endpoint): void {
    const swarms = this.#swarms;
    if (swarms.closed || swarms.store.isBlocked(key)) return;
    if (infohash !== undefined && !swarms.has(toHex(infohash))) {
      const hex = toHex(infohash);
      const keyHex = toHex(key);
      const previous = this.#hints.get(keyHex);
      if (previous !== undefined) this.#dropHint(previous);
      this.#hints.set(keyHex, hex);
      swarms.addMagnet(infohash, key);
      setTimeout(() => {
        swarms.guard('lan hint expiry', () => {
          if (this.#hints.get(keyHex) === hex) this.#hints.delete(keyHex);
          this.#dropHint(hex);
        });
      }, LAN_HINT_TTL_MS).unref();
    }
    for (const id of swarms.torrentsOf(key)) swarms.connect(id, peer);
  }

  /** Stops a swarm joined on a hint, unless a record named it (it is fetched or stored). */
  #dropHint(hex: string): void {
    const swarms = this.#swarms;
    const infohash = fromHex(hex, INFOHASH_BYTES);
    if (swarms.closed || infohash === undefined || swarms.isFetching(hex) || swarms.store.version(infohash) !== undefined) return;
    swarms.drop(infohash, true).catch((error: unknown) => {
      swarms.handlerFailed('lan hint drop', error);
    });
  }
}
