/**
 * A site's signed records in the DHT (BEP 44, with BEP 46 values), read and written
 * through libtorrent's DHT. libtorrent checks signatures itself, but nothing is trusted
 * until src/core has checked it again: every response of a lookup goes through
 * `checkRecord` against the target that was asked for, rejections are counted by reason,
 * and the head of a slot is chosen by `resolveSlot` (the highest seq; at equal seq, the
 * lowest SHA-256 of the value, reported as a conflict) — the same on every reader.
 *
 * Ownership: the session is passed in and stays the caller's.
 */
import { checkRecord, mutableTarget, signRecord, type MutableRecord } from '../core/bep44.js';
import { fromHex, toHex } from '../core/bytes.js';
import { AppError } from '../core/errors.js';
import type { Identity } from '../core/identity.js';
import { casFor, nextSeq, resolveSlot, type SlotHead } from '../core/publish-rules.js';
import type { MutableItem, TorrentSession } from './session.js';

const EMPTY = new Uint8Array(0);

/** What a lookup of one slot found. */
export interface SlotLookup {
  /** The slot's current record by core's rules; undefined when nobody had a valid one. */
  readonly head: SlotHead | undefined;
  /** Responses that passed the checks. */
  readonly accepted: number;
  /** Responses discarded, by reason (ERR_RECORD_* codes of src/core). */
  readonly rejected: ReadonlyMap<string, number>;
}

export interface PublishOptions {
  /** The slot: empty for the site's main slot, a device salt for a device slot. */
  readonly salt?: Uint8Array;
  /** The highest seq this node ever signed for the slot (from the store), if any. */
  readonly localSeq?: bigint;
  /**
   * Called with the signed record before it is put: the store persists its seq here, so
   * that a crash after the put can never lead to signing another value with the same seq.
   */
  readonly beforePut?: (record: MutableRecord) => Promise<void> | void;
  readonly timeoutMs?: number;
  /**
   * What a lookup of the slot found a moment ago: the first attempt signs on top of it
   * instead of looking up again (a publish has just looked, to merge). If the slot changed
   * since, the compare-and-swap fails and the retry looks up afresh.
   */
  readonly networkHead?: { readonly head: SlotHead | undefined };
}

export interface Published {
  readonly record: MutableRecord;
  /** DHT nodes that stored it. */
  readonly successes: number;
  /** The head the network had before. */
  readonly previous: SlotHead | undefined;
}

export class SiteRecords {
  readonly #session: TorrentSession;
  readonly #rejected = new Map<string, number>();

  constructor(options: { readonly session: TorrentSession }) {
    this.#session = options.session;
  }

  /** Every record discarded so far, by reason. */
  get rejected(): ReadonlyMap<string, number> {
    return this.#rejected;
  }

