/**
 * Upkeep: what keeps the sites a node carries current and within bounds — checking a
 * followed site (DHT polling, the slow fallback behind pushes and the LAN), putting again
 * the records it holds (BEP 44 items expire after two hours), the cache budget, and the
 * block lists it subscribes to (block-lists.ts), applied again whenever a version of a
 * list's site is stored.
 *
 * Ownership: uses the node's Swarms, Resolver and Fetcher; owns nothing.
 */
import { bytesEqual, fromHex, toHex } from '../../core/bytes.js';
import { hasIdentity, loadIdentity } from '../../store/identity-file.js';
import { readBlockListOf } from '../block-lists.js';
import type { SiteRecords } from '../site-records.js';
import type { Fetcher } from './fetcher.js';
import type { Resolver } from './resolver.js';
import type { Swarms } from './swarms.js';

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

const EMPTY = new Uint8Array(0);

export class Upkeep {
  readonly #swarms: Swarms;
  readonly #records: SiteRecords;
  readonly #resolver: Resolver;
  readonly #fetcher: Fetcher;

  constructor(swarms: Swarms, records: SiteRecords, resolver: Resolver, fetcher: Fetcher) {
    this.#swarms = swarms;
    this.#records = records;
    this.#resolver = resolver;
    this.#fetcher = fetcher;
    // A new version of a subscribed list's site: its list applies now.
    swarms.onVersionStored(async (version) => {
      const siteKey = version.siteKey;
      if (siteKey === undefined || !swarms.store.blockLists().some((key) => bytesEqual(key, siteKey))) return;
      await this.applyBlockList(siteKey).catch((error: unknown) => {
        swarms.log({ type: 'warning', text: `block list ${toHex(siteKey)} not applied: ${(error as Error).message}` });
      });
    });
  }

  /**
   * Applies the block list that the newest stored version of subscribed site `listKey`
   * carries: its entries replace the list's earlier ones and what they block stops being
   * seeded. A list that fails a check changes nothing; the reason is recorded with the
   * subscription (store.blockListStatus) and logged. Entries naming the user's own key or
   * sites are left out. Never throws for what a peer published.
   */
  async applyBlockList(listKey: Uint8Array): Promise<BlockListOutcome> {
    const hex = toHex(listKey);
    if (!this.#swarms.store.blockLists().some((key) => bytesEqual(key, listKey))) return { applied: false, entries: 0, refused: 0, dropped: 0, problem: `${hex} is not a subscribed block list` };
    const own = [...(hasIdentity(this.#swarms.dataDir) ? [loadIdentity(this.#swarms.dataDir).publicKey] : []), ...this.#swarms.store.sites().filter((site) => site.isOwn).map((site) => site.key)];
    const read = readBlockListOf(this.#swarms.store, listKey, own);
    if (!read.ok) {
      this.#swarms.store.noteBlockListCheck(listKey, read.error.message);
      this.#swarms.log({ type: 'block-list-refused', key: hex, code: read.error.code, reason: read.error.message });
      return { applied: false, entries: 0, refused: 0, dropped: 0, problem: read.error.message };
    }
    const { entries, refused, absent } = read.value;
    const problem = refused.length > 0 ? `${refused.length} entr${refused.length === 1 ? 'y names' : 'ies name'} your own key or sites: left out` : absent ? 'the site publishes no block list' : undefined;
    this.#swarms.store.setBlockListEntries(listKey, entries);
    this.#swarms.store.noteBlockListCheck(listKey, problem);
    let dropped = 0;
    for (const key of new Set(entries.map((entry) => toHex(entry.key)))) {
      const bytes = fromHex(key, 32);
      if (bytes !== undefined) dropped += await this.#swarms.dropSite(bytes);
    }
    this.#swarms.log({
      type: 'block-list', key: hex, entries: entries.length, refused: refused.length, dropped, infohash: read.value.infohash, ...(problem === undefined ? {} : { problem }),
    });
    return { applied: true, entries: entries.length, refused: refused.length, dropped, ...(problem === undefined ? {} : { problem }) };
  }

  /**
   * Checks one followed site: resolves it and fetches a newer version. Resolves with the
   * new seq, or undefined when there is nothing new.
   */
  async refresh(key: Uint8Array, options: { timeoutMs?: number } = {}): Promise<bigint | undefined> {
    const before = this.#swarms.store.latestVersion(key);
    const resolved = await this.#resolver.resolveSite(key, EMPTY, options);
    if (resolved.source !== 'dht') return undefined;
    if (before !== undefined && bytesEqual(before.infohash, resolved.infohash)) return undefined;
    const fetched = await this.#fetcher.fetch(resolved.infohash, { expectAuthor: key, origin: 'follow', ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs * 6 }) });
    this.#swarms.log({
      type: 'updated', key: toHex(key), title: this.#swarms.store.site(key)?.title ?? toHex(key), seq: resolved.seq?.toString(), infohash: toHex(resolved.infohash), newItems: fetched.newItems,
    });
    return resolved.seq;
  }

  /** Puts again the newest record of every own and followed site and subscribed block list (BEP 44 items expire after 2 h). */
  async reputAll(): Promise<{ put: number; failed: number }> {
    if (!this.#swarms.dht) return { put: 0, failed: 0 };
    await this.#swarms.dhtReady();
    const keys = new Map<string, Uint8Array>();
    for (const site of this.#swarms.store.sites()) if (site.isOwn) keys.set(toHex(site.key), site.key);
    for (const entry of this.#swarms.store.follows()) if (entry.kind === 'site') keys.set(toHex(entry.key), entry.key);
    for (const key of this.#swarms.store.blockLists()) keys.set(toHex(key), key);
    let put = 0;
    let failed = 0;
    for (const key of keys.values()) {
      for (const slot of this.#swarms.store.site(key)?.slots ?? []) {
        const record = this.#swarms.store.latestRecord(key, slot.salt);
        if (record === undefined) continue;
        try {
          await this.#records.reput(record, this.#swarms.dhtTimeoutMs);
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
    const report = this.#swarms.store.evict();
    for (const version of report.versions) await this.#swarms.drop(version.infohash, true);
    if (report.versions.length > 0) {
      this.#swarms.log({ type: 'evicted', versions: report.versions.length });
    }
    return report.versions.length;
  }
}
