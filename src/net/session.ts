/**
 * A libtorrent session for swarmpress: the one place where the native binding is used.
 *
 * Alerts are the only asynchronous output of libtorrent: the binding wakes the JS thread,
 * this class pops them, emits each as an `alert` event, and resolves the promises of the
 * requests waiting for them (added torrents, DHT records, pieces, resume data).
 *
 * Ownership: whoever creates a TorrentSession closes it (`close()`, idempotent).
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../core/errors.js';
import { NativeError } from './native-error.js';
import {
  loadTorrentNative,
  type AddTorrentParams,
  type CreatedTorrent,
  type CreateTorrentOptions,
  type ExtensionEvent,
  type InfoHashes,
  isAlert,
  type NativeSession,
  type RawAlert,
  type SettingsPack,
  type TypedAlert,
  type TypedAlertType,
  type TorrentDescription,
  type TorrentFilesProgress,
  type TorrentStatus,
} from './native.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface SessionOptions {
  /** Where to listen, e.g. `127.0.0.1:0` (default: every interface, any free port). */
  readonly listen?: string;
  /** Mainline DHT (BEP 5/44) on, with these bootstrap nodes; off when false. */
  readonly dht?: boolean;
  readonly dhtBootstrap?: readonly Endpoint[];
  /** Local Service Discovery (BEP 14). */
  readonly lsd?: boolean;
  /** UPnP and NAT-PMP port mapping (on by default; tests switch it off). */
  readonly portMapping?: boolean;
  /**
   * Every peer and DHT node is on one host (loopback tests, namespaces sharing an address):
   * allows several connections per IP and relaxes the DHT's one-node-per-IP rules (FACTS.md).
   */
  readonly sameHostPeers?: boolean;
  /** The BEP 10 extension message name this session speaks (empty: none). */
  readonly extension?: string;
  /** A saved session state (saveState()), to keep the DHT node id and routing table. */
  readonly state?: Uint8Array;
  /** More libtorrent settings by their own names; they win over the defaults. */
  readonly settings?: SettingsPack;
}

/** BEP 10 extension message name of swarmpress's update gossip. */
export const EXTENSION_NAME = 'swarmpress_update';
/** How long a DHT request may take before it is given up, by default. */
export const DHT_TIMEOUT_MS = 30_000;

// libtorrent alert categories (alert_category_t bits).
const ALERT_ERROR = 1 << 0;
const ALERT_PEER = 1 << 1;
const ALERT_STORAGE = 1 << 3;
const ALERT_CONNECT = 1 << 5;
const ALERT_STATUS = 1 << 6;
const ALERT_DHT = 1 << 10;
const ALERT_DHT_OPERATION = 1 << 18;
const ALERT_PIECE_PROGRESS = 1 << 22;

/**
 * Defaults for small machines: the POSIX disk backend is chosen by the binding (no
 * memory-mapped files); queues, buffers and connection counts are kept small.
 */
const LOW_MEMORY_SETTINGS: SettingsPack = {
  alert_mask: ALERT_ERROR | ALERT_PEER | ALERT_STORAGE | ALERT_CONNECT | ALERT_STATUS | ALERT_DHT | ALERT_DHT_OPERATION | ALERT_PIECE_PROGRESS,
  alert_queue_size: 4000,
  user_agent: 'swarmpress/0.1',
  peer_fingerprint: '-SP0010-',
  // Every version of a site is its own swarm, and seeds keep their connections (below): ten
  // LAN hosts holding twenty versions each open ~200 connections (measured: at 200 the 16th
  // version of the LAN benchmark found no connection slot and was never fetched).
  connections_limit: 500,
  aio_threads: 2,
  hashing_threads: 1,
  max_queued_disk_bytes: 1024 * 1024,
  send_buffer_watermark: 512 * 1024,
  stop_tracker_timeout: 1,
  // Outgoing connections over TCP: uTP's LEDBAT congestion control yields by design, and on
  // loopback moved 1 GiB at 4.7 MB/s where TCP moved 75-100 MB/s (measured, 2.0.8). uTP
  // from other peers is still accepted.
  enable_outgoing_utp: false,
  enable_incoming_utp: true,
  // Keep connections between peers that both have everything: new versions are pushed to
  // readers over the connections of the version they already hold (BEP 10 messages), and
  // libtorrent otherwise drops a connection once both sides are seeds.
  close_redundant_connections: false,
  // A LAN mesh is a DHT of a handful of nodes that each ask every other node several times
  // per publish (two slots: lookups and puts): libtorrent's defaults (block an IP that
  // sends more than 5 packets/s for 5 minutes; 8 KB/s of DHT upload) made every other
  // publish on a 10-host LAN wait 15-30 s for blocked nodes to time out (measured).
  dht_block_ratelimit: 100,
  dht_upload_rate_limit: 64_000,
};

