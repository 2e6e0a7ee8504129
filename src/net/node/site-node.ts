/**
 * A swarmpress node: one libtorrent session, the store, and what turns them into mutable
 * sites (DESIGN.md "Swarm and DHT"). This facade starts and closes the node and wires its
 * rooms, one job each: swarms.ts (torrents held and their sites, seeding, resume data),
 * fetcher.ts (download, check, verify, store a version), resolver.ts (an address to the
 * newest version it can verify), publisher.ts (publish, merge, outbox), upkeep.ts
 * (following, re-puts, budget, block lists), gossip.ts (the BEP 10 channel), lan-join.ts
 * (LAN discovery's side) and events.ts (what the node reports).
 *
 * Everything from the network is checked by core before it is trusted: records by
 * SiteRecords, versions by the store (manifest and every item), and a version must be
 * signed by the key whose record named it.
 *
 * Ownership: the node creates and closes its session; the store is the caller's.
 */
import type { MutableRecord } from '../../core/bep44.js';
import { DEFAULT_SITE_NAME, type Identity } from '../../core/identity.js';
import type { LanAnnounce } from '../../store/settings-file.js';
import { clearStaging } from '../../store/site-build.js';
import type { Store } from '../../store/store.js';
import type { LanLink } from '../lan-link.js';
import type { SessionOptions, TorrentSession } from '../session.js';
import { SiteRecords } from '../site-records.js';
import type { NodeLog } from './events.js';
import { Fetcher, type Fetched, type FetchOptions } from './fetcher.js';
import { Gossip } from './gossip.js';
import { LanJoin } from './lan-join.js';
import { Publisher, type PublishResult } from './publisher.js';
import { latestSigned, Resolver, type Resolved } from './resolver.js';
import { Swarms } from './swarms.js';
import { Upkeep, type BlockListOutcome } from './upkeep.js';

export type { NodeEvent, NodeEventType, NodeLog } from './events.js';
export type { Fetched, FetchOptions, FetchProgress } from './fetcher.js';
export type { PublishResult } from './publisher.js';
export type { Resolved, ResolveSource } from './resolver.js';
export type { BlockListOutcome } from './upkeep.js';

export interface SiteNodeOptions {
  readonly store: Store;
  readonly session: SessionOptions;
  /** Torrent format of new versions: v1 (default; see README "Interoperability") or hybrid (BEP 52). */
  readonly torrentFormat?: 'v1' | 'hybrid';
  readonly log?: NodeLog;
  /** The node's one clock (ms since the epoch; default Date.now). */
  readonly now?: () => number;
  /** How long a DHT request may take (default 20 s). */
  readonly dhtTimeoutMs?: number;
  /** Largest site version this node downloads (default: the cache budget, at most 4 GiB). */
  readonly maxVersionBytes?: number;
  /**
   * A node for one command, gone in seconds: it does not announce itself as a peer of what
   * it holds (others would keep trying a peer that left).
   */
  readonly transient?: boolean;
  /** Push new records to peers over BEP 10 and take theirs (default true; false: a benchmark's reference). */
  readonly push?: boolean;
  /**
   * Seed versions of other people's sites once they are read (default true). When false,
   * they are paused after their download (own sites are always seeded); see setSeedReads.
   */
  readonly seedReads?: boolean;
  /** Which sites are announced on the LAN (default own and followed; never sites only read); see setLanAnnounce. */
  readonly lanAnnounce?: LanAnnounce;
}

export class SiteNode {
  readonly store: Store;
  readonly session: TorrentSession;
  readonly records: SiteRecords;
  readonly #swarms: Swarms;
  readonly #fetcher: Fetcher;
  readonly #lan: LanJoin;
  readonly #resolver: Resolver;
  readonly #upkeep: Upkeep;
  readonly #gossip: Gossip;
  readonly #publisher: Publisher;
  #closed = false;

