/** What the crash harness (crash.test.ts) and its child (crash-child.ts) share. */
import { MIGRATIONS, type Migration } from '../../src/store/schema.js';

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

