/**
 * Pages of sites through a node, shared by the command line (commands/site.ts) and the
 * window: opening the page an address names (resolve, fetch, verify, find its item),
 * writing a post into the author's site folder and publishing it (`swarmpress post`, the
 * editor's Publish), editing a page of that folder and publishing it again, and the
 * author's sites (which site a key is, creating a new one like `publish DIR --site NAME`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SwarmAddress } from '../core/address.js';
import { bytesEqual, toHex } from '../core/bytes.js';
import { AppError } from '../core/errors.js';
import { formatFrontMatter, pageTitle, parsePage, type FrontMatter } from '../core/front-matter.js';
import { DEFAULT_SITE_NAME, deriveSiteIdentity, isSiteName } from '../core/identity.js';
import { MAX_BODY_BYTES, MAX_TITLE_BYTES } from '../core/item.js';
import { slugify } from '../core/slug.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { readFileCapped } from '../store/capped-read.js';
import { hasIdentity } from '../store/identity-file.js';
import { readOwnSites } from '../store/local-files.js';
import type { FetchProgress, PublishResult, Resolved, SiteNode } from '../net/node/site-node.js';

/** Longest wait for the DHT while resolving a site (the download has its own timeout). */
const MAX_RESOLVE_MS = 20_000;

/** An item of a version, as a page: its id and its path in the version. */
export interface PageEntry {
  readonly id: Uint8Array;
  readonly path: string;
}

/** A page opened: the version it is in (stored), how it was found, and its item. */
export interface OpenedPage {
  readonly resolved: Resolved;
  readonly entry: PageEntry;
}