  private constructor(options: SiteNodeOptions) {
    this.#swarms = new Swarms(options);
    this.store = options.store;
    this.session = this.#swarms.session;
    this.records = new SiteRecords({ session: this.session });
    // Order matters: listeners of a stored version run in this order (LAN, block lists, replies).
    this.#fetcher = new Fetcher(this.#swarms, options.maxVersionBytes === undefined ? {} : { maxVersionBytes: options.maxVersionBytes });
    this.#lan = new LanJoin(this.#swarms, options.lanAnnounce === undefined ? {} : { announce: options.lanAnnounce });
    this.#resolver = new Resolver(this.#swarms, this.records, this.#lan);
    this.#upkeep = new Upkeep(this.#swarms, this.records, this.#resolver, this.#fetcher);
    this.#gossip = new Gossip(this.#swarms, this.#fetcher, this.#lan, { enabled: options.push ?? true });
    this.#publisher = new Publisher(this.#swarms, {
      records: this.records, resolver: this.#resolver, fetcher: this.#fetcher, gossip: this.#gossip, torrentFormat: options.torrentFormat,
    });
  }

  /** Starts the session and seeds every version on disk that has resume data. */
  static start(options: SiteNodeOptions): SiteNode {
    const node = new SiteNode(options);
    clearStaging(node.store.dataDir);
    node.#swarms.seedStored();
    node.#swarms.announceHeld();
    return node;
  }

  get dataDir(): string {
    return this.store.dataDir;
  }

  /** Versions this node seeds (v1 infohashes, hex). */
  get seeding(): string[] {
    return this.#swarms.ids();
  }

  // --- publishing (publisher.ts) --------------------------------------------------------

  /** The author of this data folder, created on first use. */
  author(): Identity {
    return this.#publisher.author();
  }

  /** The folder site `name` is published from, if it was published from one. */
  siteSource(name: string): string | undefined {
    return this.#publisher.siteSource(name);
  }

  /**
   * Publishes the folder `source` as the next version of the author's site `name`.
   * An unchanged folder publishes nothing (and re-puts nothing).
   */
  publish(source: string, name: string = DEFAULT_SITE_NAME, options: { readonly title?: string } = {}): Promise<PublishResult> {
    return this.#publisher.publish(source, name, options);
  }

  /** Puts again the records of the outbox; resolves with how many were confirmed. */
  flushOutbox(): Promise<number> {
    return this.#publisher.flushOutbox();
  }

  /** The newest signed record of site `key`'s unsalted slot (stored, or own in the outbox). */
  latestSigned(key: Uint8Array): MutableRecord | undefined {
    return latestSigned(this.store, key);
  }

  // --- reading (resolver.ts, fetcher.ts) ---------------------------------------------------

  /** The newest version of site `key` this node can verify; see Resolver.resolveSite. */
  resolveSite(key: Uint8Array, salt?: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Resolved> {
    return this.#resolver.resolveSite(key, salt, options);
  }

  /** Downloads, verifies and stores version `infohash`; see Fetcher.fetch. */
  fetch(infohash: Uint8Array, options: FetchOptions = {}): Promise<Fetched> {
    return this.#fetcher.fetch(infohash, options);
  }

  /** The peers connected in the swarm of version `infohash` now, or undefined when it is not held. */
  peersOf(infohash: Uint8Array): number | undefined {
    return this.#swarms.peersOf(infohash);
  }

  /** Stops seeding every version of `key` (a blocked site or author). */
  dropSite(key: Uint8Array): Promise<number> {
    return this.#swarms.dropSite(key);
  }

  // --- seeding what was read (swarms.ts) ------------------------------------------------------

  /** Whether versions of other people's sites are seeded after they were read. */
  get seedsReads(): boolean {
    return this.#swarms.seedsReads;
  }

  /** Seeds (true) or pauses (false) the versions of other people's sites held; see Swarms.setSeedReads. */
  setSeedReads(seed: boolean): void {
    this.#swarms.setSeedReads(seed);
  }

  /** Versions held but paused (not seeded), v1 hex. */
  get pausedVersions(): string[] {
    return this.#swarms.pausedVersions();
  }

  // --- gossip (gossip.ts) -------------------------------------------------------------------

  /** What pushed messages were refused, by code. */
  get pushDropped(): ReadonlyMap<string, number> {
    return this.#gossip.pushDropped;
  }

  /** What reply notices were refused, by code (site-replies.ts). */
  get replyNoticesDropped(): ReadonlyMap<string, number> {
    return this.#gossip.replies.dropped;
  }

  /** Network-triggered handlers that failed (caught, counted and logged), by where they ran. */
  get handlerFailures(): ReadonlyMap<string, number> {
    return this.#swarms.handlerFailures;
  }

  /** Fetches the versions of reply notices still pending (a duty); resolves with how many replies were verified. */
  checkReplyNotices(): Promise<number> {
    return this.#gossip.replies.checkPending();
  }

  // --- LAN (lan-join.ts) ----------------------------------------------------------------------

  /** Opens LAN discovery (rejects with `ERR_LAN_OPEN`; the node works on without it); see LanJoin.start. */
  startLan(options: { interfaceAddress?: string } = {}): Promise<void> {
    return this.#lan.start(options);
  }

  /** LAN discovery, when it runs. */
  get lan(): LanLink | undefined {
    return this.#lan.link;
  }

  /** Which sites are announced on the LAN. */
  get lanAnnounce(): LanAnnounce {
    return this.#lan.announce;
  }

  /** Announces `choice`'s sites on the LAN from now on (at once when LAN discovery runs); see LanJoin. */
  setLanAnnounce(choice: LanAnnounce): void {
    this.#lan.setAnnounce(choice);
  }

  // --- upkeep (upkeep.ts) ---------------------------------------------------------------------

  /** Checks one followed site; resolves with the new seq, or undefined when there is nothing new. */
  refresh(key: Uint8Array, options: { timeoutMs?: number } = {}): Promise<bigint | undefined> {
    return this.#upkeep.refresh(key, options);
  }

  /** Puts again the newest record of every own and followed site and subscribed block list. */
  reputAll(): Promise<{ put: number; failed: number }> {
    return this.#upkeep.reputAll();
  }

  /** Removes what the cache budget does not allow, and stops seeding it. */
  enforceBudget(): Promise<number> {
    return this.#upkeep.enforceBudget();
  }

  /** Applies the block list of subscribed site `listKey`; see Upkeep.applyBlockList. */
  applyBlockList(listKey: Uint8Array): Promise<BlockListOutcome> {
    return this.#upkeep.applyBlockList(listKey);
  }

  /** Saves torrent states and closes the session (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#swarms.markClosed();
    await this.#publisher.settled();
    this.#gossip.close();
    await this.#lan.close();
    await this.#swarms.close();
  }
}
