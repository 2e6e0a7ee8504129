/**
 * The crash harness (issue #6): a child process writes drafts, items and publishes (or
 * runs migrations) and is killed with SIGKILL at a random moment; after every kill the
 * store is opened again and every acknowledged write must be there byte for byte, and
 * `PRAGMA integrity_check` must say ok. SWARMPRESS_CRASH_ROUNDS sets the number of
 * rounds (default 200); SWARMPRESS_CRASH_SEED replays a run.
 *
 * To keep 200 rounds fast, children are started ahead ("warm": loaded, waiting for a
 * `go` line) while the harness checks the previous round; a warm child touches nothing
 * before its `go`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { keptSeq } from '../../src/store/kept-state.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { Store } from '../../src/store/store.js';
import { Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { BLOCK_LIST_KEY, blockListDigest, blockListKeys, BULK_ROWS, CRASH_MIGRATIONS, prng } from './crash-plan.js';
import { MIGRATIONS } from '../../src/store/schema.js';

const ROUNDS = Number(process.env['SWARMPRESS_CRASH_ROUNDS'] ?? 200);
const SEED = Number(process.env['SWARMPRESS_CRASH_SEED'] ?? Date.now() % 1_000_000);
const CHILD = new URL('./crash-child.js', import.meta.url).pathname;
/** Children kept loaded ahead of time. */
const WARM_CHILDREN = 3;
/** Every 4th round migrates instead of writing. */
const MIGRATE_EVERY = 4;

let root: string;
before(() => {
  root = makeTempDir('swarmpress-crash-');
});
after(() => {
  removeDir(root);
});

/** What the harness knows was acknowledged, across rounds. */
class Expected {
  readonly items = new Map<string, string>();
  readonly drafts = new Map<string, string>();
  /** The shared draft: its acknowledged value, and values begun after it (any may be on disk). */
  shared: string | undefined;
  /** Outbox entries acknowledged and not (begun to be) confirmed: id -> `seq infohash`. */
  readonly pending = new Map<number, string>();
  readonly confirmed = new Set<number>();
  maxSeq = -1n;
  /** The digest of the block list last acknowledged (of no entries before the first). */
  blockList = blockListDigest([]);

  /** Reads the acknowledgements of one round; returns the shared-draft values begun since the last ack. */
  absorb(messages: readonly Message[]): { shared: string[]; blockLists: string[] } {
    let begunShared: string[] = [];
    let begunLists: string[] = [];
    for (const m of messages) {
      if (m['begin'] === 'shared') begunShared.push(String(m['bytes']));
      if (m['begin'] === 'blocklist') begunLists.push(blockListDigest(blockListKeys(Number(m['listSeed']))));
      if (m['begin'] === 'confirm') this.pending.delete(Number(m['outboxId']));
      switch (m['ack']) {
        case 'item':
          this.items.set(String(m['id']), String(m['bytes']));
          break;
        case 'draft':
          this.drafts.set(String(m['id']), String(m['bytes']));
          break;
        case 'shared':
          this.shared = String(m['bytes']);
          begunShared = [];
          break;
        case 'reserve':
          this.pending.set(Number(m['outboxId']), `${String(m['seq'])} ${String(m['infohash'])}`);
          if (BigInt(String(m['seq'])) > this.maxSeq) this.maxSeq = BigInt(String(m['seq']));
          break;
        case 'confirm':
          this.confirmed.add(Number(m['outboxId']));
          break;
        case 'blocklist':
          this.blockList = blockListDigest(blockListKeys(Number(m['listSeed'])));
          begunLists = [];
          break;
        default:
          break;
      }
    }
    return { shared: begunShared, blockLists: begunLists };
  }
}

function b64(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('base64');
}

