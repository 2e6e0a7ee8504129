/**
 * Pictures added to drafts. A picture the author picks is checked like any picture the
 * renderer shows (PNG, JPEG or GIF, within render/image-check.ts limits), then copied
 * into the draft's own folder, `<dataDir>/draft-media/<draft id>/media/<name>`, under a
 * plain file name; the post refers to it as `media/<name>`. The site gets it only when
 * the post is published (the publisher copies what the text still refers to), so a
 * picture added and deleted again never reaches the site.
 *
 * Synchronous, on the JS thread: a picture is at most MAX_IMAGE_BYTES (8 MB).
 */
import fs from 'node:fs';
import path from 'node:path';
import { slugify } from '../../core/slug.js';
import { checkImageHeader, IMAGE_HEADER_BYTES, type ImageFormat } from '../../render/image-check.js';
import { folderSiteFiles, type SiteFiles } from '../../render/site-files.js';

/** The folder of draft pictures inside the data folder. */
export const DRAFT_MEDIA_FOLDER = 'draft-media';
/** The folder, relative to the post, that its pictures go in. */
export const MEDIA_DIR = 'media';
/** The post's own path inside its draft folder (what relative references resolve against). */
const POST_PATH = 'post.md';
const MAX_NAME_CHARS = 60;
const MAX_ALT_CHARS = 120;
const EXTENSION: Readonly<Record<ImageFormat, string>> = { PNG: 'png', JPEG: 'jpg', GIF: 'gif' };

/** A picture of a post: its path relative to the post, the file on disk, its size. */
export interface PostMedia {
  readonly path: string;
  readonly file: string;
  readonly bytes: number;
}

/** A plain file name for a picture: lower-case letters, digits and dashes, then the extension of its format. */
export function pictureName(original: string, format: ImageFormat): string {
  const base = slugify(path.basename(original).replace(/\.[^.]*$/, ''), { maxChars: MAX_NAME_CHARS, fallback: 'picture' });
  return `${base}.${EXTENSION[format]}`;
}

/** A description from the file name ("my_cat-2.png" -> "my cat 2"), for the author to improve. */
export function altFromName(original: string): string {
  return path.basename(original).replace(/\.[^.]*$/, '').replace(/[-_.\s]+/g, ' ').trim().slice(0, MAX_ALT_CHARS);
}

export class DraftMedia {
  readonly #root: string;

  /** `root` is `<dataDir>/draft-media`; created (0700) on first use. */
  constructor(root: string) {
    this.#root = root;
  }

  /** The draft's folder (its pictures are in `media/` below it). */
  folder(draftId: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(draftId)) throw new RangeError(`not a draft id: ${JSON.stringify(draftId)}`);
    return path.join(this.#root, draftId);
  }

  /** The draft's files as the preview reads them (references relative to the post). */
  siteFiles(draftId: string): SiteFiles {
    return folderSiteFiles(this.folder(draftId), POST_PATH);
  }

  /**
   * Checks the picture `file` and copies it into the draft; returns the path the post
   * refers to and a description. Throws an Error whose message says why not.
   */
  add(draftId: string, file: string): { readonly path: string; readonly alt: string } {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error(`${file} is not a file`);
    const bytes = fs.readFileSync(file);
    const verdict = checkImageHeader(bytes.subarray(0, IMAGE_HEADER_BYTES), bytes.length);
    if (!verdict.ok) throw new Error(verdict.reason);
    const dir = path.join(this.folder(draftId), MEDIA_DIR);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const wanted = pictureName(file, verdict.format);
    const stem = wanted.slice(0, wanted.lastIndexOf('.'));
    const extension = wanted.slice(wanted.lastIndexOf('.'));
    for (let n = 1; n < 1000; n++) {
      const name = n === 1 ? wanted : `${stem}-${n}${extension}`;
      const target = path.join(dir, name);
      let existing: Buffer | undefined;
      try {
        existing = fs.readFileSync(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (existing !== undefined && !existing.equals(bytes)) continue;
      if (existing === undefined) fs.writeFileSync(target, bytes, { mode: 0o600, flag: 'wx' });
      return { path: `${MEDIA_DIR}/${name}`, alt: altFromName(file) };
    }
    throw new Error(`too many pictures named ${wanted} in this draft`);
  }

  /** The draft's pictures that `body` still refers to. */
  referenced(draftId: string, body: string): PostMedia[] {
    const dir = path.join(this.folder(draftId), MEDIA_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return [];
    }
    const out: PostMedia[] = [];
    for (const name of names) {
      const reference = `${MEDIA_DIR}/${name}`;
      if (!body.includes(reference)) continue;
      const file = path.join(dir, name);
      out.push({ path: reference, file, bytes: fs.statSync(file).size });
    }
    return out;
  }

  /** Deletes the draft's pictures (after it was published or discarded). */
  remove(draftId: string): void {
    fs.rmSync(this.folder(draftId), { recursive: true, force: true });
  }
}
