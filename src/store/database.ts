/**
 * Opening the index database durably: the pragmas set and asserted on every open
 * (FACTS.md: better-sqlite3 reopens a WAL database with synchronous=NORMAL unless told
 * again), an optional quick check, and the migrations of schema.ts, each in its own
 * IMMEDIATE transaction with its `user_version`.
 */
import fs from 'node:fs';
import path from 'node:path';
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
  /** Run `PRAGMA quick_check` on open (default true): a damaged file is found at once, not mid-session. */
  readonly quickCheck?: boolean;
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
 * Opens (creating) the index database at `file`, durable and migrated. Throws StoreError:
 * `ERR_STORE_READ_ONLY`, `ERR_STORE_LOCKED`, `ERR_STORE_CORRUPT`, `ERR_STORE_SCHEMA_NEWER`,
 * `ERR_STORE_PRAGMA`, `ERR_STORE_DISK_FULL` or `ERR_STORE_IO`. The caller owns the result.
 */
export function openIndexDatabase(file: string, options: DatabaseOptions = {}): Database {
  requireWritable(file);
  let db: Database | undefined;
  try {
    db = openSqlite(file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    applyDurabilityPragmas(db);
    if (options.quickCheck ?? true) {
      const problems = (db.prepare('PRAGMA quick_check').pluck().all() as string[]).filter((line) => line !== 'ok');
      if (problems.length > 0) throw new StoreError('ERR_STORE_CORRUPT', `the index database ${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
    }
    migrate(db, options.migrations ?? MIGRATIONS);
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