function checkWrites(dataDir: string, expected: Expected, begun: { shared: readonly string[]; blockLists: readonly string[] }, what: string): void {
  // quick_check on open is a subset of the integrity_check below: skip it here.
  const store = Store.open({ dataDir, quickCheck: false });
  try {
    assert.deepEqual(store.integrityCheck(), ['ok'], what);
    assert.equal(store.recovery, undefined, `${what}: the database needed no recovery`);
    for (const [id, bytes] of expected.items) assert.equal(b64(store.itemBytes(Buffer.from(id, 'hex'))), bytes, `${what}: item ${id}`);
    for (const [id, bytes] of expected.drafts) assert.equal(b64(store.drafts.load(id)?.bytes), bytes, `${what}: draft ${id}`);
    const shared = b64(store.drafts.load('shared')?.bytes);
    const allowed = [expected.shared, ...begun.shared];
    assert.ok(allowed.includes(shared), `${what}: the shared draft is neither the acknowledged value nor one begun after it`);
    expected.shared = shared;
    const pending = new Map(store.pendingPublishes().map((p) => [p.id, `${p.record.seq.toString()} ${toHex(p.infohash)}`]));
    for (const [id, entry] of expected.pending) assert.equal(pending.get(id), entry, `${what}: outbox entry ${id}`);
    for (const id of expected.confirmed) assert.equal(pending.has(id), false, `${what}: confirmed entry ${id} is still in the outbox`);
    const listed = store.blocks().filter((entry) => entry.listKey !== undefined && toHex(entry.listKey) === toHex(BLOCK_LIST_KEY));
    const digest = blockListDigest(listed.map((entry) => entry.key));
    assert.ok([expected.blockList, ...begun.blockLists].includes(digest), `${what}: the block list (${listed.length} entries) is neither the acknowledged one nor one begun after it`);
    expected.blockList = digest;
    const publisher = store.sites().find((site) => site.isOwn);
    if (expected.maxSeq >= 0n) assert.ok((publisher?.slots[0]?.lastSeq ?? -1n) >= expected.maxSeq, `${what}: the reserved seq went back`);
    // And beside the index (kept-state.ts), so that losing the index never lets a seq be signed again.
    if (expected.maxSeq >= 0n && publisher !== undefined) {
      assert.ok((keptSeq(dataDir, publisher.key, new Uint8Array(0)) ?? -1n) >= expected.maxSeq, `${what}: the reserved seq is not kept beside the index`);
    }
    // What was committed without an ack is now known state.
    expected.pending.clear();
    for (const [id, entry] of pending) expected.pending.set(id, entry);
  } finally {
    store.close();
  }
}

/** The migration database holds the schema of one version exactly, never a mix. */
function checkMigrations(dataDir: string, acknowledged: number | undefined, what: string): number {
  const file = path.join(dataDir, 'index.sqlite');
  if (!fs.existsSync(file)) return 0;
  const db = openSqlite(file);
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    assert.deepEqual(db.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }], what);
    if (acknowledged !== undefined) assert.equal(version, acknowledged, `${what}: an acknowledged migration was lost`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')").all() as { name: string }[]).map((r) => r.name));
    assert.equal(tables.has('items'), version >= 1, `${what}: v1 tables at version ${version}`);
    assert.equal(tables.has('items_fts'), version >= 2, `${what}: v2 search at version ${version}`);
    assert.equal(tables.has('bulk'), version >= MIGRATIONS.length + 1, `${what}: bulk table at version ${version}`);
    assert.equal(tables.has('bulk_by_payload'), version >= MIGRATIONS.length + 2, `${what}: bulk index at version ${version}`);
    if (tables.has('bulk')) {
      assert.equal((db.prepare('SELECT count(*) AS n FROM bulk').get() as { n: number }).n, BULK_ROWS, `${what}: bulk rows`);
      const extra = db.prepare("SELECT count(*) AS n FROM pragma_table_info('bulk') WHERE name = 'extra'").get() as { n: number };
      assert.equal(extra.n === 1, version >= MIGRATIONS.length + 2, `${what}: extra column at version ${version}`);
      if (extra.n === 1) assert.equal((db.prepare("SELECT count(*) AS n FROM bulk WHERE extra <> 'y'").get() as { n: number }).n, 0, what);
    }
    return version;
  } finally {
    db.close();
  }
}

interface Warm {
  readonly child: Driven;
  readonly mode: 'write' | 'migrate';
}

