/**
 * Opening the index database durably: the pragmas set and asserted on every open
 * (FACTS.md: better-sqlite3 reopens a WAL database with synchronous=NORMAL unless told
 * again), a quick check when there is a reason to doubt the file, and the migrations of
 * schema.ts, each in its own IMMEDIATE transaction with its `user_version`.
 *
 * When to check: `PRAGMA quick_check` reads the whole file (35 ms for the 10 MB index of a
 * 1,000-post site, warm; it grows with everything stored), so it does not run on every
 * start. A clean close leaves a stamp beside the file (`index.sqlite-clean`: its size,
 * inode, mtime and ctime then, a hash of its first page, and when it was last checked);
 * the next open takes the stamp away at once and checks unless the file is exactly as the
 * stamp says, no WAL is left over, and the last check is less than
 * {@link RECHECK_AFTER_MS} old. A crash, a kill, another program writing the file, or a
 * day gone by: checked.
 *
 * The ctime is what makes "exactly as the stamp says" hold: any write through the file
 * system sets it to the time of the write, and no call sets it back (utimes(2) sets the
 * mtime the caller asks for, and the ctime to now). So bytes changed in place and the
 * mtime put back (2,000 flipped bytes went undetected that way: issue #25 item 12) are
 * checked. The first page's hash catches the same in the header even where the ctime is
 * coarse. Both cost one stat and one 4 KiB read: no figure grows with the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { MIGRATIONS, type Migration } from './schema.js';
import { openSqlite, type Database, type Statement } from './sqlite.js';
import { StoreError, toStoreError } from './store-error.js';

/** How long a statement waits for another process's lock before `ERR_STORE_LOCKED`, by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** `PRAGMA synchronous` value of FULL (SQLite documentation). */
const SYNCHRONOUS_FULL = 2;

/** Options of {@link openIndexDatabase}. */
export interface DatabaseOptions {
  readonly busyTimeoutMs?: number;
  /** The schema steps; tests pass their own to exercise migrations. Default: schema.ts. */
  readonly migrations?: readonly Migration[];
  /**
   * `PRAGMA quick_check` on open, so that a damaged file is found at once, not mid-session:
   * always (true), never (false), or when the file may have changed since it was last
   * checked ('if-doubtful', the default; see the module comment).
   */
  readonly quickCheck?: boolean | 'if-doubtful';
  /** The clock (ms since the epoch), for the age of the last check. */
  readonly now?: () => number;
}

/** The longest a file that was closed cleanly and not touched since goes without a quick check. */
export const RECHECK_AFTER_MS = 24 * 60 * 60 * 1000;

interface CleanStamp {
  readonly size: number;
  readonly ino: number;
  /** mtime and ctime in nanoseconds (decimal strings: exact). */
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  /** SHA-256 (hex) of the first {@link HEAD_BYTES} bytes. */
  readonly head: string;
  /** When quick_check last found the file sound (ms since the epoch). */
  readonly checkedMs: number;
}

/** Bytes at the start of the file hashed into the stamp: SQLite's header and first page (at the default page size). */
const HEAD_BYTES = 4096;

/** What the stamp records of `file` now (its checkedMs aside). */
function fileState(file: string): Omit<CleanStamp, 'checkedMs'> {
  const stat = fs.statSync(file, { bigint: true });
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const head = Buffer.alloc(HEAD_BYTES);
  let length: number;
  try {
    length = fs.readSync(fd, head, 0, HEAD_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  return {
    size: Number(stat.size),
    ino: Number(stat.ino),
    mtimeNs: stat.mtimeNs.toString(),
    ctimeNs: stat.ctimeNs.toString(),
    head: crypto.createHash('sha256').update(head.subarray(0, length)).digest('hex'),
  };
}

/** When each open database was last checked (for the stamp its clean close leaves). */
const lastChecked = new WeakMap<Database, number>();
/** The open databases quick_check ran on when they were opened. */
const checkedOnOpen = new WeakSet<Database>();

/** Whether `PRAGMA quick_check` ran when `db` was opened (false: trusted, or checks off). */
export function wasCheckedOnOpen(db: Database): boolean {
  return checkedOnOpen.has(db);
}

function stampFile(file: string): string {
  return `${file}-clean`;
}

/** Reads and removes the stamp of a clean close; undefined when there is none or it is unreadable. */
function takeStamp(file: string): CleanStamp | undefined {
  const stamp = readStamp(file);
  fs.rmSync(stampFile(file), { force: true });
  return stamp;
}

/** The stamp of a clean close, left in place; undefined when there is none or it is unreadable. */
function readStamp(file: string): CleanStamp | undefined {
  let text: string;
  try {
    text = fs.readFileSync(stampFile(file), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<CleanStamp>;
    const { size, ino, mtimeNs, ctimeNs, head, checkedMs } = value;
    if (typeof size !== 'number' || typeof ino !== 'number' || typeof checkedMs !== 'number') return undefined;
    if (typeof mtimeNs !== 'string' || typeof ctimeNs !== 'string' || typeof head !== 'string') return undefined;
    return { size, ino, mtimeNs, ctimeNs, head, checkedMs };
  } catch {
    return undefined;
  }
}

/**
 * Whether opening `file` now will be quick: it is exactly as a clean close left it, with a
 * check recent enough, so no quick_check (nor repair) runs. Changes nothing.
 */
export function opensWithoutCheck(file: string, nowMs: number = Date.now()): boolean {
  return unchangedSinceChecked(file, readStamp(file), nowMs);
}

/** Whether the file is exactly as a clean close left it, with a check recent enough. */
function unchangedSinceChecked(file: string, stamp: CleanStamp | undefined, nowMs: number): boolean {
  if (stamp === undefined || nowMs - stamp.checkedMs >= RECHECK_AFTER_MS || stamp.checkedMs > nowMs) return false;
  try {
    const now = fileState(file);
    if (now.size !== stamp.size || now.ino !== stamp.ino || now.mtimeNs !== stamp.mtimeNs || now.ctimeNs !== stamp.ctimeNs || now.head !== stamp.head) return false;
  } catch {
    return false;
  }
  try {
    return fs.statSync(`${file}-wal`).size === 0;
  } catch {
    return true; // no WAL left over
  }
}

/**
 * Closes a database opened by {@link openIndexDatabase}. When it was the last connection
 * (SQLite then checkpoints and removes the WAL), leaves the stamp of a clean close.
 */
export function closeIndexDatabase(db: Database): void {
  if (!db.open) return;
  const file = db.name;
  const checkedMs = lastChecked.get(db);
  db.close();
  if (checkedMs === undefined || fs.existsSync(`${file}-wal`)) return;
  try {
    const stamp: CleanStamp = { ...fileState(file), checkedMs };
    writeFileAtomic(stampFile(file), new TextEncoder().encode(JSON.stringify(stamp)));
  } catch {
    // No stamp: the next open checks the file.
  }
}

function requireMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new RangeError(`migration ${index} must have version ${index + 1}, not ${migration.version}`);
  });
}

