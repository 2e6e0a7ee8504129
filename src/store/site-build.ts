/**
 * Turning an author's folder into the files of a new site version, in a staging folder of
 * the data folder (net makes the torrent of it, then {@link Store.adoptVersion} moves it to
 * `content/<infohash>/`). No network.
 *
 * - Every visible file of the folder is an item at its relative path: Markdown pages
 *   (`.md`, `.markdown`) are text items (front-matter.ts gives their fields; the title is
 *   the front matter's, else the first heading, else the file name), `.txt` files text/plain
 *   items, anything else a file item with its SHA-256. Hidden files and folders (`.git`,
 *   `.DS_Store`) and symbolic links are left out and reported.
 * - An item whose content did not change since the previous version is kept as it was (same
 *   id, same signature), so an unchanged folder gives an unchanged site: `unchanged` is
 *   set and nothing is staged.
 * - `carried` entries (items of the author's other devices, from a merge) are added as they
 *   are; the folder wins a path they share.
 * - Last, after the merge, the pages the author did not write are generated (core/site-home.ts:
 *   the home page, the list of every post, the Atom feed) from everything the version holds,
 *   so a post carried from another device is listed too. Generated pages of earlier versions
 *   are never carried or kept as the author's: they are made again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesEqual, compareBytes, decodeUtf8, toHex, utf8 } from '../core/bytes.js';
import { AppError } from '../core/errors.js';
import { parsePage, pageTitle } from '../core/front-matter.js';
import { DEFAULT_SITE_NAME, type Identity } from '../core/identity.js';
import { createItem, decodeItem, encodeItem, MAX_BODY_BYTES, type Item, type ItemDraft } from '../core/item.js';
import { createManifest, encodeManifest, itemFilePath, MANIFEST_PATH, MAX_MANIFEST_ITEMS, type SiteManifest } from '../core/manifest.js';
import { checkSitePath, findPathCollision } from '../core/site-path.js';
import { StoreError } from './store-error.js';
import { GENERATOR_KEY, GENERATOR_VALUE, HOME_PATH, homeFiles } from '../core/site-home.js';
import { slugify } from '../core/slug.js';

/** The folder of versions being built, inside the data folder. */
export const STAGING_FOLDER = 'staging';

/** Media types of file items, by extension (lower case). Anything else is application/octet-stream. */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', avif: 'image/avif',
  mp4: 'video/mp4', webm: 'video/webm', ogv: 'video/ogg', mkv: 'video/x-matroska', mov: 'video/quicktime',
  mp3: 'audio/mpeg', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/opus', flac: 'audio/flac', wav: 'audio/wav', m4a: 'audio/mp4',
  pdf: 'application/pdf', json: 'application/json', zip: 'application/zip', epub: 'application/epub+zip',
  css: 'text/css', csv: 'text/csv', html: 'text/html', htm: 'text/html',
};

/** A file of the author's folder. */
export interface SourceFile {
  /** Its site path, `/`-separated. */
  readonly path: string;
  readonly absolute: string;
  readonly size: number;
}

/** What scanning the folder found. */
export interface SourceScan {
  readonly files: readonly SourceFile[];
  /** Paths left out (hidden files, symbolic links, special files), relative to the folder. */
  readonly skipped: readonly string[];
}

/**
 * Lists the files of `dir` that make a site (none for a new site: its home page is
 * generated). Throws AppError (`ERR_SOURCE`) for a folder that cannot be one.
 */
