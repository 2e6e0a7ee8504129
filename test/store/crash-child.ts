/**
 * Test fixture of the crash harness (crash.test.ts): a process that writes to a store
 * without end until it is killed with SIGKILL. It loads everything first and waits for a
 * `{"go": …}` line on stdin, so the harness can start the next child while it checks the
 * last one. Every write is announced (`begin`) before it starts and acknowledged (`ack`)
 * after it committed; a line on a pipe is written synchronously on Linux.
 *
 * Modes: `write` (drafts, items, publishes into DATA) and `migrate` (opens DATA with
 * heavy test migrations after the real ones).
 */
import readline from 'node:readline';
import { toHex } from '../../src/core/bytes.js';
import { verifyItem } from '../../src/store/items.js';
import { MIGRATIONS, type Migration } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { BLOCK_LIST_KEY, blockListKeys, CRASH_MIGRATIONS, fastItem, fastPublicKey, fastRecord, prng } from './crash-plan.js';

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function randomBytes(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Writes forever. */
function writeForever(dataDir: string, seed: number): void {
  const random = prng(seed);
  const store = Store.open({ dataDir });
  const publisher = fastPublicKey(250);
  store.subscribeBlockList(BLOCK_LIST_KEY);
  say({ ready: true });
  for (let n = 0; ; n++) {
    const roll = random();
    if (roll < 0.2) {
      const bytes = fastItem(1 + (seed % 200), `Post ${seed}-${n}`, `Body ${seed}-${n} ${'z'.repeat(Math.floor(random() * 3000))}`, 1_700_000_000_000 + n);
      const checked = verifyItem(bytes);
      if (!checked.ok) throw new Error(checked.error.message);
      const id = toHex(checked.value.item.id);
      say({ begin: 'item', id });
      store.addItems([checked.value]);
      say({ ack: 'item', id, bytes: b64(bytes) });
    } else if (roll < 0.5) {
      const id = `d${seed}-${n}`;
      const bytes = randomBytes(random, Math.floor(random() * 4000));
      say({ begin: 'draft', id });
      store.drafts.save(id, bytes);
      say({ ack: 'draft', id, bytes: b64(bytes) });
    } else if (roll < 0.7) {
      const bytes = randomBytes(random, 1 + Math.floor(random() * 4000));
      say({ begin: 'shared', bytes: b64(bytes) });
      store.drafts.save('shared', bytes);
      say({ ack: 'shared', bytes: b64(bytes) });
    } else if (roll < 0.8) {
      // A big transaction (4,000 rows): after a kill the list must be the old one or the new
      // one, never a mix (a version of the store without the transaction fails here).
      const listSeed = Math.floor(random() * 2 ** 32);
      say({ begin: 'blocklist', listSeed });
      const entries = blockListKeys(listSeed).map((key) => ({ kind: 'author' as const, key }));
      store.setBlockListEntries(BLOCK_LIST_KEY, entries);
      say({ ack: 'blocklist', listSeed });
    } else if (roll < 0.92) {
      const seq = (store.localSeq(publisher) ?? -1n) + 1n;
      const infohash = randomBytes(random, 20);
      say({ begin: 'reserve', seq: seq.toString() });
      const outboxId = store.reservePublish(fastRecord(250, seq, infohash));
      say({ ack: 'reserve', outboxId, seq: seq.toString(), infohash: toHex(infohash) });
    } else {
      const pending = store.pendingPublishes();
      const target = pending[Math.floor(random() * pending.length)];
      if (target === undefined) continue;
      say({ begin: 'confirm', outboxId: target.id });
      store.confirmPublish(target.id);
      say({ ack: 'confirm', outboxId: target.id });
    }
  }
}

function migrateOnce(dataDir: string): void {
  say({ opening: true });
  const store = Store.open({ dataDir, migrations: CRASH_MIGRATIONS });
  say({ ack: 'migrated', version: store.durability().schemaVersion });
  store.close();
  process.exit(0); // stdin stays open: end here
}

/** Opens DATA with a last migration that writes, says so, and never ends: the harness kills it there. */
function stallInMigration(dataDir: string): void {
  const stalling: Migration = {
    version: MIGRATIONS.length + 1,
    name: 'test: stalls half way',
    up: (db) => {
      // More than SQLite's page cache (2 MB by default), so pages are spilled before the commit.
      db.exec(`CREATE TABLE stalled (x INTEGER, payload BLOB);
               WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 40000)
               INSERT INTO stalled SELECT n, randomblob(100) FROM c;`);
      say({ inside: true });
      for (;;) {
        // spin until SIGKILL, inside the migration's transaction
      }
    },
  };
  Store.open({ dataDir, migrations: [...MIGRATIONS, stalling] });
}

const [mode, dataDir] = process.argv.slice(2);
if (mode !== undefined && dataDir !== undefined) {
  // Warm the JIT on verifying before the go (nothing touches the store yet), so that the
  // random kill window holds writes rather than first-call compilation.
  if (!verifyItem(fastItem(99, 'warm-up', 'text', 0)).ok) throw new Error('the warm-up item does not verify');
  const lines = readline.createInterface({ input: process.stdin });
  say({ warm: true });
  lines.once('line', (line) => {
    lines.close();
    const { seed } = JSON.parse(line) as { seed: number };
    if (mode === 'write') writeForever(dataDir, seed);
    else if (mode === 'stall') stallInMigration(dataDir);
    else migrateOnce(dataDir);
  });
}
