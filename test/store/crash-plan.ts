/** What the crash harness (crash.test.ts) and its child (crash-child.ts) share. */
import crypto from 'node:crypto';
import { decodeBencode, encodeBencode, type BencodeDict } from '../../src/core/bencode.js';
import { signedBytes, type MutableRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { binaryFromText } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { encodeItem } from '../../src/core/item.js';
import { MIGRATIONS, type Migration } from '../../src/store/schema.js';

/** The block list the writer replaces in one big transaction, and how many entries it has. */
export const BLOCK_LIST_KEY = new Uint8Array(32).fill(0xb1);
export const BLOCK_LIST_ENTRIES = 4_000;

/** The keys of the block list made from `listSeed`: the child writes them, the harness recomputes them. */
export function blockListKeys(listSeed: number): Uint8Array[] {
  // One hash, then a counter in the last 4 bytes: quick enough that the writes start at once.
  const base = crypto.createHash('sha256').update(String(listSeed)).digest();
  return Array.from({ length: BLOCK_LIST_ENTRIES }, (_, i) => {
    const key = new Uint8Array(base);
    new DataView(key.buffer).setUint32(28, i);
    return key;
  });
}

/** A digest of a block list's keys, in any order. */
export function blockListDigest(keys: readonly Uint8Array[]): string {
  // node:crypto and Buffer: the child computes this before it may be killed, so it must be quick.
  return crypto.createHash('sha256').update(keys.map((key) => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')).sort().join(',')).digest('hex');
}

/** Rows the first test migration inserts. */
export const BULK_ROWS = 5_000;

/** The real migrations, then two heavy ones (a crash during either must leave one schema or the other). */
export const CRASH_MIGRATIONS: readonly Migration[] = [
  ...MIGRATIONS,
  {
    version: MIGRATIONS.length + 1,
    name: 'test: a big table',
    up: `CREATE TABLE bulk (n INTEGER PRIMARY KEY, payload TEXT NOT NULL);
         WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${BULK_ROWS})
         INSERT INTO bulk SELECT n, hex(randomblob(32)) FROM c;`,
  },
  {
    version: MIGRATIONS.length + 2,
    name: 'test: a new column and an index',
    up: `ALTER TABLE bulk ADD COLUMN extra TEXT NOT NULL DEFAULT 'x';
         UPDATE bulk SET extra = 'y';
         CREATE INDEX bulk_by_payload ON bulk(payload);`,
  },
];

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The node:crypto key of the test identity whose seed is `seedByte` repeated, and its public key. */
function nativeKey(seedByte: number): { key: crypto.KeyObject; publicKey: Uint8Array } {
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.alloc(32, seedByte)]), format: 'der', type: 'pkcs8' });
  return { key, publicKey: new Uint8Array(crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32)) };
}

/** A BEP 46 record of the unsalted slot, signed with node:crypto (see {@link fastItem}); the store verifies it with core. */
export function fastRecord(seedByte: number, seq: bigint, infohash: Uint8Array): MutableRecord {
  const { key, publicKey } = nativeKey(seedByte);
  const value = encodeSitePointer(infohash);
  const salt = new Uint8Array(0);
  return { publicKey, salt, seq, value, signature: new Uint8Array(crypto.sign(null, signedBytes({ salt, seq, value }), key)) };
}

/** The public key of {@link fastRecord}'s identity. */
export function fastPublicKey(seedByte: number): Uint8Array {
  return nativeKey(seedByte).publicKey;
}

/**
 * A valid encoded item signed with node:crypto's native Ed25519 (deterministic, so the
 * bytes are those core would make): the writer makes items without paying for pure-JS
 * signing, and the store still verifies each one with core before it stores it.
 */
export function fastItem(seedByte: number, title: string, text: string, createdMs: number): Uint8Array {
  const { key, publicKey: author } = nativeKey(seedByte);
  const draft = { id: new Uint8Array(32), title, mime: 'text/markdown', body: { kind: 'text', text } as const, related: [], meta: new Map<string, string>(), author, createdMs, signature: new Uint8Array(64) };
  const decoded = decodeBencode(encodeItem(draft));
  if (!decoded.ok) throw new Error(decoded.error.message);
  const unsigned = new Map(decoded.value as BencodeDict);
  unsigned.delete(binaryFromText('id'));
  unsigned.delete(binaryFromText('sig'));
  const id = sha256(encodeBencode(unsigned));
  return encodeItem({ ...draft, id, signature: new Uint8Array(crypto.sign(null, id, key)) });
}