export function scanSource(dir: string): SourceScan {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(dir);
  } catch (error) {
    throw new AppError('ERR_SOURCE', `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!stats.isDirectory()) throw new AppError('ERR_SOURCE', `${dir} is not a folder: publish a folder that holds index.md and the other pages`);
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => compareBytes(utf8(a.name), utf8(b.name)))) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const absolute = path.join(folder, entry.name);
      if (entry.name.startsWith('.') || entry.isSymbolicLink() || !(entry.isFile() || entry.isDirectory())) {
        skipped.push(relative);
      } else if (entry.isDirectory()) {
        walk(absolute, relative);
      } else {
        const checked = checkSitePath(relative);
        if (!checked.ok) throw new AppError('ERR_SOURCE', `${relative}: ${checked.error.message}; rename it to publish this folder`);
        files.push({ path: relative, absolute, size: fs.statSync(absolute).size });
        if (files.length > MAX_MANIFEST_ITEMS) throw new AppError('ERR_SOURCE', `${dir} holds more than ${MAX_MANIFEST_ITEMS} files, more than one site version can list`);
      }
    }
  };
  walk(dir, '');
  const collision = findPathCollision(files.map((file) => file.path));
  if (collision !== undefined) throw new AppError('ERR_SOURCE', `${collision[0]} and ${collision[1]} cannot both be in a site (they clash on some systems); rename one`);
  return { files, skipped };
}

/** An item of an earlier version (this device's or another's) with its body file, if it has one. */
export interface KnownItem {
  readonly item: Item;
  readonly bytes: Uint8Array;
  readonly path: string;
  /** For a file item: where its file is on disk. */
  readonly file?: string;
}

export interface BuildRequest {
  readonly dataDir: string;
  readonly source: SourceScan;
  /** Signs the items (the author). */
  readonly author: Identity;
  /** Signs the manifest (the site's key; the author's own for the default site). */
  readonly site: Identity;
  /** The site's title as its author set it (`--title`, New site): wins over index.md's. */
  readonly title?: string;
  /** The site's description, for the generated home page and feed. */
  readonly description?: string;
  /** The site's title when neither `title` nor the author's index.md gives one. */
  readonly fallbackTitle: string;
  /** The name of the site's root folder in the torrent. */
  readonly rootName: string;
  /** The version this one follows. */
  readonly previous?: { readonly infohash: Uint8Array; readonly manifest: SiteManifest; readonly items: readonly KnownItem[] };
  /** Items of other devices to carry (a merge). */
  readonly carried?: readonly KnownItem[];
  /** More items whose content a file may still have (kept as they are, like `previous`'s). */
  readonly reuse?: readonly KnownItem[];
  readonly devices?: readonly Uint8Array[];
  /**
   * Files swarmpress itself adds to the version (the block list, core/block-list.ts): file
   * items at reserved paths no folder can hold. Kept as they were when their bytes did not change.
   */
  readonly generated?: readonly GeneratedFile[];
  readonly nowMs: number;
}

/** A file made by swarmpress rather than found in the author's folder. */
export interface GeneratedFile {
  readonly path: string;
  readonly title: string;
  readonly mime: string;
  readonly bytes: Uint8Array;
}

export interface BuiltVersion {
  /** True when the version would list exactly what `previous` lists: nothing was staged. */
  readonly unchanged: boolean;
  /** The staging folder to move into `content/<infohash>/` once the torrent is made (absent when unchanged). */
  readonly staging?: string;
  /** The site's root folder inside `staging` (what the torrent is made of). */
  readonly root?: string;
  readonly manifest: SiteManifest;
  readonly items: readonly { readonly item: Item; readonly path: string }[];
  /** Items made new for this version (changed or added pages). */
  readonly newItems: number;
  /** Items carried from `carried` (the author's other devices). */
  readonly carriedItems: number;
}

function draftKey(draft: ItemDraft | Item): string {
  const related = [...(draft.related ?? [])].map((entry) => [entry.rel, toHex(entry.id), entry.href ?? null]);
  return JSON.stringify([
    draft.title,
    (draft.mime ?? 'text/markdown').toLowerCase(),
    draft.body.kind === 'text' ? ['text', draft.body.text] : ['file', draft.body.path, toHex(draft.body.sha256)],
    draft.source ?? null,
    draft.next === undefined ? null : [draft.next.id === undefined ? null : toHex(draft.next.id), draft.next.href ?? null],
    related,
    [...(draft.meta ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);
}

function fileSha256(file: string): Uint8Array {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return new Uint8Array(hash.digest());
}

/** The item draft for one file of the folder. */
function draftFor(file: SourceFile): ItemDraft {
  const extension = path.extname(file.path).slice(1).toLowerCase();
  const name = path.basename(file.path);
  if (extension === 'md' || extension === 'markdown' || extension === 'txt') {
    if (file.size > MAX_BODY_BYTES + 64 * 1024) throw new AppError('ERR_SOURCE', `${file.path} is larger than ${MAX_BODY_BYTES} bytes, the limit of a page`);
    const text = decodeUtf8(fs.readFileSync(file.absolute));
    if (text === undefined) throw new AppError('ERR_SOURCE', `${file.path} is not UTF-8 text`);
    if (extension === 'txt') return { title: name, mime: 'text/plain', body: { kind: 'text', text } };
    const page = parsePage(text);
    if (!page.ok) throw new AppError('ERR_SOURCE', `${file.path}: ${page.error.message}`);
    const { front, body } = page.value;
    return {
      title: front.title ?? pageTitle(body, name.replace(/\.(md|markdown)$/i, '')),
      body: { kind: 'text', text: body },
      ...(front.source === undefined ? {} : { source: front.source }),
      ...(front.next === undefined ? {} : { next: front.next }),
      related: front.related,
      meta: front.meta,
    };
  }
  return { title: name, mime: MEDIA_TYPES[extension] ?? 'application/octet-stream', body: { kind: 'file', path: file.path, sha256: fileSha256(file.absolute) } };
}

/** Whether an item is a page swarmpress generated (core/site-home.ts). */
export function isGenerated(item: Item | undefined): boolean {
  return item?.meta.get(GENERATOR_KEY) === GENERATOR_VALUE;
}

function writeFile(root: string, sitePath: string, bytes: Uint8Array): void {
  const target = path.join(root, ...sitePath.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, bytes, { flag: 'wx' });
}

function copyFile(root: string, sitePath: string, from: string): void {
  const target = path.join(root, ...sitePath.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(from, target, fs.constants.COPYFILE_EXCL);
}

/**
 * Builds the next version of a site from the author's folder. Throws AppError with a
 * message that names the file at fault (`ERR_SOURCE`) or the rule a manifest broke.
 */
export function buildVersion(request: BuildRequest): BuiltVersion {
  const previousByPath = new Map([...(request.reuse ?? []), ...(request.previous?.items ?? [])].map((known) => [known.path, known]));
  const chosen: { item: Item; bytes: Uint8Array; path: string; from: string | undefined; content?: Uint8Array }[] = [];
  let newItems = 0;
  // `counted`: whether a changed item is one of the author's (generated pages change with them).
  const choose = (sitePath: string, draft: ItemDraft, from: string | undefined, content?: Uint8Array, counted = true): void => {
    const before = previousByPath.get(sitePath);
    const fromContent = content === undefined ? {} : { content };
    if (before !== undefined && draftKey(before.item) === draftKey(draft)) {
      chosen.push({ item: before.item, bytes: before.bytes, path: sitePath, from, ...fromContent });
      return;
    }
    const created = createItem(draft, request.author, request.nowMs);
    if (!created.ok) throw new AppError('ERR_SOURCE', `${sitePath}: ${created.error.message}`);
    chosen.push({ item: created.value, bytes: encodeItem(created.value), path: sitePath, from, ...fromContent });
    if (counted) newItems += 1;
  };
  for (const file of request.source.files) choose(file.path, draftFor(file), file.absolute);
  for (const file of request.generated ?? []) {
    const sha256 = new Uint8Array(crypto.createHash('sha256').update(file.bytes).digest());
    choose(file.path, { title: file.title, mime: file.mime, body: { kind: 'file', path: file.path, sha256 } }, undefined, file.bytes);
  }
  const taken = new Set(chosen.map((entry) => entry.path));
  const ids = new Set(chosen.map((entry) => toHex(entry.item.id)));
  let carriedItems = 0;
  for (const known of request.carried ?? []) {
    // Generated pages are made again below, from everything carried: never carried themselves.
    if (taken.has(known.path) || ids.has(toHex(known.item.id)) || isGenerated(known.item)) continue;
    if (known.item.body.kind === 'file' && known.file === undefined) continue;
    chosen.push({ item: known.item, bytes: known.bytes, path: known.path, from: known.file });
    taken.add(known.path);
    ids.add(toHex(known.item.id));
    carriedItems += 1;
  }
  // Pages generated by an earlier build (carried, or a folder written by `get --out`) are made again.
  for (let i = chosen.length - 1; i >= 0; i--) if (isGenerated(chosen[i]?.item)) chosen.splice(i, 1);
  const index = chosen.find((entry) => entry.path === HOME_PATH);
  const title = request.title ?? index?.item.title ?? request.fallbackTitle;
  const home = homeFiles({
    title,
    ...(request.description === undefined ? {} : { description: request.description }),
    pages: chosen.map(({ item, path: sitePath }) => ({ path: sitePath, title: item.title, createdMs: item.createdMs, mime: item.mime, generated: false })),
    taken: new Set(chosen.map((entry) => entry.path)),
    siteUrl: `bittorrent://${toHex(request.site.publicKey)}`,
    nowMs: request.nowMs,
  });
  for (const file of home) {
    if (file.mime === 'text/markdown') {
      const page = parsePage(file.text);
      if (!page.ok) throw new Error(`a generated page does not parse: ${page.error.message}`);
      choose(file.path, { title: file.title, body: { kind: 'text', text: page.value.body }, meta: page.value.front.meta }, undefined, undefined, false);
    } else {
      const bytes = utf8(file.text);
      choose(file.path, { title: file.title, mime: file.mime, body: { kind: 'file', path: file.path, sha256: new Uint8Array(crypto.createHash('sha256').update(bytes).digest()) }, meta: new Map([[GENERATOR_KEY, GENERATOR_VALUE]]) }, undefined, bytes, false);
    }
  }
  const devices = request.devices ?? [];
  const previous = request.previous;
  const manifestDraft = {
    title,
    items: chosen.map(({ item, path: sitePath }) => ({ item, path: sitePath })),
    ...(previous === undefined ? {} : { previous: previous.infohash }),
    devices,
  };
  const made = createManifest(manifestDraft, request.site, request.nowMs);
  if (!made.ok) throw new AppError(made.error.code, `the site cannot be published: ${made.error.message}`);
  const manifest = made.value;
  if (previous !== undefined && sameListing(previous.manifest, manifest)) {
    return { unchanged: true, manifest: previous.manifest, items: manifestDraft.items, newItems: 0, carriedItems };
  }
  // Stage: <dataDir>/staging/<random>/<rootName>/…
  const staging = path.join(request.dataDir, STAGING_FOLDER, crypto.randomBytes(8).toString('hex'));
  const root = path.join(staging, request.rootName);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  try {
    for (const entry of chosen) {
      const body = entry.item.body;
      if (body.kind === 'text') writeFile(root, entry.path, utf8(body.text));
      else if (entry.content !== undefined) writeFile(root, entry.path, entry.content);
      else if (entry.from !== undefined) copyFile(root, entry.path, entry.from);
      writeFile(root, itemFilePath(entry.item.id), entry.bytes);
      if (body.kind === 'file' && !bytesEqual(fileSha256(path.join(root, ...entry.path.split('/'))), body.sha256)) {
        throw new AppError('ERR_SOURCE', `${entry.path} changed while it was being published; publish again`);
      }
    }
    writeFile(root, MANIFEST_PATH, encodeManifest(manifest));
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOSPC' || errno === 'EDQUOT') {
      // A clear message rather than "internal error: ENOSPC … copyfile" (issue #25 item 6).
      const megabytes = Math.ceil(request.source.files.reduce((sum, file) => sum + file.size, 0) / 1e6);
      throw new StoreError(
        'ERR_STORE_DISK_FULL',
        `the disk of the data folder ${request.dataDir} is full: a new version is a copy of the site's files (about ${megabytes} MB), so free that much space and publish again; nothing was kept (${errno})`,
        { cause: error },
      );
    }
    throw error;
  }
  return { unchanged: false, staging, root, manifest, items: manifestDraft.items, newItems, carriedItems };
}

