/**
 * Resolving: an address to the newest version this node can verify — the DHT's
 * authoritative answer, a LAN neighbour's record, else the last stored record (saying
 * which) — and, for publishing, the newest record of a slot known here or on the network.
 * Every DHT lookup goes through {@link Resolver.lookup}: one place for the wait on the
 * bootstrap, the timeout and noting what was found.
 *
 * Ownership: uses the node's Swarms and LAN room; owns only its waiters.
 */
import { decodeSitePointer } from '../../core/bep46.js';
import type { MutableRecord } from '../../core/bep44.js';
import { bytesEqual, toHex } from '../../core/bytes.js';
import { AppError } from '../../core/errors.js';
import type { SlotHead } from '../../core/publish-rules.js';
import type { Store } from '../../store/store.js';
import type { SiteRecords, SlotLookup } from '../site-records.js';
import type { LanJoin } from './lan-join.js';
import type { Swarms } from './swarms.js';

const EMPTY = new Uint8Array(0);
/** How long a read waits for a LAN neighbour's newer record when a record is stored already. */
const LAN_NEWER_WAIT_MS = 5_000;

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

/** The newest record of a slot, and what the DHT said (absent: no answer to trust). */
export interface NewestRecord {
  readonly record: MutableRecord | undefined;
  readonly network?: { head: SlotHead | undefined };
}

/**
 * The newest signed record of site `key`'s unsalted slot: the stored one, or an own
 * record still in the outbox (without the DHT, records stay there) when it is newer.
 */
export function latestSigned(store: Store, key: Uint8Array): MutableRecord | undefined {
  let newest = store.latestRecord(key, EMPTY);
  for (const pending of store.pendingPublishes()) {
    const record = pending.record;
    if (record.salt.length === 0 && bytesEqual(record.publicKey, key) && (newest === undefined || record.seq > newest.seq)) newest = record;
  }
  return newest;
}

export class Resolver {
  readonly #swarms: Swarms;
  readonly #records: SiteRecords;
  readonly #lan: LanJoin;
  /** Called with every newer record of an unsalted slot. */
  readonly #recordWaiters = new Set<(record: MutableRecord) => void>();

