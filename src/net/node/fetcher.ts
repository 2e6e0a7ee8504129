/**
 * Fetching a version: download it (unless stored), check whose it is, verify it with core
 * and store it, then keep seeding it (or hold it, by the seeding policy). A version over
 * the size cap, signed by another key than the record that named it, or failing a check is
 * dropped with its files.
 *
 * Ownership: uses the node's Swarms; what reacts to a stored version listens there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesEqual, toHex } from '../../core/bytes.js';
import { AppError } from '../../core/errors.js';
import { decodeManifest, MANIFEST_PATH, MAX_MANIFEST_BYTES, type SiteManifest } from '../../core/manifest.js';
import type { Endpoint } from '../session.js';
import type { Swarms } from './swarms.js';

const MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
const DEFAULT_FETCH_TIMEOUT_MS = 120_000;

/** Progress of a download, for people. */
export interface FetchProgress {
  readonly state: string;
  readonly progress: number;
  readonly peers: number;
}

export interface FetchOptions {
  readonly timeoutMs?: number;
  readonly origin?: string;
  /** The version must be signed by this key (the site key whose record named it). */
  readonly expectAuthor?: Uint8Array;
  readonly peers?: readonly Endpoint[];
  readonly onProgress?: (progress: FetchProgress) => void;
}

/** What a fetch stored. */
export interface Fetched {
  readonly isNew: boolean;
  readonly newItems: number;
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

function wrongAuthor(hex: string): AppError {
  return new AppError('ERR_VERSION_AUTHOR', `version ${hex} is not signed by the key of the site that named it: ignored`);
}

export class Fetcher {
  readonly #swarms: Swarms;
  readonly #maxVersionBytes: number | undefined;

  constructor(swarms: Swarms, options: { maxVersionBytes?: number } = {}) {
    this.#swarms = swarms;
    this.#maxVersionBytes = options.maxVersionBytes;
  }

  /** Waits until torrent `id` got its metadata or finished, or `ms` passed. */
  #waitForChange(id: string, ms: number): Promise<void> {
    const session = this.#swarms.session;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        session.off('alert', onAlert);
        resolve();
      };
      const onAlert = (alert: { type: string; torrent?: string }): void => {
        if (alert.torrent === id && (alert.type === 'metadata_received' || alert.type === 'torrent_finished')) done();
      };
      const timer = setTimeout(done, ms);
      session.on('alert', onAlert);
    });
  }

  /** The largest version this node downloads (default: the cache budget, at most 4 GiB). */
  get maxVersionBytes(): number {
    return this.#maxVersionBytes ?? Math.min(MAX_DOWNLOAD_BYTES, this.#swarms.store.cacheUsage().budgetBytes);
  }

  /**
   * Downloads version `infohash` (unless stored), verifies it with core and stores it, and
   * keeps seeding it. `expectAuthor`: the version must be signed by this key (the site key
   * whose record named it); otherwise it is deleted and rejected.
   */
  async fetch(infohash: Uint8Array, options: FetchOptions = {}): Promise<Fetched> {
    const swarms = this.#swarms;
    const store = swarms.store;
    const hex = toHex(infohash);
    const known = store.version(infohash);
    if (known !== undefined && store.versionRoot(infohash) !== undefined) {
      if (options.expectAuthor !== undefined && !bytesEqual(known.siteKey, options.expectAuthor)) throw wrongAuthor(hex);
      return { isNew: false, newItems: 0 };
    }
    const startedMs = performance.now();
    const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    // A swarm being left (a LAN hint that expired) cannot be joined again until it is gone.
    await swarms.removed(hex);
    const torrentId = swarms.addMagnet(infohash, options.expectAuthor);
    swarms.setFetching(hex, true);
    for (const peer of options.peers ?? []) swarms.connect(torrentId, peer);
    // Ask the DHT for peers now, and again every 5 s while none is connected (libtorrent
    // asks on its own schedule, minutes apart).
    let askedMs = 0;
    const askForPeers = (): void => {
      if (!swarms.dht) return;
      askedMs = swarms.now();
      void swarms.dhtReady().then(() => swarms.session.dhtGetPeers(hex, 10_000)).then((peers) => {
        for (const peer of peers) swarms.connect(torrentId, peer);
      }, () => undefined);
    };
    askForPeers();
    const maxBytes = this.maxVersionBytes;
    const deadline = swarms.now() + timeoutMs;
    try {
      for (;;) {
        const status = swarms.session.status(torrentId);
        const writeFailure = swarms.session.writeFailure(torrentId); // a full disk: not a timeout (issue #25)
        if (writeFailure !== undefined) throw writeFailure;
        if (status.error !== undefined) throw new AppError('ERR_LIBTORRENT', status.error.message);
        if (status.hasMetadata && status.totalWanted > maxBytes) {
          throw new AppError('ERR_TOO_LARGE', `version ${hex} is ${status.totalWanted} bytes, more than the ${maxBytes} this node accepts`);
        }
        // Its size is known and within the cap: only now does a piece get requested.
        if (status.hasMetadata) swarms.allowDownload(torrentId);
        options.onProgress?.({ state: status.state, progress: status.progress, peers: status.peers });
        if (status.peers === 0 && swarms.now() - askedMs > 5_000) askForPeers();
        if (status.isFinished || status.isSeeding) break;
        const left = deadline - swarms.now();
        if (left <= 0) {
          throw new AppError('ERR_TIMEOUT', `version ${hex} was not downloaded within ${Math.round(timeoutMs / 1000)} s (${status.hasMetadata ? `${Math.round(status.progress * 100)}%` : 'no metadata'}, ${status.peers} peer${status.peers === 1 ? '' : 's'})`);
        }
        await this.#waitForChange(torrentId, Math.min(250, left));
      }
      const downloadedMs = performance.now();
      // Whose version is it? Checked before anything is stored: a version signed by another
      // key than the record that named it is dropped with its files.
      if (options.expectAuthor !== undefined) {
        const root = store.versionRoot(infohash);
        const manifest = root === undefined ? undefined : readManifest(root);
        if (manifest !== undefined && !bytesEqual(manifest.author, options.expectAuthor)) throw wrongAuthor(hex);
      }
      const added = store.addVersionFromDisk(infohash, options.origin ?? 'swarm');
      if (!added.ok) throw new AppError(added.error.code, `version ${hex} failed verification: ${added.error.message}`);
      const version = store.version(infohash);
      if (options.expectAuthor !== undefined && (version === undefined || !bytesEqual(version.siteKey, options.expectAuthor))) throw wrongAuthor(hex);
      const verifiedMs = performance.now();
      await swarms.saveResume(infohash);
      swarms.setFetching(hex, false);
      const seeded = !swarms.holdIfRead(torrentId);
      if (seeded) swarms.announce(hex);
      swarms.log({
        type: 'fetched',
        infohash: hex,
        items: added.value.newItems,
        // Where the time went (ms): downloading, verifying and storing, saving the resume data.
        ms: { download: Math.round(downloadedMs - startedMs), verify: Math.round(verifiedMs - downloadedMs), resume: Math.round(performance.now() - verifiedMs) },
      });
      await swarms.versionStored({ infohash, siteKey: version?.siteKey, isNew: added.value.isNew, seeded });
      return added.value;
    } catch (error) {
      // Files too on a timeout: partial data outside the index and the budget stayed forever (issue #25).
      await swarms.drop(infohash, true);
      throw error;
    } finally {
      swarms.setFetching(hex, false);
    }
  }
}
