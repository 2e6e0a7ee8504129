/**
 * Where swarmpress keeps its data: `--data-dir`, else `$XDG_DATA_HOME/swarmpress`, else
 * `~/.local/share/swarmpress` (XDG Base Directory specification). The folder is created
 * 0700: it holds identity keys and everything the user reads.
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

/** Creates the data folder (0700) if needed and checks that it can be written. */
export function ensureDataDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new AppError('ERR_DATA_DIR', `the data folder ${dir} cannot be used (${code})`, { cause: error });
  }
  return dir;
}
