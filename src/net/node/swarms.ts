/**
 * The swarms a node is in: THE one map of the torrents it holds (by id, which is the
 * version's v1 infohash in hex — native/src/torrent/common.cpp `torrent_id`) with the site
 * each belongs to, and what is done to them: add, track, drop, seed or pause (the seeding
 * policy for versions of other people's sites), announce in the DHT, save resume data.
 * It also carries what every room of the node shares: the session, the store, the DHT's
 * readiness and timeout, the one clock, and the node's log.
 *
 * Two things happen here that other rooms react to, as listeners rather than calls:
 * a newer record of an unsalted slot arrived or was made ({@link Swarms.noteNewRecord}:
 * gossip pushes it, the LAN re-announces, waiting reads take it), and a version was
 * stored ({@link Swarms.versionStored}: the LAN announces the site, block lists apply,
 * parked reply notices are taken).
 *
 * Ownership: the node creates the session through this and closes it here; the store is
 * the caller's.
 */
import fs from 'node:fs';
import { INFOHASH_BYTES } from '../../core/bep46.js';
import type { MutableRecord } from '../../core/bep44.js';
import { bytesEqual, fromHex, toHex } from '../../core/bytes.js';
import { readResumeData, removeResumeData, writeResumeData } from '../../store/local-files.js';
import { contentFolder } from '../../store/rebuild.js';
import type { Store } from '../../store/store.js';
import { TorrentSession, type Endpoint, type SessionOptions } from '../session.js';
import type { NodeEvent, NodeLog } from './events.js';

export const DEFAULT_DHT_TIMEOUT_MS = 20_000;
const EMPTY = new Uint8Array(0);

export interface SwarmsOptions {
  readonly store: Store;
  readonly session: SessionOptions;
  readonly log?: NodeLog;
  /** The one clock of the node (ms since the epoch; default Date.now). */
  readonly now?: () => number;
  readonly dhtTimeoutMs?: number;
  /** A node for one command: it does not announce itself as a peer of what it holds. */
  readonly transient?: boolean;
  /** Seed versions of other people's sites once read (default true). */
  readonly seedReads?: boolean;
}

/** One torrent held. */
interface Swarm {
  /** The site a version being fetched belongs to, as the record that named it says, until it is stored. */
  expectedSite: Uint8Array | undefined;
  /** Being downloaded (not paused by the seeding policy until it is stored). */
  fetching: boolean;
  /** Added by magnet and not allowed to download yet: peers are connected, no piece is requested. */
  uploadOnly: boolean;
}

/** A version that was just stored (fetched and verified). */
export interface StoredVersion {
  readonly infohash: Uint8Array;
  readonly siteKey: Uint8Array | undefined;
  readonly isNew: boolean;
  /** Whether it is seeded (false: paused by the seeding policy). */
  readonly seeded: boolean;
}

export class Swarms {
  readonly store: Store;
  readonly session: TorrentSession;
  readonly dht: boolean;
  readonly dhtTimeoutMs: number;
  readonly now: () => number;
  readonly #options: SwarmsOptions;
  /** Torrents held, by id (= v1 infohash, hex). */
  readonly #swarms = new Map<string, Swarm>();
  /** Torrents being removed (libtorrent removes asynchronously: the same one cannot be added meanwhile). */
  readonly #removing = new Map<string, Promise<void>>();
  readonly #recordListeners = new Set<(record: MutableRecord, broadcast: boolean) => void>();
  readonly #storedListeners: ((version: StoredVersion) => Promise<void> | void)[] = [];
  /** Failures of handlers that something from the network triggered, by where they ran. */
  readonly #handlerFailures = new Map<string, number>();
  #bootstrapped: Promise<void> | undefined;
  #seedReads: boolean;
  #closed = false;

  constructor(options: SwarmsOptions) {
    this.#options = options;
    this.store = options.store;
    this.dht = options.session.dht ?? true;
    this.dhtTimeoutMs = options.dhtTimeoutMs ?? DEFAULT_DHT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.#seedReads = options.seedReads ?? true;
    this.session = new TorrentSession(options.session);
  }

  get dataDir(): string {
    return this.store.dataDir;
  }

  get closed(): boolean {
    return this.#closed;
  }

  log(event: NodeEvent): void {
    this.#options.log?.(event);
  }

