/**
 * The LAN notice: what a node announces about itself in the TXT record of its DNS-SD
 * service (`_swarmpress._tcp`, DESIGN.md "LAN and fast updates"): its BitTorrent listen
 * port and the sites it carries, each as public key + latest seq (+ a short title).
 *
 * Nothing here is identity or proof: a notice says what a LAN neighbour *claims*. A reader
 * uses it to connect and to ask for the signed record; only the record's signature counts.
 *
 * The TXT record is a list of `key=value` strings (RFC 6763 section 6):
 *
 * | key | value |
 * |---|---|
 * | `txtvers` | {@link LAN_NOTICE_VERSION}; first, as RFC 6763 section 6.7 recommends |
 * | `port` | the BitTorrent listen port, 1 to 65535 |
 * | `n` | how many sites the node carries, announced or not (a reader learns what was left out) |
 * | `s0`, `s1`, … | one site each: `<64 lower-case hex public key>:<seq>[/<infohash>][:<title>]` |
 *
 * `infohash` (40 lower-case hex digits) is the v1 infohash of the version `seq` names: an
 * unsigned hint of which swarm to join to be handed the signed record, never trusted.
 *
 * Numbers are canonical decimal (no sign, no leading zero); `seq` is 0 to 2^63-1 (BEP 44).
 * Keys are compared case-insensitively and only the first occurrence of a key counts
 * (RFC 6763 section 6.4); keys this version does not know are ignored.
 *
 * Size: every string is at most 255 bytes (one length byte, RFC 1035 character-string)
 * and the whole record at most {@link MAX_NOTICE_BYTES} (RFC 6763 section 6.2: fits one
 * 1500-byte Ethernet packet with the other records of the announcement). At most
 * {@link MAX_NOTICE_SITES} sites are announced; when they do not all fit, sites are kept in
 * the caller's order and titles are dropped before sites are (see {@link encodeLanNotice}).
 */
import { decodeUtf8, isWellFormedText, toHex, utf8 } from './bytes.js';
import { textProblem } from './fields.js';
import { PUBLIC_KEY_BYTES } from './identity.js';
import { MAX_SEQ } from './bep44.js';
import { fail, ok, type Result } from './result.js';

/** The format version this code writes and reads (`txtvers`). */
export const LAN_NOTICE_VERSION = 1;
/** Longest string in a TXT record: its length is one byte (RFC 1035 section 3.3, RFC 6763 section 6.1). */
export const MAX_TXT_STRING_BYTES = 255;
/**
 * Largest TXT record, counted as on the wire (each string plus its length byte):
 * "keeping the size of the TXT record under 1300 bytes should allow it to fit in a single
 * 1500-byte Ethernet packet" (RFC 6763 section 6.2).
 */
export const MAX_NOTICE_BYTES = 1300;
/** Most sites one notice announces (about 14 fit in {@link MAX_NOTICE_BYTES} without titles). */
export const MAX_NOTICE_SITES = 16;
/** Longest announced title, in UTF-8 bytes; longer titles are cut at a character boundary. */
export const MAX_NOTICE_TITLE_BYTES = 48;
/** Largest `n` a notice may state. */
export const MAX_CARRIED_SITES = 1_000_000;

/** Length of a public key as announced: lower-case hex. */
const KEY_HEX_LENGTH = PUBLIC_KEY_BYTES * 2;
const KEY_HEX = /^[0-9a-f]{64}$/;
const INFOHASH_HEX = /^[0-9a-f]{40}$/;
const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]*)$/;
/** Digits of {@link MAX_SEQ}: a longer number is out of range without parsing it. */
const MAX_SEQ_DIGITS = MAX_SEQ.toString().length;
const EQUALS = 0x3d;

/** One site as a notice announces it. */
export interface NoticeSite {
  /** The site's ed25519 public key, 64 lower-case hex digits. */
  readonly key: string;
  /** The latest seq the node has for the site's unsalted slot, 0 to 2^63-1. */
  readonly seq: bigint;
  /** A short title, unverified (display only, after the signed manifest's if there is one). */
  readonly title?: string;
  /** The v1 infohash of that version, 40 lower-case hex digits: an unsigned hint of where to ask. */
  readonly infohash?: string;
}

