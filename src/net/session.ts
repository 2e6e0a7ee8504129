/**
 * A libtorrent session for swarmpress: the one place where the native binding is used.
 *
 * Alerts are the only asynchronous output of libtorrent: the binding wakes the JS thread,
 * this class pops them, emits each as an `alert` event, and resolves the promises of the
 * requests waiting for them (added torrents, DHT records, pieces, resume data). The
 * session does the torrent operations itself; the waiting (alert-waiters.ts), the DHT
 * requests (session-dht.ts) and the BEP 10 messages (extension-messages.ts) are rooms of
 * their own, and its settings are made in session-settings.ts.
 *
 * Ownership: whoever creates a TorrentSession closes it (`close()`, idempotent).
 */
import { EventEmitter } from 'node:events';
import { AppError } from '../core/errors.js';
import { AlertWaiters } from './alert-waiters.js';
import { ExtensionMessages, type ExtensionEvents } from './extension-messages.js';
import type { NativeError } from './native-error.js';
import {
  loadTorrentNative,
  type AddTorrentParams,
  type InfoHashes,
  isAlert,
  type NativeSession,
  type RawAlert,
  type SettingsPack,
  type TorrentFilesProgress,
  type TorrentStatus,
} from './native.js';
import { SessionDht, DHT_TIMEOUT_MS, type MutableItem, type SignedRecord } from './session-dht.js';
import { EXTENSION_NAME, sessionSettings, type Endpoint, type SessionOptions } from './session-settings.js';

export { NativeError } from './native-error.js';
export { DHT_TIMEOUT_MS, type MutableItem, type SignedRecord } from './session-dht.js';
export { EXTENSION_NAME, type Endpoint, type SessionOptions } from './session-settings.js';
export { createTorrent, parseTorrent, type ParseResult } from './torrent-file.js';

// errno values of Linux (libtorrent's generic category): no space left; disk quota exceeded.
const ENOSPC = 28;
const EDQUOT = 122;

/** What a session emits: every alert, the torrents' status, and the extension messages. */
export interface SessionEvents extends ExtensionEvents {
  alert: [RawAlert];
  status: [readonly TorrentStatus[]];
}

/** A libtorrent session: its torrents, its DHT node and its BEP 10 extension. */
export class TorrentSession extends EventEmitter<SessionEvents> {
  readonly #native: NativeSession;
  readonly #waiters = new AlertWaiters(() => this.#closed);
  readonly #dht: SessionDht;
  readonly #extension: ExtensionMessages;
  /** Each torrent's last failure to write its files (file_error alerts): a full disk shows here first. */
  readonly #writeFailures = new Map<string, NativeError>();
  #statusTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SessionOptions = {}) {
    super();
    const settings = sessionSettings(options);
    const { Session } = loadTorrentNative();
    const nativeOptions: { extension?: string; state?: Uint8Array } = { extension: options.extension ?? EXTENSION_NAME };
    if (options.state !== undefined) nativeOptions.state = options.state;
    this.#native = new Session(settings, () => {
      this.#handleWake();
    }, nativeOptions);
    this.#dht = new SessionDht(this.#native, this.#waiters, this);
    this.#extension = new ExtensionMessages(this.#native, () => this.#closed);
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
    const alert = await this.#waiters.waitForAlert((a) => a.torrent === id && (deleted ? a.type === 'torrent_deleted' || a.type === 'torrent_delete_failed' : a.type === 'torrent_removed'), 'removing the torrent', 30_000, () => {
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
    await this.#waiters.waitForAlert((a) => a.torrent === id && a.type === 'torrent_finished', 'the download', timeoutMs);
  }

  /** The resume data of a torrent (bencoded), for a fast restart without rechecking. */
  async saveResumeData(id: string): Promise<Buffer> {
    const alert = await this.#waiters.waitForAlert((a) => a.torrent === id && (a.type === 'save_resume_data' || a.type === 'save_resume_data_failed'), 'saving resume data', 30_000, () => {
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
      const arrived = this.#waiters.waitFor('read_piece', (a) => a.torrent === id && a.piece === piece, `piece ${piece}`, timeoutMs, () => {
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
  dhtPutImmutable(value: Uint8Array, timeoutMs = DHT_TIMEOUT_MS): Promise<{ target: string; successes: number }> {
    return this.#dht.putImmutable(value, timeoutMs);
  }

  /** Gets an immutable BEP 44 item by target; undefined when nobody has it. */
  dhtGetImmutable(target: string, timeoutMs = DHT_TIMEOUT_MS): Promise<Buffer | undefined> {
    return this.#dht.getImmutable(target, timeoutMs);
  }

  /**
   * Looks up a mutable BEP 44 record: `onResponse` sees every better record as it arrives,
   * the promise resolves with the authoritative one (see {@link SessionDht.getMutable}).
   */
  dhtGetMutable(publicKey: string, salt: Uint8Array, options: { timeoutMs?: number; onResponse?: (item: MutableItem) => void } = {}): Promise<MutableItem | undefined> {
    return this.#dht.getMutable(publicKey, salt, options);
  }

  /**
   * Puts a signed mutable record, one put per slot at a time; rejects with ERR_CAS_MISMATCH
   * or ERR_SEQ_OUTDATED when the network's seq says so (see {@link SessionDht.putMutable}).
   */
  dhtPutMutable(record: SignedRecord, timeoutMs = DHT_TIMEOUT_MS): Promise<{ successes: number }> {
    return this.#dht.putMutable(record, timeoutMs);
  }

  /** Announces this node as a peer of `target` (20-byte hex) in the DHT. */
  dhtAnnounce(target: string, port = 0, seed = false): void {
    this.#dht.announce(target, port, seed);
  }

  /** Peers the DHT knows for `target`: the first ones found, or none within `timeoutMs`. */
  dhtGetPeers(target: string, timeoutMs = 10_000): Promise<Endpoint[]> {
    return this.#dht.getPeers(target, timeoutMs);
  }

  /** Adds a DHT node to the routing table (a bootstrap node, a neighbour). */
  addDhtNode(node: Endpoint): void {
    this.#dht.addNode(node);
  }

  /**
   * Sends a BEP 10 message to the peers of torrent `id` that speak our extension (all, or
   * one); resolves with how many were sent to.
   */
  sendExtension(id: string, payload: Uint8Array, peer?: Endpoint): Promise<number> {
    return this.#extension.send(id, payload, peer);
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
    this.#waiters.closeAll();
    this.#extension.closeAll();
    await closing;
  }

  #handleWake(): void {
    for (const alert of this.#native.popAlerts()) {
      if (isAlert(alert, 'state_update')) this.emit('status', alert.statuses);
      if (isAlert(alert, 'file_error') && alert.torrent !== undefined && alert.error !== undefined) this.#writeFailures.set(alert.torrent, alert.error);
      this.emit('alert', alert);
      this.#waiters.dispatch(alert);
    }
    this.#extension.drain(this);
  }
}
