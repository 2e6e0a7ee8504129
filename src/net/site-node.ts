/**
 * A swarmpress node: one libtorrent session, the store, and what turns them into mutable
 * sites (DESIGN.md "Swarm and DHT"):
 * - it seeds every version it holds (own and read), from the resume data saved beside the
 *   index, and the versions it fetches;
 * - it publishes an author's folder as a new version: the folder's items and, when the
 *   author publishes from several devices, the other devices' items (a merge), each device
 *   in its own salted slot and the merged version in the site's unsalted slot; the record
 *   is persisted in the outbox before it is put, and re-put from there after a crash;
 * - it resolves an address to the newest version it can verify (DHT, else the last stored
 *   record, saying which), fetches it, verifies it with core and stores it;
 * - it keeps followed sites current: newer records are pushed to and from the peers of
 *   every version it holds over BEP 10 (push.ts), found on the LAN (lan-link.ts, when
 *   started), and polled from the DHT as the slow fallback; it re-puts the records it
 *   holds, since BEP 44 items expire after two hours.
 *
 * Everything from the network is checked by core before it is trusted: records by
 * SiteRecords, versions by the store (manifest and every item), and a version must be
 * signed by the key whose record named it.
 *
 * Ownership: the node creates and closes its session; the store is the caller's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { INFOHASH_BYTES, decodeSitePointer, encodeSitePointer } from '../core/bep46.js';
import { signRecord, type MutableRecord } from '../core/bep44.js';
import { bytesEqual, fromHex, toHex } from '../core/bytes.js';
import { AppError } from '../core/errors.js';
import { DEFAULT_SITE_NAME, deriveSiteIdentity, type Identity } from '../core/identity.js';
import { decodeManifest, MANIFEST_PATH, MAX_MANIFEST_BYTES, type SiteManifest } from '../core/manifest.js';
import { deviceSalt, nextSeq, type SlotHead } from '../core/publish-rules.js';
import { createIdentity, hasIdentity, loadIdentity } from '../store/identity-file.js';
import { deviceId, readOwnSites, readResumeData, removeResumeData, writeOwnSite, writeResumeData } from '../store/local-files.js';
import { contentFolder } from '../store/rebuild.js';
import { buildVersion, clearStaging, fallbackSiteTitle, isGenerated, knownItems, rootNameFor, scanSource, type BuiltVersion, type KnownItem } from '../store/site-build.js';
import type { Store } from '../store/store.js';
import { readSettings } from '../store/settings-file.js';
import { ownBlockListFile, readBlockListOf } from './block-lists.js';
import { LanLink } from './lan-link.js';
import { UpdatePush, type PushSource } from './push.js';
import { SiteReplies } from './site-replies.js';
import { createTorrent, TorrentSession, type Endpoint, type SessionOptions } from './session.js';
import { SiteRecords } from './site-records.js';

/** What applying a subscribed block list did. */
export interface BlockListOutcome {
  /** Whether the list's entries were replaced (false when it was refused). */
  readonly applied: boolean;
  readonly entries: number;
  /** Entries left out because they named the user's own key or sites. */
  readonly refused: number;
  /** Versions no longer seeded. */
  readonly dropped: number;
  /** Why it was refused, or what was left out. */
  readonly problem?: string;
}

/** One line of what the node does (serve prints them; the app shows them). */
export type NodeEvent = Readonly<{ event: string; message: string } & Record<string, unknown>>;

export interface SiteNodeOptions {
  readonly store: Store;
  readonly session: SessionOptions;
  /** Torrent format of new versions: v1 (default; see README "Interoperability") or hybrid (BEP 52). */
  readonly torrentFormat?: 'v1' | 'hybrid';
  readonly log?: (event: NodeEvent) => void;
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
}

/** What a publish did. */
export interface PublishResult {
  readonly site: string;
  readonly key: Uint8Array;
  readonly infohash: Uint8Array;
  readonly seq: bigint;
  readonly unchanged: boolean;
  readonly title: string;
  readonly items: number;
  readonly newItems: number;
  /** Whether the DHT took the record (else it waits in the outbox and is put again later). */
  readonly put: boolean;
  readonly skipped: readonly string[];
  /** Items carried from the author's other devices. */
  readonly merged: number;
}

/** How an address was resolved. */
export type ResolveSource = 'dht' | 'lan' | 'stored' | 'infohash';

export interface Resolved {
  readonly infohash: Uint8Array;
  readonly key?: Uint8Array;
  readonly seq?: bigint;
  readonly source: ResolveSource;
  /** When the version was made, if it is stored (for `stored`: "stored copy, version N, from …"). */
  readonly versionCreatedMs?: number;
  /** Why the DHT was not used or found nothing, when `source` is `stored`. */
  readonly note?: string;
}

/** Progress of a download, for people. */
export interface FetchProgress {
  readonly state: string;
  readonly progress: number;
  readonly peers: number;
}

