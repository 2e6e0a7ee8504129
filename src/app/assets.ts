/**
 * The files that ship with swarmpress (assets/): the welcome page and the pages it links to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The assets folder of this installation. */
export const ASSETS_DIR = fileURLToPath(new URL('../../../assets/', import.meta.url));

/** The address under which the bundled pages are shown. */
export const WELCOME_ADDRESS = 'swarmpress:welcome';

/**
 * Reads a bundled Markdown page by its relative name (`welcome.md`), or undefined when it
 * does not exist. Names that would leave the assets folder are refused.
 */
export function readAssetPage(name: string): string | undefined {
  const file = path.resolve(ASSETS_DIR, name);
  if (!file.startsWith(ASSETS_DIR) || path.extname(file) !== '.md') return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
