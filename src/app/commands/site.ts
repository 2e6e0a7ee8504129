/**
 * The commands that work on sites through a node (DESIGN.md "Command line"):
 * `publish DIR`, `post FILE.md`, `get URL`, and (social.ts) `follow|unfollow|block|unblock|
 * mute|unmute URL-or-KEY` and `block-list …`.
 * Each runs on the node that serves the data folder, or on one of its own (node-setup.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatAddress, formatSiteMagnet, parseAddress } from '../../core/address.js';
import { decodeUtf8, fromHex, toHex } from '../../core/bytes.js';
import { AppError, UsageError } from '../../core/errors.js';
import { pageTitle, parsePage } from '../../core/front-matter.js';
import { DEFAULT_SITE_NAME, deriveSiteIdentity, isSiteName } from '../../core/identity.js';
import { decodeItem, ITEM_ID_BYTES, MAX_BODY_BYTES, MAX_TITLE_BYTES, type RelatedItem } from '../../core/item.js';
import { SITE_META_FOLDER } from '../../core/manifest.js';
import type { PublishResult, Resolved, SiteNode } from '../../net/node/site-node.js';
import { readFileCapped } from '../../store/capped-read.js';
import { isGenerated, scanSource } from '../../store/site-build.js';
import { openAddress, writePost } from '../site-pages.js';
import { blockListCommand, muteCommand, socialCommand } from './social.js';
import { currentVersion, runStoredCommand } from './stored.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

const DEFAULT_GET_TIMEOUT_S = 60;

function siteName(name: string | undefined): string {
  const chosen = name ?? DEFAULT_SITE_NAME;
  if (!isSiteName(chosen)) throw new UsageError(`--site takes a name of lower-case letters, digits, '-' or '_' (up to 64), not '${chosen}'`);
  return chosen;
}

function printPublished(out: Output, result: PublishResult, extra: Record<string, unknown> = {}): void {
  const key = toHex(result.key);
  const data = {
    event: result.unchanged ? 'unchanged' : 'published',
    site: result.site,
    title: result.title,
    url: `bittorrent://${key}`,
    magnet: formatSiteMagnet(result.key),
    infohash: toHex(result.infohash),
    seq: result.seq.toString(),
    items: result.items,
    newItems: result.newItems,
    merged: result.merged,
    put: result.put,
    skipped: result.skipped,
    ...extra,
  };
  const lines = result.unchanged
    ? [`nothing changed: '${result.title}' is still version ${result.seq.toString()}`]
    : [`published '${result.title}' version ${result.seq.toString()} (${result.items} items, ${result.newItems} new${result.merged > 0 ? `, ${result.merged} from your other devices` : ''})`];
  lines.push(`url:      bittorrent://${key}`, `magnet:   ${formatSiteMagnet(result.key)}`, `infohash: ${toHex(result.infohash)}`, `seq:      ${result.seq.toString()}`);
  if (!result.put) lines.push('the DHT did not take the record yet: it is kept in the outbox and put again by the running node');
  if (result.skipped.length > 0) lines.push(`left out (hidden files and links): ${result.skipped.slice(0, 10).join(', ')}${result.skipped.length > 10 ? ', …' : ''}`);
  out.print(data, lines.join('\n'));
}

/** Whether two paths name the same folder (symbolic links followed where they exist). */
function sameFolder(a: string, b: string): boolean {
  const real = (folder: string): string => {
    try {
      return fs.realpathSync(folder);
    } catch {
      return path.resolve(folder);
    }
  };
  return real(a) === real(b);
}

/** The author's pages in the current version of site `name` that folder `dir` does not hold (generated pages aside). */
function pagesNotIn(node: SiteNode, name: string, dir: string): string[] {
  const key = deriveSiteIdentity(node.author(), name).publicKey;
  const { infohash } = currentVersion(node.store, key);
  const manifest = infohash === undefined ? undefined : node.store.manifest(infohash)?.manifest;
  if (manifest === undefined) return [];
  const present = new Set(scanSource(dir).files.map((file) => file.path));
  return manifest.items
    .filter((entry) => !present.has(entry.path) && !entry.path.startsWith(`${SITE_META_FOLDER}/`) && !isGenerated(node.store.item(entry.id)))
    .map((entry) => entry.path);
}