/** Whether two manifests list the same site: title, items at the same paths, devices. */
function sameListing(a: SiteManifest, b: SiteManifest): boolean {
  if (a.title !== b.title || a.items.length !== b.items.length || a.devices.length !== b.devices.length) return false;
  if (!a.devices.every((salt, i) => bytesEqual(salt, b.devices[i] ?? new Uint8Array(0)))) return false;
  return a.items.every((entry, i) => {
    const other = b.items[i];
    return other !== undefined && other.path === entry.path && bytesEqual(other.id, entry.id);
  });
}

/** Reads the items of a stored version with their paths and body files (for reuse and merges). */
export function knownItems(versionRoot: string, manifest: SiteManifest, itemBytes: (id: Uint8Array) => Uint8Array | undefined): KnownItem[] {
  return manifest.items.flatMap((entry) => {
    const bytes = itemBytes(entry.id);
    if (bytes === undefined) return [];
    const decoded = decodeItem(bytes);
    if (!decoded.ok || !bytesEqual(decoded.value.id, entry.id)) return [];
    const file = decoded.value.body.kind === 'file' ? path.join(versionRoot, ...entry.path.split('/')) : undefined;
    return [{ item: decoded.value, bytes, path: entry.path, ...(file === undefined ? {} : { file }) }];
  });
}

/** A safe name for the site's root folder in the torrent: from the site name or folder name. */
export function rootNameFor(name: string): string {
  return slugify(name, { maxChars: 64, fallback: 'site' });
}

/**
 * A site's title when its author gave none (neither `--title` nor an index.md title): its
 * name, except for the default site, whose internal name "default" readers must never
 * see: the name of the folder it is published from, or "Untitled site" for the folder
 * swarmpress keeps for it in the data folder (the window's).
 */
export function fallbackSiteTitle(dataDir: string, name: string, source: string): string {
  if (name !== DEFAULT_SITE_NAME) return name;
  return path.resolve(source) === path.resolve(dataDir, 'sites', name) ? 'Untitled site' : path.basename(source);
}

/** Removes staging folders a crash left behind. */
export function clearStaging(dataDir: string): void {
  fs.rmSync(path.join(dataDir, STAGING_FOLDER), { recursive: true, force: true });
}
