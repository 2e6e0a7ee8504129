/** The files of a damaged or lost database and of an unusable data folder. */
import fs from 'node:fs';
import path from 'node:path';
import { syncDir } from './atomic-file.js';
import { ensureDataDir } from './data-dir.js';
import { DECISIONS_FILE, RECORDS_FOLDER } from './kept-state.js';
import { CONTENT_FOLDER } from './rebuild.js';
import { StoreError, toStoreError } from './store-error.js';

/** Where damaged databases are moved to inside the data folder. */
export const DAMAGED_FOLDER = 'damaged';

/** The data folder, created if needed; a read-only one is `ERR_STORE_READ_ONLY`. */
export function openDataDir(dir: string): string {
  try {
    return ensureDataDir(dir);
  } catch (error) {
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    if (cause?.code === 'EROFS' || cause?.code === 'EACCES' || cause?.code === 'EPERM') {
      throw new StoreError('ERR_STORE_READ_ONLY', `cannot open the store: the data folder ${dir} cannot be written (${cause.code}); check its permissions and whether the disk is mounted read-only`, { cause: error });
    }
    throw error;
  }
}

/** Moves a damaged database (and its -wal and -shm) to `damaged/`; returns the new path of the main file. */
export function moveDamaged(dataDir: string, file: string, nowMs: number): string {
  const folder = path.join(dataDir, DAMAGED_FOLDER);
  const target = path.join(folder, `${path.basename(file)}.${new Date(nowMs).toISOString().replaceAll(':', '-')}`);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    // The main file last: a crash half way leaves it in place (still damaged: moved next time),
    // never a new database beside the old one's WAL.
    for (const suffix of ['-wal', '-shm', '']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
    }
    syncDir(folder);
    syncDir(dataDir);
  } catch (error) {
    throw toStoreError(error, 'move the damaged database aside', file);
  }
  return target;
}

/**
 * Why the index `file` counts as lost although it opens: missing or empty while the data
 * folder holds what only an index made (content, kept decisions or records). A new data
 * folder has none of these: its index is simply new. Undefined when not lost.
 */
export function lostIndex(file: string, dataDir: string): string | undefined {
  let size: number | undefined;
  try {
    size = fs.statSync(file).size;
  } catch {
    size = undefined;
  }
  if (size !== undefined && size > 0) return undefined;
  const traces = [CONTENT_FOLDER, RECORDS_FOLDER, DECISIONS_FILE, 'own-sites.json'].filter((name) => fs.existsSync(path.join(dataDir, name)));
  if (traces.length === 0) return undefined;
  return `the index database ${file} was ${size === undefined ? 'missing' : 'empty'} (the data folder has ${traces.join(', ')})`;
}