/** Sets the durability pragmas and checks that SQLite took them (ERR_STORE_PRAGMA otherwise). */
export function applyDurabilityPragmas(db: Database): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  db.pragma(`synchronous = ${SYNCHRONOUS_FULL}`);
  db.pragma('foreign_keys = ON');
  // Schema from disk is data, not code: no SQL functions with side effects in views or triggers.
  db.pragma('trusted_schema = OFF');
  const actual = {
    journal_mode: mode,
    synchronous: db.pragma('synchronous', { simple: true }),
    foreign_keys: db.pragma('foreign_keys', { simple: true }),
  };
  if (actual.journal_mode !== 'wal' || actual.synchronous !== SYNCHRONOUS_FULL || actual.foreign_keys !== 1) {
    throw new StoreError('ERR_STORE_PRAGMA', `SQLite did not keep the durability settings of ${db.name}: ${JSON.stringify(actual)}`);
  }
}

/** The `user_version` of `db`. */
export function schemaVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings `db` to the last version of `migrations`. Each step and its `user_version` commit
 * together; the version is read again inside the transaction, so two processes opening
 * one database at once never run a step twice.
 */
export function migrate(db: Database, migrations: readonly Migration[]): void {
  requireMigrations(migrations);
  const latest = migrations.length;
  const found = schemaVersion(db);
  if (found > latest) {
    throw new StoreError('ERR_STORE_SCHEMA_NEWER', `${db.name} has schema version ${found}, newer than this swarmpress's ${latest}: it was written by a newer swarmpress`);
  }
  for (const migration of migrations.slice(found)) {
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** Refuses a data folder or database file that cannot be written, with the reason. */
function requireWritable(file: string): void {
  for (const target of [path.dirname(file), file]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && target === file) continue;
      throw new StoreError('ERR_STORE_READ_ONLY', `cannot open the index database ${file}: ${target} cannot be written (${code ?? 'error'}); check its permissions and whether the disk is mounted read-only`, { cause: error });
    }
  }
}

/**
 * Creates `file` empty and 0600 if it does not exist, so that SQLite (which gives its WAL
 * and shared-memory files the database's mode) never makes the index readable by others
 * under a loose umask: it says what the user reads and whom they follow or block.
 */
function createPrivate(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Opens (creating) the index database at `file`, durable and migrated. Throws StoreError:
 * `ERR_STORE_READ_ONLY`, `ERR_STORE_LOCKED`, `ERR_STORE_CORRUPT`, `ERR_STORE_SCHEMA_NEWER`,
 * `ERR_STORE_PRAGMA`, `ERR_STORE_DISK_FULL` or `ERR_STORE_IO`. The caller owns the result.
 */
export function openIndexDatabase(file: string, options: DatabaseOptions = {}): Database {
  requireWritable(file);
  let db: Database | undefined;
  try {
    const mode = options.quickCheck ?? 'if-doubtful';
    const nowMs = (options.now ?? Date.now)();
    // Taken before the file is opened: if this session ends in a crash, the next one checks.
    const stamp = mode === 'if-doubtful' ? takeStamp(file) : undefined;
    const trusted = mode === 'if-doubtful' && unchangedSinceChecked(file, stamp, nowMs);
    createPrivate(file);
    db = openSqlite(file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    applyDurabilityPragmas(db);
    if (mode !== false && !trusted) {
      const problems = (db.prepare('PRAGMA quick_check').pluck().all() as string[]).filter((line) => line !== 'ok');
      if (problems.length > 0) throw new StoreError('ERR_STORE_CORRUPT', `the index database ${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
      checkedOnOpen.add(db);
    }
    migrate(db, options.migrations ?? MIGRATIONS);
    if (trusted && stamp !== undefined) lastChecked.set(db, stamp.checkedMs);
    else if (mode !== false) lastChecked.set(db, nowMs);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, 'open the index database', file);
  }
}

/** Prepared statements of one database, prepared once each (better-sqlite3 prepares are not free). */
export class Statements {
  readonly db: Database;
  readonly #cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.db = db;
  }

  /** The prepared statement of `sql`. */
  get(sql: string): Statement {
    let statement = this.#cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
