/**
 * Durable file replacement: write a temporary file in the same folder, fsync it, rename
 * it over the target, fsync the folder. After a crash at any point the target holds
 * either its old bytes or the new ones, never a mix or nothing (POSIX rename(2) is
 * atomic; the folder fsync makes the rename itself durable).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The suffix of temporary files; a crash may leave one behind, {@link removeStaleTemporaries} clears them. */
export const TEMP_SUFFIX = '.tmp';

/** fsyncs the folder `dir`, so that a rename or a new entry in it survives a power cut. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `bytes` to a new temporary file next to `file`, with `mode` from the moment it
 * exists, fsyncs and closes it, and returns its path. Removes it and rethrows on failure.
 */
function writeTemporary(file: string, bytes: Uint8Array, mode: number): string {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  // 'wx': never follow or reuse an existing path; the mode applies at creation (before any byte is written).
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      fs.fchmodSync(fd, mode); // the umask may have removed bits of `mode`
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  return temp;
}

/**
 * Replaces `file` with `bytes` atomically and durably; the new file gets `mode` (0600 by
 * default) from the moment it exists. Throws the file system's error (ENOSPC, EROFS, …)
 * and leaves the old file untouched when anything fails.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, mode = 0o600): void {
  const temp = writeTemporary(file, bytes, mode);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

/**
 * Creates `file` with `bytes` atomically and durably, only if it does not exist: the
 * complete file is written and fsynced under a temporary name, then hard-linked to its
 * name (link(2) fails with EEXIST rather than replace anything, so two processes creating
 * one file at once cannot overwrite each other). Throws EEXIST when the file exists.
 */
export function createFileAtomic(file: string, bytes: Uint8Array, mode = 0o600): void {
  const temp = writeTemporary(file, bytes, mode);
  try {
    fs.linkSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
  syncDir(path.dirname(file));
}

/** The names in folder `dir`, sorted; none when it cannot be read (absent, not a folder). */
export function folderNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Removes temporary files a crash left in `dir` (names made by {@link writeFileAtomic}). */
export function removeStaleTemporaries(dir: string): void {
  for (const name of folderNames(dir)) {
    if (name.startsWith('.') && name.endsWith(TEMP_SUFFIX)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