test(`SIGKILL at random moments, ${ROUNDS} rounds (seed ${SEED}): every acknowledged write survives, byte for byte`, async () => {
  const random = prng(SEED);
  const writeDir = path.join(root, 'write');
  const migrateDir = path.join(root, 'migrate');
  const expected = new Expected();
  const modeOf = (round: number): 'write' | 'migrate' => (round % MIGRATE_EVERY === MIGRATE_EVERY - 1 ? 'migrate' : 'write');
  const spawnWarm = (round: number): Warm => {
    const mode = modeOf(round);
    return { mode, child: new Driven(process.execPath, [CHILD, mode, mode === 'write' ? writeDir : migrateDir]) };
  };
  const warm: Warm[] = [];
  for (let i = 0; i < Math.min(WARM_CHILDREN, ROUNDS); i++) warm.push(spawnWarm(i));
  let acks = 0;
  const begunByOp = new Map<string, number>();
  const ackedByOp = new Map<string, number>();
  let migrationsCompleted = 0;
  let killedMidMigration = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const current = warm.shift();
      if (current === undefined) throw new Error('no warm child');
      if (round + WARM_CHILDREN < ROUNDS) warm.push(spawnWarm(round + WARM_CHILDREN));
      const { child, mode } = current;
      const what = `round ${round} (${mode}, seed ${SEED})`;
      await child.waitFor((m) => m['warm'] === true, `${what}: the child to load`, 60_000);
      child.send({ seed: Math.floor(random() * 1e9) });
      await child.waitFor((m) => m['ready'] === true || m['opening'] === true, `${what}: the child to start`, 60_000);
      // The random moment: 0-60 ms into the writes, 0-80 ms into the migrations (they take
      // ~50 ms here). Every 5th migration round runs to its end, however loaded the machine.
      const letFinish = mode === 'migrate' && round % (MIGRATE_EVERY * 5) === MIGRATE_EVERY * 5 - 1;
      const delayMs = Math.floor(random() * (mode === 'write' ? 60 : 80));
      if (!letFinish) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          void child.exited.then(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        child.child.kill('SIGKILL');
      }
      const exit = await child.waitExit(60_000);
      if (mode === 'write') {
        assert.equal(exit.signal, 'SIGKILL', `${what}: the writer ended by itself: ${child.stderr}`);
        const begun = expected.absorb(child.messages);
        acks += child.messages.filter((m) => m['ack'] !== undefined).length;
        for (const m of child.messages) {
          const begin = m['begin'];
          const ack = m['ack'];
          if (typeof begin === 'string') begunByOp.set(begin, (begunByOp.get(begin) ?? 0) + 1);
          if (typeof ack === 'string') ackedByOp.set(ack, (ackedByOp.get(ack) ?? 0) + 1);
        }
        checkWrites(writeDir, expected, begun, what);
      } else {
        const done = child.messages.find((m) => m['ack'] === 'migrated');
        assert.ok(exit.signal === 'SIGKILL' || done !== undefined, `${what}: the migration failed: ${child.stderr}`);
        const version = checkMigrations(migrateDir, done === undefined ? undefined : Number(done['version']), what);
        if (version === CRASH_MIGRATIONS.length) {
          migrationsCompleted += 1;
          fs.rmSync(migrateDir, { recursive: true, force: true }); // start over from an empty database
        } else {
          killedMidMigration += 1;
        }
      }
    }
  } finally {
    for (const { child } of warm) child.child.kill('SIGKILL');
  }
  // The harness must really have crashed writers mid-stream and migrations mid-way.
  // (Thresholds low enough for a loaded machine, where fewer writes fit in a kill window.)
  const interrupted = [...begunByOp].reduce((sum, [op, begun]) => sum + begun - (ackedByOp.get(op) ?? 0), 0);
  assert.ok(acks >= ROUNDS / 10, `only ${acks} acknowledged writes in ${ROUNDS} rounds`);
  assert.ok(interrupted >= ROUNDS / 20, `only ${interrupted} writes were interrupted by a kill`);
  if (ROUNDS >= MIGRATE_EVERY * 5) assert.ok(migrationsCompleted > 0, 'no migration round ever finished');
  if (ROUNDS >= 100) assert.ok(killedMidMigration > 0, 'no round killed a migration before it finished');
  const byOp = [...begunByOp].map(([op, begun]) => `${op} ${ackedByOp.get(op) ?? 0}/${begun}`).join(', ');
  const cpu = process.cpuUsage();
  process.stderr.write(`crash harness: harness CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms; ${ROUNDS} rounds, ${acks} acknowledged writes (acknowledged/begun: ${byOp}), migrations: ${migrationsCompleted} completed, ${killedMidMigration} killed before the end\n`);
});

test('killed inside a migration: the schema before it, intact, and the next open migrates', async () => {
  const dataDir = path.join(root, 'stall');
  Store.open({ dataDir }).close();
  const child = new Driven(process.execPath, [CHILD, 'stall', dataDir]);
  await child.waitFor((m) => m['warm'] === true, 'the child to load', 60_000);
  child.send({ seed: 1 });
  await child.waitFor((m) => m['inside'] === true, 'the child to be inside the migration', 60_000);
  child.child.kill('SIGKILL');
  assert.equal((await child.waitExit()).signal, 'SIGKILL');
  const db = openSqlite(path.join(dataDir, 'index.sqlite'));
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'stalled'").all(), []);
    assert.deepEqual(db.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }]);
  } finally {
    db.close();
  }
  const store = Store.open({ dataDir });
  assert.equal(store.durability().schemaVersion, MIGRATIONS.length);
  store.close();
});