/**
 * When every peer and DHT node shares one address: libtorrent otherwise keeps one routing
 * entry per IP (FACTS.md), and blacklists for 5 minutes an IP that sends more than 5 DHT
 * packets a second (`dht_block_ratelimit`) — which a handful of local nodes do at once.
 */
const SAME_HOST_SETTINGS: SettingsPack = {
  allow_multiple_connections_per_ip: true,
  dht_restrict_routing_ips: false,
  dht_restrict_search_ips: false,
  dht_prefer_verified_node_ids: false,
  dht_block_ratelimit: 1_000_000,
  dht_upload_rate_limit: 1_000_000,
};

// errno values of Linux (libtorrent's generic category): no space left; disk quota exceeded.
const ENOSPC = 28;
const EDQUOT = 122;

/** What libtorrent reports for a lookup that found nothing: the bencoding of nothing. */
const EMPTY_VALUE = Buffer.from('0:');

export { NativeError } from './native-error.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NativeError };

/** Reads an untrusted .torrent file; returns the error rather than throwing it. */
export function parseTorrent(bytes: Uint8Array): ParseResult<TorrentDescription> {
  try {
    return { ok: true, value: loadTorrentNative().parseTorrent(bytes) };
  } catch (error) {
    if (error instanceof NativeError && error.code === 'ERR_LIBTORRENT') return { ok: false, error };
    throw error;
  }
}

/** Makes a hybrid v1+v2 torrent of a folder (hashing runs off the JS thread). */
export function createTorrent(folder: string, options: CreateTorrentOptions = {}): Promise<CreatedTorrent> {
  return loadTorrentNative().createTorrent(folder, options);
}

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

export interface SessionEvents {
  alert: [RawAlert];
  status: [readonly TorrentStatus[]];
  'extension-message': [ExtensionEvent & { readonly payload: Buffer }];
  'extension-peer': [ExtensionEvent];
  /** Extension messages dropped because JS did not keep up (a flooding peer). */
  'extension-dropped': [number];
}

interface Waiter {
  readonly match: (alert: RawAlert) => boolean;
  readonly resolve: (alert: RawAlert) => void;
}

type AlertOf<T extends TypedAlertType> = Extract<TypedAlert, { readonly type: T }>;

function timeoutError(what: string, ms: number): AppError {
  return new AppError('ERR_TIMEOUT', `${what} did not finish within ${ms} ms`);
}

export class TorrentSession extends EventEmitter<SessionEvents> {
  readonly #native: NativeSession;
  readonly #waiters = new Set<Waiter>();
  /** Each torrent's last failure to write its files (file_error alerts): a full disk shows here first. */
  readonly #writeFailures = new Map<string, NativeError>();
  /** The last put of each mutable slot (key/salt hex), settled: the next put waits for it. */
  readonly #slotPuts = new Map<string, Promise<void>>();
  /** Sends waiting for their report; called with undefined when the session closes. */
  readonly #sentWaiters: ((event: ExtensionEvent | undefined) => boolean)[] = [];
  #statusTimer: NodeJS.Timeout | undefined;
  #extensionDropped = 0;
  #closed = false;

