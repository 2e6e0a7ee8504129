/**
 * The DHT requests of a TorrentSession (BEP 5 peers, BEP 44 immutable and mutable items):
 * each is a request into libtorrent answered by an alert (alert-waiters.ts).
 *
 * Ownership: made and used by one TorrentSession (session.ts), which closes what it shares.
 */
import { AppError } from '../core/errors.js';
import type { AlertOf, AlertWaiters } from './alert-waiters.js';
import { isAlert, type NativeSession, type RawAlert } from './native.js';
import type { Endpoint } from './session-settings.js';

/** How long a DHT request may take before it is given up, by default. */
export const DHT_TIMEOUT_MS = 30_000;

/** What libtorrent reports for a lookup that found nothing: the bencoding of nothing. */
const EMPTY_VALUE = Buffer.from('0:');

/** A BEP 44 mutable record as found in the DHT. `seq` is a bigint: it may exceed 2^53. */
export interface MutableItem {
  readonly publicKey: string;
  readonly salt: Buffer;
  readonly seq: bigint;
  /** The bencoded value `v`. */
  readonly value: Buffer;
  readonly signature: string;
  readonly authoritative: boolean;
}

/** A record signed by src/core, ready to put. */
export interface SignedRecord {
  readonly publicKey: string;
  readonly salt: Uint8Array;
  readonly seq: bigint;
  readonly value: Uint8Array;
  readonly signature: string;
  /** Only replace the network's record if its seq is this (BEP 44 compare-and-swap). */
  readonly cas?: bigint;
}

/** Where every alert of the session is emitted (the session itself). */
export interface AlertSource {
  on(event: 'alert', listener: (alert: RawAlert) => void): unknown;
  off(event: 'alert', listener: (alert: RawAlert) => void): unknown;
}

/** The DHT operations of one session: TorrentSession's `dht*` methods call these. */
export class SessionDht {
  readonly #native: NativeSession;
  readonly #waiters: AlertWaiters;
  readonly #alerts: AlertSource;
  /** The last put of each mutable slot (key/salt hex), settled: the next put waits for it. */
  readonly #slotPuts = new Map<string, Promise<void>>();

  constructor(native: NativeSession, waiters: AlertWaiters, alerts: AlertSource) {
    this.#native = native;
    this.#waiters = waiters;
    this.#alerts = alerts;
  }

  /** Puts an immutable BEP 44 item (bencoded, ≤ 1000 bytes); resolves with its target. */
  async putImmutable(value: Uint8Array, timeoutMs = DHT_TIMEOUT_MS): Promise<{ target: string; successes: number }> {
    const target = this.#native.dhtPutImmutable(value);
    const alert = await this.#waiters.waitFor('dht_put', (a) => a.target === target, 'the DHT put', timeoutMs);
    return { target, successes: alert.successes };
  }