/** What a node announces. */
export interface LanNotice {
  /** The node's BitTorrent listen port. */
  readonly port: number;
  /** The announced sites, in the announcer's order. */
  readonly sites: readonly NoticeSite[];
  /** How many sites the node says it carries (at least `sites.length`). */
  readonly carried: number;
}

/** A notice ready for the TXT record, and what did not fit. */
export interface EncodedNotice {
  /** The `key=value` attributes in record order (distinct keys). */
  readonly attributes: readonly (readonly [key: string, value: string])[];
  /** The same as the record's strings, `key=value`. */
  readonly strings: readonly string[];
  /** Size of the record on the wire (strings plus length bytes), within the budget. */
  readonly bytes: number;
  /** Keys of the sites that were left out, in the caller's order. */
  readonly omitted: readonly string[];
  /** Keys of announced sites whose title was left out for want of room. */
  readonly untitled: readonly string[];
}

/** Why a TXT record is not a notice. */
export type LanNoticeErrorCode =
  | 'ERR_LAN_NOTICE_TYPE'
  | 'ERR_LAN_NOTICE_TOO_LARGE'
  | 'ERR_LAN_NOTICE_VERSION'
  | 'ERR_LAN_NOTICE_PORT'
  | 'ERR_LAN_NOTICE_COUNT'
  | 'ERR_LAN_NOTICE_SITE'
  | 'ERR_LAN_NOTICE_DUPLICATE_SITE';

/** A site's public key as a notice spells it, or `undefined` if `key` is not 32 bytes in lower-case hex. */
export function noticeKey(key: string | Uint8Array): string | undefined {
  if (key instanceof Uint8Array) return key.length === PUBLIC_KEY_BYTES ? toHex(key) : undefined;
  return typeof key === 'string' && KEY_HEX.test(key) ? key : undefined;
}

/**
 * `title` as a notice can carry it: lone surrogates become U+FFFD, control characters
 * become spaces, outer spaces go, and it is cut to {@link MAX_NOTICE_TITLE_BYTES} at a
 * character boundary. Empty when nothing is left.
 */
export function noticeTitle(title: string): string {
  let text = '';
  let bytes = 0;
  for (const char of title.trim()) {
    const unit = char.codePointAt(0) ?? 0;
    const safe = unit < 0x20 || unit === 0x7f || (unit >= 0x80 && unit <= 0x9f) ? ' ' : unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : char;
    const size = utf8(safe).length;
    if (bytes + size > MAX_NOTICE_TITLE_BYTES) break;
    text += safe;
    bytes += size;
  }
  return text.trim();
}

/** Bytes of `key=value` on the wire: its UTF-8 plus the length byte. */
function wireBytes(key: string, value: string): number {
  return 1 + utf8(`${key}=${value}`).length;
}

/** Smallest budget {@link encodeLanNotice} accepts: room for the header attributes. */
export const MIN_NOTICE_BYTES = 64;

/**
 * The TXT attributes announcing `port` and `sites`, in at most `maxBytes` (the announcer
 * may need room for the other records of its packet). Sites are taken in the caller's
 * order (put the ones that matter most first): first as many as fit without titles (up to
 * {@link MAX_NOTICE_SITES}), then titles, in the same order, while they fit. What was left
 * out is reported. Throws TypeError/RangeError for a bad port, key, seq, title type or
 * budget, or the same key twice (programmer errors: the caller's own data).
 */