  constructor(options: SessionOptions = {}) {
    super();
    const dht = options.dht ?? true;
    const sameHost = options.sameHostPeers ?? false;
    const settings: Record<string, string | number | boolean> = {
      ...LOW_MEMORY_SETTINGS,
      listen_interfaces: options.listen ?? '0.0.0.0:0,[::]:0',
      enable_dht: dht,
      dht_bootstrap_nodes: (options.dhtBootstrap ?? []).map((e) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`)).join(','),
      enable_lsd: options.lsd ?? true,
      enable_upnp: options.portMapping ?? true,
      enable_natpmp: options.portMapping ?? true,
      ...(sameHost ? SAME_HOST_SETTINGS : {}),
      ...options.settings,
    };
    const { Session } = loadTorrentNative();
    const nativeOptions: { extension?: string; state?: Uint8Array } = { extension: options.extension ?? EXTENSION_NAME };
    if (options.state !== undefined) nativeOptions.state = options.state;
    this.#native = new Session(settings, () => {
      this.#handleWake();
    }, nativeOptions);
    this.#onePort(String(settings['listen_interfaces']));
  }

  /**
   * Given port 0 on a wildcard address, libtorrent opens one socket per interface, each on
   * a port of its own, and `listen_port()` is the first one's — loopback's (issue #25: the
   * DHT and mDNS announced a port bound only on 127.0.0.1; the LAN's was another). So every
   * interface is moved to that one port, which is free on at least one of them.
   */
  #onePort(listen: string): void {
    const entries = listen.split(',').map((entry) => entry.trim());
    if (!entries.some((entry) => entry === '0.0.0.0:0' || entry === '[::]:0')) return;
    const port = this.#native.listenPort();
    if (port === 0) return;
    const fixed = entries.map((entry) => (entry.endsWith(':0') ? `${entry.slice(0, -2)}:${port}` : entry)).join(',');
    this.#native.applySettings({ listen_interfaces: fixed });
  }

  /** The port the session accepts peers on (0 before it listens). */
  get listenPort(): number {
    return this.#native.listenPort();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  applySettings(settings: SettingsPack): void {
    this.#native.applySettings(settings);
  }

  /** Adds a torrent; resolves with its identity once libtorrent has it. */
  addTorrent(params: AddTorrentParams): InfoHashes {
    return this.#native.addTorrent(params);
  }

  /**
   * Why torrent `id` could not write its files, if it could not: libtorrent reports each
   * failed write (file_error) and goes on retrying, and what its status says meanwhile
   * varies (nothing, or "file too short"), so a fetch on a full disk looked like a timeout
   * (issue #25). ERR_STORE_DISK_FULL for ENOSPC and EDQUOT, else ERR_FILE.
   */
  writeFailure(id: string): AppError | undefined {
    const error = this.#writeFailures.get(id);
    if (error === undefined) return undefined;
    const full = (error.category === 'generic' || error.category === 'system') && (error.value === ENOSPC || error.value === EDQUOT);
    return full
      ? new AppError('ERR_STORE_DISK_FULL', `the disk is full: the download could not be written (${error.message}); free some space and try again`, { cause: error })
      : new AppError('ERR_FILE', `the download could not be written: ${error.message}`, { cause: error });
  }

  /** Removes a torrent (and its files with deleteFiles); resolves when it is gone. */
  async removeTorrent(id: string, options: { deleteFiles?: boolean } = {}): Promise<void> {
    this.#writeFailures.delete(id);
    const deleted = options.deleteFiles === true;
    const alert = await this.#waitForAlert((a) => a.torrent === id && (deleted ? a.type === 'torrent_deleted' || a.type === 'torrent_delete_failed' : a.type === 'torrent_removed'), 'removing the torrent', 30_000, () => {
      this.#native.removeTorrent(id, deleted);
    });
    if (alert.error !== undefined) throw alert.error;
  }

  pause(id: string): void {
    this.#native.pauseTorrent(id);
  }

  resume(id: string): void {
    this.#native.resumeTorrent(id);
  }

  /** Upload mode on: peers are connected and BEP 10 handshakes happen, but no piece is requested; off: it downloads. */
  setUploadMode(id: string, on: boolean): void {
    this.#native.setUploadMode(id, on);
  }

  status(id: string): TorrentStatus {
    return this.#native.torrentStatus(id);
  }

  files(id: string): TorrentFilesProgress | null {
    return this.#native.torrentFiles(id);
  }

  torrentIds(): string[] {
    return this.#native.torrentIds();
  }

  connectPeer(id: string, peer: Endpoint): void {
    this.#native.connectPeer(id, peer.host, peer.port);
  }

  /** Emits `status` with the torrents that changed, every `intervalMs`, until stopped. */
  startStatusUpdates(intervalMs = 1000): void {
    this.stopStatusUpdates();
    this.#statusTimer = setInterval(() => {
      if (!this.#closed) this.#native.postTorrentUpdates();
    }, intervalMs);
    this.#statusTimer.unref();
  }

  stopStatusUpdates(): void {
    if (this.#statusTimer !== undefined) clearInterval(this.#statusTimer);
    this.#statusTimer = undefined;
  }

  /** Resolves when the torrent has all it wants (finished or seeding). */
  async waitFinished(id: string, timeoutMs: number): Promise<void> {
    // No alert can slip between the check and the wait: alerts reach JS only in #handleWake.
    if (this.status(id).isFinished) return;
    await this.#waitForAlert((a) => a.torrent === id && a.type === 'torrent_finished', 'the download', timeoutMs);
  }

  /** The resume data of a torrent (bencoded), for a fast restart without rechecking. */
  async saveResumeData(id: string): Promise<Buffer> {
    const alert = await this.#waitForAlert((a) => a.torrent === id && (a.type === 'save_resume_data' || a.type === 'save_resume_data_failed'), 'saving resume data', 30_000, () => {
      this.#native.saveResumeData(id);
    });
    if (!isAlert(alert, 'save_resume_data')) throw alert.error ?? new AppError('ERR_LIBTORRENT', `saving resume data: ${alert.message}`);
    return alert.data;
  }

  /**
   * Reads `length` bytes at `offset` of file `fileIndex`, while the torrent downloads:
   * the pieces needed are fetched first, in order (piece deadlines), and their data is
   * returned as soon as each has passed its hash check.
   */
  async readFile(id: string, fileIndex: number, offset: number, length: number, options: { timeoutMs?: number } = {}): Promise<Buffer> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const files = this.#native.torrentFiles(id);
    if (files === null) throw new AppError('ERR_NO_METADATA', "the torrent's metadata is not known yet");
    if (length === 0) return Buffer.alloc(0);
    const first = this.#native.mapFile(id, fileIndex, offset, length);
    const pieceLength = files.pieceLength;
    const startInTorrent = first.piece * pieceLength + first.start;
    const lastPiece = Math.floor((startInTorrent + length - 1) / pieceLength);
    const pieces: Promise<Buffer>[] = [];
    for (let piece = first.piece; piece <= lastPiece; piece++) {
      const arrived = this.#waitFor('read_piece', (a) => a.torrent === id && a.piece === piece, `piece ${piece}`, timeoutMs, () => {
        if (this.#native.havePiece(id, piece)) this.#native.readPiece(id, piece);
        else this.#native.setPieceDeadline(id, piece, (piece - first.piece) * 50, true);
      }).then((alert) => {
        if (alert.error !== undefined) throw alert.error;
        if (alert.data === undefined) throw new AppError('ERR_LIBTORRENT', `reading piece ${piece}: ${alert.message}`);
        return alert.data;
      });
      pieces.push(arrived);
    }
    const data = Buffer.concat(await Promise.all(pieces));
    return data.subarray(first.start, first.start + length);
  }

  /** Puts an immutable BEP 44 item (bencoded, ≤ 1000 bytes); resolves with its target. */
  async dhtPutImmutable(value: Uint8Array, timeoutMs = DHT_TIMEOUT_MS): Promise<{ target: string; successes: number }> {
    const target = this.#native.dhtPutImmutable(value);
    const alert = await this.#waitFor('dht_put', (a) => a.target === target, 'the DHT put', timeoutMs);
    return { target, successes: alert.successes };
  }

  /** Gets an immutable BEP 44 item by target; undefined when nobody has it. */
  async dhtGetImmutable(target: string, timeoutMs = DHT_TIMEOUT_MS): Promise<Buffer | undefined> {
    const done = this.#waitFor('dht_immutable_item', (a) => a.target === target, 'the DHT get', timeoutMs, () => {
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
  async dhtGetMutable(publicKey: string, salt: Uint8Array, options: { timeoutMs?: number; onResponse?: (item: MutableItem) => void } = {}): Promise<MutableItem | undefined> {
    const saltBuffer = Buffer.from(salt);
    const matches = (a: AlertOf<'dht_mutable_item'>): boolean => a.publicKey === publicKey && saltBuffer.equals(a.salt);
    const onAlert = (a: RawAlert): void => {
      if (isAlert(a, 'dht_mutable_item') && matches(a) && !a.authoritative) options.onResponse?.(toItem(a));
    };
    this.on('alert', onAlert);
    try {
      const item = toItem(await this.#waitFor('dht_mutable_item', (a) => matches(a) && a.authoritative, 'the DHT lookup', options.timeoutMs ?? DHT_TIMEOUT_MS, () => {
        this.#native.dhtGetMutable(publicKey, salt);
      }));
      // Nothing found: libtorrent reports an item with no value (bencoded as '0:') at seq 0.
      return item.seq === 0n && item.value.equals(EMPTY_VALUE) ? undefined : item;
    } finally {
      this.off('alert', onAlert);
    }
  }

  /**
   * Puts a signed mutable record. Rejects with ERR_CAS_MISMATCH when `cas` is set and the
   * network's seq is another, and with ERR_SEQ_OUTDATED when the network already holds this
   * seq or a higher one; the network's own record is then left (and re-put) unchanged.
   */
  async dhtPutMutable(record: SignedRecord, timeoutMs = DHT_TIMEOUT_MS): Promise<{ successes: number }> {
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
    const alert = await this.#waitFor(
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
  dhtAnnounce(target: string, port = 0, seed = false): void {
    this.#native.dhtAnnounce(target, port, seed);
  }

  /**
   * Peers the DHT knows for `target`: the first ones found, or none when the lookup finds
   * none within `timeoutMs` (libtorrent reports replies that carry peers, and no end).
   */
  async dhtGetPeers(target: string, timeoutMs = 10_000): Promise<Endpoint[]> {
    const done = this.#waitFor(
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

  addDhtNode(node: Endpoint): void {
    this.#native.addDhtNode(node.host, node.port);
  }

  /**
   * Sends a BEP 10 message to the peers of torrent `id` that speak our extension (all, or
   * one); resolves with how many were sent to.
   */
  sendExtension(id: string, payload: Uint8Array, peer?: Endpoint): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new AppError('ERR_SESSION_CLOSED', 'the session is closed'));
        return;
      }
      // Sent first: a send that throws leaves no waiter behind to take the report of a later
      // send (reports reach JS only in #handleWake, after this).
      if (peer === undefined) this.#native.sendExtension(id, payload);
      else this.#native.sendExtension(id, payload, peer.host, peer.port);
      this.#sentWaiters.push((event) => {
        if (event === undefined) {
          reject(new AppError('ERR_SESSION_CLOSED', 'the session was closed before the message was sent'));
          return true;
        }
        if (event.torrent !== id) return false;
        resolve(event.count ?? 0);
        return true;
      });
    });
  }

  /** The session's state (settings, DHT node id and routing table), for the next start. */
  saveState(): Buffer {
    return this.#native.saveState();
  }

  /** Stops every torrent and libtorrent's threads; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return this.#native.close();
    this.#closed = true;
    this.stopStatusUpdates();
    const closing = this.#native.close();
    for (const waiter of [...this.#waiters]) waiter.resolve({ type: 'session_closed', category: 0, message: 'the session was closed' });
    for (const waiter of this.#sentWaiters.splice(0)) waiter(undefined);
    await closing;
  }

  #handleWake(): void {
    for (const alert of this.#native.popAlerts()) {
      if (isAlert(alert, 'state_update')) this.emit('status', alert.statuses);
      if (isAlert(alert, 'file_error') && alert.torrent !== undefined && alert.error !== undefined) this.#writeFailures.set(alert.torrent, alert.error);
      this.emit('alert', alert);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(alert)) waiter.resolve(alert);
      }
    }
    const { events, dropped } = this.#native.drainExtensionEvents();
    for (const event of events) {
      if (event.type === 'message' && event.payload !== undefined) this.emit('extension-message', { ...event, payload: event.payload });
      else if (event.type === 'peer') this.emit('extension-peer', event);
      else {
        const index = this.#sentWaiters.findIndex((waiter) => waiter(event));
        if (index >= 0) this.#sentWaiters.splice(index, 1);
      }
    }
    if (dropped > this.#extensionDropped) {
      this.emit('extension-dropped', dropped - this.#extensionDropped);
      this.#extensionDropped = dropped;
    }
  }

  /** #waitForAlert for an alert of `type`, typed as that alert. */
  #waitFor<T extends TypedAlertType>(type: T, match: (alert: AlertOf<T>) => boolean, what: string, timeoutMs: number, send?: () => void): Promise<AlertOf<T>> {
    return this.#waitForAlert((a) => isAlert(a, type) && match(a), what, timeoutMs, send) as Promise<AlertOf<T>>;
  }

  /**
   * Waits for the alert `match` picks; `send`, the request into libtorrent that the alert
   * answers, is made once the waiter is in place (no alert can arrive before: alerts reach
   * JS only in #handleWake). The session closed, or `send` throwing, rejects this promise
   * and leaves nothing behind: a waiter created apart from its request would be left to
   * reject later with nobody awaiting it, and an unhandled rejection ends the process.
   */
  #waitForAlert(match: (alert: RawAlert) => boolean, what: string, timeoutMs: number, send?: () => void): Promise<RawAlert> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new AppError('ERR_SESSION_CLOSED', 'the session is closed'));
        return;
      }
      const waiter: Waiter = {
        match,
        resolve: (alert) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          if (alert.type === 'session_closed') reject(new AppError('ERR_SESSION_CLOSED', `the session was closed before ${what} finished`));
          else resolve(alert);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      this.#waiters.add(waiter);
      try {
        send?.();
      } catch (error) {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
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
