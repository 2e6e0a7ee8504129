/**
 * What an image reference of a page points at, decided from the reference alone (pure):
 * a picture of the same site, an audio or video file of the same site, or nothing that may
 * be loaded (with the reason the reader sees). Images are never fetched from `file:`,
 * `http:`, network paths or any other scheme: only relative links pass (core/link.ts).
 */
import { classifyLink } from '../core/link.js';

export type ResourceKind = 'image' | 'media';

export type Resource =
  | { readonly kind: ResourceKind; readonly path: string }
  | { readonly kind: 'refused'; readonly reason: string };

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif']);
const MEDIA_EXTENSIONS = new Set(['mp4', 'm4v', 'webm', 'mkv', 'mov', 'ogv', 'avi', 'mp3', 'm4a', 'ogg', 'oga', 'opus', 'flac', 'wav', 'aac']);

/** The lower-case extension of a path, or ''. */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** True when `href` names an audio or video file by its extension (links, not only images). */
export function isMediaPath(path: string): boolean {
  return MEDIA_EXTENSIONS.has(extensionOf(path));
}

/** Classifies the `src` of a Markdown image. */
export function classifyResource(src: string): Resource {
  const target = classifyLink(src);
  if (target.kind !== 'relative') {
    const reason = target.kind === 'inert' ? target.reason : 'only files of the same site are shown';
    return { kind: 'refused', reason };
  }
  let path: string;
  try {
    path = decodeURIComponent(target.path);
  } catch {
    return { kind: 'refused', reason: 'the file name is malformed' };
  }
  if (path === '') return { kind: 'refused', reason: 'no file is named' };
  const name = path.slice(path.lastIndexOf('/') + 1);
  // `../`, `.`, `a/`: a folder (issue #25: `../` was "'.' files are not shown").
  if (name === '' || name === '.' || name === '..') return { kind: 'refused', reason: `'${path}' names a folder, not a file` };
  const ext = extensionOf(path);
  if (IMAGE_EXTENSIONS.has(ext)) return { kind: 'image', path };
  if (MEDIA_EXTENSIONS.has(ext)) return { kind: 'media', path };
  if (ext === '') return { kind: 'refused', reason: `'${name}' has no file extension (PNG, JPEG and GIF files are shown)` };
  return { kind: 'refused', reason: `'.${ext}' files are not shown (PNG, JPEG and GIF are)` };
}
