/**
 * Small files of the data folder beside the index:
 * - `own-sites.json`: the author's sites by name, with the folder each is published from;
 * - `torrents/<infohash>.resume`: libtorrent's resume data of every version this node
 *   holds (with the torrent's info dictionary), so a restart seeds again without hashing;
 * - `device-id`: a random id of this data folder, for the device slot (publish-rules.ts).
 * Each is written atomically (atomic-file.ts). What is malformed is ignored and reported
 * by the caller, never trusted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fromHex, toHex } from '../core/bytes.js';
import { INFOHASH_BYTES } from '../core/bep46.js';
import { isSiteName } from '../core/identity.js';
import { MAX_TITLE_BYTES } from '../core/item.js';
import { createFileAtomic, folderNames, writeFileAtomic } from './atomic-file.js';

const OWN_SITES_FILE = 'own-sites.json';
export const TORRENTS_FOLDER = 'torrents';
const RESUME_SUFFIX = '.resume';
const DEVICE_ID_FILE = 'device-id';
/** Largest resume file read back (the info dictionary of a big site is inside). */
const MAX_RESUME_BYTES = 64 * 1024 * 1024;

/** One of the author's sites. */
export interface OwnSite {
  readonly name: string;
  /** The folder it is published from (absolute). */
  readonly source: string;
  /** Its title as the author set it (`--title`, New site, site settings), if they did. */
  readonly title?: string;
  /** Its description (the generated home page and feed show it), if the author gave one. */
  readonly description?: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && Buffer.byteLength(value) <= MAX_TITLE_BYTES * 4 ? value : undefined;
}

/** The author's sites, by name. */
export function readOwnSites(dataDir: string): OwnSite[] {
  const data = readJson(path.join(dataDir, OWN_SITES_FILE));
  if (typeof data !== 'object' || data === null) return [];
  const sites = (data as { sites?: unknown }).sites;
  if (typeof sites !== 'object' || sites === null) return [];
  return Object.entries(sites).flatMap(([name, value]) => {
    const entry = value as { source?: unknown; title?: unknown; description?: unknown } | null;
    const source = entry?.source;
    if (!isSiteName(name) || typeof source !== 'string' || !path.isAbsolute(source)) return [];
    const title = optionalText(entry?.title);
    const description = optionalText(entry?.description);
    return [{ name, source, ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) }];
  });
}

/**
 * Records (or moves) the folder site `name` is published from, and its title and
 * description when given (what is not given is kept as it was).
 */
export function writeOwnSite(dataDir: string, site: OwnSite): void {
  const sites: Record<string, Omit<OwnSite, 'name'>> = Object.fromEntries(readOwnSites(dataDir).map(({ name, ...rest }) => [name, rest]));
  const { name, ...fields } = site;
  sites[name] = { ...sites[name], ...fields };
  writeFileAtomic(path.join(dataDir, OWN_SITES_FILE), Buffer.from(`${JSON.stringify({ sites }, null, 2)}\n`));
}

/** Saves the resume data of version `infohash`. */
export function writeResumeData(dataDir: string, infohash: Uint8Array, bytes: Uint8Array): void {
  const folder = path.join(dataDir, TORRENTS_FOLDER);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileAtomic(path.join(folder, `${toHex(infohash)}${RESUME_SUFFIX}`), bytes);
}

/** Forgets the resume data of version `infohash`. */
export function removeResumeData(dataDir: string, infohash: Uint8Array): void {
  fs.rmSync(path.join(dataDir, TORRENTS_FOLDER, `${toHex(infohash)}${RESUME_SUFFIX}`), { force: true });
}

/** Every saved resume data, by infohash. */
export function readResumeData(dataDir: string): { infohash: Uint8Array; bytes: Uint8Array }[] {
  const folder = path.join(dataDir, TORRENTS_FOLDER);
  return folderNames(folder).flatMap((name) => {
    const infohash = name.endsWith(RESUME_SUFFIX) ? fromHex(name.slice(0, -RESUME_SUFFIX.length), INFOHASH_BYTES) : undefined;
    if (infohash === undefined) return [];
    try {
      const file = path.join(folder, name);
      if (fs.statSync(file).size > MAX_RESUME_BYTES) return [];
      return [{ infohash, bytes: new Uint8Array(fs.readFileSync(file)) }];
    } catch {
      return [];
    }
  });
}

/** The random id of this data folder (made on first use). */
export function deviceId(dataDir: string): string {
  const file = path.join(dataDir, DEVICE_ID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f]{32}$/.test(text)) return text;
      writeFileAtomic(file, Buffer.from(`${crypto.randomBytes(16).toString('hex')}\n`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      try {
        createFileAtomic(file, Buffer.from(`${crypto.randomBytes(16).toString('hex')}\n`));
      } catch (created) {
        if ((created as NodeJS.ErrnoException).code !== 'EEXIST') throw created;
      }
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}
