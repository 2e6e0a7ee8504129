/**
 * Commands that read what this data folder stores, through the node that serves it (or one
 * of its own): `sites` (the author's own sites and the followed ones, with their newest
 * version), `search WORDS` (the full-text index of every stored item) and `history URL`
 * (the stored versions of a site). They change nothing.
 */
import { parseAddress } from '../../core/address.js';
import { decodeSitePointer } from '../../core/bep46.js';
import { bytesEqual, toHex } from '../../core/bytes.js';
import { AppError, UsageError } from '../../core/errors.js';
import { deriveSiteIdentity } from '../../core/identity.js';
import type { MutableRecord } from '../../core/bep44.js';
import type { SiteManifest } from '../../core/manifest.js';
import type { SiteNode } from '../../net/node/site-node.js';
import { isGenerated } from '../../store/site-build.js';
import type { Store } from '../../store/store.js';
import { hasIdentity, loadIdentity } from '../../store/identity-file.js';
import { readOwnSites } from '../../store/local-files.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';
import { ownSiteNames } from '../site-pages.js';
import { isHidden, isListedHit } from '../social-actions.js';

/** Most hits `search` prints. */
const MAX_SEARCH_HITS = 50;

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** One line of `sites`. */
interface SiteLine {
  readonly kind: 'own' | 'followed';
  readonly key: string;
  readonly url: string;
  readonly title: string;
  readonly name?: string;
  readonly seq?: string;
  readonly infohash?: string;
  readonly items?: number;
  readonly publishedAt?: string;
  readonly arrivedAt?: string;
}

/**
 * The newest record of a site's unsalted slot this node knows and the version it names:
 * a stored record, or one of this node's own still waiting in the outbox (a publish
 * without the DHT, or whose put failed, stores its record only there).
 */
export function currentVersion(store: Store, key: Uint8Array): { record?: MutableRecord; infohash?: Uint8Array } {
  let record = store.latestRecord(key);
  for (const pending of store.pendingPublishes()) {
    if (bytesEqual(pending.record.publicKey, key) && pending.record.salt.length === 0 && (record === undefined || pending.record.seq > record.seq)) record = pending.record;
  }
  if (record === undefined) return {};
  const pointer = decodeSitePointer(record.value);
  return pointer.ok ? { record, infohash: pointer.value } : { record };
}

/** Items of a version its author wrote (what `publish` counts): generated pages left out. */
function authorItems(store: Store, manifest: SiteManifest): number {
  return manifest.items.filter((entry) => !isGenerated(store.item(entry.id))).length;
}

function siteLine(node: SiteNode, key: Uint8Array, kind: 'own' | 'followed', name?: string): SiteLine {
  const store = node.store;
  const { record, infohash } = currentVersion(store, key);
  const version = infohash === undefined ? undefined : store.version(infohash);
  const manifest = infohash === undefined ? undefined : store.manifest(infohash)?.manifest;
  const info = store.site(key);
  const title = manifest?.title ?? info?.title ?? '';
  return {
    kind, key: toHex(key), url: `bittorrent://${toHex(key)}`, title: title === '' ? '(not fetched yet)' : title,
    ...(name === undefined ? {} : { name }),
    ...(record === undefined ? {} : { seq: record.seq.toString() }),
    ...(infohash === undefined ? {} : { infohash: toHex(infohash) }),
    ...(manifest === undefined ? {} : { items: authorItems(store, manifest) }),
    ...(version === undefined ? {} : { publishedAt: new Date(version.createdMs).toISOString(), arrivedAt: new Date(version.receivedMs).toISOString() }),
  };
}

/** `swarmpress sites`: the author's sites, then the followed ones. */
export function sitesCommand(node: SiteNode, out: Output): number {
  const author = hasIdentity(node.dataDir) ? loadIdentity(node.dataDir) : undefined;
  const recorded = new Set(readOwnSites(node.dataDir).map((site) => site.name));
  const own = (author === undefined ? [] : ownSiteNames(node.dataDir))
    .map((name) => ({ name, key: deriveSiteIdentity(author as NonNullable<typeof author>, name).publicKey }))
    .filter(({ name, key }) => recorded.has(name) || currentVersion(node.store, key).record !== undefined)
    .map(({ name, key }) => siteLine(node, key, 'own', name));
  const followed = node.store.follows()
    .filter((entry) => entry.kind === 'site' && !own.some((line) => line.key === toHex(entry.key)))
    .map((entry) => siteLine(node, entry.key, 'followed'));
  const lines = [...own, ...followed];
  if (lines.length === 0) {
    out.print({ event: 'sites', sites: [] }, "no sites yet: publish one with 'swarmpress publish DIR', follow one with 'swarmpress follow URL'");
    return EXIT_OK;
  }
  if (out.json) {
    for (const line of lines) out.print({ event: 'site', ...line }, '');
    return EXIT_OK;
  }
  const human = lines.map((line) => {
    const version = line.seq === undefined ? 'no version stored' : `version ${line.seq}${line.items === undefined ? '' : `, ${line.items} items`}${line.arrivedAt === undefined ? '' : `, arrived ${line.arrivedAt}`}`;
    return `${line.kind === 'own' ? 'own     ' : 'followed'}  ${line.title}${line.name === undefined ? '' : ` [--site ${line.name}]`} — ${version}\n          ${line.url}`;
  });
  out.print({}, human.join('\n'));
  return EXIT_OK;
}