  /** Failures of network-triggered handlers, by where they ran (see {@link guard}). */
  get handlerFailures(): ReadonlyMap<string, number> {
    return this.#handlerFailures;
  }

  /**
   * Runs `handler`, which something from the network triggered (an mDNS packet, a BEP 10
   * message, a timer a neighbour's hint set): a failure is caught, counted under `where`
   * and logged, never thrown out of the event loop (issue #25: an mDNS burst made
   * add_torrent throw there and killed the node).
   */
  guard(where: string, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.handlerFailed(where, error);
    }
  }

  /** Counts and logs a failure of a network-triggered handler (an async one's rejection). */
  handlerFailed(where: string, error: unknown): void {
    this.#handlerFailures.set(where, (this.#handlerFailures.get(where) ?? 0) + 1);
    if (this.#closed) return;
    this.log({ type: 'warning', text: `${where}: ${error instanceof Error ? error.message : String(error)} (ignored)`, code: 'ERR_HANDLER' });
  }

  /** Ids (= v1 hex) of the torrents held. */
  ids(): string[] {
    return [...this.#swarms.keys()];
  }

  /** Whether torrent `hex` is held, or still being removed. */
  has(hex: string): boolean {
    return this.#swarms.has(hex) || this.#removing.has(hex);
  }

  /** Resolves once a removal of torrent `hex` under way (if any) has ended. */
  async removed(hex: string): Promise<void> {
    await this.#removing.get(hex);
  }

  // --- adding and dropping ------------------------------------------------------------------

  /** Seeds every version on disk that has resume data (at start). */
  seedStored(): void {
    let seeded = 0;
    for (const { infohash, bytes } of readResumeData(this.dataDir)) {
      if (this.store.version(infohash) === undefined || this.store.isBlocked(this.store.version(infohash)?.siteKey ?? EMPTY)) {
        removeResumeData(this.dataDir, infohash);
        continue;
      }
      try {
        const added = this.session.addTorrent({ resumeData: bytes, savePath: contentFolder(this.dataDir, infohash) });
        this.#track(toHex(infohash), added.id);
        this.holdIfRead(added.id);
        seeded += 1;
      } catch (error) {
        this.log({ type: 'warning', text: `the saved state of version ${toHex(infohash)} cannot be used: ${(error as Error).message}` });
      }
    }
    if (seeded > 0) this.log({ type: 'seeding', versions: seeded });
  }

  /**
   * Adds version `infohash` by its magnet (unless held) and returns its id; `site` is the
   * key of the record that named it (or, for a LAN hint, that the neighbour says it is of).
   * It is added in upload mode: peers are connected and BEP 10 handshakes happen (where a
   * neighbour hands over its signed record), but nothing is downloaded until
   * {@link allowDownload} — which only a fetch does, once a signed record named the version
   * and its size is within the cap (issue #25 item 2).
   */
  addMagnet(infohash: Uint8Array, site?: Uint8Array): string {
    const hex = toHex(infohash);
    const held = this.#swarms.get(hex);
    if (held === undefined) {
      const id = this.session.addTorrent({ magnet: `magnet:?xt=urn:btih:${hex}`, savePath: contentFolder(this.dataDir, infohash), uploadMode: true }).id;
      this.#track(hex, id);
      const added = this.#swarms.get(hex);
      if (added !== undefined) added.uploadOnly = true;
    }
    if (site !== undefined) this.expect(hex, site);
    return hex;
  }

  /** Lets torrent `hex` download (it was added by magnet in upload mode). */
  allowDownload(hex: string): void {
    const swarm = this.#swarms.get(hex);
    if (swarm?.uploadOnly !== true) return;
    this.session.setUploadMode(hex, false);
    swarm.uploadOnly = false;
  }

  /** Adds a version made here (its files complete in the content folder) and seeds it; returns its id. */
  addOwn(infohash: Uint8Array, torrent: Uint8Array): string {
    const id = this.session.addTorrent({ torrent, savePath: contentFolder(this.dataDir, infohash), seedMode: true }).id;
    this.#track(toHex(infohash), id);
    return id;
  }

  #track(hex: string, id: string): void {
    // The session names a torrent by its v1 infohash in hex: one key for both.
    if (id !== hex) throw new Error(`the session named version ${hex} '${id}'`);
    this.#swarms.set(hex, this.#swarms.get(hex) ?? { expectedSite: undefined, fetching: false, uploadOnly: false });
  }

  /** Notes the site a torrent belongs to until it is stored (what the record that named it says). */
  expect(hex: string, site: Uint8Array): void {
    const swarm = this.#swarms.get(hex);
    if (swarm !== undefined) swarm.expectedSite = site;
  }

  /** Marks a torrent as downloading (true) or done with (false: also forgets its expected site). */
  setFetching(hex: string, fetching: boolean): void {
    const swarm = this.#swarms.get(hex);
    if (swarm === undefined) return;
    swarm.fetching = fetching;
    if (!fetching) swarm.expectedSite = undefined;
  }

  isFetching(hex: string): boolean {
    return this.#swarms.get(hex)?.fetching === true;
  }

  /** Stops a torrent and (when asked) deletes what it downloaded. */
  async drop(infohash: Uint8Array, deleteFiles: boolean): Promise<void> {
    const hex = toHex(infohash);
    const held = this.#swarms.delete(hex);
    if (held) {
      const removal = this.session.removeTorrent(hex, { deleteFiles }).catch(() => undefined);
      this.#removing.set(hex, removal);
      await removal;
      if (this.#removing.get(hex) === removal) this.#removing.delete(hex);
    }
    removeResumeData(this.dataDir, infohash);
    if (deleteFiles && this.store.version(infohash) === undefined) fs.rmSync(contentFolder(this.dataDir, infohash), { recursive: true, force: true });
  }

  /** Stops seeding every version of `key` (a blocked site or author). */
  async dropSite(key: Uint8Array): Promise<number> {
    let dropped = 0;
    for (const hex of this.ids()) {
      const infohash = fromHex(hex, INFOHASH_BYTES);
      const version = infohash === undefined ? undefined : this.store.version(infohash);
      if (infohash !== undefined && version !== undefined && bytesEqual(version.siteKey, key)) {
        await this.drop(infohash, false);
        dropped += 1;
      }
    }
    return dropped;
  }

  // --- sites of torrents ----------------------------------------------------------------------

  /** The site torrent `id` is a version of: the stored version's, else the record's that named it. */
  siteOf(id: string): Uint8Array | undefined {
    const swarm = this.#swarms.get(id);
    if (swarm === undefined) return undefined;
    const infohash = fromHex(id, INFOHASH_BYTES);
    return (infohash === undefined ? undefined : this.store.version(infohash)?.siteKey) ?? swarm.expectedSite;
  }

  /** The ids of every torrent held of site `key`. */
  torrentsOf(key: Uint8Array): string[] {
    return this.ids().filter((id) => {
      const site = this.siteOf(id);
      return site !== undefined && bytesEqual(site, key);
    });
  }

  /** Whether torrent `id` is a stored version (not still downloading). */
  isStored(id: string): boolean {
    const infohash = fromHex(id, INFOHASH_BYTES);
    return infohash !== undefined && this.store.version(infohash) !== undefined;
  }

  /** Connects torrent `id` to `peer`; a torrent gone meanwhile is no error. */
  connect(id: string, peer: Endpoint): void {
    try {
      this.session.connectPeer(id, peer);
    } catch {
      // the torrent may be gone already
    }
  }

  /** The peers connected in the swarm of `infohash` now, or undefined when it is not held. */
  peersOf(infohash: Uint8Array): number | undefined {
    const hex = toHex(infohash);
    if (!this.#swarms.has(hex) || this.session.isClosed) return undefined;
    try {
      return this.session.status(hex).peers;
    } catch {
      // removed meanwhile
      return undefined;
    }
  }

  // --- the DHT ------------------------------------------------------------------------------

  /** Waits (once, up to 1 s) until the DHT has bootstrapped, so a first lookup reaches the network. */
  async dhtReady(): Promise<void> {
    if (!this.dht) return;
    this.#bootstrapped ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.session.off('alert', onAlert);
        resolve();
      };
      const onAlert = (alert: { type: string }): void => {
        if (alert.type === 'dht_bootstrap') done();
      };
      const timer = setTimeout(done, 1_000);
      this.session.on('alert', onAlert);
    });
    await this.#bootstrapped;
  }

  /**
   * Announces this node as a peer of a version in the DHT: now, once the DHT is ready, and
   * again a few seconds later — an announce made while the routing table is still filling
   * reaches nodes that are not the closest, and readers would find no peer until
   * libtorrent's own re-announce (many minutes later).
   */
  announce(hex: string): void {
    if (!this.dht || this.#options.transient === true) return;
    const announce = (): void => {
      if (!this.#closed && this.session.listenPort !== 0) this.session.dhtAnnounce(hex, this.session.listenPort, true);
    };
    void this.dhtReady().then(announce);
    for (const delayMs of [3_000, 15_000]) setTimeout(announce, delayMs).unref();
  }

  /** Tells the DHT at once that this node has what it seeds (libtorrent would on its own schedule). */
  announceHeld(): void {
    void this.dhtReady().then(() => {
      if (this.#closed) return; // closed within the bootstrap second: its store is closed too
      for (const hex of this.ids()) if (!this.#isHeld(hex)) this.announce(hex);
    });
  }

  async saveResume(infohash: Uint8Array): Promise<void> {
    try {
      writeResumeData(this.dataDir, infohash, await this.session.saveResumeData(toHex(infohash)));
    } catch (error) {
      this.log({ type: 'warning', text: `the state of version ${toHex(infohash)} was not saved (${(error as Error).message}); it is checked again on the next start` });
    }
  }

  // --- seeding what was read ------------------------------------------------------------------

  get seedsReads(): boolean {
    return this.#seedReads;
  }

  /**
   * Seeds the versions of other people's sites this node holds (true), or pauses them
   * (false: they stay stored and readable, and no peer gets them from here). Own sites are
   * seeded either way; a version being downloaded is paused once it is stored.
   */
  setSeedReads(seed: boolean): void {
    this.#seedReads = seed;
    for (const hex of this.ids()) {
      if (this.isFetching(hex) || !this.#isReadVersion(hex)) continue;
      try {
        if (seed) {
          this.session.resume(hex);
          this.announce(hex);
        } else {
          this.session.pause(hex);
        }
      } catch {
        // the torrent may be gone already
      }
    }
  }

  /** Versions held but paused (not seeded), v1 hex. */
  pausedVersions(): string[] {
    return this.ids().filter((id) => {
      try {
        return this.session.status(id).paused;
      } catch {
        return false;
      }
    });
  }

  /** Whether stored version `hex` belongs to a site that is not the author's own. */
  #isReadVersion(hex: string): boolean {
    const infohash = fromHex(hex, INFOHASH_BYTES);
    const version = infohash === undefined ? undefined : this.store.version(infohash);
    return version !== undefined && this.store.site(version.siteKey)?.isOwn !== true;
  }

  #isHeld(hex: string): boolean {
    return !this.#seedReads && this.#isReadVersion(hex);
  }

  /** Pauses torrent `id` when it is a read version and reads are not seeded; true when it did. */
  holdIfRead(id: string): boolean {
    if (!this.#isHeld(id)) return false;
    this.session.pause(id);
    return true;
  }

  // --- what other rooms react to --------------------------------------------------------------

  /** Calls `listener` with every newer record of an unsalted slot (`broadcast`: push it to peers). */
  onNewRecord(listener: (record: MutableRecord, broadcast: boolean) => void): void {
    this.#recordListeners.add(listener);
  }

  offNewRecord(listener: (record: MutableRecord, broadcast: boolean) => void): void {
    this.#recordListeners.delete(listener);
  }

  /** A newer record of an unsalted slot: pushed (unless push.ts forwards it), announced on the LAN, handed to waiting reads. */
  noteNewRecord(record: MutableRecord, broadcast: boolean): void {
    for (const listener of [...this.#recordListeners]) listener(record, broadcast);
  }

  /** Calls `listener` (awaited, in the order added) after each version is stored. */
  onVersionStored(listener: (version: StoredVersion) => Promise<void> | void): void {
    this.#storedListeners.push(listener);
  }

  async versionStored(version: StoredVersion): Promise<void> {
    for (const listener of this.#storedListeners) await listener(version);
  }

  /** Marks the node closed (rooms stop reacting) and closes the session. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.session.close();
  }

  /** Marks the node closing: what arrives from now on is ignored. */
  markClosed(): void {
    this.#closed = true;
  }
}
