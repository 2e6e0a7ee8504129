/**
 * `settings.json` in the data folder: what the person chose for their node — the cache
 * budget, upload and download limits, whether what they read is seeded, whether their
 * block list is published, and which sites the node announces on the LAN. The window's
 * settings dialog writes it; every node of the data folder (`swarmpress serve`, the app,
 * one-off commands) reads it when it starts (node-setup.ts), and the app applies a change
 * to its running node at once (app-node.ts).
 *
 * Written atomically (atomic-file.ts). A file that is malformed or holds values out of
 * range is never trusted: the defaults are used and the reason is returned to be shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../core/result.js';
import { writeFileAtomic } from './atomic-file.js';
import { DEFAULT_CACHE_BUDGET_BYTES } from './store.js';

export const SETTINGS_FILE = 'settings.json';
const MIB = 1024 * 1024;
const KIB = 1024;
/**
 * Smallest cache budget taken, in MB: a version larger than the budget is not downloaded
 * (node/fetcher.ts `fetch`), so with less nothing could be read at all.
 */
export const MIN_CACHE_BUDGET_MB = 1;
/** Largest cache budget taken, in MB (1 TiB). */
export const MAX_CACHE_BUDGET_MB = 1024 * 1024;
/** Largest rate limit taken, in KB/s: libtorrent's limits are ints of bytes per second. */
export const MAX_RATE_KBPS = Math.floor(0x7fffffff / KIB);
/** Largest settings file read. */
const MAX_SETTINGS_BYTES = 64 * 1024;

/**
 * Which sites the node names in its LAN notice (mDNS, lan-notice.ts), which everyone on the
 * network hears: its own sites only; its own and the ones it follows (the user chose to keep
 * and seed them); or none (LAN discovery still finds neighbours and asks them for records).
 * Sites only read are never announced (issue #25 item 11).
 */
export type LanAnnounce = 'own' | 'own-and-followed' | 'nothing';
export const LAN_ANNOUNCE_CHOICES: readonly LanAnnounce[] = ['own', 'own-and-followed', 'nothing'];

/** The node's settings. */
export interface NodeSettings {
  /** Bytes of content kept before the farthest and oldest read versions are evicted, in MiB; also the largest version read. */
  readonly cacheBudgetMb: number;
  /** Upload limit in KiB/s; 0 is no limit. */
  readonly uploadKBps: number;
  /** Download limit in KiB/s; 0 is no limit. */
  readonly downloadKBps: number;
  /** Whether versions of other people's sites are seeded after they were read (own sites always are). */
  readonly seedReads: boolean;
  /** Whether the user's own blocks are published in their sites for others to subscribe to (core/block-list.ts). */
  readonly publishBlockList: boolean;
  /** Which sites are announced on the LAN. */
  readonly lanAnnounce: LanAnnounce;
}

export const DEFAULT_SETTINGS: NodeSettings = {
  cacheBudgetMb: DEFAULT_CACHE_BUDGET_BYTES / MIB,
  uploadKBps: 0,
  downloadKBps: 0,
  seedReads: true,
  publishBlockList: false,
  lanAnnounce: 'own-and-followed',
};

export type SettingsErrorCode = 'ERR_SETTINGS';

/** A value found in the file, for a message. */
function shown(value: unknown): string {
  // The values come from JSON.parse: JSON.stringify gives text for each of them.
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function wholeNumber(value: unknown, what: string, max: number, min = 0): Result<number, SettingsErrorCode> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail('ERR_SETTINGS', `${what} must be a whole number from ${min} to ${max}, not ${shown(value)}`);
  }
  return ok(value);
}

/** `value` as settings, or what is wrong with it (the first problem found). */
export function checkSettings(value: unknown): Result<NodeSettings, SettingsErrorCode> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('ERR_SETTINGS', 'the settings must be a JSON object');
  const given = value as Record<string, unknown>;
  const budget = wholeNumber(given['cacheBudgetMb'] ?? DEFAULT_SETTINGS.cacheBudgetMb, 'the cache budget (MB)', MAX_CACHE_BUDGET_MB, MIN_CACHE_BUDGET_MB);
  if (!budget.ok) return budget;
  const upload = wholeNumber(given['uploadKBps'] ?? DEFAULT_SETTINGS.uploadKBps, 'the upload limit (KB/s)', MAX_RATE_KBPS);
  if (!upload.ok) return upload;
  const download = wholeNumber(given['downloadKBps'] ?? DEFAULT_SETTINGS.downloadKBps, 'the download limit (KB/s)', MAX_RATE_KBPS);
  if (!download.ok) return download;
  const seed = given['seedReads'] ?? DEFAULT_SETTINGS.seedReads;
  if (typeof seed !== 'boolean') return fail('ERR_SETTINGS', `seedReads must be true or false, not ${shown(seed)}`);
  const publishBlockList = given['publishBlockList'] ?? DEFAULT_SETTINGS.publishBlockList;
  if (typeof publishBlockList !== 'boolean') return fail('ERR_SETTINGS', `publishBlockList must be true or false, not ${shown(publishBlockList)}`);
  const lanAnnounce = given['lanAnnounce'] ?? DEFAULT_SETTINGS.lanAnnounce;
  if (!LAN_ANNOUNCE_CHOICES.includes(lanAnnounce as LanAnnounce)) {
    return fail('ERR_SETTINGS', `lanAnnounce must be "own", "own-and-followed" or "nothing", not ${shown(lanAnnounce)}`);
  }
  return ok({ cacheBudgetMb: budget.value, uploadKBps: upload.value, downloadKBps: download.value, seedReads: seed, publishBlockList, lanAnnounce: lanAnnounce as LanAnnounce });
}

/** The settings of `dataDir` (the defaults when there is no file); `problem` says why a file present was not used. */
export function readSettings(dataDir: string): { settings: NodeSettings; problem?: string } {
  const file = path.join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_SETTINGS_BYTES) return { settings: DEFAULT_SETTINGS, problem: `${file} is larger than ${MAX_SETTINGS_BYTES} bytes: the default settings are used` };
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
    return { settings: DEFAULT_SETTINGS, problem: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): the default settings are used` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { settings: DEFAULT_SETTINGS, problem: `${file} is not JSON: the default settings are used` };
  }
  const checked = checkSettings(value);
  return checked.ok ? { settings: checked.value } : { settings: DEFAULT_SETTINGS, problem: `${file}: ${checked.error.message}; the default settings are used` };
}

/** Saves `settings` (checked first: throws RangeError on a value out of range, and writes nothing). */
export function writeSettings(dataDir: string, settings: NodeSettings): void {
  const checked = checkSettings(settings);
  if (!checked.ok) throw new RangeError(checked.error.message);
  writeFileAtomic(path.join(dataDir, SETTINGS_FILE), Buffer.from(`${JSON.stringify(checked.value, null, 2)}\n`));
}

/** The cache budget in bytes. */
export function cacheBudgetBytes(settings: NodeSettings): number {
  return settings.cacheBudgetMb * MIB;
}

/** The libtorrent settings (settings_pack names) of the rate limits: bytes per second, 0 = unlimited. */
export function rateLimitSettings(settings: NodeSettings): { upload_rate_limit: number; download_rate_limit: number } {
  return { upload_rate_limit: settings.uploadKBps * KIB, download_rate_limit: settings.downloadKBps * KIB };
}
