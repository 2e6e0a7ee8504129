/**
 * Pages of sites through a node, shared by the command line (commands/site.ts) and the
 * window: opening the page an address names (resolve, fetch, verify, find its item), and
 * writing a post into the author's site folder and publishing it (`swarmpress post`, the
 * editor's Publish).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SwarmAddress } from '../core/address.js';
import { toHex } from '../core/bytes.js';
import { AppError } from '../core/errors.js';
import { formatFrontMatter, type FrontMatter } from '../core/front-matter.js';
import type { FetchProgress, PublishResult, Resolved, SiteNode } from '../net/site-node.js';

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
  const slug = title.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'post';
  for (let n = 1; ; n++) {
    const candidate = path.join(source, 'posts', `${date}-${slug}${n === 1 ? '' : `-${n}`}.md`);
    if (!fs.existsSync(candidate)) return candidate;
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
  const written: string[] = [];
  try {
    for (const media of post.media ?? []) {
      const to = path.join(postsDir, ...media.path.split('/'));
      if (!to.startsWith(postsDir + path.sep)) throw new AppError('ERR_FILE', `${media.path} is outside the post's folder`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (fs.existsSync(to)) continue;
      fs.copyFileSync(media.file, to, fs.constants.COPYFILE_EXCL);
      written.push(to);
    }
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
