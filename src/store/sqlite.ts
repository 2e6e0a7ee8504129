/**
 * The typed contract of better-sqlite3 (FACTS.md: 12.x), the one place that loads it.
 * The package ships no types; this declares exactly the part swarmpress uses, the way
 * zeromq.js keeps its native surface in one `native.ts`. Everything is synchronous and
 * runs on the calling thread; a `Database` belongs to the thread that opened it.
 */
import { createRequire } from 'node:module';

/** A value SQLite binds or returns: BLOBs come back as Buffers, integers as numbers (or bigints on a safe-integer statement). */
export type SqlValue = number | bigint | string | Uint8Array | null;

/** What `run` reports. */
export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement. Parameters bind positionally (`?`) or by name (`@name` from an object). */
export interface Statement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Returns integers of this statement as bigints (BEP 44 `seq` reaches 2^63-1). */
  safeIntegers(on?: boolean): this;
  /** Returns the first column only. */
  pluck(on?: boolean): this;
}

/** An open database connection. */
export interface Database {
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly name: string;
  prepare(sql: string): Statement;
  exec(sql: string): this;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in BEGIN/COMMIT (SAVEPOINT when nested); a throw rolls back. */
  transaction<Args extends unknown[], R>(fn: (...args: Args) => R): ((...args: Args) => R) & { immediate: (...args: Args) => R };
  close(): this;
}

/** Options of `new Database(file, options)`. */
export interface OpenOptions {
  readonly readonly?: boolean;
  readonly fileMustExist?: boolean;
  /** SQLite's busy timeout, in milliseconds (default 5000). */
  readonly timeout?: number;
}

interface DatabaseConstructor {
  new (filename: string, options?: OpenOptions): Database;
  readonly SqliteError: new (...args: never[]) => Error & { readonly code: string };
}

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;

/** Opens (creating unless `fileMustExist`) the SQLite database at `filename`. Throws SqliteError or a TypeError. */
export function openSqlite(filename: string, options: OpenOptions = {}): Database {
  return new BetterSqlite3(filename, options);
}

/** The SQLite error code (`SQLITE_BUSY`, `SQLITE_FULL`, …) when `error` came from SQLite, else `undefined`. */
export function sqliteCode(error: unknown): string | undefined {
  return error instanceof BetterSqlite3.SqliteError ? error.code : undefined;
}
