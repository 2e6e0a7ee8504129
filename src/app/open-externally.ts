/**
 * Hands a confirmed web address, or a media file of a site, to the desktop's own opener
 * (`xdg-open`: the user's browser or media player). The argument goes as one argv entry,
 * never through a shell; only http(s) URLs and existing local files are handed over.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../core/errors.js';

/** The program that opens things on a freedesktop.org desktop. */
export const OPENER = 'xdg-open';

function checkTarget(target: string): void {
  if (/^https?:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new AppError('ERR_OPEN_TARGET', `not a web address: ${target}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('ERR_OPEN_TARGET', `not a web address: ${target}`);
    return;
  }
  if (!path.isAbsolute(target) || !fs.statSync(target, { throwIfNoEntry: false })?.isFile()) {
    throw new AppError('ERR_OPEN_TARGET', `not a web address or a file of a site: ${target}`);
  }
}

/**
 * Starts the opener for `target` and resolves once it started (or rejects with a clear
 * error when it cannot: no opener installed). The opener runs on, detached.
 */
export function openExternally(target: string, opener = OPENER): Promise<void> {
  checkTarget(target);
  return new Promise((resolve, reject) => {
    // node:child_process is loaded on the first use, not with the window.
    const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    const child = spawn(opener, [target], { detached: true, stdio: 'ignore' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('ERR_NO_OPENER', error.code === 'ENOENT' ? `${opener} is not installed: cannot open ${target}` : `${opener} failed: ${error.message}`));
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