/** The decoded manifest of the site saved at `root` (capped read), or undefined. */
function readManifest(root: string): SiteManifest | undefined {
  try {
    const file = path.join(root, MANIFEST_PATH);
    if (fs.statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    const decoded = decodeManifest(fs.readFileSync(file));
    return decoded.ok ? decoded.value : undefined;
  } catch {
    return undefined;
  }
}

/** A stored version of an own site with its items. */
interface StoredVersion {
  readonly infohash: Uint8Array;
  readonly manifest: SiteManifest;
  readonly items: readonly KnownItem[];
}

const EMPTY = new Uint8Array(0);
/** A record left in the outbox is put again at most this often by the node's rounds. */
const RETRY_OUTBOX_AFTER_MS = 60_000;
const DEFAULT_DHT_TIMEOUT_MS = 20_000;
const MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
/** How long a swarm joined on a LAN neighbour's unsigned hint is kept when no record names it. */
const LAN_HINT_TTL_MS = 60_000;
/** How long a read waits for a LAN neighbour's newer record when a record is stored already. */
const LAN_NEWER_WAIT_MS = 5_000;
/** Most sites announced on the LAN (the notice holds about ten with their infohashes). */
const MAX_ANNOUNCED_SITES = 16;

/**
 * Fault injection for the crash tests: `SWARMPRESS_CRASH_AT=<point>` kills the process
 * (SIGKILL, like a power cut) when a publish reaches that point.
 */
function crashPoint(point: string): void {
  if (process.env['SWARMPRESS_CRASH_AT'] === point) process.kill(process.pid, 'SIGKILL');
}

export class SiteNode {
  readonly store: Store;
  readonly session: TorrentSession;
  readonly records: SiteRecords;
  readonly #options: SiteNodeOptions;
  readonly #dht: boolean;
  readonly #now: () => number;
  /** Torrent ids by v1 infohash (hex), and back. */
  readonly #torrents = new Map<string, string>();
  readonly #torrentHexes = new Map<string, string>();
  /** The site key a torrent being fetched belongs to (by v1 hex), until it is stored. */
  readonly #expectedSites = new Map<string, Uint8Array>();
  readonly #push: UpdatePush;
  /** Reply notices sent and received (site-replies.ts). */
  readonly #replies: SiteReplies;
  /** Versions being downloaded (v1 hex). */
  readonly #fetching = new Set<string>();
  /** The swarm joined on a LAN hint, per site (hex key -> v1 hex). */
  readonly #hints = new Map<string, string>();
  /** Called with every newer record of an unsalted slot. */
  readonly #recordWaiters = new Set<(record: MutableRecord) => void>();
  #lan: LanLink | undefined;
  #bootstrapped: Promise<void> | undefined;
  /** Outbox entries a publish of this node is putting right now. */
  readonly #inFlight = new Set<number>();
  /** Serialises publishes: one version at a time per node. */
  #publishing: Promise<unknown> = Promise.resolve();
  #seedReads: boolean;
  #closed = false;

  private constructor(options: SiteNodeOptions) {
    this.#options = options;
    this.store = options.store;
    this.#dht = options.session.dht ?? true;
    this.#now = options.now ?? Date.now;
    this.#seedReads = options.seedReads ?? true;
    this.session = new TorrentSession(options.session);
    this.records = new SiteRecords({ session: this.session });
    this.#push = new UpdatePush({
      session: this.session,
      enabled: options.push ?? true,
      siteOf: (id) => this.#siteOfTorrent(id),
      torrentsOf: (key) => this.#torrentsOfSite(key),
      latest: (key) => this.latestSigned(key),
      accept: (record, from) => this.#acceptPushed(record, from),
    });
    this.#replies = new SiteReplies({
      store: this.store,
      session: this.session,
      enabled: options.push ?? true,
      siteOf: (id) => this.#siteOfTorrent(id),
      torrentsOf: (key) => this.#torrentsOfSite(key),
      isStored: (id) => {
        const infohash = fromHex(this.#torrentHexes.get(id) ?? '', INFOHASH_BYTES);
        return infohash !== undefined && this.store.version(infohash) !== undefined;
      },
      fetch: (infohash, fetchOptions) => this.fetch(infohash, fetchOptions),
      endpointOf: (host) => this.#lan?.endpointOf(host),
      log: (event, message, data) => { this.#log(event, message, data); },
    });
  }

  /** Starts the session and seeds every version on disk that has resume data. */
  static start(options: SiteNodeOptions): SiteNode {
    const node = new SiteNode(options);
    clearStaging(node.store.dataDir);
    node.#seedStored();
    // Tell the DHT at once that this node has them: libtorrent would announce on its own schedule.
    void node.#dhtReady().then(() => {
      if (node.#closed) return; // closed within the bootstrap second: its store is closed too
      for (const hex of node.#torrents.keys()) if (!node.#isHeld(hex)) node.#announce(hex);
    });
    return node;
  }

  get dataDir(): string {
    return this.store.dataDir;
  }

  /** Versions this node seeds (v1 infohashes, hex). */
  get seeding(): string[] {
    return [...this.#torrents.keys()];
  }

  #log(event: string, message: string, data: Record<string, unknown> = {}): void {
    this.#options.log?.({ event, message, ...data });
  }

  #seedStored(): void {
    let seeded = 0;
    for (const { infohash, bytes } of readResumeData(this.dataDir)) {
      if (this.store.version(infohash) === undefined || this.store.isBlocked(this.store.version(infohash)?.siteKey ?? EMPTY)) {
        removeResumeData(this.dataDir, infohash);
        continue;
      }
      try {
        const added = this.session.addTorrent({ resumeData: bytes, savePath: contentFolder(this.dataDir, infohash) });
        this.#track(toHex(infohash), added.id);
        this.#holdIfRead(toHex(infohash), added.id);
        seeded += 1;
      } catch (error) {
        this.#log('warning', `the saved state of version ${toHex(infohash)} cannot be used: ${(error as Error).message}`);
      }
    }
    if (seeded > 0) this.#log('seeding', `seeding ${seeded} stored version${seeded === 1 ? '' : 's'}`, { versions: seeded });
  }

  /** Waits (once, up to 1 s) until the DHT has bootstrapped, so a first lookup reaches the network. */
  async #dhtReady(): Promise<void> {
    if (!this.#dht) return;
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

  get #dhtTimeoutMs(): number {
    return this.#options.dhtTimeoutMs ?? DEFAULT_DHT_TIMEOUT_MS;
  }

  // --- publishing ---------------------------------------------------------------------

  /** The author of this data folder, created on first use. */
  author(): Identity {
    return hasIdentity(this.dataDir) ? loadIdentity(this.dataDir) : createIdentity(this.dataDir);
  }

  /** The folder site `name` is published from, if it was published from one. */
  siteSource(name: string): string | undefined {
    return readOwnSites(this.dataDir).find((site) => site.name === name)?.source;
  }

  /**
   * Publishes the folder `source` as the next version of the author's site `name`.
   * An unchanged folder publishes nothing (and re-puts nothing).
   */
  publish(source: string, name: string = DEFAULT_SITE_NAME, options: { readonly title?: string } = {}): Promise<PublishResult> {
    const run = this.#publishing.then(() => this.#publish(path.resolve(source), name, options.title));
    this.#publishing = run.catch(() => undefined);
    return run;
  }

  async #publish(source: string, name: string, newTitle: string | undefined): Promise<PublishResult> {
    const startedMs = performance.now();
    const author = this.author();
    const site = deriveSiteIdentity(author, name);
    const key = site.publicKey;
    const scan = scanSource(source);
    writeOwnSite(this.dataDir, { name, source, ...(newTitle === undefined ? {} : { title: newTitle }) });
    const own = readOwnSites(this.dataDir).find((entry) => entry.name === name);
    this.store.noteSite({ key, origin: 'own', isOwn: true });
    await this.#flushOutbox(key);
    const mySalt = deviceSalt(deviceId(this.dataDir));

    // The newest merged version (the unsalted slot) and this device's own last version.
    // Both slots at once: on a LAN each lookup is a round of the hosts' DHT.
    const [mainSlot, mySlot] = await Promise.all([this.#newestRecord(key, EMPTY), this.#newestRecord(key, mySalt)]);
    const main = mainSlot.record;
    const mine = mySlot.record;
    const mainVersion = main === undefined ? undefined : await this.#ownVersion(main, 'the newest version of your site');
    const myVersion = mine === undefined ? undefined : await this.#ownVersion(mine, "this device's last version");

    // Other devices: the slots the newest version names, each at its newest record.
    const devices = new Map<string, Uint8Array>([[toHex(mySalt), mySalt]]);
    for (const salt of mainVersion?.manifest.devices ?? []) devices.set(toHex(salt), salt);
    const carried: KnownItem[] = [];
    const mineIds = new Set((myVersion?.items ?? []).map((known) => toHex(known.item.id)));
    const others: StoredVersion[] = [];
    if (mainVersion !== undefined) others.push(mainVersion);
    for (const salt of devices.values()) {
      if (bytesEqual(salt, mySalt)) continue;
      const head = (await this.#newestRecord(key, salt)).record;
      if (head === undefined) continue;
      others.push(await this.#ownVersion(head, 'a version of your site from another device'));
    }
    for (const other of others) {
      for (const known of other.items) if (!mineIds.has(toHex(known.item.id))) carried.push(known);
    }

    const lookedUpMs = performance.now();
    const nowMs = this.#now();
    const common = {
      dataDir: this.dataDir,
      source: scan,
      author,
      site,
      ...(own?.title === undefined ? {} : { title: own.title }),
      ...(own?.description === undefined ? {} : { description: own.description }),
      fallbackTitle: fallbackSiteTitle(this.dataDir, name, source),
      rootName: rootNameFor(name === DEFAULT_SITE_NAME ? path.basename(source) : name),
      devices: [...devices.values()],
      generated: readSettings(this.dataDir).settings.publishBlockList ? [ownBlockListFile(this.store)] : [],
      nowMs,
    };
    // This device's version: the folder alone, following this device's last version (or,
    // on a device that never published, the newest version, so that an unchanged folder
    // publishes nothing). Unchanged pages keep their items, from either.
    const reuse = [...(mainVersion?.items ?? []), ...(myVersion?.items ?? [])];
    const deviceBase = myVersion ?? mainVersion;
    const device = buildVersion({ ...common, reuse, ...(deviceBase === undefined ? {} : { previous: deviceBase }) });
    const deviceInfohash = device.unchanged ? deviceBase?.infohash : await this.#adopt(device);
    if (deviceInfohash === undefined) throw new Error('publish: a version without an infohash');
    // The merged version: the folder and what the other devices published; it is this
    // device's version itself when nothing else is carried.
    const merged = buildVersion({ ...common, reuse, carried, ...(mainVersion === undefined ? {} : { previous: mainVersion }) });
    const mainInfohash = merged.carriedItems === 0 ? deviceInfohash : merged.unchanged ? mainVersion?.infohash : await this.#adopt(merged);
    if (mainInfohash === undefined) throw new Error('publish: a version without an infohash');
    if (merged.carriedItems === 0 && merged.staging !== undefined) fs.rmSync(merged.staging, { recursive: true, force: true });
    const shown = merged.carriedItems === 0 ? device : merged;

    const builtMs = performance.now();
    // Records only for the slots whose version changed.
    const needDevice = myVersion === undefined || !bytesEqual(myVersion.infohash, deviceInfohash);
    const needMain = mainVersion === undefined || !bytesEqual(mainVersion.infohash, mainInfohash);
    const [deviceRecord, mainRecord] = await Promise.all([
      needDevice ? this.#publishRecord(site, mySalt, deviceInfohash, mySlot.network) : Promise.resolve(undefined),
      needMain ? this.#publishRecord(site, EMPTY, mainInfohash, mainSlot.network) : Promise.resolve(undefined),
    ]);
    const seq = mainRecord?.record.seq ?? main?.seq;
    if (seq === undefined) throw new Error('publish: the main slot has no record');
    if (mainRecord !== undefined) this.#replies.announce(mainRecord.record, mainInfohash);
    if (mainRecord !== undefined) {
      this.#log('published', `published ${name} version ${seq.toString()} (${toHex(mainInfohash)})`, {
        site: name, key: toHex(key), seq: seq.toString(), infohash: toHex(mainInfohash),
        // Where the time went (ms): finding the newest records, building and seeding the
        // version(s), signing and putting the records (readers are pushed the main one
        // before its put).
        ms: { lookups: Math.round(lookedUpMs - startedMs), build: Math.round(builtMs - lookedUpMs), records: Math.round(performance.now() - builtMs) },
      });
    }
    return {
      site: name, key, infohash: mainInfohash, seq, unchanged: mainRecord === undefined, title: shown.manifest.title,
      items: shown.items.filter((entry) => !isGenerated(entry.item)).length, newItems: mainRecord === undefined ? 0 : device.newItems, put: (deviceRecord?.put ?? true) && (mainRecord?.put ?? true),
      skipped: scan.skipped, merged: merged.carriedItems,
    };
  }

  /**
   * The newest record of a slot known here or on the network (checked by core), or
   * undefined; `network` is what the DHT lookup found (absent when there was no answer
   * to trust: DHT off, or the lookup timed out), which the record's put may use as its
   * compare-and-swap base instead of asking again.
   */
  async #newestRecord(key: Uint8Array, salt: Uint8Array): Promise<{ record: MutableRecord | undefined; network?: { head: SlotHead | undefined } }> {
    const local = this.store.latestRecord(key, salt);
    let network: { head: SlotHead | undefined } | undefined;
    if (this.#dht) {
      await this.#dhtReady();
      try {
        network = { head: (await this.records.lookup(key, salt, { timeoutMs: this.#dhtTimeoutMs })).head };
      } catch (error) {
        if ((error as AppError).code !== 'ERR_TIMEOUT') throw error;
      }
      if (network?.head !== undefined) this.store.noteRecord(network.head.record, 'dht');
    }
    const found = network?.head?.record;
    const record = local === undefined ? found : found === undefined ? local : found.seq > local.seq ? found : local;
    return { record, ...(network === undefined ? {} : { network }) };
  }

  /** A version of the author's own site with its items: from the store, else fetched. */
  async #ownVersion(record: MutableRecord, what: string): Promise<StoredVersion> {
    const pointer = decodeSitePointer(record.value);
    if (!pointer.ok) throw new AppError(pointer.error.code, `${what} (seq ${record.seq.toString()}) is not a site pointer: ${pointer.error.message}`);
    const infohash = pointer.value;
    if (this.store.manifest(infohash) === undefined) {
      try {
        await this.fetch(infohash, { timeoutMs: this.#dhtTimeoutMs * 3, origin: 'own' });
      } catch (error) {
        throw new AppError(
          'ERR_MERGE_UNAVAILABLE',
          `${what} (seq ${record.seq.toString()}, ${toHex(infohash)}) is on the network but could not be downloaded to merge it (${(error as Error).message}); publish again when a peer that has it is online`,
        );
      }
    }
    const stored = this.store.manifest(infohash);
    const root = this.store.versionRoot(infohash);
    if (stored === undefined || root === undefined) throw new AppError('ERR_MERGE_UNAVAILABLE', `${what} (${toHex(infohash)}) is not on disk`);
    if (!bytesEqual(stored.manifest.author, record.publicKey)) throw new AppError('ERR_VERSION_AUTHOR', `${what} is not signed by the site's key`);
    const items = knownItems(root, stored.manifest, (id) => this.store.itemBytes(id));
    return { infohash, manifest: stored.manifest, items };
  }

  /** Makes the torrent of a built version, moves it into the store, and seeds it. */
  async #adopt(built: BuiltVersion): Promise<Uint8Array> {
    if (built.staging === undefined || built.root === undefined) throw new Error('adopt: nothing staged');
    const created = await createTorrent(built.root, { format: this.#options.torrentFormat ?? 'v1', skipHidden: false, creator: 'swarmpress' });
    const infohash = fromHex(created.infoHashes.v1 ?? '', INFOHASH_BYTES);
    if (infohash === undefined) throw new Error('createTorrent made a torrent without a v1 infohash');
    crashPoint('before-adopt');
    const adopted = this.store.adoptVersion(built.staging, infohash, 'own');
    if (!adopted.ok) throw new AppError(adopted.error.code, `the new version does not verify: ${adopted.error.message}`);
    const id = this.session.addTorrent({ torrent: created.torrent, savePath: contentFolder(this.dataDir, infohash), seedMode: true }).id;
    this.#track(toHex(infohash), id);
    await this.#saveResume(infohash, id);
    this.#announce(toHex(infohash));
    return infohash;
  }

  /**
   * Announces this node as a peer of a version in the DHT: now, once the DHT is ready, and
   * again a few seconds later — an announce made while the routing table is still filling
   * reaches nodes that are not the closest, and readers would find no peer until
   * libtorrent's own re-announce (many minutes later).
   */
  #announce(infohashHex: string): void {
    if (!this.#dht || this.#options.transient === true) return;
    const announce = (): void => {
      if (!this.#closed && this.session.listenPort !== 0) this.session.dhtAnnounce(infohashHex, this.session.listenPort, true);
    };
    void this.#dhtReady().then(announce);
    for (const delayMs of [3_000, 15_000]) setTimeout(announce, delayMs).unref();
  }

  async #saveResume(infohash: Uint8Array, id: string): Promise<void> {
    try {
      writeResumeData(this.dataDir, infohash, await this.session.saveResumeData(id));
    } catch (error) {
      this.#log('warning', `the state of version ${toHex(infohash)} was not saved (${(error as Error).message}); it is checked again on the next start`);
    }
  }

  /**
   * Signs and puts the record of a slot: seq = max(local, network) + 1, persisted in the
   * outbox before the put (store.reservePublish), confirmed after it. Without the DHT, or
   * when the put fails, the record stays in the outbox and is put by {@link flushOutbox}.
   */
  async #publishRecord(site: Identity, salt: Uint8Array, infohash: Uint8Array, network?: { head: SlotHead | undefined }): Promise<{ record: MutableRecord; put: boolean }> {
    const value = encodeSitePointer(infohash);
    let outboxId: number | undefined;
    const reserve = (record: MutableRecord): void => {
      crashPoint('before-reserve');
      outboxId = this.store.reservePublish(record);
      this.#inFlight.add(outboxId);
      crashPoint('after-reserve');
      // Persisted: readers connected to any version of the site learn of it now, not after the put.
      if (salt.length === 0) this.#noteNewRecord(record, true);
    };
    if (!this.#dht) {
      const seq = nextSeq(this.store.localSeq(site.publicKey, salt), undefined);
      if (!seq.ok) throw new AppError(seq.error.code, seq.error.message);
      const record = signRecord(site, { salt, seq: seq.value, value });
      reserve(record);
      return { record, put: false };
    }
    await this.#dhtReady();
    try {
      const localSeq = this.store.localSeq(site.publicKey, salt);
      const published = await this.records.publish(site, value, {
        salt,
        ...(localSeq === undefined ? {} : { localSeq }),
        beforePut: reserve,
        timeoutMs: this.#dhtTimeoutMs,
        ...(network === undefined ? {} : { networkHead: network }),
      });
      if (outboxId !== undefined) {
        crashPoint('after-put');
        if (published.successes > 0) this.store.confirmPublish(outboxId);
        else this.store.notePublishAttempt(outboxId, 'no DHT node stored the record');
      }
      return { record: published.record, put: published.successes > 0 };
    } catch (error) {
      if (outboxId === undefined) throw error;
      this.store.notePublishAttempt(outboxId, (error as Error).message);
      const pending = this.store.pendingPublishes().find((entry) => entry.id === outboxId);
      if (pending === undefined) throw error;
      this.#log('warning', `the record (seq ${pending.record.seq.toString()}) was not put (${(error as Error).message}); it stays in the outbox and is put again`);
      return { record: pending.record, put: false };
    } finally {
      if (outboxId !== undefined) this.#inFlight.delete(outboxId);
    }
  }

  /**
   * Puts again the records of the outbox (publishes a crash or a failed put interrupted),
   * oldest first, for one site or all. The same record is put, never a new one with the
   * same seq. Returns how many were confirmed.
   */
  flushOutbox(): Promise<number> {
    // Not queued behind publishes: a put that waits on a dead DHT node must not hold up the
    // next publish (and its push). Records a publish of this node is still putting are left
    // to it, and a record tried less than a minute ago waits.
    return this.#flushOutbox(undefined, RETRY_OUTBOX_AFTER_MS);
  }

  async #flushOutbox(key?: Uint8Array, retryAfterMs = 0): Promise<number> {
    if (!this.#dht) return 0;
    let confirmed = 0;
    const now = this.#now();
    for (const pending of this.store.pendingPublishes()) {
      if (key !== undefined && !bytesEqual(pending.record.publicKey, key)) continue;
      if (this.#inFlight.has(pending.id)) continue;
      if (retryAfterMs > 0 && now - (pending.lastAttemptMs ?? pending.createdMs) < retryAfterMs) continue;
      await this.#dhtReady();
      try {
        const stored = await this.records.reput(pending.record, this.#dhtTimeoutMs);
        if (stored) {
          this.store.confirmPublish(pending.id);
          confirmed += 1;
          this.#log('outbox', `put the pending record seq ${pending.record.seq.toString()} of ${toHex(pending.record.publicKey)}`, { key: toHex(pending.record.publicKey), seq: pending.record.seq.toString() });
        } else {
          // The network holds a newer record of this slot: this one is superseded.
          this.store.confirmPublish(pending.id);
        }
      } catch (error) {
        this.store.notePublishAttempt(pending.id, (error as Error).message);
      }
    }
    return confirmed;
  }

  // --- reading ------------------------------------------------------------------------

  /**
   * The newest version of the site `key` (slot `salt`) this node can verify: the DHT's
   * authoritative answer when it is at least as new as the stored record, else the stored
   * record (offline, or nobody answered), saying so. Readers never go backwards: a record
   * with a lower seq than the stored one is ignored.
   */
  async resolveSite(key: Uint8Array, salt: Uint8Array = EMPTY, options: { timeoutMs?: number } = {}): Promise<Resolved> {
    if (this.store.isBlocked(key)) throw new AppError('ERR_BLOCKED', `${toHex(key)} is blocked`);
    const stored = this.store.latestRecord(key, salt);
    let note: string;
    if (this.#dht) {
      await this.#dhtReady();
      try {
        const found = await this.records.lookup(key, salt, { timeoutMs: options.timeoutMs ?? this.#dhtTimeoutMs });
        const head = found.head;
        if (head !== undefined) {
          const noted = this.store.noteRecord(head.record, 'dht');
          if (noted.ok && noted.value.isNewer) this.#noteNewRecord(head.record, true);
          if (head.conflict !== undefined) {
            this.#log('conflict', `two values at seq ${head.conflict.seq.toString()} for ${toHex(key)}: using the one every reader picks`, { key: toHex(key), seq: head.conflict.seq.toString() });
          }
          if (noted.ok && (stored === undefined || head.record.seq >= stored.seq)) {
            return { infohash: noted.value.infohash, key, seq: head.record.seq, source: 'dht' };
          }
          note = `the DHT answered with seq ${head.record.seq.toString()}, older than the stored seq ${stored?.seq.toString() ?? '?'}`;
        } else {
          note = found.rejected.size > 0 ? `the DHT answered only with records that failed the checks (${[...found.rejected.keys()].join(', ')})` : 'no DHT node had a record';
        }
      } catch (error) {
        if ((error as AppError).code !== 'ERR_TIMEOUT') throw error;
        note = 'the DHT lookup timed out';
      }
      // A LAN with no way to the internet: the DHT knows nothing, a neighbour that says it
      // holds a newer version may hand over its record.
      const fromLan = await this.#resolveFromLan(key, salt, stored?.seq, { onlyClaimed: true, timeoutMs: options.timeoutMs });
      if (fromLan.resolved !== undefined) return fromLan.resolved;
      if (fromLan.asked) note += '; no LAN neighbour handed over a newer record';
    } else if (this.#lan !== undefined && salt.length === 0) {
      const fromLan = await this.#resolveFromLan(key, salt, stored?.seq, { onlyClaimed: false, timeoutMs: options.timeoutMs });
      if (fromLan.resolved !== undefined) return fromLan.resolved;
      note = fromLan.asked ? 'the DHT is switched off and no LAN neighbour handed over a newer record' : 'the DHT is switched off';
    } else {
      note = 'the DHT is switched off';
    }
    if (stored === undefined) throw new AppError('ERR_NOT_FOUND', `nothing found for ${toHex(key)}: ${note}, and no record of it is stored here`);
    const pointer = decodeSitePointer(stored.value);
    if (!pointer.ok) throw new AppError(pointer.error.code, pointer.error.message);
    const made = this.store.version(pointer.value)?.createdMs;
    return { infohash: pointer.value, key, seq: stored.seq, source: 'stored', note, ...(made === undefined ? {} : { versionCreatedMs: made }) };
  }

  /**
   * Downloads version `infohash` (unless stored), verifies it with core and stores it, and
   * keeps seeding it. `expectAuthor`: the version must be signed by this key (the site key
   * whose record named it); otherwise it is deleted and rejected.
   */
  async fetch(
    infohash: Uint8Array,
    options: { timeoutMs?: number; origin?: string; expectAuthor?: Uint8Array; peers?: readonly Endpoint[]; onProgress?: (progress: FetchProgress) => void } = {},
  ): Promise<{ isNew: boolean; newItems: number }> {
    const hex = toHex(infohash);
    const known = this.store.version(infohash);
    if (known !== undefined && this.store.versionRoot(infohash) !== undefined) {
      if (options.expectAuthor !== undefined && !bytesEqual(known.siteKey, options.expectAuthor)) throw this.#wrongAuthor(hex);
      return { isNew: false, newItems: 0 };
    }
    const startedMs = performance.now();
    const timeoutMs = options.timeoutMs ?? 120_000;
    const savePath = contentFolder(this.dataDir, infohash);
    let id = this.#torrents.get(hex);
    if (id === undefined) {
      id = this.session.addTorrent({ magnet: `magnet:?xt=urn:btih:${hex}`, savePath }).id;
      this.#track(hex, id);
    }
    const torrentId = id;
    if (options.expectAuthor !== undefined) this.#expectedSites.set(hex, options.expectAuthor);
    this.#fetching.add(hex);
    for (const peer of options.peers ?? []) this.#connect(torrentId, peer);
    // Ask the DHT for peers now, and again every 5 s while none is connected (libtorrent
    // asks on its own schedule, minutes apart).
    let askedMs = 0;
    const askForPeers = (): void => {
      if (!this.#dht) return;
      askedMs = Date.now();
      void this.#dhtReady().then(() => this.session.dhtGetPeers(hex, 10_000)).then((peers) => {
        for (const peer of peers) this.#connect(torrentId, peer);
      }, () => undefined);
    };
    askForPeers();
    const maxBytes = this.#options.maxVersionBytes ?? Math.min(MAX_DOWNLOAD_BYTES, this.store.cacheUsage().budgetBytes);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const status = this.session.status(torrentId);
        if (status.error !== undefined) throw new AppError('ERR_LIBTORRENT', status.error.message);
        if (status.hasMetadata && status.totalWanted > maxBytes) {
          throw new AppError('ERR_TOO_LARGE', `version ${hex} is ${status.totalWanted} bytes, more than the ${maxBytes} this node accepts`);
        }
        options.onProgress?.({ state: status.state, progress: status.progress, peers: status.peers });
        if (status.peers === 0 && Date.now() - askedMs > 5_000) askForPeers();
        if (status.isFinished || status.isSeeding) break;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new AppError('ERR_TIMEOUT', `version ${hex} was not downloaded within ${Math.round(timeoutMs / 1000)} s (${status.hasMetadata ? `${Math.round(status.progress * 100)}%` : 'no metadata'}, ${status.peers} peer${status.peers === 1 ? '' : 's'})`);
        }
        try {
          await this.session.waitFinished(torrentId, Math.min(250, left));
        } catch (error) {
          if ((error as AppError).code !== 'ERR_TIMEOUT') throw error;
        }
      }
      const downloadedMs = performance.now();
      // Whose version is it? Checked before anything is stored: a version signed by another
      // key than the record that named it is dropped with its files.
      if (options.expectAuthor !== undefined) {
        const root = this.store.versionRoot(infohash);
        const manifest = root === undefined ? undefined : readManifest(root);
        if (manifest !== undefined && !bytesEqual(manifest.author, options.expectAuthor)) throw this.#wrongAuthor(hex);
      }
      const added = this.store.addVersionFromDisk(infohash, options.origin ?? 'swarm');
      if (!added.ok) throw new AppError(added.error.code, `version ${hex} failed verification: ${added.error.message}`);
      const version = this.store.version(infohash);
      if (options.expectAuthor !== undefined && (version === undefined || !bytesEqual(version.siteKey, options.expectAuthor))) throw this.#wrongAuthor(hex);
      const verifiedMs = performance.now();
      await this.#saveResume(infohash, torrentId);
      this.#fetching.delete(hex);
      if (!this.#holdIfRead(hex, torrentId)) {
        this.#announce(hex);
        // Its site is carried now: the LAN hears of it (a record that arrived before the
        // version was stored was not announced, since the site was not carried yet).
        if (added.value.isNew) this.#lan?.advertise();
      }
      this.#log('fetched', `fetched version ${hex}`, {
        infohash: hex,
        items: added.value.newItems,
        // Where the time went (ms): downloading, verifying and storing, saving the resume data.
        ms: { download: Math.round(downloadedMs - startedMs), verify: Math.round(verifiedMs - downloadedMs), resume: Math.round(performance.now() - verifiedMs) },
      });
      if (version !== undefined && this.store.blockLists().some((key) => bytesEqual(key, version.siteKey))) {
        await this.applyBlockList(version.siteKey).catch((error: unknown) => { this.#log('warning', `block list ${toHex(version.siteKey)} not applied: ${(error as Error).message}`); });
      }
      this.#replies.versionStored();
      return added.value;
    } catch (error) {
      await this.#drop(infohash, (error as AppError).code !== 'ERR_TIMEOUT');
      throw error;
    } finally {
      this.#fetching.delete(hex);
      this.#expectedSites.delete(hex);
    }
  }

  #wrongAuthor(hex: string): AppError {
    return new AppError('ERR_VERSION_AUTHOR', `version ${hex} is not signed by the key of the site that named it: ignored`);
  }

  /** Stops a torrent and (when asked) deletes what it downloaded. */
  async #drop(infohash: Uint8Array, deleteFiles: boolean): Promise<void> {
    const hex = toHex(infohash);
    const id = this.#torrents.get(hex);
    this.#torrents.delete(hex);
    if (id !== undefined) this.#torrentHexes.delete(id);
    if (id !== undefined) await this.session.removeTorrent(id, { deleteFiles }).catch(() => undefined);
    removeResumeData(this.dataDir, infohash);
    if (deleteFiles && this.store.version(infohash) === undefined) fs.rmSync(contentFolder(this.dataDir, infohash), { recursive: true, force: true });
  }

  /** Stops seeding every version of `key` (a blocked site or author). */
  async dropSite(key: Uint8Array): Promise<number> {
    let dropped = 0;
    for (const hex of [...this.#torrents.keys()]) {
      const infohash = fromHex(hex, INFOHASH_BYTES);
      const version = infohash === undefined ? undefined : this.store.version(infohash);
      if (infohash !== undefined && version !== undefined && bytesEqual(version.siteKey, key)) {
        await this.#drop(infohash, false);
        dropped += 1;
      }
    }
    return dropped;
  }

  // --- block lists (block-lists.ts) ---------------------------------------------------

  /**
   * Applies the block list that the newest stored version of subscribed site `listKey`
   * carries: its entries replace the list's earlier ones and what they block stops being
   * seeded. A list that fails a check changes nothing; the reason is recorded with the
   * subscription (store.blockListStatus) and logged. Entries naming the user's own key or
   * sites are left out. Never throws for what a peer published.
   */
  async applyBlockList(listKey: Uint8Array): Promise<BlockListOutcome> {
    const hex = toHex(listKey);
    if (!this.store.blockLists().some((key) => bytesEqual(key, listKey))) return { applied: false, entries: 0, refused: 0, dropped: 0, problem: `${hex} is not a subscribed block list` };
    const own = [...(hasIdentity(this.dataDir) ? [this.author().publicKey] : []), ...this.store.sites().filter((site) => site.isOwn).map((site) => site.key)];
    const read = readBlockListOf(this.store, listKey, own);
    if (!read.ok) {
      this.store.noteBlockListCheck(listKey, read.error.message);
      this.#log('block-list-refused', `block list ${hex} refused: ${read.error.message}`, { key: hex, code: read.error.code });
      return { applied: false, entries: 0, refused: 0, dropped: 0, problem: read.error.message };
    }
    const { entries, refused, absent } = read.value;
    const problem = refused.length > 0 ? `${refused.length} entr${refused.length === 1 ? 'y names' : 'ies name'} your own key or sites: left out` : absent ? 'the site publishes no block list' : undefined;
    this.store.setBlockListEntries(listKey, entries);
    this.store.noteBlockListCheck(listKey, problem);
    let dropped = 0;
    for (const key of new Set(entries.map((entry) => toHex(entry.key)))) {
      const bytes = fromHex(key, 32);
      if (bytes !== undefined) dropped += await this.dropSite(bytes);
    }
    this.#log('block-list', `block list ${hex}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${problem === undefined ? '' : ` (${problem})`}`, {
      key: hex, entries: entries.length, refused: refused.length, dropped, infohash: read.value.infohash,
    });
    return { applied: true, entries: entries.length, refused: refused.length, dropped, ...(problem === undefined ? {} : { problem }) };
  }

  // --- pushed updates (push.ts) -------------------------------------------------------

  /** What pushed messages were refused, by code. */
  get pushDropped(): ReadonlyMap<string, number> {
    return this.#push.dropped;
  }

  /** What reply notices were refused, by code (site-replies.ts). */
  get replyNoticesDropped(): ReadonlyMap<string, number> {
    return this.#replies.dropped;
  }

  /** Fetches the versions of reply notices still pending (a duty); resolves with how many replies were verified. */
  checkReplyNotices(): Promise<number> {
    return this.#replies.checkPending();
  }

  /**
   * The newest signed record of site `key`'s unsalted slot: the stored one, or an own
   * record still in the outbox (without the DHT, records stay there) when it is newer.
   */
  latestSigned(key: Uint8Array): MutableRecord | undefined {
    let newest = this.store.latestRecord(key, EMPTY);
    for (const pending of this.store.pendingPublishes()) {
      const record = pending.record;
      if (record.salt.length === 0 && bytesEqual(record.publicKey, key) && (newest === undefined || record.seq > newest.seq)) newest = record;
    }
    return newest;
  }

  /**
   * The peers connected in the swarm of version `infohash` now (libtorrent's count), or
   * undefined when this node is not in that swarm (not seeding nor fetching it).
   */
  peersOf(infohash: Uint8Array): number | undefined {
    const id = this.#torrents.get(toHex(infohash));
    if (id === undefined || this.session.isClosed) return undefined;
    try {
      return this.session.status(id).peers;
    } catch {
      // removed meanwhile
      return undefined;
    }
  }

  // --- seeding what was read -----------------------------------------------------------

  /** Whether versions of other people's sites are seeded after they were read. */
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
    for (const [hex, id] of this.#torrents) {
      if (this.#fetching.has(hex) || !this.#isReadVersion(hex)) continue;
      try {
        if (seed) {
          this.session.resume(id);
          this.#announce(hex);
        } else {
          this.session.pause(id);
        }
      } catch {
        // the torrent may be gone already
      }
    }
  }

  /** Versions held but paused (not seeded), v1 hex. */
  get pausedVersions(): string[] {
    return [...this.#torrents].filter(([, id]) => {
      try {
        return this.session.status(id).paused;
      } catch {
        return false;
      }
    }).map(([hex]) => hex);
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

  /** Pauses torrent `id` (version `hex`) when it is a read version and reads are not seeded; true when it did. */
  #holdIfRead(hex: string, id: string): boolean {
    if (!this.#isHeld(hex)) return false;
    this.session.pause(id);
    return true;
  }

  #track(hex: string, id: string): void {
    this.#torrents.set(hex, id);
    this.#torrentHexes.set(id, hex);
  }

  #connect(torrentId: string, peer: Endpoint): void {
    try {
      this.session.connectPeer(torrentId, peer);
    } catch {
      // the torrent may be gone already
    }
  }

  #siteOfTorrent(id: string): Uint8Array | undefined {
    const hex = this.#torrentHexes.get(id);
    if (hex === undefined) return undefined;
    const infohash = fromHex(hex, INFOHASH_BYTES);
    return (infohash === undefined ? undefined : this.store.version(infohash)?.siteKey) ?? this.#expectedSites.get(hex);
  }

  #torrentsOfSite(key: Uint8Array): string[] {
    const ids: string[] = [];
    for (const [hex, id] of this.#torrents) {
      const infohash = fromHex(hex, INFOHASH_BYTES);
      const site = (infohash === undefined ? undefined : this.store.version(infohash)?.siteKey) ?? this.#expectedSites.get(hex);
      if (site !== undefined && bytesEqual(site, key)) ids.push(id);
    }
    return ids;
  }

  /** A record pushed by a peer (checked by push.ts): stored when newer, then its version fetched. */
  #acceptPushed(record: MutableRecord, from: PushSource): boolean {
    if (this.#closed || this.store.isBlocked(record.publicKey)) return false;
    const noted = this.store.noteRecord(record, 'push');
    if (!noted.ok || !noted.value.isNewer) return false;
    const key = toHex(record.publicKey);
    this.#log('pushed', `${key}: record seq ${record.seq.toString()} pushed by ${from.host}`, { key, seq: record.seq.toString(), infohash: toHex(noted.value.infohash), from: from.host });
    this.#noteNewRecord(record, false);
    void this.#fetchPushed(record, noted.value.infohash, from);
    return true;
  }

  async #fetchPushed(record: MutableRecord, infohash: Uint8Array, from: PushSource): Promise<void> {
    const key = record.publicKey;
    try {
      // The pusher's connection may be one it opened (from a port where nothing listens):
      // its announced LAN endpoint is where to fetch from.
      const listening = this.#lan?.endpointOf(from.host);
      const peers = [{ host: from.host, port: from.port }, ...(listening === undefined ? [] : [listening])];
      const fetched = await this.fetch(infohash, { expectAuthor: key, origin: 'push', peers });
      // A newer one may have arrived meanwhile: the log says which version this was.
      this.#log('updated', `${this.store.site(key)?.title ?? toHex(key)}: version ${record.seq.toString()} (${fetched.newItems} new item${fetched.newItems === 1 ? '' : 's'})`, {
        key: toHex(key), seq: record.seq.toString(), infohash: toHex(infohash), newItems: fetched.newItems, via: 'push',
      });
    } catch (error) {
      if (this.#closed) return;
      this.#log('warning', `version ${toHex(infohash)} of ${toHex(key)} (seq ${record.seq.toString()}) was not fetched: ${(error as Error).message}`, { key: toHex(key), infohash: toHex(infohash) });
    }
  }

  /** A newer record of an unsalted slot: pushed (unless push.ts forwards it), announced on the LAN, handed to waiting reads. */
  #noteNewRecord(record: MutableRecord, broadcast: boolean): void {
    if (broadcast) void this.#push.broadcast(record);
    this.#lan?.advertise();
    for (const waiter of [...this.#recordWaiters]) waiter(record);
  }

  // --- LAN (lan-link.ts) --------------------------------------------------------------

  /**
   * Opens LAN discovery on this node's listen port (on `interfaceAddress`, else every
   * interface) and announces the sites it carries. Rejects with `ERR_LAN_OPEN` when the
   * mDNS socket cannot be opened; the node works on without it.
   */
  async startLan(options: { interfaceAddress?: string } = {}): Promise<void> {
    if (this.#lan !== undefined || this.#closed) return;
    const port = this.session.listenPort;
    this.#lan = await LanLink.open({
      port,
      ...(options.interfaceAddress === undefined ? {} : { interfaceAddress: options.interfaceAddress }),
      onWarning: (message) => {
        this.#log('lan-warning', message);
      },
      node: {
        sites: () => this.#carriedSites(),
        carries: (key) => this.#carries(key),
        latestSigned: (key) => this.latestSigned(key),
        title: (key) => this.store.site(key)?.title,
        joinSwarm: (key, infohash, peer) => {
          this.#joinSwarm(key, infohash, peer);
        },
      },
    });
    // close() may have run while the socket opened.
    if (this.session.isClosed) await this.#lan.close();
  }

  /** LAN discovery, when it runs. */
  get lan(): LanLink | undefined {
    return this.#lan;
  }

  #carries(key: Uint8Array): boolean {
    const site = this.store.site(key);
    return site !== undefined && (site.isOwn || this.store.isFollowing('site', key) || this.store.latestVersion(key) !== undefined);
  }

  /** Own sites, then followed ones, then the others held. */
  #carriedSites(): Uint8Array[] {
    const rank = (key: Uint8Array, isOwn: boolean): number => (isOwn ? 0 : this.store.isFollowing('site', key) ? 1 : 2);
    return this.store.sites()
      .filter((site) => !this.store.isBlocked(site.key) && this.#carries(site.key))
      .sort((x, y) => rank(x.key, x.isOwn) - rank(y.key, y.isOwn))
      .slice(0, MAX_ANNOUNCED_SITES)
      .map((site) => site.key);
  }

  /**
   * Connects to a LAN neighbour in the swarms of site `key`: every version held, and the
   * one it hints at (joined on trust for {@link LAN_HINT_TTL_MS}, one per site).
   */
  #joinSwarm(key: Uint8Array, infohash: Uint8Array | undefined, peer: Endpoint): void {
    if (this.#closed || this.store.isBlocked(key)) return;
    if (infohash !== undefined && !this.#torrents.has(toHex(infohash))) {
      const hex = toHex(infohash);
      const keyHex = toHex(key);
      const previous = this.#hints.get(keyHex);
      if (previous !== undefined) this.#dropHint(previous);
      this.#hints.set(keyHex, hex);
      this.#expectedSites.set(hex, key);
      this.#track(hex, this.session.addTorrent({ magnet: `magnet:?xt=urn:btih:${hex}`, savePath: contentFolder(this.dataDir, infohash) }).id);
      setTimeout(() => {
        if (this.#hints.get(keyHex) === hex) this.#hints.delete(keyHex);
        this.#dropHint(hex);
      }, LAN_HINT_TTL_MS).unref();
    }
    for (const id of this.#torrentsOfSite(key)) this.#connect(id, peer);
  }

  /** Stops a swarm joined on a hint, unless a record named it (it is fetched or stored). */
  #dropHint(hex: string): void {
    const infohash = fromHex(hex, INFOHASH_BYTES);
    if (this.#closed || infohash === undefined || this.#fetching.has(hex) || this.store.version(infohash) !== undefined) return;
    this.#expectedSites.delete(hex);
    void this.#drop(infohash, true);
  }

  /** Waits for a LAN neighbour to hand over a record of `key` newer than `aboveSeq`. */
  /**
   * A record newer than `storedSeq` from a LAN neighbour, when LAN discovery runs. Asked
   * when a neighbour claims a newer seq (waiting LAN_NEWER_WAIT_MS at most), and, unless
   * `onlyClaimed`, also when nothing is stored (waiting as long as the read may take: a
   * neighbour's announcement may not have arrived yet).
   */
  async #resolveFromLan(
    key: Uint8Array,
    salt: Uint8Array,
    storedSeq: bigint | undefined,
    options: { onlyClaimed: boolean; timeoutMs: number | undefined },
  ): Promise<{ resolved?: Resolved; asked: boolean }> {
    if (this.#lan === undefined || salt.length !== 0) return { asked: false };
    const claimed = this.#lan.claimedSeq(key);
    const claimsNewer = claimed !== undefined && (storedSeq === undefined || claimed > storedSeq);
    if (!claimsNewer && (storedSeq !== undefined || options.onlyClaimed)) return { asked: false };
    const waitMs = storedSeq === undefined ? options.timeoutMs ?? this.#dhtTimeoutMs : Math.min(LAN_NEWER_WAIT_MS, options.timeoutMs ?? LAN_NEWER_WAIT_MS);
    const record = await this.#askLan(key, storedSeq, waitMs);
    const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
    if (record === undefined || pointer?.ok !== true) return { asked: true };
    return { resolved: { infohash: pointer.value, key, seq: record.seq, source: 'lan' }, asked: true };
  }

  async #askLan(key: Uint8Array, aboveSeq: bigint | undefined, timeoutMs: number): Promise<MutableRecord | undefined> {
    const lan = this.#lan;
    if (lan === undefined) return undefined;
    let waiter: ((record: MutableRecord) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<MutableRecord | undefined>((resolve) => {
        waiter = (record) => {
          if (bytesEqual(record.publicKey, key) && record.salt.length === 0 && (aboveSeq === undefined || record.seq > aboveSeq)) resolve(record);
        };
        this.#recordWaiters.add(waiter);
        timer = setTimeout(() => {
          resolve(undefined);
        }, timeoutMs);
        lan.want(key);
      });
    } finally {
      if (waiter !== undefined) this.#recordWaiters.delete(waiter);
      clearTimeout(timer);
      lan.forget(key);
    }
  }

  // --- following ----------------------------------------------------------------------

  /**
   * Checks one followed site: resolves it and fetches a newer version. Resolves with the
   * new seq, or undefined when there is nothing new.
   */
  async refresh(key: Uint8Array, options: { timeoutMs?: number } = {}): Promise<bigint | undefined> {
    const before = this.store.latestVersion(key);
    const resolved = await this.resolveSite(key, EMPTY, options);
    if (resolved.source !== 'dht') return undefined;
    if (before !== undefined && bytesEqual(before.infohash, resolved.infohash)) return undefined;
    const fetched = await this.fetch(resolved.infohash, { expectAuthor: key, origin: 'follow', ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs * 6 }) });
    this.#log('updated', `${this.store.site(key)?.title ?? toHex(key)}: version ${resolved.seq?.toString() ?? '?'} (${fetched.newItems} new item${fetched.newItems === 1 ? '' : 's'})`, {
      key: toHex(key), seq: resolved.seq?.toString(), infohash: toHex(resolved.infohash), newItems: fetched.newItems,
    });
    return resolved.seq;
  }

  /** Puts again the newest record of every own and followed site and subscribed block list (BEP 44 items expire after 2 h). */
  async reputAll(): Promise<{ put: number; failed: number }> {
    if (!this.#dht) return { put: 0, failed: 0 };
    await this.#dhtReady();
    const keys = new Map<string, Uint8Array>();
    for (const site of this.store.sites()) if (site.isOwn) keys.set(toHex(site.key), site.key);
    for (const entry of this.store.follows()) if (entry.kind === 'site') keys.set(toHex(entry.key), entry.key);
    for (const key of this.store.blockLists()) keys.set(toHex(key), key);
    let put = 0;
    let failed = 0;
    for (const key of keys.values()) {
      for (const slot of this.store.site(key)?.slots ?? []) {
        const record = this.store.latestRecord(key, slot.salt);
        if (record === undefined) continue;
        try {
          await this.records.reput(record, this.#dhtTimeoutMs);
          put += 1;
        } catch {
          failed += 1;
        }
      }
    }
    return { put, failed };
  }

  /** Removes what the cache budget does not allow, and stops seeding it. */
  async enforceBudget(): Promise<number> {
    const report = this.store.evict();
    for (const version of report.versions) await this.#drop(version.infohash, true);
    if (report.versions.length > 0) {
      this.#log('evicted', `the cache budget removed ${report.versions.length} version${report.versions.length === 1 ? '' : 's'}`, { versions: report.versions.length });
    }
    return report.versions.length;
  }

  /** Saves torrent states and closes the session (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#publishing.catch(() => undefined);
    this.#push.close();
    this.#replies.close();
    await this.#lan?.close();
    await this.session.close();
  }
}
