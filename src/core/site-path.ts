/**
 * Paths of files inside a site: relative, `/`-separated, and safe to write on every
 * desktop file system a reader may run on. A path from a peer that passes
 * {@link checkSitePath} cannot leave the site folder, name a device, or alias another
 * file of the same site on Windows or macOS (see {@link findPathCollision}).
 */
import { isWellFormedText, utf8 } from './bytes.js';
import { fail, ok, type Result } from './result.js';

/** Why a site path is rejected. */
export type SitePathErrorCode =
  | 'ERR_PATH_EMPTY'
  | 'ERR_PATH_TOO_LONG'
  | 'ERR_PATH_TOO_DEEP'
  | 'ERR_PATH_ABSOLUTE'
  | 'ERR_PATH_DRIVE'
  | 'ERR_PATH_BACKSLASH'
  | 'ERR_PATH_CONTROL'
  | 'ERR_PATH_FORMAT_CHARACTER'
  | 'ERR_PATH_ENCODING'
  | 'ERR_PATH_EMPTY_SEGMENT'
  | 'ERR_PATH_DOT_SEGMENT'
  | 'ERR_PATH_SEGMENT_TOO_LONG'
  | 'ERR_PATH_CHARACTER'
  | 'ERR_PATH_DEVICE_NAME'
  | 'ERR_PATH_TRAILING_DOT_OR_SPACE'
  | 'ERR_PATH_NOT_NFC';

/** Longest site path in UTF-8 bytes; Windows' classic MAX_PATH is 260 UTF-16 units, so deeper trees need long-path support anyway. */
export const MAX_SITE_PATH_BYTES = 1024;
/** Most segments in a site path. */
export const MAX_SITE_PATH_SEGMENTS = 32;
/**
 * Longest segment in UTF-8 bytes. NAME_MAX of ext4 is 255, but libtorrent 2.0.8 cuts a
 * longer name to 240 bytes when it reads a torrent (sanitize_append_path_element), so a
 * version with a 241–255-byte name lacks that file even in its author's own swarm (issue
 * #25: progress 0.997 while "seeding", readers time out).
 */
export const MAX_PATH_SEGMENT_BYTES = 240;