/** A site title given on the command line, checked. */
function siteTitle(text: string): string {
  const title = text.replace(/[\r\n]+/g, ' ').trim();
  if (title === '') throw new UsageError('--title takes the site\'s title, not an empty text');
  if (Buffer.byteLength(title) > MAX_TITLE_BYTES) throw new UsageError(`--title is longer than ${MAX_TITLE_BYTES} bytes`);
  return title;
}

/** Notice for a command that ran on a node of its own: its seeding ends with it. */
function seedNotice(out: Output, delegated: boolean): void {
  if (delegated) return;
  out.note("note: no swarmpress node is running for this data folder, so the site is seeded only while a node runs: start 'swarmpress serve' (or the app) to keep it online");
}

export async function publishCommand(node: SiteNode, command: Extract<Command, { name: 'publish' }>, out: Output, delegated: boolean): Promise<number> {
  const name = siteName(command.site);
  const dir = path.resolve(command.dir);
  // A folder with nothing visible in it is a mistyped path far more often than a site.
  if (scanSource(dir).files.length === 0) throw new AppError('ERR_SOURCE', `${dir} has no files to publish`);
  const recorded = node.siteSource(name);
  if (recorded !== undefined && !sameFolder(recorded, dir)) {
    // The window, `post` and an earlier `publish` wrote the site in `recorded`: publishing
    // another folder would drop every page that folder lacks (issue #21).
    const shown = `your site${name === DEFAULT_SITE_NAME ? '' : ` '${name}'`}`;
    if (!command.replace) {
      throw new AppError('ERR_OTHER_FOLDER', `${shown} is published from ${recorded}, not ${dir}: publish that folder (or copy these files into it), or add --replace to make ${dir} the site's folder instead`);
    }
    const lost = pagesNotIn(node, name, dir);
    if (!command.yes) {
      const list = lost.length === 0 ? 'no page would disappear' : `${lost.length} page${lost.length === 1 ? '' : 's'} would disappear from it: ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? ', …' : ''}`;
      throw new AppError('ERR_CONFIRM', `--replace makes ${dir} the folder of ${shown} instead of ${recorded}; ${list}. Add --yes to do it`);
    }
    if (lost.length > 0) out.note(`replacing ${recorded} with ${dir}: removed ${lost.join(', ')}`);
  }
  const result = await node.publish(dir, name, command.title === undefined ? {} : { title: siteTitle(command.title) });
  printPublished(out, result);
  seedNotice(out, delegated);
  return EXIT_OK;
}

/** What `--reply-to` names: an item id, or the address of a page (fetched if needed). */
async function replyTarget(node: SiteNode, reference: string): Promise<RelatedItem> {
  const id = fromHex(reference.toLowerCase(), ITEM_ID_BYTES);
  if (id !== undefined) return { id, rel: 'reply' };
  const parsed = parseAddress(reference);
  if (!parsed.ok) throw new UsageError(`--reply-to takes an item id (64 hex digits) or an address: ${parsed.error.message}`);
  const opened = await openAddress(node, parsed.value, { timeoutMs: 30_000 });
  return { id: opened.entry.id, rel: 'reply', href: formatAddress(parsed.value) };
}

export async function postCommand(node: SiteNode, command: Extract<Command, { name: 'post' }>, out: Output, delegated: boolean): Promise<number> {
  const name = siteName(command.site);
  const bytes = readFileCapped(command.file, MAX_BODY_BYTES, 'the limit of a post');
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new AppError('ERR_FILE', `${command.file} is not UTF-8 text`);
  const page = parsePage(text);
  if (!page.ok) throw new AppError('ERR_FILE', `${command.file}: ${page.error.message}`);
  const { front, body } = page.value;
  const title = command.title ?? front.title ?? pageTitle(body, path.basename(command.file).replace(/\.(md|markdown)$/i, ''));
  const related = [...front.related];
  if (command.replyTo !== undefined) related.push(await replyTarget(node, command.replyTo));
  const { result, sitePath, itemId } = await writePost(node, { front: { ...front, title, related }, body }, name);
  printPublished(out, result, { post: sitePath, item: itemId === undefined ? undefined : toHex(itemId) });
  seedNotice(out, delegated);
  return EXIT_OK;
}

function describeSource(resolved: Resolved): string {
  switch (resolved.source) {
    case 'dht':
      return `newest record from the DHT: seq ${resolved.seq?.toString() ?? '?'}`;
    case 'lan':
      return `newest record from a LAN neighbour: seq ${resolved.seq?.toString() ?? '?'}`;
    case 'stored':
      return `offline copy: the last stored record, seq ${resolved.seq?.toString() ?? '?'}${resolved.versionCreatedMs === undefined ? '' : `, version of ${new Date(resolved.versionCreatedMs).toISOString()}`} — ${resolved.note ?? ''}`;
    case 'infohash':
      return 'a fixed version, by its infohash';
  }
}

