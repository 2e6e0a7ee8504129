/**
 * The typed contract of swarmpress's libtorrent binding (`swarmpress_torrent.node`,
 * native/src/torrent/). Nothing else imports the raw module: src/net/session.ts (with the
 * rooms it is made of) and torrent-file.ts wrap it.
 *
 * Threading: every function runs on the JS thread; libtorrent's own threads only wake it
 * (the `onWake` callback), after which `popAlerts()` returns what happened.
 * Errors: wrong argument types/ranges throw TypeError/RangeError naming the argument
 * (code ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE); libtorrent's failures, and calls the
 * binding refuses in its present state, throw a `NativeError` (native-error.ts) — the class
 * is JS's, handed to the binding when it is loaded.
 */
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';
import { NativeError } from './native-error.js';

/** The libtorrent the binding was built against and the one it runs with. */
export interface LibtorrentVersion {
  /** `LIBTORRENT_VERSION` at compile time, e.g. "2.0.8.0". */
  readonly compiled: string;
  /** `lt::version()` of the shared library loaded now. */
  readonly runtime: string;
  readonly revision: string;
  readonly major: number;
  readonly minor: number;
  readonly tiny: number;
}

/** A torrent's identity: `id` is the v1 infohash in hex when it has one, else the v2. */
export interface InfoHashes {
  readonly id: string;
  readonly v1: string | null;
  readonly v2: string | null;
}

export interface TorrentFile {
  readonly index: number;
  /** Relative to the save folder, as libtorrent writes it (sanitized). */
  readonly path: string;
  readonly size: number;
  readonly offset: number;
}

export interface TorrentDescription {
  readonly infoHashes: InfoHashes;
  readonly name: string;
  readonly pieceLength: number;
  readonly numPieces: number;
  readonly totalSize: number;
  readonly files: readonly TorrentFile[];
}

export interface CreatedTorrent extends TorrentDescription {
  /** The bencoded .torrent file (hybrid v1+v2). */
  readonly torrent: Buffer;
}

export interface TorrentStatus {
  readonly id: string;
  readonly name: string;
  readonly state: 'checking' | 'metadata' | 'downloading' | 'finished' | 'seeding' | 'checking-resume' | 'unknown';
  readonly progress: number;
  /** Payload bytes per second. */
  readonly downloadRate: number;
  readonly uploadRate: number;
  readonly peers: number;
  readonly seeds: number;
  readonly totalDone: number;
  readonly totalWanted: number;
  readonly totalUpload: number;
  readonly hasMetadata: boolean;
  readonly isSeeding: boolean;
  readonly isFinished: boolean;
  readonly paused: boolean;
  readonly savePath: string;
  readonly error?: NativeError;
}

export interface TorrentFilesProgress {
  readonly name: string;
  readonly pieceLength: number;
  readonly numPieces: number;
  readonly files: readonly (TorrentFile & { readonly done: number })[];
}

/**
 * What every alert carries. `type` is libtorrent's alert name (`alert::what()`); `torrent`
 * is set for torrent alerts, `address`/`port` for peer alerts.
 */
interface AlertBase {
  readonly category: number;
  readonly message: string;
  readonly torrent?: string;
  readonly address?: string;
  readonly port?: number;
  readonly error?: NativeError;
}

/**
 * The alerts swarmpress reads a field of, as alerts.cpp builds them (frozen): one member
 * per alert type (isAlert extracts the member whose `type` is exactly the one asked).
 */
export type TypedAlert =
  | (AlertBase & { readonly type: 'add_torrent'; readonly infoHashes: InfoHashes })
  | (AlertBase & { readonly type: 'torrent_removed'; readonly torrent: string })
  | (AlertBase & { readonly type: 'torrent_deleted'; readonly torrent: string })
  | (AlertBase & { readonly type: 'torrent_delete_failed'; readonly torrent: string })
  | (AlertBase & { readonly type: 'state_update'; readonly statuses: readonly TorrentStatus[] })
  | (AlertBase & { readonly type: 'torrent_error'; readonly file: string })
  | (AlertBase & { readonly type: 'file_error'; readonly file: string })
  | (AlertBase & { readonly type: 'read_piece'; readonly piece: number; readonly data?: Buffer })
  | (AlertBase & { readonly type: 'piece_finished'; readonly piece: number })
  | (AlertBase & { readonly type: 'hash_failed'; readonly piece: number })
  | (AlertBase & { readonly type: 'save_resume_data'; readonly data: Buffer })
  | (AlertBase & { readonly type: 'listen_succeeded'; readonly address: string; readonly port: number; readonly socketType: 'tcp' | 'utp' | 'other' })
  | (AlertBase & { readonly type: 'listen_failed'; readonly address: string; readonly port: number })
  | (AlertBase & {
      readonly type: 'dht_mutable_item';
      readonly publicKey: string;
      readonly signature: string;
      readonly seq: bigint;
      readonly salt: Buffer;
      readonly value: Buffer;
      readonly authoritative: boolean;
    })
  | (AlertBase & { readonly type: 'dht_immutable_item'; readonly target: string; readonly value: Buffer })
  | (AlertBase & {
      readonly type: 'dht_put';
      readonly target: string;
      readonly publicKey: string;
      readonly signature: string;
      readonly salt: Buffer;
      readonly seq: bigint;
      readonly successes: number;
    })
  | (AlertBase & { readonly type: 'dht_get_peers_reply'; readonly target: string; readonly peers: readonly { readonly address: string; readonly port: number }[] })
  | (AlertBase & { readonly type: 'dht_announce'; readonly target: string; readonly address: string; readonly port: number });

/** The alert types with fields of their own (TypedAlert). */
export type TypedAlertType = TypedAlert['type'];

