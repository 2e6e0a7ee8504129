/**
 * Errors of the local store (STYLE.md "Errors"): a {@link StoreError} with a stable code
 * that callers switch on, and a message that says which file and what to do. SQLite's own
 * errors never leave the store raw: {@link toStoreError} maps them here.
 */
import { AppError } from '../core/errors.js';
import { sqliteCode } from './sqlite.js';

/** Why the store could not do what it was asked. */
export type StoreErrorCode =
  /** Another process holds the database (a write lock, or exclusive locking mode) longer than the busy timeout. */
  | 'ERR_STORE_LOCKED'
  /** The disk (or the quota) is full: nothing of the failed write was kept. */
  | 'ERR_STORE_DISK_FULL'
  /** The data folder or the database file cannot be written. */
  | 'ERR_STORE_READ_ONLY'
  /** The database file is damaged (not a database, or failed its checks). */
  | 'ERR_STORE_CORRUPT'
  /** The database was written by a newer swarmpress (a higher schema version). */
  | 'ERR_STORE_SCHEMA_NEWER'
  /** A durability pragma did not take effect (journal_mode, synchronous, foreign_keys). */
  | 'ERR_STORE_PRAGMA'
  /** The store was used after `close()`. */
  | 'ERR_STORE_CLOSED'
  /** Any other I/O failure of the database or of a file of the store. */
  | 'ERR_STORE_IO'
  /** A write the store refuses by its rules (e.g. a publish whose seq does not increase). */
  | 'ERR_STORE_CONFLICT'
  /** A key file is readable by others, not a regular file, or owned by someone else. */
  | 'ERR_KEY_PERMISSIONS'
  /** An import or a creation would replace an identity that has no backup. */
  | 'ERR_IDENTITY_EXISTS';

/**
 * A failure of the local store; `code` is a {@link StoreErrorCode}, or one of core's
 * `KeyFileErrorCode`s (`ERR_KEY_FILE_MISSING`, `ERR_KEY_FILE_CHECKSUM`, …) for a key file.
 */
export class StoreError extends AppError {
  declare readonly code: StoreErrorCode | (string & {});
}

/** SQLite result codes (primary, before the first `_` of an extended code) and what they mean to a user. */
const BY_SQLITE_CODE: Readonly<Record<string, StoreErrorCode>> = {
  SQLITE_BUSY: 'ERR_STORE_LOCKED',
  SQLITE_LOCKED: 'ERR_STORE_LOCKED',
  SQLITE_FULL: 'ERR_STORE_DISK_FULL',
  SQLITE_READONLY: 'ERR_STORE_READ_ONLY',
  SQLITE_CORRUPT: 'ERR_STORE_CORRUPT',
  SQLITE_NOTADB: 'ERR_STORE_CORRUPT',
  SQLITE_CANTOPEN: 'ERR_STORE_IO',
  SQLITE_IOERR: 'ERR_STORE_IO',
};

const ADVICE: Readonly<Record<StoreErrorCode, string>> = {
  ERR_STORE_LOCKED: 'another swarmpress (or another program) is using it; close that one and try again',
  ERR_STORE_DISK_FULL: 'the disk is full; free some space and try again (nothing of this write was kept)',
  ERR_STORE_READ_ONLY: 'it cannot be written; check the folder, its permissions and whether the disk is mounted read-only',
  ERR_STORE_CORRUPT: 'the database file is damaged',
  ERR_STORE_SCHEMA_NEWER: 'it was written by a newer swarmpress; use that version',
  ERR_STORE_PRAGMA: 'SQLite refused a durability setting',
  ERR_STORE_CLOSED: 'the store is closed',
  ERR_STORE_IO: 'the disk reported an error',
  ERR_STORE_CONFLICT: 'the store refused the write',
  ERR_KEY_PERMISSIONS: 'the key file is not private',
  ERR_IDENTITY_EXISTS: 'this data folder already has another identity',
};

/** Words for file-system errors that the store codes would describe badly. */
const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  ENOENT: 'it, or a folder on its path, does not exist',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it exists already',
};

/** The store code of a SQLite error code such as `SQLITE_IOERR_WRITE`, or `undefined`. */
export function storeCodeOfSqlite(code: string): StoreErrorCode | undefined {
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  return BY_SQLITE_CODE[primary];
}

/** The file-system errno codes that mean the same as a store code. */
function storeCodeOfErrno(code: string | undefined): StoreErrorCode | undefined {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'ERR_STORE_DISK_FULL';
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return 'ERR_STORE_READ_ONLY';
    case undefined:
      return undefined;
    default:
      return 'ERR_STORE_IO';
  }
}

/**
 * Turns an error thrown while `doing` something with `file` into a StoreError with a clear
 * message (`could not save the draft: /x/drafts is read-only (EROFS): …`). A StoreError is
 * returned unchanged; an error that is neither from SQLite nor from the file system (a
 * programmer error, including SQLite's SQLITE_ERROR and SQLITE_CONSTRAINT) is returned
 * unchanged too.
 */
export function toStoreError(error: unknown, doing: string, file: string): unknown {
  if (error instanceof StoreError) return error;
  const sqlite = sqliteCode(error);
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = sqlite !== undefined ? storeCodeOfSqlite(sqlite) : storeCodeOfErrno(typeof errno === 'string' ? errno : undefined);
  if (code === undefined) return error;
  const detail = sqlite ?? errno ?? 'error';
  const advice = (typeof errno === 'string' ? ERRNO_ADVICE[errno] : undefined) ?? ADVICE[code];
  return new StoreError(code, `could not ${doing}: ${file}: ${advice} (${detail})`, { cause: error });
}
