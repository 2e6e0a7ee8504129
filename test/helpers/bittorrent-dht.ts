/**
 * A bittorrent-dht node (the independent BEP 44 implementation of the interop tests and
 * benchmarks) on 127.0.0.1, joined to a private DHT of local nodes, behind the validating
 * filter of krpc-filter.ts: the library gets a `FilteredSocket` through its `socket`
 * option, so every datagram is checked before the library decodes it.
 *
 * Its `verify` is node:crypto's ed25519 (OpenSSL, synchronous — an async verify would be a
 * truthy Promise to the library: FACTS.md): native like the sodium binding the library's
 * README suggests, so that its lookups are not slowed by pure-JS verification, and
 * independent of core's @noble/ed25519 check. Every call is counted.
 */
import crypto from 'node:crypto';
import DHT, { type GetReply, type JsBencode } from 'bittorrent-dht';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { mutableTarget, signRecord } from '../../src/core/bep44.js';
import { binaryFromText, textFromBinary } from '../../src/core/bytes.js';
import { Identity, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../../src/core/identity.js';
import type { Endpoint } from '../../src/net/session.js';
import { FilteredSocket, type FilterCounts } from './krpc-filter.js';

/** A mutable record as bittorrent-dht returned it, after its own verification. */
export interface BtRecord {
  readonly publicKey: Uint8Array;
  readonly salt: Uint8Array;
  readonly seq: bigint;
  /** The bencoded `v`. */
  readonly value: Uint8Array;
  readonly signature: Uint8Array;
}

export interface BtDhtNode {
  readonly port: number;
  /** What the filter let through and dropped. */
  readonly filter: FilterCounts;
  /** Calls of the library's `verify`, by outcome. */
  readonly verifications: { readonly valid: number; readonly invalid: number };
  /** Signs `value` (bencoded) with a key (an Identity or its 32-byte seed) and puts it; resolves with how many nodes stored it. */
  putMutable(key: Identity | Uint8Array, value: Uint8Array, options: { seq: bigint; salt?: Uint8Array; cas?: bigint }): Promise<{ stored: number }>;
  /** The newest verified record of a slot, or undefined when nobody had one. */
  getMutable(publicKey: Uint8Array, salt?: Uint8Array): Promise<BtRecord | undefined>;
  /** `getMutable`, timed (ms, from the call to the end of the lookup). */
  timedGetMutable(publicKey: Uint8Array, salt?: Uint8Array): Promise<{ record: BtRecord | undefined; ms: number }>;
  /** Adds a contact to the routing table (it is pinged first). */
  addNode(node: Endpoint): void;
  /** The contacts in its routing table. */
  routingTable(): Endpoint[];
  close(): Promise<void>;
}

/** The library's JS form of a bencoded value (it encodes objects, Buffers and numbers). */
function toJs(value: BencodeValue): JsBencode {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError('bittorrent-dht holds integers as numbers');
    return Number(value);
  }
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(toJs);
  const object: Record<string, JsBencode> = {};
  for (const [key, item] of value as BencodeDict) {
    const name = textFromBinary(key);
    if (name === undefined || !/^[\x20-\x7e]*$/.test(name)) throw new RangeError('bittorrent-dht encodes dictionary keys as text: use ASCII keys');
    object[name] = toJs(item);
  }
  return object;
}

/** Back from the library's JS form (k-rpc-socket's bencode decodes dictionary keys as UTF-8 text). */
function fromJs(value: JsBencode): BencodeValue {
  if (typeof value === 'number') return BigInt(value);
  if (Buffer.isBuffer(value)) return new Uint8Array(value);
  if (Array.isArray(value)) return (value as readonly JsBencode[]).map(fromJs);
  const dict = new Map<string, BencodeValue>();
  for (const [key, item] of Object.entries(value as Record<string, JsBencode>)) {
    dict.set(binaryFromText(key), fromJs(item));
  }
  return dict;
}

/** Synchronous ed25519 verification with node:crypto; false (never a throw) for anything malformed. */
function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
    return crypto.verify(null, message, key, signature);
  } catch {
    return false;
  }
}

export async function startBtDhtNode(bootstrap: readonly Endpoint[]): Promise<BtDhtNode> {
  if (bootstrap.some((node) => node.host !== '127.0.0.1')) throw new Error('a test DHT node only joins nodes on 127.0.0.1');
  const socket = await FilteredSocket.open();
  const verifications = { valid: 0, invalid: 0 };
  const dht = new DHT({
    // Never the library's default (the public routers): only the local nodes.
    bootstrap: bootstrap.map((node) => ({ host: node.host, port: node.port })),
    socket,
    verify: (signature, message, publicKey) => {
      const valid = verifyEd25519(signature, message, publicKey);
      if (valid) verifications.valid++;
      else verifications.invalid++;
      return valid;
    },
  });
  const errors: Error[] = [];
  dht.on('error', (error: Error) => errors.push(error));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`bittorrent-dht did not bootstrap within 20 s ${errors.map((e) => e.message).join('; ')}`));
    }, 20_000);
    dht.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    dht.listen(0, '127.0.0.1');
  });

  const getMutable = (publicKey: Uint8Array, salt: Uint8Array = new Uint8Array(0)): Promise<BtRecord | undefined> =>
    new Promise((resolve, reject) => {
      const target = Buffer.from(mutableTarget(publicKey, salt));
      // cache: false — always ask the network, never the node's own store.
      dht.get(target, { ...(salt.length > 0 ? { salt: Buffer.from(salt) } : {}), cache: false }, (error: Error | null, reply: GetReply | null) => {
        if (error !== null) {
          reject(error);
          return;
        }
        if (reply?.k === undefined || reply.sig === undefined) {
          resolve(undefined);
          return;
        }
        const value = fromJs(reply.v);
        resolve({
          publicKey: new Uint8Array(reply.k),
          salt: new Uint8Array(salt),
          seq: BigInt(reply.seq ?? 0),
          value: encodeBencode(value),
          signature: new Uint8Array(reply.sig),
        });
      });
    });

  return {
    get port() {
      return socket.address().port;
    },
    get filter() {
      return socket.counts;
    },
    verifications,
    putMutable: (key, value, options) => {
      const salt = options.salt ?? new Uint8Array(0);
      const record = signRecord(key instanceof Identity ? key : Identity.fromSeed(key), { salt, seq: options.seq, value });
      const decoded = decodeBencode(value);
      if (!decoded.ok) throw new RangeError('value must be canonical bencode');
      return new Promise((resolve, reject) => {
        dht.put(
          {
            k: Buffer.from(record.publicKey),
            v: toJs(decoded.value),
            seq: Number(options.seq),
            sig: Buffer.from(record.signature),
            ...(salt.length > 0 ? { salt: Buffer.from(salt) } : {}),
            ...(options.cas === undefined ? {} : { cas: Number(options.cas) }),
          },
          (error, _target, stored) => {
            if (error === null) resolve({ stored });
            else reject(error);
          },
        );
      });
    },
    getMutable,
    timedGetMutable: async (publicKey, salt) => {
      const start = performance.now();
      const record = await getMutable(publicKey, salt);
      return { record, ms: performance.now() - start };
    },
    addNode: (node) => {
      dht.addNode({ host: node.host, port: node.port });
    },
    routingTable: () => dht.toJSON().nodes.map((node) => ({ host: node.host, port: node.port })),
    close: () =>
      new Promise((resolve) => {
        dht.destroy(() => {
          resolve();
        });
      }),
  };
}
