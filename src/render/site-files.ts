/**
 * Reading a site's own files (pictures, media) for the page shown: `path` is the site path
 * of a resource relative to the page, resolved against the page's folder; it never leaves
 * the site folder (site-path.ts rules, then a real-path check against symlinks).
 *
 * Synchronous reads of at most a header and a capped file: called when a block becomes
 * visible, on the UI thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkSitePath } from '../core/site-path.js';
import { checkImageHeader, IMAGE_HEADER_BYTES, type ImageVerdict } from './image-check.js';

/** A file of the site, or why it is not there. */
export type SiteFile = { readonly ok: true; readonly file: string; readonly bytes: number } | { readonly ok: false; readonly reason: string };

/** The files of one site on disk, seen from one page. */
export interface SiteFiles {
  /** Finds `reference` (relative to the page) in the site. */
  find(reference: string): SiteFile;
  /**
   * Checks and reads an image; `data` is set only when the header check passed, and never
   * with `headerOnly` (the size of a picture, to lay it out without decoding it).
   */
  readImage(reference: string, headerOnly?: boolean): { readonly verdict: ImageVerdict; readonly data?: Buffer };
}

/** The site stored in folder `root`; `pagePath` is the page's own site path ('' for none). */
export function folderSiteFiles(root: string, pagePath = ''): SiteFiles {
  const pageDir = path.posix.dirname(`/${pagePath}`);
  const find = (reference: string): SiteFile => {
    const joined = path.posix.normalize(path.posix.join(pageDir, reference));
    if (!joined.startsWith('/') || joined.split('/').includes('..')) return { ok: false, reason: 'the file is outside the site' };
    const sitePath = joined.slice(1);
    const checked = checkSitePath(sitePath);
    if (!checked.ok) return { ok: false, reason: checked.error.message };
    let realRoot: string;
    let real: string;
    try {
      realRoot = fs.realpathSync(root);
      real = fs.realpathSync(path.join(root, ...sitePath.split('/')));
    } catch {
      return { ok: false, reason: `${sitePath} is not in this site (yet)` };
    }
    if (!real.startsWith(realRoot + path.sep)) return { ok: false, reason: 'the file is outside the site' };
    const stat = fs.statSync(real);
    if (!stat.isFile()) return { ok: false, reason: `${sitePath} is not a file` };
    return { ok: true, file: real, bytes: stat.size };
  };
  return {
    find,
    readImage(reference, headerOnly = false) {
      const found = find(reference);
      if (!found.ok) return { verdict: { ok: false, reason: found.reason } };
      let fd: number | undefined;
      try {
        fd = fs.openSync(found.file, 'r');
        const head = Buffer.alloc(Math.min(IMAGE_HEADER_BYTES, found.bytes));
        fs.readSync(fd, head, 0, head.length, 0);
        const verdict = checkImageHeader(head, found.bytes);
        if (!verdict.ok || headerOnly) return { verdict };
        const data = Buffer.alloc(found.bytes);
        fs.readSync(fd, data, 0, data.length, 0);
        return { verdict, data };
      } catch (error) {
        return { verdict: { ok: false, reason: `the image could not be read (${(error as NodeJS.ErrnoException).code ?? 'EIO'})` } };
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
  };
}

/** No site: every resource is absent (a page rendered from a lone file). */
export const NO_SITE_FILES: SiteFiles = {
  find: () => ({ ok: false, reason: 'this page has no site to load files from' }),
  readImage: () => ({ verdict: { ok: false, reason: 'this page has no site to load files from' } }),
};

/**
 * Files found in `first`, else in `second`: an edited page's preview sees the pictures just
 * added to its draft and, beside them, what its site folder holds, resolved from the page
 * as publishing will resolve them (issue #21).
 */
export function layeredSiteFiles(first: SiteFiles, second: SiteFiles): SiteFiles {
  return {
    find(reference) {
      const found = first.find(reference);
      return found.ok ? found : second.find(reference);
    },
    readImage(reference) {
      return first.find(reference).ok ? first.readImage(reference) : second.readImage(reference);
    },
  };
}
