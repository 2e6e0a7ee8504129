/**
 * The pictures of one page: each file is checked once, decoded at the size it is shown
 * (QImageReader's scaled decode, native/src/runtime/image_decode.cpp) and shared by every
 * reference to it. 200 references to one 8192 × 2048 PNG were 200 full-size decodes held
 * by NodeGui's pixmaps until V8 collected them: past 6 GB in 12 s (issue #25).
 *
 * Memory stays bounded on any page:
 * - decoded pictures are held natively under handles, at most MAX_HELD_IMAGE_PIXELS of
 *   them (least recently shown freed first); a label showing one keeps Qt's shared copy
 *   until it is deleted, so what is on screen stays on screen;
 * - the pixels a page may decode at all are capped (MAX_PAGE_IMAGE_PIXELS, in the order
 *   pictures are first shown; decodedPixels says how they are counted): further pictures
 *   show a placeholder saying why, and the decoding work a page can ask for is bounded too.
 *
 * Ownership: the page view creates one per page and calls `close()`, which frees every
 * handle. Threading: UI thread only; decoding is synchronous (one picture at a time, so
 * at most one full-size decode exists at once).
 */
import { fitToColumn, type ImageFormat, type ImageVerdict } from './image-check.js';
import type { Qt } from './nodegui-subset.js';
import type { SiteFiles } from './site-files.js';
import type * as NodeGui from '@nodegui/nodegui';

/** Most pixels of distinct pictures one page decodes (8 PNGs of the largest size allowed). */
export const MAX_PAGE_IMAGE_PIXELS = 128 * 1024 * 1024;

/**
 * Pixels decoded to show a picture of `full` pixels at `shown` pixels: a JPEG is decoded
 * scaled by libjpeg, by a power of two no larger than needed (at most twice the size shown
 * each way: 4 × `shown`); a PNG or GIF is decoded whole.
 */
export function decodedPixels(format: ImageFormat, full: number, shown: number): number {
  return format === 'JPEG' ? Math.min(full, 4 * shown) : full;
}
/** Most pixels of decoded pictures held for reuse (32 MiB at 32 bits per pixel). */
export const MAX_HELD_IMAGE_PIXELS = 8 * 1024 * 1024;

/** The outcome of showing a picture in a label. */
export type ShownImage =
  | { readonly ok: true; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

interface Held {
  readonly handle: number;
  readonly width: number;
  readonly height: number;
}

/** The pictures of one page; see the file comment. */
export class PageImages {
  readonly #qt: Qt;
  readonly #files: SiteFiles;
  readonly #verdicts = new Map<string, ImageVerdict>();
  /** Decoded pictures by path, least recently shown first (a Map keeps insertion order). */
  readonly #held = new Map<string, Held>();
  #heldPixels = 0;
  /** Paths admitted to be decoded, and their decoded pixels summed (decodedPixels). */
  readonly #admitted = new Set<string>();
  #admittedPixels = 0;
  #closed = false;

  constructor(qt: Qt, files: SiteFiles) {
    this.#qt = qt;
    this.#files = files;
  }

  /** The header check of the picture at `path` (read once per page). */
  check(path: string): ImageVerdict {
    let verdict = this.#verdicts.get(path);
    if (verdict === undefined) {
      verdict = this.#files.readImage(path, true).verdict;
      this.#verdicts.set(path, verdict);
    }
    return verdict;
  }

  /** Shows the picture at `path` in `label`, fitted to a column `column` pixels wide. */
  show(label: NodeGui.QLabel, path: string, column: number): ShownImage {
    if (this.#closed) return { ok: false, reason: 'the page was closed' };
    const verdict = this.check(path);
    if (!verdict.ok) return verdict;
    const { width, height } = fitToColumn(verdict.width, verdict.height, column);
    let held = this.#held.get(path);
    if (held !== undefined && (held.width !== width || held.height !== height)) {
      this.#free(path, held);
      held = undefined;
    }
    if (held === undefined) {
      const cost = decodedPixels(verdict.format, verdict.width * verdict.height, width * height);
      if (!this.#admitted.has(path)) {
        if (this.#admittedPixels + cost > MAX_PAGE_IMAGE_PIXELS) {
          return { ok: false, reason: `this page's pictures already take ${Math.round(this.#admittedPixels / 1_000_000)} million pixels, the most one page shows` };
        }
        this.#admitted.add(path);
        this.#admittedPixels += cost;
      }
      const { data } = this.#files.readImage(path);
      const handle = data === undefined ? 0 : this.#qt.decodeImage(data, width, height);
      if (handle === 0) return { ok: false, reason: 'the image is damaged' };
      held = { handle, width, height };
      this.#heldPixels += width * height;
    } else {
      this.#held.delete(path);
    }
    this.#held.set(path, held);
    this.#qt.showImage(label, held.handle);
    this.#evict(path);
    return { ok: true, width, height };
  }

  /** Frees every decoded picture; labels still showing one keep their copy. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const [path, held] of [...this.#held]) this.#free(path, held);
  }

  /** Frees the least recently shown pictures past the budget, never `keep`. */
  #evict(keep: string): void {
    for (const [path, held] of this.#held) {
      if (this.#heldPixels <= MAX_HELD_IMAGE_PIXELS) return;
      if (path !== keep) this.#free(path, held);
    }
  }

  #free(path: string, held: Held): void {
    this.#held.delete(path);
    this.#heldPixels -= held.width * held.height;
    this.#qt.freeImage(held.handle);
  }
}