  /** Gets an immutable BEP 44 item by target; undefined when nobody has it. */
  async getImmutable(target: string, timeoutMs = DHT_TIMEOUT_MS): Promise<Buffer | undefined> {
    const done = this.#waiters.waitFor('dht_immutable_item', (a) => a.target === target, 'the DHT get', timeoutMs, () => {
      this.#native.dhtGetImmutable(target);
    });
    try {
      return (await done).value;
    } catch (error) {
      if ((error as AppError).code === 'ERR_TIMEOUT') return undefined;
      throw error;
    }
  }

  /**
   * Looks up a mutable BEP 44 record. `onResponse` sees every better record as it arrives;
   * the promise resolves with the authoritative one (undefined when nobody has a record).
   * Records are as libtorrent accepted them (signature and target checked by its DHT);
   * src/core verifies them again before anything trusts them.
   */
  async getMutable(publicKey: string, salt: Uint8Array, options: { timeoutMs?: number; onResponse?: (item: MutableItem) => void } = {}): Promise<MutableItem | undefined> {
    const saltBuffer = Buffer.from(salt);
    const matches = (a: AlertOf<'dht_mutable_item'>): boolean => a.publicKey === publicKey && saltBuffer.equals(a.salt);
    const onAlert = (a: RawAlert): void => {
      if (isAlert(a, 'dht_mutable_item') && matches(a) && !a.authoritative) options.onResponse?.(toItem(a));
    };
    this.#alerts.on('alert', onAlert);
    try {
      const item = toItem(await this.#waiters.waitFor('dht_mutable_item', (a) => matches(a) && a.authoritative, 'the DHT lookup', options.timeoutMs ?? DHT_TIMEOUT_MS, () => {
        this.#native.dhtGetMutable(publicKey, salt);
      }));
      // Nothing found: libtorrent reports an item with no value (bencoded as '0:') at seq 0.
      return item.seq === 0n && item.value.equals(EMPTY_VALUE) ? undefined : item;
    } finally {
      this.#alerts.off('alert', onAlert);
    }
  }

  /**
   * Puts a signed mutable record. Rejects with ERR_CAS_MISMATCH when `cas` is set and the
   * network's seq is another, and with ERR_SEQ_OUTDATED when the network already holds this
   * seq or a higher one; the network's own record is then left (and re-put) unchanged.
   */
  async putMutable(record: SignedRecord, timeoutMs = DHT_TIMEOUT_MS): Promise<{ successes: number }> {
    // libtorrent's dht_put alert names the slot (key and salt), not the put: two puts of one
    // slot at once (serve's start-up re-put and a publish) would each take the other's
    // report (issue #25: a publish refused as "seq 5 is not above 5"). One put per slot at a time.
    const slot = `${record.publicKey}/${Buffer.from(record.salt).toString('hex')}`;
    const before = this.#slotPuts.get(slot) ?? Promise.resolve();
    const put = before.then(() => this.#putMutable(record, timeoutMs));
    const settled = put.then(
      () => undefined,
      () => undefined,
    );
    this.#slotPuts.set(slot, settled);
    void settled.then(() => {
      if (this.#slotPuts.get(slot) === settled) this.#slotPuts.delete(slot);
    });
    return put;
  }

  async #putMutable(record: SignedRecord, timeoutMs: number): Promise<{ successes: number }> {
    const salt = Buffer.from(record.salt);
    const alert = await this.#waiters.waitFor(
      'dht_put',
      (a) => a.publicKey === record.publicKey && salt.equals(a.salt),
      'the DHT put',
      timeoutMs,
      () => {
        this.#native.dhtPutMutable(record.publicKey, record.salt, record.seq, record.value, record.signature, record.cas);
      },
    );
    const seq = alert.seq;
    if (seq !== record.seq) {
      if (record.cas !== undefined) {
        throw new AppError('ERR_CAS_MISMATCH', `the network's record has seq ${seq}, not ${record.cas}: it changed since it was read`);
      }
      throw new AppError('ERR_SEQ_OUTDATED', `the network already has seq ${seq} (≥ ${record.seq})`);
    }
    return { successes: alert.successes };
  }

  /** Announces this node as a peer of `target` (20-byte hex) in the DHT. */
  announce(target: string, port = 0, seed = false): void {
    this.#native.dhtAnnounce(target, port, seed);
  }

  /**
   * Peers the DHT knows for `target`: the first ones found, or none when the lookup finds
   * none within `timeoutMs` (libtorrent reports replies that carry peers, and no end).
   */
  async getPeers(target: string, timeoutMs = 10_000): Promise<Endpoint[]> {
    const done = this.#waiters.waitFor(
      'dht_get_peers_reply',
      (a) => a.target === target && a.peers.length > 0,
      'the DHT peer lookup',
      timeoutMs,
      () => {
        this.#native.dhtGetPeers(target);
      },
    );
    try {
      const { peers } = await done;
      return peers.map((p) => ({ host: p.address, port: p.port }));
    } catch (error) {
      if ((error as AppError).code === 'ERR_TIMEOUT') return [];
      throw error;
    }
  }

  /** Adds a DHT node to the routing table (a bootstrap node, a neighbour). */
  addNode(node: Endpoint): void {
    this.#native.addDhtNode(node.host, node.port);
  }
}

function toItem(alert: AlertOf<'dht_mutable_item'>): MutableItem {
  return {
    publicKey: alert.publicKey,
    salt: alert.salt,
    seq: alert.seq,
    value: alert.value,
    signature: alert.signature,
    authoritative: alert.authoritative,
  };
}
