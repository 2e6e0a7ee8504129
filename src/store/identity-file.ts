/**
 * The author's identity key as a file in the data folder: `keys/identity.key`, in core's
 * key file format (identity.ts `formatKeyFile`), 0600 in a 0700 folder, written
 * atomically (atomic-file.ts).
 *
 * Rules, so that an author is never split in two or lost by accident:
 * - a missing or corrupt key is an error ({@link loadIdentity}), never a new identity;
 *   only {@link createIdentity} makes one, and it refuses when a key file exists;
 * - a key file (or its folder) that others can read, that is not a regular file, or that
 *   another user owns is refused (`ERR_KEY_PERMISSIONS`), as ssh refuses such keys;
 * - {@link importIdentity} installs a backup. It never destroys a secret key: importing
 *   the identity already installed changes nothing; replacing a *different* identity is
 *   refused unless that identity was exported first ({@link exportIdentity} records it),
 *   and then the replaced key is kept in `keys/retired/`; a corrupt key file is moved
 *   aside (`identity.key.corrupt-<time>`) and replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { toHex, utf8 } from '../core/bytes.js';
import { formatKeyFile, generateIdentity, MAX_KEY_FILE_BYTES, parseKeyFile, SEED_BYTES, type Identity } from '../core/identity.js';
import { createFileAtomic, syncDir, writeFileAtomic } from './atomic-file.js';
import { StoreError, toStoreError } from './store-error.js';

/** The folder of key files inside the data folder. */
export const KEYS_FOLDER = 'keys';
const KEY_FILE = 'identity.key';
/** Holds the public key (hex) of the identity last exported, so an import knows the old key has a backup. */
const EXPORTED_FILE = 'identity.exported';
const RETIRED_FOLDER = 'retired';
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** Where the identity key of `dataDir` is. */
export function identityKeyPath(dataDir: string): string {
  return path.join(dataDir, KEYS_FOLDER, KEY_FILE);
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/** Refuses a file or folder that is not private to this user (ERR_KEY_PERMISSIONS). */
function requirePrivate(target: string, stats: fs.Stats, kind: 'file' | 'folder'): void {
  const isRightType = kind === 'file' ? stats.isFile() : stats.isDirectory();
  if (!isRightType) throw new StoreError('ERR_KEY_PERMISSIONS', `${target} is not a regular ${kind} (a symbolic link or a device is refused for a key)`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new StoreError('ERR_KEY_PERMISSIONS', `${target} belongs to user ${stats.uid}, not to this user (${uid}); a key must be its owner's alone`);
  }
  const wanted = kind === 'file' ? PRIVATE_FILE_MODE : PRIVATE_DIR_MODE;
  if ((stats.mode & 0o077) !== 0) {
    throw new StoreError(
      'ERR_KEY_PERMISSIONS',
      `the key ${kind} ${target} is accessible to other users (mode ${octal(stats.mode)}); make it private with 'chmod ${wanted.toString(8)} ${target}' (and check who may have copied it)`,
    );
  }
}

/** Reads the key file of `dataDir` after checking permissions; `undefined` when there is none. */
function readKeyFile(dataDir: string): Uint8Array | undefined {
  const file = identityKeyPath(dataDir);
  const folder = path.dirname(file);
  try {
    let folderStats: fs.Stats;
    try {
      folderStats = fs.lstatSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    requirePrivate(folder, folderStats, 'folder');
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    requirePrivate(file, stats, 'file');
    // O_NOFOLLOW: the path was checked as a regular file; refuse a symlink swapped in since.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
      const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
      return new Uint8Array(buffer.subarray(0, length));
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw toStoreError(error, 'read the identity key', file);
  }
}

/**
 * The identity of `dataDir`. Throws StoreError: `ERR_KEY_FILE_MISSING` when there is
 * none yet (create or import one explicitly), another `ERR_KEY_FILE_*` code of core's
 * `parseKeyFile` when the file is corrupt, `ERR_KEY_PERMISSIONS` when it is not private.
 */
export function loadIdentity(dataDir: string): Identity {
  const file = identityKeyPath(dataDir);
  const parsed = parseKeyFile(readKeyFile(dataDir));
  if (!parsed.ok) {
    const advice = parsed.error.code === 'ERR_KEY_FILE_MISSING'
      ? "restore a backup with 'swarmpress identity import FILE' (a data folder that never published makes one with 'swarmpress identity new', the app, or its first publish)"
      : "restore a backup with 'swarmpress identity import FILE'; the damaged file is left as it is";
    throw new StoreError(parsed.error.code, `${file}: ${parsed.error.message}; ${advice}`);
  }
  return parsed.value;
}

/** Whether `dataDir` has a key file (valid or not). */
export function hasIdentity(dataDir: string): boolean {
  return readKeyFile(dataDir) !== undefined;
}

/** Creates the keys folder 0700, or checks that the existing one is private. */
function ensureKeysFolder(dataDir: string): string {
  const folder = path.join(dataDir, KEYS_FOLDER);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
    requirePrivate(folder, fs.lstatSync(folder), 'folder');
    syncDir(path.dirname(folder));
  } catch (error) {
    throw toStoreError(error, 'prepare the keys folder', folder);
  }
  return folder;
}

/** Writes a key file; `create` refuses to replace an existing file (another process may have just made one). */
function writeKey(file: string, identity: Identity, how: 'create' | 'replace'): void {
  try {
    if (how === 'create') createFileAtomic(file, utf8(formatKeyFile(identity)), PRIVATE_FILE_MODE);
    else writeFileAtomic(file, utf8(formatKeyFile(identity)), PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StoreError('ERR_IDENTITY_EXISTS', `${file} appeared meanwhile (another swarmpress?): an identity is never replaced by a new one`);
    }
    throw toStoreError(error, 'write the identity key', file);
  }
}

/**
 * Creates a new identity for `dataDir` from 32 random bytes (default: node:crypto) and
 * writes its key file. Refuses (`ERR_IDENTITY_EXISTS`) when a key file exists, valid or not.
 */
export function createIdentity(dataDir: string, randomBytes: Uint8Array = crypto.randomBytes(SEED_BYTES)): Identity {
  if (hasIdentity(dataDir)) {
    throw new StoreError('ERR_IDENTITY_EXISTS', `${identityKeyPath(dataDir)} exists: an identity is never replaced by a new one`);
  }
  const folder = ensureKeysFolder(dataDir);
  const identity = generateIdentity(randomBytes);
  writeKey(path.join(folder, KEY_FILE), identity, 'create');
  return identity;
}

/**
 * Writes the identity of `dataDir` to `file` (0600) in the key file format, for a backup,
 * reads it back to check it, and records that this identity has a backup. Refuses to
 * overwrite a file unless it already is a backup of the same identity (a backup of
 * another key, or any other file, is never destroyed: `ERR_IDENTITY_EXISTS`).
 */
export function exportIdentity(dataDir: string, file: string): Identity {
  const identity = loadIdentity(dataDir);
  const target = path.resolve(file);
  if (fs.existsSync(target)) {
    const existing = parseKeyFile(new Uint8Array(fs.readFileSync(target).subarray(0, MAX_KEY_FILE_BYTES + 1)));
    if (!existing.ok || toHex(existing.value.publicKey) !== toHex(identity.publicKey)) {
      throw new StoreError('ERR_IDENTITY_EXISTS', `${target} exists and is not a backup of this identity; choose another file name`);
    }
  }
  writeKey(target, identity, 'replace');
  const check = parseKeyFile(new Uint8Array(fs.readFileSync(target)));
  if (!check.ok || toHex(check.value.publicKey) !== toHex(identity.publicKey)) {
    throw new StoreError('ERR_STORE_IO', `the backup written to ${target} does not read back correctly`);
  }
  const marker = path.join(ensureKeysFolder(dataDir), EXPORTED_FILE);
  try {
    writeFileAtomic(marker, utf8(`${toHex(identity.publicKey)}\n`), PRIVATE_FILE_MODE);
  } catch (error) {
    throw toStoreError(error, 'record the backup', marker);
  }
  return identity;
}

/** What {@link importIdentity} did. */
export interface ImportReport {
  readonly identity: Identity;
  /** False when the same identity was installed already. */
  readonly changed: boolean;
  /** Where the key it replaced was kept (a retired or a corrupt key), if any. */
  readonly keptOldKeyAt?: string;
}

function lastExported(folder: string): string | undefined {
  try {
    return fs.readFileSync(path.join(folder, EXPORTED_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function moveAside(from: string, to: string): void {
  try {
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
    fs.renameSync(from, to);
    syncDir(path.dirname(to));
    syncDir(path.dirname(from));
  } catch (error) {
    throw toStoreError(error, 'keep the old key', to);
  }
}

/**
 * The first MAX_KEY_FILE_BYTES + 1 bytes of backup `file` (enough for parseKeyFile to
 * say it is too large), or undefined when it does not exist. Only a regular file is read:
 * opened without blocking and checked before any read, so a FIFO cannot hang the import
 * and /dev/zero is not read to its (missing) end (issue #25: 11 GB in 60 s).
 */
function readBackup(file: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toStoreError(error, 'read the backup', file);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw new StoreError('ERR_KEY_FILE_NOT_REGULAR', `${file} is not a regular file (a folder, device or pipe): give the backup file itself`);
    }
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return new Uint8Array(buffer.subarray(0, length));
  } catch (error) {
    throw toStoreError(error, 'read the backup', file);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Installs the identity in the key file (or backup) `file` as the identity of `dataDir`;
 * see the rules at the top of this module. Throws StoreError with core's key-file codes
 * for a bad backup, `ERR_IDENTITY_EXISTS` for an identity without backup.
 */
export function importIdentity(dataDir: string, file: string, now: () => number = Date.now): ImportReport {
  const parsed = parseKeyFile(readBackup(file));
  if (!parsed.ok) throw new StoreError(parsed.error.code, `${file}: ${parsed.error.message}`);
  const incoming = parsed.value;
  const folder = ensureKeysFolder(dataDir);
  const keyFile = path.join(folder, KEY_FILE);
  let keptOldKeyAt: string | undefined;
  const current = parseKeyFile(readKeyFile(dataDir));
  if (current.ok) {
    const currentHex = toHex(current.value.publicKey);
    if (currentHex === toHex(incoming.publicKey)) return { identity: current.value, changed: false };
    if (lastExported(folder) !== currentHex) {
      throw new StoreError(
        'ERR_IDENTITY_EXISTS',
        `this data folder already has the identity ${currentHex}, which was never exported: run 'swarmpress identity export FILE' first so that it is not lost, then import again`,
      );
    }
    keptOldKeyAt = path.join(folder, RETIRED_FOLDER, `${currentHex}.key`);
    moveAside(keyFile, keptOldKeyAt);
  } else if (current.error.code !== 'ERR_KEY_FILE_MISSING') {
    keptOldKeyAt = `${keyFile}.corrupt-${now()}`;
    moveAside(keyFile, keptOldKeyAt);
  }
  writeKey(keyFile, incoming, 'create');
  return { identity: incoming, changed: true, ...(keptOldKeyAt === undefined ? {} : { keptOldKeyAt }) };
}
