/**
 * The validating filter that bittorrent-dht sits behind in the test suite (FACTS.md: one
 * malformed packet from any DHT peer throws inside the library and kills the process, and
 * it does not enforce BEP 44's limits).
 *
 * `FilteredSocket` is a UDP socket bound to 127.0.0.1 that bittorrent-dht is handed through
 * its `socket` option (which it passes on to k-rpc-socket, its only reader of datagrams).
 * Every datagram is decoded with core's canonical bencode decoder and checked by
 * `checkDatagram` before the library sees it: the KRPC envelope (BEP 5), every argument
 * and reply field the library reads, and BEP 44 items (`k` 32 bytes, `sig` 64 bytes, `salt`
 * ≤ 64 bytes, `seq`/`cas` integers, `v` ≤ 1000 bytes bencoded). What fails is dropped and
 * counted by reason; the library only ever decodes datagrams that passed. The socket also
 * refuses to send anywhere but loopback, so a test can never leak traffic.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { MAX_SALT_BYTES, MAX_VALUE_BYTES } from '../../src/core/bep44.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../../src/core/identity.js';

/** Largest datagram let through: BEP 44 puts are ~1.3 KB; nothing bittorrent-dht reads is bigger. */
export const MAX_DATAGRAM_BYTES = 4096;
const NODE_ID_BYTES = 20;
/** Compact node info (BEP 5): 20-byte id, 4-byte IPv4 address, 2-byte port; IPv6 (BEP 32): 38. */
const COMPACT_NODE_BYTES = 26;
const COMPACT_NODE6_BYTES = 38;
const MAX_TRANSACTION_BYTES = 32;
const MAX_TOKEN_BYTES = 64;

type Check = string | undefined;

function bytes(value: BencodeValue | undefined): value is Uint8Array {
  return value instanceof Uint8Array;
}

function integer(value: BencodeValue | undefined): value is bigint {
  return typeof value === 'bigint';
}

function dict(value: BencodeValue | undefined): value is BencodeDict {
  return value instanceof Map;
}

function text(value: Uint8Array): string {
  return Buffer.from(value).toString('latin1');
}

/** Optional byte string of an exact length (or up to `max` when `exact` is false). */
function optionalBytes(args: BencodeDict, key: string, length: number, exact = true): Check {
  const value = args.get(key);
  if (value === undefined) return undefined;
  if (!bytes(value) || (exact ? value.length !== length : value.length > length)) return `bad-${key}`;
  return undefined;
}

function requiredBytes(args: BencodeDict, key: string, length: number, exact = true): Check {
  return args.has(key) ? optionalBytes(args, key, length, exact) : `missing-${key}`;
}

/**
 * An integer the library can hold: bittorrent-dht keeps `seq` and `cas` as JS numbers, so
 * one above 2^53 would be rounded (and then compared and re-signed wrongly).
 */
function optionalCount(args: BencodeDict, key: string): Check {
  const value = args.get(key);
  if (value === undefined) return undefined;
  if (!integer(value) || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) return `bad-${key}`;
  return undefined;
}

/** The BEP 44 fields of a `put` query or a `get` reply. */
function checkItem(fields: BencodeDict): Check {
  const problem =
    optionalBytes(fields, 'k', PUBLIC_KEY_BYTES) ??
    optionalBytes(fields, 'sig', SIGNATURE_BYTES) ??
    optionalBytes(fields, 'salt', MAX_SALT_BYTES, false) ??
    optionalCount(fields, 'seq') ??
    optionalCount(fields, 'cas');
  if (problem !== undefined) return problem;
  const v = fields.get('v');
  if (v === undefined) return undefined;
  if (encodeBencode(v).length > MAX_VALUE_BYTES) return 'v-too-large';
  // A mutable item carries all of its key, signature and seq, or it is not one.
  const mutable = ['k', 'sig', 'seq', 'salt', 'cas'].some((key) => fields.has(key));
  if (mutable && !(fields.has('k') && fields.has('sig') && fields.has('seq'))) return 'incomplete-item';
  return undefined;
}

function checkQuery(message: BencodeDict): Check {
  const q = message.get('q');
  if (!bytes(q) || q.length === 0 || q.length > 32) return 'bad-q';
  const args = message.get('a');
  if (!dict(args)) return 'bad-a';
  const id = requiredBytes(args, 'id', NODE_ID_BYTES);
  if (id !== undefined) return id;
  switch (text(q)) {
    case 'ping':
      return undefined;
    case 'find_node':
      return requiredBytes(args, 'target', NODE_ID_BYTES);
    case 'get_peers':
      return requiredBytes(args, 'info_hash', NODE_ID_BYTES);
    case 'announce_peer': {
      const port = args.get('port');
      if (port !== undefined && (!integer(port) || port < 0n || port > 65535n)) return 'bad-port';
      const implied = args.get('implied_port');
      if (implied !== undefined && !integer(implied)) return 'bad-implied_port';
      return requiredBytes(args, 'info_hash', NODE_ID_BYTES) ?? requiredBytes(args, 'token', MAX_TOKEN_BYTES, false);
    }
    case 'get':
      return requiredBytes(args, 'target', NODE_ID_BYTES) ?? optionalCount(args, 'seq');
    case 'put':
      if (!args.has('v')) return 'missing-v';
      return requiredBytes(args, 'token', MAX_TOKEN_BYTES, false) ?? checkItem(args);
    default:
      // Queries the library does not know (BEP 51 sample_infohashes, ...) are ignored by it.
      return undefined;
  }
}