// Win32 "Naming Files, Paths, and Namespaces": reserved names, also with any extension;
// the superscript digits count as digits there.
const DEVICE_NAME = /^(?:con|prn|aux|nul|conin\$|conout\$|(?:com|lpt)[0-9\u00b9\u00b2\u00b3])(?:\..*)?$/i;
// Characters Win32 refuses in a name: < > : " | ? * (and `\`, reported on its own).
const WINDOWS_RESERVED = /[<>:"|?*]/;
const DRIVE = /^[a-zA-Z]:/;

// Unicode format characters (general category Cf): the bidi embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069), the marks U+200E/U+200F and U+061C, zero-width
// characters, U+FEFF, the soft hyphen. Invisible, they make a name show as another (a
// right-to-left override turns "txt.exe" around); libtorrent 2.0.8 also drops U+200E/F and
// U+202A–E from file names, so the file is missing from the torrent.
const FORMAT_CHARACTER = /\p{Cf}/u;

function isControl(unit: number): boolean {
  return unit < 0x20 || unit === 0x7f || (unit >= 0x80 && unit <= 0x9f);
}

/**
 * Checks one site path such as `posts/2024/hello.md`. Never throws for a string;
 * returns the path unchanged when it is acceptable.
 */
export function checkSitePath(path: string): Result<string, SitePathErrorCode> {
  if (path === '') return fail('ERR_PATH_EMPTY', 'the path is empty');
  if (utf8(path).length > MAX_SITE_PATH_BYTES) return fail('ERR_PATH_TOO_LONG', `the path is longer than ${MAX_SITE_PATH_BYTES} bytes`);
  for (let i = 0; i < path.length; i++) {
    if (isControl(path.charCodeAt(i))) return fail('ERR_PATH_CONTROL', `the path contains the control character U+${path.charCodeAt(i).toString(16).padStart(4, '0')}`);
  }
  if (!isWellFormedText(path)) return fail('ERR_PATH_ENCODING', 'the path holds a lone surrogate (it is not Unicode text)');
  const format = FORMAT_CHARACTER.exec(path);
  if (format !== null) {
    const unit = format[0].codePointAt(0) ?? 0;
    return fail('ERR_PATH_FORMAT_CHARACTER', `the path contains the invisible format character U+${unit.toString(16).toUpperCase().padStart(4, '0')}, which hides or reorders text`);
  }
  if (path.includes('\\')) return fail('ERR_PATH_BACKSLASH', 'the path contains a backslash');
  if (path.startsWith('/')) return fail('ERR_PATH_ABSOLUTE', 'the path is absolute');
  if (DRIVE.test(path)) return fail('ERR_PATH_DRIVE', 'the path starts with a drive letter');
  if (path.normalize('NFC') !== path) return fail('ERR_PATH_NOT_NFC', 'the path is not in Unicode normalization form C');
  const segments = path.split('/');
  if (segments.length > MAX_SITE_PATH_SEGMENTS) return fail('ERR_PATH_TOO_DEEP', `the path has more than ${MAX_SITE_PATH_SEGMENTS} segments`);
  for (const segment of segments) {
    const problem = checkSegment(segment);
    if (problem !== undefined) return problem;
  }
  return ok(path);
}

function checkSegment(segment: string): ReturnType<typeof fail<SitePathErrorCode>> | undefined {
  if (segment === '') return fail('ERR_PATH_EMPTY_SEGMENT', 'the path has an empty segment (a leading, doubled or trailing /)');
  if (segment === '.' || segment === '..') return fail('ERR_PATH_DOT_SEGMENT', `the path has a '${segment}' segment`);
  if (utf8(segment).length > MAX_PATH_SEGMENT_BYTES) {
    return fail('ERR_PATH_SEGMENT_TOO_LONG', `a segment of the path is longer than ${MAX_PATH_SEGMENT_BYTES} bytes`);
  }
  const reserved = WINDOWS_RESERVED.exec(segment);
  if (reserved !== null) return fail('ERR_PATH_CHARACTER', `the path contains '${reserved[0]}', which Windows does not allow in names`);
  if (DEVICE_NAME.test(segment)) return fail('ERR_PATH_DEVICE_NAME', `'${segment}' is a reserved device name on Windows`);
  if (segment.endsWith('.') || segment.endsWith(' ')) {
    return fail('ERR_PATH_TRAILING_DOT_OR_SPACE', `'${segment}' ends in a dot or space, which Windows drops`);
  }
  return undefined;
}

/** The key under which two paths alias on a case-insensitive file system (Windows, macOS defaults). */
function foldPath(path: string): string {
  return path.toLowerCase().normalize('NFC');
}

/**
 * A set of site paths that can all exist in one folder at once. {@link PathSet.add} refuses
 * a path that equals another after case folding (`A.md` and `a.md`), or that is a file
 * where another path needs a folder (`a` and `a/b.md`), naming the path it clashes with.
 * Expects checked paths ({@link checkSitePath}).
 */
export class PathSet {
  /** Folded file path → the path as added. */
  readonly #files = new Map<string, string>();
  /** Folded folder path → the first path added below it. */
  readonly #folders = new Map<string, string>();

  /** Adds `path` and returns `undefined`, or returns the path it clashes with and adds nothing. */
  add(path: string): string | undefined {
    const folded = foldPath(path);
    const clash = this.#files.get(folded) ?? this.#folders.get(folded);
    if (clash !== undefined) return clash;
    const parts = folded.split('/');
    const folders: string[] = [];
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const file = this.#files.get(folder);
      if (file !== undefined) return file;
      folders.push(folder);
    }
    this.#files.set(folded, path);
    for (const folder of folders) if (!this.#folders.has(folder)) this.#folders.set(folder, path);
    return undefined;
  }
}

/**
 * The first pair of paths in `paths` that cannot both exist in one folder (see
 * {@link PathSet}), or `undefined` when every path can coexist.
 */
export function findPathCollision(paths: Iterable<string>): readonly [string, string] | undefined {
  const set = new PathSet();
  for (const path of paths) {
    const clash = set.add(path);
    if (clash !== undefined) return [clash, path];
  }
  return undefined;
}

/**
 * The entry paths an address path names, in order of preference: the path itself (the
 * site's `index.md` for the empty path), then `<path>/index.md`, then `<path>.md`.
 */
export function pageCandidates(sitePath: string): readonly [string, string, string] {
  const wanted = sitePath === '' ? 'index.md' : sitePath;
  return [wanted, `${wanted}/index.md`, `${wanted}.md`];
}