export async function getCommand(node: SiteNode, command: Extract<Command, { name: 'get' }>, out: Output): Promise<number> {
  const parsed = parseAddress(command.url);
  if (!parsed.ok) throw new UsageError(`'${command.url}' is not an address swarmpress opens: ${parsed.error.message}`);
  const timeoutMs = (command.timeoutS ?? DEFAULT_GET_TIMEOUT_S) * 1000;
  const opened = await openAddress(node, parsed.value, {
    timeoutMs,
    onResolved: (resolved) => {
      const data = { event: 'resolved', source: resolved.source, infohash: toHex(resolved.infohash), seq: resolved.seq?.toString(), note: resolved.note };
      if (out.json) out.print(data, '');
      else out.note(`${describeSource(resolved)} → ${toHex(resolved.infohash)}`);
    },
  });
  const { resolved, entry } = opened;
  const root = node.store.versionRoot(resolved.infohash);
  if (command.out !== undefined) {
    const manifest = node.store.manifest(resolved.infohash)?.manifest;
    if (root === undefined || manifest === undefined) throw new Error('a fetched version has no files');
    fs.mkdirSync(command.out, { recursive: true });
    fs.cpSync(root, command.out, { recursive: true, force: true });
    out.print(
      { event: 'written', out: command.out, title: manifest.title, infohash: toHex(resolved.infohash), seq: resolved.seq?.toString(), source: resolved.source, items: manifest.items.length },
      `wrote '${manifest.title}' (${manifest.items.length} items) to ${command.out}`,
    );
    return EXIT_OK;
  }
  const itemBytes = node.store.itemBytes(entry.id);
  const item = itemBytes === undefined ? undefined : decodeItem(itemBytes);
  if (item === undefined || !item.ok) throw new Error('a stored item cannot be read');
  if (item.value.body.kind !== 'text') {
    throw new AppError('ERR_NOT_TEXT', `${entry.path} is a ${item.value.mime} file, not a page: use --out DIR to write the files`);
  }
  const replies = threadOf(node, item.value.id);
  out.print(
    { event: 'page', path: entry.path, title: item.value.title, id: toHex(item.value.id), infohash: toHex(resolved.infohash), seq: resolved.seq?.toString(), source: resolved.source, text: item.value.body.text, replies },
    item.value.body.text.replace(/\n$/, ''),
  );
  if (!out.json && replies.length > 0) out.note(`replies (${replies.length}):\n${replies.map((reply) => `${'  '.repeat(reply.depth - 1)}- ${reply.title} (${reply.url ?? reply.id})`).join('\n')}`);
  return EXIT_OK;
}

/** The replies the store knows below item `id` (from followed or read sites, or verified reply notices), blocked authors left out. */
function threadOf(node: SiteNode, id: Uint8Array): { id: string; title: string; depth: number; created: string; url?: string }[] {
  const store = node.store;
  return store.thread(id).map(({ item, depth }) => {
    const place = store.itemPlaces(item.id).find((candidate) => !store.isBlocked(candidate.siteKey));
    return {
      id: toHex(item.id), title: item.title, depth, created: new Date(item.createdMs).toISOString(),
      ...(place === undefined ? {} : { url: `bittorrent://${toHex(place.siteKey)}/${place.path.split('/').map(encodeURIComponent).join('/')}` }),
    };
  });
}

/** Runs one of the commands above. */
export function runSiteCommand(node: SiteNode, command: Command, out: Output, delegated: boolean): Promise<number> {
  switch (command.name) {
    case 'publish':
      return publishCommand(node, command, out, delegated);
    case 'post':
      return postCommand(node, command, out, delegated);
    case 'get':
      return getCommand(node, command, out);
    case 'follow':
    case 'unfollow':
    case 'block':
      return socialCommand(node, command, out, delegated);
    case 'unblock':
    case 'mute':
    case 'unmute':
      return muteCommand(node, command, out);
    case 'block-list':
      return blockListCommand(node, command, out);
    case 'sites':
    case 'search':
    case 'history':
      return runStoredCommand(node, command, out);
    default:
      throw new UsageError(`'${command.name}' does not run on a node`);
  }
}