function checkReply(message: BencodeDict): Check {
  const r = message.get('r');
  if (!dict(r)) return 'bad-r';
  const problem = requiredBytes(r, 'id', NODE_ID_BYTES) ?? optionalBytes(r, 'token', MAX_TOKEN_BYTES, false);
  if (problem !== undefined) return problem;
  const nodes = r.get('nodes');
  if (nodes !== undefined && (!bytes(nodes) || nodes.length % COMPACT_NODE_BYTES !== 0)) return 'bad-nodes';
  const nodes6 = r.get('nodes6');
  if (nodes6 !== undefined && (!bytes(nodes6) || nodes6.length % COMPACT_NODE6_BYTES !== 0)) return 'bad-nodes6';
  const values = r.get('values');
  if (values !== undefined && (!Array.isArray(values) || !(values as readonly BencodeValue[]).every((peer) => bytes(peer) && (peer.length === 6 || peer.length === 18)))) {
    return 'bad-values';
  }
  return checkItem(r);
}

/**
 * Why a datagram must not reach bittorrent-dht (a short reason such as `bad-sig`), or
 * undefined when it may. Never throws.
 */
export function checkDatagram(datagram: Uint8Array): Check {
  if (datagram.length > MAX_DATAGRAM_BYTES) return 'too-large';
  const decoded = decodeBencode(datagram, { maxBytes: MAX_DATAGRAM_BYTES, maxDepth: 8 });
  if (!decoded.ok) return 'not-bencode';
  const message = decoded.value;
  if (!dict(message)) return 'not-a-dict';
  const t = message.get('t');
  if (!bytes(t) || t.length === 0 || t.length > MAX_TRANSACTION_BYTES) return 'bad-t';
  const y = message.get('y');
  if (!bytes(y) || y.length !== 1) return 'bad-y';
  switch (text(y)) {
    case 'q':
      return checkQuery(message);
    case 'r':
      return checkReply(message);
    case 'e':
      return Array.isArray(message.get('e')) ? undefined : 'bad-e';
    default:
      return 'bad-y';
  }
}

function isLoopback(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export interface FilterCounts {
  /** Datagrams handed to the library. */
  readonly passed: number;
  /** Datagrams dropped, by reason. */
  readonly dropped: ReadonlyMap<string, number>;
  /** Total of `dropped`. */
  readonly droppedTotal: number;
  /** Sends to a non-loopback address that were refused. */
  readonly blockedSends: number;
}

/**
 * A UDP socket on 127.0.0.1 that lets only checked datagrams through (see the module
 * comment). Open it with `FilteredSocket.open()`: it is bound before the library gets it,
 * so the library can never make node bind a socket of its own on every interface.
 */
export class FilteredSocket extends EventEmitter {
  readonly #socket: dgram.Socket;
  readonly #dropped = new Map<string, number>();
  #passed = 0;
  #blockedSends = 0;

  private constructor(socket: dgram.Socket) {
    super();
    this.#socket = socket;
    socket.on('message', (message, remote) => {
      const reason = isLoopback(remote.address) ? checkDatagram(message) : 'not-loopback';
      if (reason === undefined) {
        this.#passed++;
        this.emit('message', message, remote);
      } else {
        this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + 1);
        this.emit('dropped', reason, remote);
      }
    });
    socket.on('error', (error) => this.emit('error', error));
    socket.on('close', () => this.emit('close'));
  }

  static async open(): Promise<FilteredSocket> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new FilteredSocket(socket);
  }

  get counts(): FilterCounts {
    let total = 0;
    for (const count of this.#dropped.values()) total += count;
    return { passed: this.#passed, dropped: new Map(this.#dropped), droppedTotal: total, blockedSends: this.#blockedSends };
  }

  /** Already bound to 127.0.0.1: reports `listening` (k-rpc-socket waits for it). */
  bind(...args: unknown[]): void {
    const callback = args.find((arg): arg is () => void => typeof arg === 'function');
    process.nextTick(() => {
      this.emit('listening');
      callback?.();
    });
  }

  send(message: Buffer, offset: number, length: number, port: number, address: string, callback?: (error: Error | null) => void): void {
    if (!isLoopback(address)) {
      this.#blockedSends++;
      process.nextTick(() => callback?.(new Error(`refused to send to ${address}: tests stay on loopback`)));
      return;
    }
    this.#socket.send(message, offset, length, port, address, (error) => callback?.(error));
  }

  address(): AddressInfo {
    return this.#socket.address();
  }

  close(): void {
    this.#socket.close();
  }
}
