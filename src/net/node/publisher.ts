/**
 * Publishing (DESIGN.md "Swarm and DHT"): an author's folder becomes the next version of
 * a site — the folder's items and, when the author publishes from several devices, the
 * other devices' items (a merge), each device in its own salted slot and the merged
 * version in the site's unsalted slot. The record is persisted in the outbox before it is
 * put, and put again from there after a crash or a failed put ({@link Publisher.flushOutbox}).
 * One version at a time per node.
 *
 * Ownership: uses the node's Swarms; the versions it makes are stored and seeded there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { INFOHASH_BYTES, decodeSitePointer, encodeSitePointer } from '../../core/bep46.js';
import { signRecord, type MutableRecord } from '../../core/bep44.js';
import { bytesEqual, fromHex, toHex } from '../../core/bytes.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_SITE_NAME, deriveSiteIdentity, type Identity } from '../../core/identity.js';
import type { SiteManifest } from '../../core/manifest.js';
import { deviceSalt, nextSeq, type SlotHead } from '../../core/publish-rules.js';
import { authorIdentity } from '../../store/author.js';
import { deviceId, readOwnSites, writeOwnSite } from '../../store/local-files.js';
import { readSettings } from '../../store/settings-file.js';
import { buildVersion, fallbackSiteTitle, isGenerated, knownItems, rootNameFor, scanSource, type BuiltVersion, type KnownItem } from '../../store/site-build.js';
import { ownBlockListFile } from '../block-lists.js';
import { createTorrent } from '../session.js';
import type { SiteRecords } from '../site-records.js';
import type { Fetcher } from './fetcher.js';
import type { Gossip } from './gossip.js';
import type { Resolver } from './resolver.js';
import type { Swarms } from './swarms.js';

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

/** A stored version of an own site with its items. */
interface StoredVersion {
  readonly infohash: Uint8Array;
  readonly manifest: SiteManifest;
  readonly items: readonly KnownItem[];
}

export interface PublisherOptions {
  readonly records: SiteRecords;
  readonly resolver: Resolver;
  readonly fetcher: Fetcher;
  readonly gossip: Gossip;
  /** Torrent format of new versions: v1 (default; see README "Interoperability") or hybrid (BEP 52). */
  readonly torrentFormat?: 'v1' | 'hybrid' | undefined;
}

const EMPTY = new Uint8Array(0);
/** A record left in the outbox is put again at most this often by the node's rounds. */
const RETRY_OUTBOX_AFTER_MS = 60_000;

/**
 * Fault injection for the crash tests: `SWARMPRESS_CRASH_AT=<point>` kills the process
 * (SIGKILL, like a power cut) when a publish reaches that point.
 */
function crashPoint(point: string): void {
  if (process.env['SWARMPRESS_CRASH_AT'] === point) process.kill(process.pid, 'SIGKILL');
}

export class Publisher {
  readonly #swarms: Swarms;
  readonly #options: PublisherOptions;
  /** Outbox entries a publish of this node is putting right now. */
  readonly #inFlight = new Set<number>();
  /** Serialises publishes: one version at a time per node. */
  #publishing: Promise<unknown> = Promise.resolve();

  constructor(swarms: Swarms, options: PublisherOptions) {
    this.#swarms = swarms;
    this.#options = options;
  }

  get dataDir(): string {
    return this.#swarms.dataDir;
  }