/** The version an address names, fetched and verified, and the entry of the page it names. */
export async function openAddress(
  node: SiteNode,
  address: SwarmAddress,
  options: { timeoutMs: number; onResolved?: (resolved: Resolved) => void; onProgress?: (progress: FetchProgress) => void },
): Promise<OpenedPage> {
  let resolved: Resolved;
  if (address.kind === 'mutable') {
    resolved = await node.resolveSite(address.publicKey, address.salt, { timeoutMs: Math.min(options.timeoutMs, MAX_RESOLVE_MS) });
  } else {
    if (address.infohash === undefined) throw new AppError('ERR_UNSUPPORTED', 'this address names a v2-only torrent; swarmpress opens versions by their v1 infohash');
    resolved = { infohash: address.infohash, source: 'infohash' };
  }
  options.onResolved?.(resolved);
  if (address.kind === 'mutable' && node.store.isBlocked(address.publicKey)) throw new AppError('ERR_BLOCKED', 'this site is blocked');
  await node.fetch(resolved.infohash, {
    timeoutMs: options.timeoutMs,
    origin: 'get',
    ...(address.kind === 'mutable' ? { expectAuthor: address.publicKey } : {}),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  if (node.store.version(resolved.infohash) === undefined) throw new Error('a fetched version is not stored');
  const entry = node.store.versionPage(resolved.infohash, address.path);
  if (entry === undefined) throw new AppError('ERR_NOT_FOUND', `version ${toHex(resolved.infohash)} has no page at '${address.path === '' ? 'index.md' : address.path}'`);
  return { resolved, entry };
}

/** The post's file name in the site folder: `posts/<date>-<slug>.md`, not taken yet. */
function postPath(source: string, title: string, nowMs: number): string {
  const date = new Date(nowMs).toISOString().slice(0, 10);
  const slug = slugify(title);
  for (let n = 1; ; n++) {
    const candidate = path.join(source, 'posts', `${date}-${slug}${n === 1 ? '' : `-${n}`}.md`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** The author's sites by name: the default one and every site published from this data folder. */
export function ownSiteNames(dataDir: string): string[] {
  const names = new Set([DEFAULT_SITE_NAME, ...readOwnSites(dataDir).map((site) => site.name)]);
  return [...names].sort((a, b) => (a === DEFAULT_SITE_NAME ? -1 : b === DEFAULT_SITE_NAME ? 1 : a.localeCompare(b)));
}

/** The name of the author's site whose key is `key`, if it is one of theirs. */
export function ownSiteName(node: SiteNode, key: Uint8Array): string | undefined {
  // Without a key (lost, to be restored) nothing is editable: asking author() would refuse.
  if (node.store.site(key)?.isOwn !== true || !hasIdentity(node.dataDir)) return undefined;
  const author = node.author();
  return ownSiteNames(node.dataDir).find((name) => bytesEqual(deriveSiteIdentity(author, name).publicKey, key));
}

/** The file of page `sitePath` in the folder of site `name` (checked to stay inside it), or undefined. */
export function pageFile(node: SiteNode, name: string, sitePath: string): string | undefined {
  const folder = siteFolder(node, name);
  const file = path.resolve(folder, ...sitePath.split('/'));
  if (!file.startsWith(folder + path.sep) || !/\.(md|markdown)$/i.test(file)) return undefined;
  return fs.existsSync(file) ? file : undefined;
}

/** A page of the author's site as its folder has it: the title shown to edit, the Markdown, and its front matter. */
export interface OwnPage {
  readonly file: string;
  readonly title: string;
  readonly body: string;
  readonly front: FrontMatter;
}

/** Reads page `sitePath` of site `name` from its folder. */
export function readOwnPage(node: SiteNode, name: string, sitePath: string): OwnPage {
  const file = pageFile(node, name, sitePath);
  if (file === undefined) throw new AppError('ERR_FILE', `${sitePath} is not a Markdown file in the folder of your site '${name}' (${siteFolder(node, name)})`);
  const page = parsePage(readFileCapped(file, MAX_BODY_BYTES, 'the limit of a page').toString('utf8'));
  if (!page.ok) throw new AppError('ERR_FILE', `${file}: ${page.error.message}`);
  const { front, body } = page.value;
  return { file, front, body, title: front.title ?? pageTitle(body, path.basename(file).replace(/\.(md|markdown)$/i, '')) };
}

/** Copies `media` into `folder` (paths relative to it); returns the files it wrote. */
function copyMedia(folder: string, media: NewPost['media']): string[] {
  const written: string[] = [];
  try {
    for (const item of media ?? []) {
      const to = path.join(folder, ...item.path.split('/'));
      if (!to.startsWith(folder + path.sep)) throw new AppError('ERR_FILE', `${item.path} is outside the page's folder`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (fs.existsSync(to)) continue;
      fs.copyFileSync(item.file, to, fs.constants.COPYFILE_EXCL);
      written.push(to);
    }
  } catch (error) {
    for (const file of written) fs.rmSync(file, { force: true });
    throw error;
  }
  return written;
}

/**
 * Writes the edited page `sitePath` back into the folder of site `name` — its front matter
 * kept as it is in the file, the title set when it was given there or differs from the
 * page's heading — and publishes the site: a new version where this page changed (the
 * others keep their items). On failure the file is put back as it was.
 */
export async function rewritePage(
  node: SiteNode,
  name: string,
  sitePath: string,
  edited: { readonly title: string; readonly body: string; readonly media?: NewPost['media'] },
): Promise<{ result: PublishResult; itemId?: Uint8Array }> {
  const page = readOwnPage(node, name, sitePath);
  const title = edited.title.trim();
  if (Buffer.byteLength(title) > MAX_TITLE_BYTES) throw new AppError('ERR_FILE', `the title is longer than ${MAX_TITLE_BYTES} bytes`);
  const keepTitle = page.front.title !== undefined || (title !== '' && title !== pageTitle(edited.body, ''));
  const front: FrontMatter = { ...page.front, ...(keepTitle ? { title: title === '' ? page.title : title } : {}) };
  const hasFront = page.front.title !== undefined || page.front.source !== undefined || page.front.next !== undefined || page.front.related.length > 0 || page.front.meta.size > 0 || keepTitle;
  const before = fs.readFileSync(page.file);
  const mode = fs.statSync(page.file).mode & 0o777;
  const written = copyMedia(path.dirname(page.file), edited.media);
  try {
    // Atomic: a crash while writing leaves the page as it was or as edited, never half of it.
    writeFileAtomic(page.file, Buffer.from(`${hasFront ? formatFrontMatter(front) : ''}${edited.body}`), mode);
    const result = await node.publish(siteFolder(node, name), name);
    const entry = node.store.manifest(result.infohash)?.manifest.items.find((item) => item.path === sitePath);
    return { result, ...(entry === undefined ? {} : { itemId: entry.id }) };
  } catch (error) {
    writeFileAtomic(page.file, before, mode);
    for (const file of written) fs.rmSync(file, { force: true });
    throw error;
  }
}

/**
 * Creates the author's site `name` titled `title` — an empty folder in the data folder (its
 * home page is generated, listing the posts as they come; the title is recorded in
 * own-sites.json) — and publishes its first version (keys from deriveSiteIdentity, like
 * `swarmpress publish DIR --site NAME`). Refuses a name that is not a site name or is
 * taken; on failure the folder is removed again.
 */
export async function createSite(node: SiteNode, name: string, title: string): Promise<PublishResult> {
  if (!isSiteName(name)) throw new AppError('ERR_SITE_NAME', `a site name is lower-case letters, digits, '-' or '_' (up to 64), not '${name}'`);
  if (node.siteSource(name) !== undefined) throw new AppError('ERR_SITE_NAME', `you have a site named '${name}' already`);
  const heading = title.replace(/[\r\n]+/g, ' ').trim();
  if (heading === '') throw new AppError('ERR_SITE_NAME', 'the site needs a title');
  if (Buffer.byteLength(heading) > MAX_TITLE_BYTES) throw new AppError('ERR_SITE_NAME', `the title is longer than ${MAX_TITLE_BYTES} bytes`);
  const folder = siteFolder(node, name);
  if (fs.existsSync(folder)) throw new AppError('ERR_SITE_NAME', `the folder ${folder} exists already: choose another name`);
  fs.mkdirSync(folder, { recursive: true });
  try {
    return await node.publish(folder, name, { title: heading });
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** The folder the author's site `name` is published from (the data folder's own one when new). */
export function siteFolder(node: SiteNode, name: string): string {
  return node.siteSource(name) ?? path.join(node.dataDir, 'sites', name);
}

/** A post to add: its front matter and Markdown, and files to copy beside it. */
export interface NewPost {
  readonly front: FrontMatter;
  readonly body: string;
  /** Files to copy into the site, `path` relative to the post's folder (e.g. `media/x.png`). */
  readonly media?: readonly { readonly file: string; readonly path: string }[];
}

/** Where a post would go (for a confirmation): the site folder and its path in the site. */
export function plannedPost(node: SiteNode, name: string, title: string, nowMs: number): { folder: string; sitePath: string } {
  const folder = siteFolder(node, name);
  return { folder, sitePath: path.relative(folder, postPath(folder, title, nowMs)).split(path.sep).join('/') };
}

/**
 * Writes `post` into the author's site folder as `posts/<date>-<slug>.md` (its media beside
 * it) and publishes the site. On failure the files written are removed again.
 */
export async function writePost(node: SiteNode, post: NewPost, name: string, nowMs: number = Date.now()): Promise<{ result: PublishResult; sitePath: string; itemId?: Uint8Array }> {
  const source = siteFolder(node, name);
  const postsDir = path.join(source, 'posts');
  fs.mkdirSync(postsDir, { recursive: true });
  const target = postPath(source, post.front.title ?? 'post', nowMs);
  const written = copyMedia(postsDir, post.media);
  try {
    fs.writeFileSync(target, `${formatFrontMatter(post.front)}${post.body}`, { flag: 'wx' });
    written.push(target);
    const result = await node.publish(source, name);
    const sitePath = path.relative(source, target).split(path.sep).join('/');
    const entry = node.store.manifest(result.infohash)?.manifest.items.find((item) => item.path === sitePath);
    return { result, sitePath, ...(entry === undefined ? {} : { itemId: entry.id }) };
  } catch (error) {
    for (const file of written) fs.rmSync(file, { force: true });
    throw error;
  }
}