/** Any other alert: only the common fields are read. */
export type OtherAlert = AlertBase & { readonly type: Exclude<string, TypedAlertType> };

/**
 * One libtorrent alert. Narrow it with `isAlert(alert, 'dht_put')` (a `type` comparison on
 * the union does not narrow, as `OtherAlert`'s `type` is any string).
 */
export type RawAlert = TypedAlert | OtherAlert;

/** Whether `alert` is of `type`, narrowed to that alert's fields. */
export function isAlert<T extends TypedAlertType>(alert: RawAlert, type: T): alert is Extract<TypedAlert, { readonly type: T }> {
  return alert.type === type;
}

export interface ExtensionEvent {
  readonly type: 'message' | 'peer' | 'sent';
  readonly torrent: string;
  readonly address: string;
  readonly port: number;
  readonly payload?: Buffer;
  readonly count?: number;
}

export interface AddTorrentParams {
  readonly savePath?: string;
  readonly torrent?: Uint8Array;
  readonly magnet?: string;
  readonly infoHash?: string;
  readonly resumeData?: Uint8Array;
  readonly paused?: boolean;
  readonly seedMode?: boolean;
  /** Connect to peers but request no piece (libtorrent's upload_mode), until setUploadMode(id, false). */
  readonly uploadMode?: boolean;
}

/** Values by libtorrent's own setting names (settings_pack); unknown names throw. */
export type SettingsPack = Readonly<Record<string, string | number | boolean>>;

export declare class NativeSession {
  constructor(settings: SettingsPack, onWake: () => void, options?: { extension?: string; state?: Uint8Array });
  applySettings(settings: SettingsPack): void;
  popAlerts(): RawAlert[];
  drainExtensionEvents(): { events: ExtensionEvent[]; dropped: number };
  addTorrent(params: AddTorrentParams): InfoHashes;
  removeTorrent(id: string, deleteFiles?: boolean): void;
  pauseTorrent(id: string): void;
  resumeTorrent(id: string): void;
  setUploadMode(id: string, on: boolean): void;
  saveResumeData(id: string): void;
  torrentStatus(id: string): TorrentStatus;
  torrentFiles(id: string): TorrentFilesProgress | null;
  torrentIds(): string[];
  postTorrentUpdates(): void;
  havePiece(id: string, piece: number): boolean;
  setPieceDeadline(id: string, piece: number, deadlineMs: number, alertWhenAvailable: boolean): void;
  readPiece(id: string, piece: number): void;
  mapFile(id: string, fileIndex: number, offset: number, size: number): { piece: number; start: number; length: number };
  connectPeer(id: string, address: string, port: number): void;
  addDhtNode(host: string, port: number): void;
  dhtPutImmutable(value: Uint8Array): string;
  dhtGetImmutable(target: string): void;
  dhtGetMutable(publicKey: string, salt?: Uint8Array): void;
  dhtPutMutable(publicKey: string, salt: Uint8Array, seq: bigint | number, value: Uint8Array, signature: string, cas?: bigint | number): void;
  dhtAnnounce(target: string, port: number, seed?: boolean): void;
  dhtGetPeers(target: string): void;
  sendExtension(id: string, payload: Uint8Array, address?: string, port?: number): void;
  saveState(): Buffer;
  listenPort(): number;
  isDhtRunning(): boolean;
  close(): Promise<void>;
}

export interface CreateTorrentOptions {
  /** 0 (default) lets libtorrent choose; else a power of two ≥ 16 KiB. */
  readonly pieceSize?: number;
  /** Leave out files and folders whose names start with a dot (default true). */
  readonly skipHidden?: boolean;
  readonly creator?: string;
  /**
   * `hybrid` (default, BEP 52): v1 and v2 in one torrent. `v1` for clients that cannot read
   * hybrid torrents: aria2 1.36 drops the empty-string keys of BEP 52's file tree when it
   * re-encodes the info dictionary, and so computes a wrong info hash; Transmission 3.00
   * refuses to parse them (both measured). `v2` for v2-only swarms.
   */
  readonly format?: 'hybrid' | 'v1' | 'v2';
}

export interface TorrentNative {
  /** Hands the binding the class it builds every error with (once, by the loader). */
  setErrorConstructor(constructor: typeof NativeError): void;
  readonly libtorrentVersion: LibtorrentVersion;
  readonly Session: typeof NativeSession;
  createTorrent(folder: string, options?: CreateTorrentOptions): Promise<CreatedTorrent>;
  parseTorrent(bytes: Uint8Array): TorrentDescription;
  /** Sessions neither closed nor garbage collected yet (for lifetime tests). */
  liveSessions(): number;
  /** Who is at the other end of the Unix socket `fd` (getsockopt SO_PEERCRED); throws when the kernel does not say. */
  peerCredentials(fd: number): { readonly pid: number; readonly uid: number; readonly gid: number };
}

const MODULE_PATH = '../../../native/build/Release/swarmpress_torrent.node';

let native: TorrentNative | undefined;

/** Loads the binding once. Throws an AppError that says how to build it when it is missing. */
export function loadTorrentNative(): TorrentNative {
  if (native !== undefined) return native;
  try {
    const loaded = createRequire(import.meta.url)(MODULE_PATH) as TorrentNative;
    loaded.setErrorConstructor(NativeError);
    native = loaded;
  } catch (error) {
    throw new AppError('ERR_NATIVE_MISSING', `the libtorrent binding could not be loaded (run 'make build'): ${String(error)}`, { cause: error });
  }
  return native;
}

/** Which libtorrent swarmpress runs with. */
export function libtorrentVersion(): LibtorrentVersion {
  return loadTorrentNative().libtorrentVersion;
}