  /** The author of this data folder, created on first use (never in one that has published: store/author.ts). */
  author(): Identity {
    return authorIdentity(this.dataDir, this.#swarms.store);
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

  /** Resolves once the publish under way (if any) has ended. */
  async settled(): Promise<void> {
    await this.#publishing.catch(() => undefined);
  }

  async #publish(source: string, name: string, newTitle: string | undefined): Promise<PublishResult> {
    const startedMs = performance.now();
    const author = this.author();
    const site = deriveSiteIdentity(author, name);
    const key = site.publicKey;
    const scan = scanSource(source);
    // The site's title and description as recorded with its folder; a new title is
    // recorded only once the version is built.
    const own = readOwnSites(this.dataDir).find((entry) => entry.name === name);
    const title = newTitle ?? own?.title;
    await this.#flushOutbox(key);
    const mySalt = deviceSalt(deviceId(this.dataDir));

    // The newest merged version (the unsalted slot) and this device's own last version.
    // Both slots at once: on a LAN each lookup is a round of the hosts' DHT.
    const [mainSlot, mySlot] = await Promise.all([this.#options.resolver.newestRecord(key, EMPTY), this.#options.resolver.newestRecord(key, mySalt)]);
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
      const head = (await this.#options.resolver.newestRecord(key, salt)).record;
      if (head === undefined) continue;
      others.push(await this.#ownVersion(head, 'a version of your site from another device'));
    }
    for (const other of others) {
      for (const known of other.items) if (!mineIds.has(toHex(known.item.id))) carried.push(known);
    }

    const lookedUpMs = performance.now();
    const nowMs = this.#swarms.now();
    const common = {
      dataDir: this.dataDir,
      source: scan,
      author,
      site,
      ...(title === undefined ? {} : { title }),
      ...(own?.description === undefined ? {} : { description: own.description }),
      fallbackTitle: fallbackSiteTitle(this.dataDir, name, source),
      rootName: rootNameFor(name === DEFAULT_SITE_NAME ? path.basename(source) : name),
      devices: [...devices.values()],
      generated: readSettings(this.dataDir).settings.publishBlockList ? [ownBlockListFile(this.#swarms.store)] : [],
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
    // Nothing carried: the merged version is this device's (staging it again took a second copy of the site, issue #25).
    const merged = carried.length === 0 ? device : buildVersion({ ...common, reuse, carried, ...(mainVersion === undefined ? {} : { previous: mainVersion }) });
    const mainInfohash = merged.carriedItems === 0 ? deviceInfohash : merged.unchanged ? mainVersion?.infohash : await this.#adopt(merged);
    if (mainInfohash === undefined) throw new Error('publish: a version without an infohash');
    if (merged.carriedItems === 0 && merged.staging !== undefined) fs.rmSync(merged.staging, { recursive: true, force: true });
    const shown = merged.carriedItems === 0 ? device : merged;
    // Built: only now is the folder the site's (a failed build changes nothing, issue #21).
    writeOwnSite(this.dataDir, { name, source, ...(newTitle === undefined ? {} : { title: newTitle }) });
    this.#swarms.store.noteSite({ key, origin: 'own', isOwn: true });

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
    if (mainRecord !== undefined) this.#options.gossip.replies.announce(mainRecord.record, mainInfohash);
    if (mainRecord !== undefined) {
      this.#swarms.log({
        type: 'published', site: name, key: toHex(key), seq: seq.toString(), infohash: toHex(mainInfohash),
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

  /** A version of the author's own site with its items: from the store, else fetched. */
  async #ownVersion(record: MutableRecord, what: string): Promise<StoredVersion> {
    const pointer = decodeSitePointer(record.value);
    if (!pointer.ok) throw new AppError(pointer.error.code, `${what} (seq ${record.seq.toString()}) is not a site pointer: ${pointer.error.message}`);
    const infohash = pointer.value;
    if (this.#swarms.store.manifest(infohash) === undefined) {
      try {
        await this.#options.fetcher.fetch(infohash, { timeoutMs: this.#swarms.dhtTimeoutMs * 3, origin: 'own' });
      } catch (error) {
        throw new AppError(
          'ERR_MERGE_UNAVAILABLE',
          `${what} (seq ${record.seq.toString()}, ${toHex(infohash)}) is on the network but could not be downloaded to merge it (${(error as Error).message}); publish again when a peer that has it is online`,
        );
      }
    }
    const stored = this.#swarms.store.manifest(infohash);
    const root = this.#swarms.store.versionRoot(infohash);
    if (stored === undefined || root === undefined) throw new AppError('ERR_MERGE_UNAVAILABLE', `${what} (${toHex(infohash)}) is not on disk`);
    if (!bytesEqual(stored.manifest.author, record.publicKey)) throw new AppError('ERR_VERSION_AUTHOR', `${what} is not signed by the site's key`);
    const items = knownItems(root, stored.manifest, (id) => this.#swarms.store.itemBytes(id));
    return { infohash, manifest: stored.manifest, items };
  }

  /** Makes the torrent of a built version, moves it into the store, and seeds it. */
  async #adopt(built: BuiltVersion): Promise<Uint8Array> {
    if (built.staging === undefined || built.root === undefined) throw new Error('adopt: nothing staged');
    const created = await createTorrent(built.root, { format: this.#options.torrentFormat ?? 'v1', skipHidden: false, creator: 'swarmpress' });
    const infohash = fromHex(created.infoHashes.v1 ?? '', INFOHASH_BYTES);
    if (infohash === undefined) throw new Error('createTorrent made a torrent without a v1 infohash');
    crashPoint('before-adopt');
    const adopted = this.#swarms.store.adoptVersion(built.staging, infohash, 'own');
    if (!adopted.ok) throw new AppError(adopted.error.code, `the new version does not verify: ${adopted.error.message}`);
    this.#swarms.addOwn(infohash, created.torrent);
    await this.#swarms.saveResume(infohash);
    this.#swarms.announce(toHex(infohash));
    return infohash;
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
      outboxId = this.#swarms.store.reservePublish(record);
      this.#inFlight.add(outboxId);
      crashPoint('after-reserve');
      // Persisted: readers connected to any version of the site learn of it now, not after the put.
      if (salt.length === 0) this.#swarms.noteNewRecord(record, true);
    };
    if (!this.#swarms.dht) {
      const seq = nextSeq(this.#swarms.store.localSeq(site.publicKey, salt), undefined);
      if (!seq.ok) throw new AppError(seq.error.code, seq.error.message);
      const record = signRecord(site, { salt, seq: seq.value, value });
      reserve(record);
      return { record, put: false };
    }
    await this.#swarms.dhtReady();
    try {
      const localSeq = this.#swarms.store.localSeq(site.publicKey, salt);
      const published = await this.#options.records.publish(site, value, {
        salt,
        ...(localSeq === undefined ? {} : { localSeq }),
        beforePut: reserve,
        timeoutMs: this.#swarms.dhtTimeoutMs,
        ...(network === undefined ? {} : { networkHead: network }),
      });
      if (outboxId !== undefined) {
        crashPoint('after-put');
        if (published.successes > 0) this.#swarms.store.confirmPublish(outboxId);
        else this.#swarms.store.notePublishAttempt(outboxId, 'no DHT node stored the record');
      }
      return { record: published.record, put: published.successes > 0 };
    } catch (error) {
      if (outboxId === undefined) throw error;
      this.#swarms.store.notePublishAttempt(outboxId, (error as Error).message);
      const pending = this.#swarms.store.pendingPublishes().find((entry) => entry.id === outboxId);
      if (pending === undefined) throw error;
      this.#swarms.log({ type: 'warning', text: `the record (seq ${pending.record.seq.toString()}) was not put (${(error as Error).message}); it stays in the outbox and is put again` });
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
    if (!this.#swarms.dht) return 0;
    let confirmed = 0;
    const now = this.#swarms.now();
    for (const pending of this.#swarms.store.pendingPublishes()) {
      if (key !== undefined && !bytesEqual(pending.record.publicKey, key)) continue;
      if (this.#inFlight.has(pending.id)) continue;
      if (retryAfterMs > 0 && now - (pending.lastAttemptMs ?? pending.createdMs) < retryAfterMs) continue;
      await this.#swarms.dhtReady();
      try {
        const stored = await this.#options.records.reput(pending.record, this.#swarms.dhtTimeoutMs);
        if (stored) {
          this.#swarms.store.confirmPublish(pending.id);
          confirmed += 1;
          this.#swarms.log({ type: 'outbox', key: toHex(pending.record.publicKey), seq: pending.record.seq.toString() });
        } else {
          // The network holds a newer record of this slot: this one is superseded.
          this.#swarms.store.confirmPublish(pending.id);
        }
      } catch (error) {
        this.#swarms.store.notePublishAttempt(pending.id, (error as Error).message);
      }
    }
    return confirmed;
  }
}