  /**
   * Looks up one slot of an author and checks every response. `settle: false` waits for
   * libtorrent's authoritative end of the lookup instead of settling early (see below).
   */
  async lookup(publicKey: Uint8Array, salt: Uint8Array = EMPTY, options: { timeoutMs?: number; settle?: boolean } = {}): Promise<SlotLookup> {
    const target = mutableTarget(publicKey, salt);
    const records: MutableRecord[] = [];
    const rejected = new Map<string, number>();
    const take = (item: MutableItem): void => {
      const checked = checkRecord(
        { publicKey: fromHex(item.publicKey) ?? item.publicKey, salt: new Uint8Array(item.salt), seq: item.seq, value: new Uint8Array(item.value), signature: fromHex(item.signature) ?? item.signature },
        target,
      );
      if (checked.ok) {
        records.push(checked.value);
      } else {
        rejected.set(checked.error.code, (rejected.get(checked.error.code) ?? 0) + 1);
        this.#rejected.set(checked.error.code, (this.#rejected.get(checked.error.code) ?? 0) + 1);
      }
    };
    // libtorrent calls a lookup authoritative only when every queried node has answered or
    // timed out, and a node that left the network costs a full RPC timeout (15 s). So the
    // lookup also ends a while after the first valid record: three times as long as that
    // record took to arrive (50 ms to 1.5 s), time for the other close nodes to answer.
    const started = Date.now();
    let settle: NodeJS.Timeout | undefined;
    let settled: () => void = () => undefined;
    const early = new Promise<undefined>((resolve) => {
      settled = () => {
        resolve(undefined);
      };
    });
    const onResponse = (item: MutableItem): void => {
      const before = records.length;
      take(item);
      if (settle === undefined && records.length > before && options.settle !== false) {
        settle = setTimeout(settled, Math.min(1500, Math.max(50, 3 * (Date.now() - started))));
      }
    };
    const lookupOptions: { timeoutMs?: number; onResponse: (item: MutableItem) => void } = { onResponse };
    if (options.timeoutMs !== undefined) lookupOptions.timeoutMs = options.timeoutMs;
    const lookup = this.#session.dhtGetMutable(toHex(publicKey), salt, lookupOptions);
    try {
      const final = await Promise.race([lookup, early]);
      if (final !== undefined) take(final);
    } finally {
      clearTimeout(settle);
      lookup.catch(() => undefined);
    }
    return { head: resolveSlot(records), accepted: records.length, rejected };
  }

  /**
   * Signs `value` (a bencoded BEP 46 pointer, or any bencoded value ≤ 1000 bytes) as the
   * next record of a slot and puts it: seq = max(local, network) + 1, with the network's
   * head as compare-and-swap. If another device of the author put a record in between, the
   * slot is read again and the put retried once.
   */
  async publish(identity: Identity, value: Uint8Array, options: PublishOptions = {}): Promise<Published> {
    const salt = options.salt ?? EMPTY;
    let lastError: unknown;
    // The highest seq signed for the slot, this call's own included: a retry signs above
    // the record it reserved (beforePut) on the first attempt, never at its seq again.
    let localSeq = options.localSeq;
    for (let attempt = 0; attempt < 2; attempt++) {
      const lookupOptions: { timeoutMs?: number } = {};
      if (options.timeoutMs !== undefined) lookupOptions.timeoutMs = options.timeoutMs;
      const previous = attempt === 0 && options.networkHead !== undefined ? options.networkHead.head : (await this.lookup(identity.publicKey, salt, lookupOptions)).head;
      const seq = nextSeq(localSeq, previous?.record.seq);
      if (!seq.ok) throw new AppError(seq.error.code, seq.error.message);
      const record = signRecord(identity, { salt, seq: seq.value, value });
      await options.beforePut?.(record);
      localSeq = record.seq;
      const cas = casFor(previous?.record);
      try {
        const { successes } = await this.#session.dhtPutMutable(
          {
            publicKey: toHex(record.publicKey),
            salt: record.salt,
            seq: record.seq,
            value: record.value,
            signature: toHex(record.signature),
            ...(cas === undefined ? {} : { cas }),
          },
          options.timeoutMs,
        );
        return { record, successes, previous };
      } catch (error) {
        lastError = error;
        if ((error as AppError).code !== 'ERR_CAS_MISMATCH') throw error;
      }
    }
    throw lastError;
  }

  /**
   * Puts a record someone else signed, unchanged: followers keep a site's record alive
   * (BEP 44 items may expire after 2 hours). Resolves false when the network already has
   * a newer one.
   */
  async reput(record: MutableRecord, timeoutMs?: number): Promise<boolean> {
    try {
      await this.#session.dhtPutMutable(
        { publicKey: toHex(record.publicKey), salt: record.salt, seq: record.seq, value: record.value, signature: toHex(record.signature) },
        timeoutMs,
      );
      return true;
    } catch (error) {
      if ((error as AppError).code === 'ERR_SEQ_OUTDATED') return false;
      throw error;
    }
  }
}
