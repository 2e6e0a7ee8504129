/**
 * Rebuilding the index from the content on disk, so that a lost or damaged database loses
 * nothing that was published or received. Site versions live in the data folder at
 * `content/<40-hex v1 infohash>/` (the folder the torrent of that version is saved in:
 * net saves there, see {@link contentFolder}); each holds the manifest at core's
 * `MANIFEST_PATH` and every item at `itemFilePath(id)`. Every file is verified with core
 * exactly as if a peer had sent it; what fails is reported and left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fromHex, toHex } from '../core/bytes.js';
import { INFOHASH_BYTES } from '../core/bep46.js';
import { MAX_ITEM_BYTES } from '../core/item.js';
import { itemFilePath, MANIFEST_PATH, MAX_MANIFEST_BYTES, type ManifestErrorCode } from '../core/manifest.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Statements } from './database.js';
import { verifyVersion, type VerifiedVersion } from './items.js';
import { insertVersion, requireInfohash } from './versions.js';

/** The folder of site versions inside the data folder. */
export const CONTENT_FOLDER = 'content';

/** Where the content of the version `infohash` is kept (net saves the torrent there). */
export function contentFolder(dataDir: string, infohash: Uint8Array): string {
  return path.join(dataDir, CONTENT_FOLDER, toHex(requireInfohash(infohash)));
}

/** What {@link rebuildIndex} did. */
export interface RebuildReport {
  /** Version folders found. */
  readonly folders: number;
  /** Versions added to the index (the others were there already, or failed). */
  readonly versionsAdded: number;
  readonly itemsAdded: number;
  /** Folders that failed verification, and why. */
  readonly failed: readonly { readonly folder: string; readonly code: string; readonly message: string }[];
}

/** Reads at most `limit` bytes of `file` (one more, to detect a larger file), or `undefined` when absent. */
function readCapped(file: string, limit: number): Uint8Array | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const size = Math.min(fs.fstatSync(fd).size, limit + 1);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const got = fs.readSync(fd, buffer, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return new Uint8Array(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes of every regular file under `dir`. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Why a version folder could not be indexed: core's manifest codes, or no manifest at all. */
export type FolderErrorCode = ManifestErrorCode | 'ERR_MANIFEST_MISSING';

/**
 * The root of the site saved in the version folder `folder`: the folder itself when the
 * manifest is there, else its one visible subfolder (a torrent saves its files under the
 * torrent's name: `content/<infohash>/<name>/…`). `undefined` when neither holds a manifest.
 */
export function siteRoot(folder: string): string | undefined {
  const isFile = (file: string): boolean => {
    try {
      return fs.lstatSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (isFile(path.join(folder, MANIFEST_PATH))) return folder;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
  } catch {
    return undefined;
  }
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only === undefined || !only.isDirectory()) return undefined;
  const root = path.join(folder, only.name);
  return isFile(path.join(root, MANIFEST_PATH)) ? root : undefined;
}

/** Reads and verifies the version saved in `versionFolder` (manifest and items, with core). */
export function verifyFolder(versionFolder: string): Result<{ manifestBytes: Uint8Array; verified: VerifiedVersion; contentBytes: number }, FolderErrorCode> {
  const folder = siteRoot(versionFolder) ?? versionFolder;
  const manifestBytes = readCapped(path.join(folder, MANIFEST_PATH), MAX_MANIFEST_BYTES);
  if (manifestBytes === undefined) return fail('ERR_MANIFEST_MISSING', `${path.join(folder, MANIFEST_PATH)} is missing`);
  const verified = verifyVersion(manifestBytes, (id) => readCapped(path.join(folder, itemFilePath(id)), MAX_ITEM_BYTES));
  if (!verified.ok) return verified;
  return ok({ manifestBytes, verified: verified.value, contentBytes: folderBytes(versionFolder) });
}

/** Indexes every version folder under `<dataDir>/content/`; idempotent. */
export function rebuildIndex(sql: Statements, dataDir: string, nowMs: number): RebuildReport {
  const root = path.join(dataDir, CONTENT_FOLDER);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { folders: 0, versionsAdded: 0, itemsAdded: 0, failed: [] };
    throw error;
  }
  const failed: { folder: string; code: string; message: string }[] = [];
  let folders = 0;
  let versionsAdded = 0;
  let itemsAdded = 0;
  for (const name of names.sort()) {
    const infohash = fromHex(name, INFOHASH_BYTES);
    const folder = path.join(root, name);
    if (infohash === undefined || name !== name.toLowerCase() || !fs.lstatSync(folder).isDirectory()) continue;
    folders += 1;
    const verified = verifyFolder(folder);
    if (!verified.ok) {
      failed.push({ folder, code: verified.error.code, message: verified.error.message });
      continue;
    }
    const inserted = insertVersion(sql, { infohash, ...verified.value, origin: 'rebuild' }, nowMs);
    if (inserted.isNew) versionsAdded += 1;
    itemsAdded += inserted.newItems;
  }
  return { folders, versionsAdded, itemsAdded, failed };
}
