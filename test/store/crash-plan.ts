/** What the crash harness (crash.test.ts) and its child (crash-child.ts) share. */
import crypto from 'node:crypto';
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