/** `swarmpress search WORDS`: stored items that match, best first, with where they are. */
export function searchCommand(node: SiteNode, words: string, out: Output): number {
  const text = words.trim();
  if (text === '') throw new UsageError("'swarmpress search' needs words to look for");
  // What the window's search lists (social-actions.ts): no hidden site or author, block
  // list or generated page; an item in several stored versions is one hit.
  const seen = new Set<string>();
  const hits = node.store.search(text, { limit: MAX_SEARCH_HITS }).filter((hit) => {
    if (seen.has(toHex(hit.id))) return false;
    seen.add(toHex(hit.id));
    return isListedHit(node.store, hit);
  });
  const found = hits.map((hit) => {
    const place = node.store.itemPlaces(hit.id).find((candidate) => !isHidden(node.store, candidate.siteKey));
    return {
      id: toHex(hit.id), title: hit.title, snippet: hit.snippet, created: iso(hit.createdMs),
      ...(place === undefined ? {} : { url: `bittorrent://${toHex(place.siteKey)}/${place.path.split('/').map(encodeURIComponent).join('/')}` }),
    };
  });
  if (out.json) {
    for (const hit of found) out.print({ event: 'hit', ...hit }, '');
    if (found.length === 0) out.print({ event: 'hit', hits: 0 }, '');
    return EXIT_OK;
  }
  if (found.length === 0) {
    out.print({}, `nothing stored here matches '${text}'`);
    return EXIT_OK;
  }
  out.print({}, found.map((hit) => `${hit.title}\n  ${hit.snippet.replace(/\s+/g, ' ')}\n  ${hit.url ?? hit.id}`).join('\n'));
  return EXIT_OK;
}

/** `swarmpress history URL`: the stored versions of a site, newest first. */
export function historyCommand(node: SiteNode, url: string, out: Output): number {
  const parsed = parseAddress(url);
  if (!parsed.ok) throw new UsageError(`'${url}' is not an address swarmpress opens: ${parsed.error.message}`);
  const address = parsed.value;
  let key: Uint8Array | undefined;
  if (address.kind === 'mutable') key = address.publicKey;
  else if (address.infohash !== undefined) key = node.store.version(address.infohash)?.siteKey;
  if (key === undefined) throw new AppError('ERR_NOT_FOUND', `no version of ${url} is stored here: open it first (swarmpress get URL)`);
  const siteKey = key;
  const versions = node.store.siteVersions(siteKey).filter((version) => bytesEqual(version.siteKey, siteKey));
  if (versions.length === 0) throw new AppError('ERR_NOT_FOUND', `no version of bittorrent://${toHex(siteKey)} is stored here: open it first (swarmpress get URL)`);
  // This node's own records still in the outbox name versions no stored record names yet.
  const pendingSeq = new Map(node.store.pendingPublishes()
    .filter((pending) => bytesEqual(pending.record.publicKey, siteKey) && pending.record.salt.length === 0)
    .map((pending) => [toHex(pending.infohash), pending.record.seq]));
  const rows = versions.map((version) => {
    const manifest = node.store.manifest(version.infohash)?.manifest;
    const seq = version.seq ?? pendingSeq.get(toHex(version.infohash));
    return {
      infohash: toHex(version.infohash), ...(seq === undefined ? {} : { seq: seq.toString() }),
      title: manifest?.title ?? '', items: manifest === undefined ? 0 : authorItems(node.store, manifest),
      publishedAt: iso(version.createdMs), arrivedAt: iso(version.receivedMs),
      ...(version.previous === undefined ? {} : { previous: toHex(version.previous) }),
    };
  });
  if (out.json) {
    for (const row of rows) out.print({ event: 'version', key: toHex(siteKey), ...row }, '');
    return EXIT_OK;
  }
  const human = rows.map((row) => `${row.seq === undefined ? 'version ? (named by no record)' : `version ${row.seq}`}  ${row.publishedAt ?? ''}  ${row.items} items  ${row.infohash}${row.title === '' ? '' : `  '${row.title}'`}`);
  out.print({}, [`${rows.length} stored version${rows.length === 1 ? '' : 's'} of bittorrent://${toHex(siteKey)}, newest first:`, ...human].join('\n'));
  return EXIT_OK;
}

/** Runs one of the commands above. */
export function runStoredCommand(node: SiteNode, command: Command, out: Output): Promise<number> {
  switch (command.name) {
    case 'sites':
      return Promise.resolve(sitesCommand(node, out));
    case 'search':
      return Promise.resolve(searchCommand(node, command.words, out));
    case 'history':
      return Promise.resolve(historyCommand(node, command.url, out));
    default:
      throw new UsageError(`'${command.name}' is not a command that reads the store`);
  }
}
