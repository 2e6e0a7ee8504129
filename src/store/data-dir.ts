/**
 * Where swarmpress keeps its data: `--data-dir`, else `$XDG_DATA_HOME/swarmpress`, else
 * `~/.local/share/swarmpress` (XDG Base Directory specification). The folder is created
 * 0700: it holds identity keys and everything the user reads.
 *
 * An existing folder that another user could write (group- or world-writable, or owned by
 * another user) is refused: whoever can write it can plant a control socket that answers
 * for this node, swap the index, or replace files that are read back as the user's own
 * (issue #25 item 11). Its mode is not changed behind the user's back: they are told how.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';

/** The data folder for this run, without touching the disk. */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) return path.resolve(explicit);
  const xdg = env['XDG_DATA_HOME'];
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] ?? os.homedir(), '.local', 'share');
  return path.join(base, 'swarmpress');
}

/**
 * Refuses (`ERR_DATA_DIR_UNSAFE`) a data folder that others can write: not owned by this
 * user, or writable by its group or by everyone. `stats` are the folder's (followed).
 */
export function requireOwnFolder(dir: string, stats: fs.Stats, uid: number | undefined = process.getuid?.()): void {
  if (uid !== undefined && stats.uid !== uid) {
    throw new AppError('ERR_DATA_DIR_UNSAFE', `the data folder ${dir} belongs to user ${stats.uid}, not to this user (${uid}): another user could plant files in it; use a folder of your own`);
  }
  if ((stats.mode & 0o022) !== 0) {
    throw new AppError(
      'ERR_DATA_DIR_UNSAFE',
      `the data folder ${dir} can be written by other users (mode 0${(stats.mode & 0o7777).toString(8)}); make it private with 'chmod 700 ${dir}'`,
    );
  }
}

/** Creates the data folder (0700) if needed and checks that it can be written and that only this user can. */
export function ensureDataDir(dir: string): string {
  let stats: fs.Stats;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
    stats = fs.statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new AppError('ERR_DATA_DIR', `the data folder ${dir} cannot be used (${code})`, { cause: error });
  }
  requireOwnFolder(dir, stats);
  return dir;
}