export function encodeLanNotice(notice: { readonly port: number; readonly sites: readonly NoticeSite[] }, maxBytes = MAX_NOTICE_BYTES): EncodedNotice {
  const { port, sites } = notice;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError('port must be an integer from 1 to 65535');
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_NOTICE_BYTES || maxBytes > MAX_NOTICE_BYTES) {
    throw new RangeError(`maxBytes must be an integer from ${MIN_NOTICE_BYTES} to ${MAX_NOTICE_BYTES}`);
  }
  const list: unknown = sites;
  if (!Array.isArray(list)) throw new TypeError('sites must be an array');
  if (sites.length > MAX_CARRIED_SITES) throw new RangeError(`at most ${MAX_CARRIED_SITES} sites`);
  const seen = new Set<string>();
  for (const site of sites) {
    if (typeof site.key !== 'string' || !KEY_HEX.test(site.key)) throw new TypeError(`a site key must be ${KEY_HEX_LENGTH} lower-case hex digits`);
    if (seen.has(site.key)) throw new RangeError(`the site ${site.key} is listed twice`);
    seen.add(site.key);
    if (typeof site.seq !== 'bigint') throw new TypeError('seq must be a bigint');
    if (site.seq < 0n || site.seq > MAX_SEQ) throw new RangeError(`seq must be from 0 to ${MAX_SEQ}`);
    if (site.title !== undefined && typeof site.title !== 'string') throw new TypeError('a title must be a string');
    if (site.infohash !== undefined && (typeof site.infohash !== 'string' || !INFOHASH_HEX.test(site.infohash))) throw new TypeError('an infohash must be 40 lower-case hex digits');
  }
  const header: [string, string][] = [
    ['txtvers', String(LAN_NOTICE_VERSION)],
    ['port', String(port)],
    ['n', String(sites.length)],
  ];
  let bytes = header.reduce((sum, [key, value]) => sum + wireBytes(key, value), 0);
  const placed: { site: NoticeSite; key: string; value: string }[] = [];
  const omitted: string[] = [];
  for (const site of sites) {
    const key = `s${placed.length}`;
    const value = `${site.key}:${site.seq.toString()}${site.infohash === undefined ? '' : `/${site.infohash}`}`;
    const size = wireBytes(key, value);
    if (placed.length < MAX_NOTICE_SITES && bytes + size <= maxBytes) {
      placed.push({ site, key, value });
      bytes += size;
    } else {
      omitted.push(site.key);
    }
  }
  const untitled: string[] = [];
  for (const entry of placed) {
    const title = entry.site.title === undefined ? '' : noticeTitle(entry.site.title);
    if (title === '') continue;
    const extra = utf8(`:${title}`).length;
    if (bytes + extra <= maxBytes) {
      entry.value += `:${title}`;
      bytes += extra;
    } else {
      untitled.push(entry.site.key);
    }
  }
  const attributes = [...header, ...placed.map((entry): [string, string] => [entry.key, entry.value])];
  return { attributes, strings: attributes.map(([key, value]) => `${key}=${value}`), bytes, omitted, untitled };
}