  constructor(swarms: Swarms, records: SiteRecords, lan: LanJoin) {
    this.#swarms = swarms;
    this.#records = records;
    this.#lan = lan;
    swarms.onNewRecord((record) => {
      for (const waiter of [...this.#recordWaiters]) waiter(record);
    });
  }

  /**
   * Asks the DHT for slot (`key`, `salt`) once it is ready: what it found (the head is
   * noted in the store), or undefined when the lookup timed out. Other failures throw.
   */
  async lookup(key: Uint8Array, salt: Uint8Array, timeoutMs = this.#swarms.dhtTimeoutMs): Promise<SlotLookup | undefined> {
    await this.#swarms.dhtReady();
    try {
      return await this.#records.lookup(key, salt, { timeoutMs });
    } catch (error) {
      if ((error as AppError).code !== 'ERR_TIMEOUT') throw error;
      return undefined;
    }
  }

  /**
   * The newest record of a slot known here or on the network (checked by core), or
   * undefined; `network` is what the DHT lookup found (absent when there was no answer
   * to trust: DHT off, or the lookup timed out), which the record's put may use as its
   * compare-and-swap base instead of asking again.
   */
  async newestRecord(key: Uint8Array, salt: Uint8Array): Promise<NewestRecord> {
    const store = this.#swarms.store;
    const local = store.latestRecord(key, salt);
    let network: { head: SlotHead | undefined } | undefined;
    if (this.#swarms.dht) {
      const found = await this.lookup(key, salt);
      if (found !== undefined) network = { head: found.head };
      if (network?.head !== undefined) store.noteRecord(network.head.record, 'dht');
    }
    const found = network?.head?.record;
    const record = local === undefined ? found : found === undefined ? local : found.seq > local.seq ? found : local;
    return { record, ...(network === undefined ? {} : { network }) };
  }

  /**
   * The newest version of the site `key` (slot `salt`) this node can verify: the DHT's
   * authoritative answer when it is at least as new as the stored record, else the stored
   * record (offline, or nobody answered), saying so. Readers never go backwards: a record
   * with a lower seq than the stored one is ignored.
   */
  async resolveSite(key: Uint8Array, salt: Uint8Array = EMPTY, options: { timeoutMs?: number } = {}): Promise<Resolved> {
    const store = this.#swarms.store;
    if (store.isBlocked(key)) throw new AppError('ERR_BLOCKED', `${toHex(key)} is blocked`);
    const stored = store.latestRecord(key, salt);
    let note: string;
    if (this.#swarms.dht) {
      const found = await this.lookup(key, salt, options.timeoutMs);
      const head = found?.head;
      if (found === undefined) {
        note = 'the DHT lookup timed out';
      } else if (head !== undefined) {
        const noted = store.noteRecord(head.record, 'dht');
        if (noted.ok && noted.value.isNewer) this.#swarms.noteNewRecord(head.record, true);
        if (head.conflict !== undefined) this.#swarms.log({ type: 'conflict', key: toHex(key), seq: head.conflict.seq.toString() });
        if (noted.ok && (stored === undefined || head.record.seq >= stored.seq)) {
          return { infohash: noted.value.infohash, key, seq: head.record.seq, source: 'dht' };
        }
        note = `the DHT answered with seq ${head.record.seq.toString()}, older than the stored seq ${stored?.seq.toString() ?? '?'}`;
      } else {
        note = found.rejected.size > 0 ? `the DHT answered only with records that failed the checks (${[...found.rejected.keys()].join(', ')})` : 'no DHT node had a record';
      }
      // A LAN with no way to the internet: the DHT knows nothing, a neighbour that says it
      // holds a newer version may hand over its record.
      const fromLan = await this.#resolveFromLan(key, salt, stored?.seq, { onlyClaimed: true, timeoutMs: options.timeoutMs });
      if (fromLan.resolved !== undefined) return fromLan.resolved;
      if (fromLan.asked) note += '; no LAN neighbour handed over a newer record';
    } else if (this.#lan.running && salt.length === 0) {
      const fromLan = await this.#resolveFromLan(key, salt, stored?.seq, { onlyClaimed: false, timeoutMs: options.timeoutMs });
      if (fromLan.resolved !== undefined) return fromLan.resolved;
      note = fromLan.asked ? 'the DHT is switched off and no LAN neighbour handed over a newer record' : 'the DHT is switched off';
    } else {
      note = 'the DHT is switched off';
    }
    if (stored === undefined) throw new AppError('ERR_NOT_FOUND', `nothing found for ${toHex(key)}: ${note}, and no record of it is stored here`);
    const pointer = decodeSitePointer(stored.value);
    if (!pointer.ok) throw new AppError(pointer.error.code, pointer.error.message);
    const made = store.version(pointer.value)?.createdMs;
    return { infohash: pointer.value, key, seq: stored.seq, source: 'stored', note, ...(made === undefined ? {} : { versionCreatedMs: made }) };
  }

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
    if (!this.#lan.running || salt.length !== 0) return { asked: false };
    const claimed = this.#lan.claimedSeq(key);
    const claimsNewer = claimed !== undefined && (storedSeq === undefined || claimed > storedSeq);
    if (!claimsNewer && (storedSeq !== undefined || options.onlyClaimed)) return { asked: false };
    const waitMs = storedSeq === undefined ? options.timeoutMs ?? this.#swarms.dhtTimeoutMs : Math.min(LAN_NEWER_WAIT_MS, options.timeoutMs ?? LAN_NEWER_WAIT_MS);
    const record = await this.#askLan(key, storedSeq, waitMs);
    const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
    if (record === undefined || pointer?.ok !== true) return { asked: true };
    return { resolved: { infohash: pointer.value, key, seq: record.seq, source: 'lan' }, asked: true };
  }

  /** Waits for a LAN neighbour to hand over a record of `key` newer than `aboveSeq`. */
  async #askLan(key: Uint8Array, aboveSeq: bigint | undefined, timeoutMs: number): Promise<MutableRecord | undefined> {
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
        this.#lan.want(key);
      });
    } finally {
      if (waiter !== undefined) this.#recordWaiters.delete(waiter);
      clearTimeout(timer);
      this.#lan.forget(key);
    }
  }
}
