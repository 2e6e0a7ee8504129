/**
 * Compares a screenshot with a reference picture kept in the repository, with a tolerance:
 * anti-aliasing and font hinting may move a few pixels, a missing block or a wrong colour
 * may not. The picture taken is kept in test-artifacts/ for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { REPO_ROOT } from '../helpers/process.js';

export const REFERENCE_DIR = path.join(REPO_ROOT, 'test', 'render', 'screenshots');

export interface Difference {
  readonly sameSize: boolean;
  /** Share of pixels whose colour differs by more than `channelTolerance` in some channel. */
  readonly differing: number;
}

export function comparePng(actualFile: string, referenceFile: string, channelTolerance = 40): Difference {
  const actual = PNG.sync.read(fs.readFileSync(actualFile));
  const reference = PNG.sync.read(fs.readFileSync(referenceFile));
  if (actual.width !== reference.width || actual.height !== reference.height) return { sameSize: false, differing: 1 };
  let differing = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs((actual.data[i + c] ?? 0) - (reference.data[i + c] ?? 0)) > channelTolerance) {
        differing++;
        break;
      }
    }
  }
  return { sameSize: true, differing: differing / (actual.width * actual.height) };
}

/**
 * Checks `actualFile` against the reference `name`. With SWARMPRESS_UPDATE_SCREENSHOTS=1 the
 * picture becomes the new reference (after a person looked at it); a missing reference fails.
 */
export function checkScreenshot(actualFile: string, name: string, maxDiffering = 0.01): Difference {
  const reference = path.join(REFERENCE_DIR, name);
  if (process.env['SWARMPRESS_UPDATE_SCREENSHOTS'] === '1') {
    fs.mkdirSync(REFERENCE_DIR, { recursive: true });
    fs.copyFileSync(actualFile, reference);
  }
  if (!fs.existsSync(reference)) throw new Error(`no reference picture ${reference}; look at ${actualFile}, then run with SWARMPRESS_UPDATE_SCREENSHOTS=1`);
  const difference = comparePng(actualFile, reference);
  if (!difference.sameSize || difference.differing > maxDiffering) {
    throw new Error(`${actualFile} differs from ${reference}: ${JSON.stringify(difference)} (tolerance ${maxDiffering})`);
  }
  return difference;
}