/** A canonical decimal integer from 0 to `max`, or `undefined`. */
function decimal(text: string, maxDigits: number, max: bigint): bigint | undefined {
  if (text.length > maxDigits || !CANONICAL_DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value <= max ? value : undefined;
}

/** The bytes of one TXT string as it arrived, or `undefined` when it is neither bytes nor well-formed text. */
function stringBytes(entry: unknown): Uint8Array | undefined {
  if (entry instanceof Uint8Array) return entry;
  if (typeof entry === 'string' && isWellFormedText(entry)) return utf8(entry);
  return undefined;
}

/** An ASCII key of printable characters, lower-cased; `undefined` for anything else (RFC 6763 section 6.4). */
function attributeKey(bytes: Uint8Array): string | undefined {
  let key = '';
  for (const byte of bytes) {
    if (byte < 0x20 || byte > 0x7e) return undefined;
    key += String.fromCharCode(byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);
  }
  return key === '' ? undefined : key;
}

function decodeSite(value: string): Result<NoticeSite, 'ERR_LAN_NOTICE_SITE'> {
  const key = value.slice(0, KEY_HEX_LENGTH);
  if (!KEY_HEX.test(key) || value.charAt(KEY_HEX_LENGTH) !== ':') {
    return fail('ERR_LAN_NOTICE_SITE', `a site must start with a ${KEY_HEX_LENGTH}-digit lower-case hex key and ':'`);
  }
  const rest = value.slice(KEY_HEX_LENGTH + 1);
  const colon = rest.indexOf(':');
  const version = colon < 0 ? rest : rest.slice(0, colon);
  const slash = version.indexOf('/');
  const seq = decimal(slash < 0 ? version : version.slice(0, slash), MAX_SEQ_DIGITS, MAX_SEQ);
  if (seq === undefined) return fail('ERR_LAN_NOTICE_SITE', `the seq of ${key} is not a canonical decimal from 0 to 2^63-1`);
  const infohash = slash < 0 ? undefined : version.slice(slash + 1);
  if (infohash !== undefined && !INFOHASH_HEX.test(infohash)) return fail('ERR_LAN_NOTICE_SITE', `the infohash of ${key} is not 40 lower-case hex digits`);
  const hint = infohash === undefined ? {} : { infohash };
  if (colon < 0) return ok({ key, seq, ...hint });
  const title = rest.slice(colon + 1);
  const problem = title === '' ? 'is empty' : utf8(title).length > MAX_NOTICE_TITLE_BYTES ? `is longer than ${MAX_NOTICE_TITLE_BYTES} bytes` : textProblem(title, 'line');
  if (problem !== undefined) return fail('ERR_LAN_NOTICE_SITE', `the title of ${key} ${problem}`);
  return ok({ key, seq, ...hint, title });
}

/**
 * Reads the TXT record of an announcement (an array of byte strings as mDNS delivers
 * them, or of strings). Untrusted input: never throws, rejects anything this version
 * would not write, ignores attributes it does not know.
 */
export function decodeLanNotice(txt: unknown): Result<LanNotice, LanNoticeErrorCode> {
  if (!Array.isArray(txt)) return fail('ERR_LAN_NOTICE_TYPE', 'a TXT record must be a list of strings');
  // Every string costs at least its length byte: a longer list cannot be within the limit.
  if (txt.length > MAX_NOTICE_BYTES) return fail('ERR_LAN_NOTICE_TOO_LARGE', `a notice has at most ${MAX_NOTICE_BYTES} bytes, not ${txt.length} strings`);
  const values = new Map<string, string | undefined>();
  const siteValues: string[] = [];
  let total = 0;
  for (let i = 0; i < txt.length; i++) {
    const bytes = stringBytes(txt[i] as unknown);
    if (bytes === undefined) return fail('ERR_LAN_NOTICE_TYPE', `TXT string ${i} is neither bytes nor well-formed text`);
    if (bytes.length > MAX_TXT_STRING_BYTES) return fail('ERR_LAN_NOTICE_TOO_LARGE', `TXT string ${i} has ${bytes.length} bytes, more than ${MAX_TXT_STRING_BYTES}`);
    total += 1 + bytes.length;
    if (total > MAX_NOTICE_BYTES) return fail('ERR_LAN_NOTICE_TOO_LARGE', `the TXT record has more than ${MAX_NOTICE_BYTES} bytes`);
    const equals = bytes.indexOf(EQUALS);
    const key = attributeKey(equals < 0 ? bytes : bytes.subarray(0, equals));
    // Empty strings, strings starting with '=' and keys that are not printable ASCII are
    // no attributes; of a repeated key only the first counts (RFC 6763 sections 6.4, 6.5).
    if (key === undefined || values.has(key)) continue;
    const isOurs = key === 'txtvers' || key === 'port' || key === 'n' || /^s(?:0|[1-9][0-9]?)$/.test(key);
    if (!isOurs) continue;
    const value = equals < 0 ? undefined : decodeUtf8(bytes.subarray(equals + 1));
    values.set(key, value);
    if (key.startsWith('s')) siteValues.push(value ?? '');
  }
  const version = values.get('txtvers');
  if (version !== String(LAN_NOTICE_VERSION)) {
    return fail('ERR_LAN_NOTICE_VERSION', version === undefined ? 'the notice has no txtvers' : `the notice is of version ${JSON.stringify(version.slice(0, 16))}, not ${LAN_NOTICE_VERSION}`);
  }
  const port = decimal(values.get('port') ?? '', 5, 65535n);
  if (port === undefined || port === 0n) return fail('ERR_LAN_NOTICE_PORT', 'the notice has no port from 1 to 65535');
  if (siteValues.length > MAX_NOTICE_SITES) return fail('ERR_LAN_NOTICE_TOO_LARGE', `a notice announces at most ${MAX_NOTICE_SITES} sites`);
  const sites: NoticeSite[] = [];
  const keys = new Set<string>();
  for (const value of siteValues) {
    const site = decodeSite(value);
    if (!site.ok) return site;
    if (keys.has(site.value.key)) return fail('ERR_LAN_NOTICE_DUPLICATE_SITE', `the site ${site.value.key} is announced twice`);
    keys.add(site.value.key);
    sites.push(site.value);
  }
  const carriedText = values.get('n');
  const carried = carriedText === undefined ? BigInt(sites.length) : decimal(carriedText, 7, BigInt(MAX_CARRIED_SITES));
  if (carried === undefined || carried < BigInt(sites.length)) {
    return fail('ERR_LAN_NOTICE_COUNT', `n must be a canonical decimal from the number of announced sites (${sites.length}) to ${MAX_CARRIED_SITES}`);
  }
  return ok({ port: Number(port), sites, carried: Number(carried) });
}

