/**
 * Swarm addresses (DESIGN.md "Addresses", compatible with Agregore and BEP 46):
 * - `bittorrent://<64-hex public key>/path` — a mutable site, the newest version;
 * - `bittorrent://<40-hex infohash>/path` — one fixed version;
 * - `magnet:?xs=urn:btpk:<64 hex>[&s=<hex salt>]` — a mutable site (BEP 46);
 * - `magnet:?xt=urn:btih:<40 hex | 32 base32>[&xt=urn:btmh:1220<64 hex>]` — a fixed version
 *   (BEP 9; the multihash form is BEP 52's v2 infohash);
 * - relative links inside a site, resolved against the page they appear on.
 *
 * Parsing normalizes: scheme, hex and base32 case, percent-encoding; `formatAddress`
 * writes the one canonical spelling, so `format(parse(x))` is a fixed point. Paths obey
 * site-path.ts and never leave the site. Anything else is rejected with an `ERR_ADDRESS_*`,
 * `ERR_MAGNET_*` or `ERR_PATH_*` code. Nothing here throws for a string input.
 */
import { MAX_SALT_BYTES } from './bep44.js';
import { decodeUtf8, fromBase32, fromHex, isWellFormedText, toHex, utf8 } from './bytes.js';
import { textProblem } from './fields.js';
import { SHA256_BYTES } from './hash.js';
import { PUBLIC_KEY_BYTES } from './identity.js';
import { fail, ok, type Result } from './result.js';
import { checkSitePath, type SitePathErrorCode } from './site-path.js';

/** Longest address or reference considered at all (characters). */
export const MAX_ADDRESS_CHARS = 4096;
/** Bytes in a BitTorrent v2 infohash (BEP 52: SHA-256 of the info dictionary). */
export const INFOHASH_V2_BYTES = SHA256_BYTES;
/** Multihash prefix of a SHA-256 digest: code 0x12, length 0x20 (BEP 52 `urn:btmh:`). */
const SHA256_MULTIHASH_PREFIX = '1220';
/** Characters of a v1 infohash in RFC 4648 base32 (BEP 9 allows it in `urn:btih:`). */
const INFOHASH_BASE32_CHARS = 32;

/** Where inside a site an address points. */
interface Place {
  /** A site path (site-path.ts) without leading or trailing `/`; `''` is the site's home. */
  readonly path: string;
  /** The part after `#`, decoded; `''` when there is none. */
  readonly fragment: string;
}

/** A mutable site: the newest version the author's key (and salt) points at (BEP 46). */
export interface MutableAddress extends Place {
  readonly kind: 'mutable';
  readonly publicKey: Uint8Array;
  /** 0 to 64 bytes; empty for the unsalted slot that `bittorrent://<key>` names. */
  readonly salt: Uint8Array;
}

/** One fixed version of a site: a torrent named by its v1 infohash, its v2 infohash, or both (hybrid). */
export interface ImmutableAddress extends Place {
  readonly kind: 'immutable';
  readonly infohash?: Uint8Array;
  readonly infohashV2?: Uint8Array;
}

/** Any address swarmpress opens. */
export type SwarmAddress = MutableAddress | ImmutableAddress;

/** Why an address or a link is rejected. */
export type AddressErrorCode =
  | 'ERR_ADDRESS_EMPTY'
  | 'ERR_ADDRESS_TOO_LONG'
  | 'ERR_ADDRESS_SCHEME'
  | 'ERR_ADDRESS_SYNTAX'
  | 'ERR_ADDRESS_HOST'
  | 'ERR_ADDRESS_QUERY'
  | 'ERR_ADDRESS_CONTROL'
  | 'ERR_ADDRESS_ENCODING'
  | 'ERR_ADDRESS_ENCODED_SEPARATOR'
  | 'ERR_ADDRESS_NETWORK_PATH'
  | 'ERR_ADDRESS_ESCAPES_SITE'
  | 'ERR_MAGNET_NO_TOPIC'
  | 'ERR_MAGNET_TOPIC'
  | 'ERR_MAGNET_INFOHASH'
  | 'ERR_MAGNET_MULTIHASH'
  | 'ERR_MAGNET_PUBLIC_KEY'
  | 'ERR_MAGNET_SALT'
  | 'ERR_MAGNET_SALT_TOO_LONG'
  | 'ERR_MAGNET_SALT_WITHOUT_KEY'
  | 'ERR_MAGNET_XT_XS_CONFUSION'
  | 'ERR_MAGNET_DUPLICATE'
  | 'ERR_MAGNET_AMBIGUOUS'
  | SitePathErrorCode;

type Failure = ReturnType<typeof fail<AddressErrorCode>>;
type Parsed<T> = Result<T, AddressErrorCode>;

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const HEX_40 = /^[0-9a-fA-F]{40}$/;
const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** Common checks of any address or reference text. */
function checkText(text: unknown, what: string): Failure | undefined {
  if (typeof text !== 'string') throw new TypeError(`${what} must be a string`);
  if (text.length > MAX_ADDRESS_CHARS) return fail('ERR_ADDRESS_TOO_LONG', `the ${what} is longer than ${MAX_ADDRESS_CHARS} characters`);
  if (text === '') return fail('ERR_ADDRESS_EMPTY', `the ${what} is empty`);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || unit === 0x7f) return fail('ERR_ADDRESS_CONTROL', `the ${what} contains a control character`);
  }
  if (!isWellFormedText(text)) return fail('ERR_ADDRESS_ENCODING', `the ${what} holds a lone surrogate (it is not Unicode text)`);
  return undefined;
}

/** Strict percent-decoding: every `%` starts two hex digits and the bytes are UTF-8. */
function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '%') {
      const hex = fromHex(text.slice(i + 1, i + 3), 1);
      if (hex === undefined) return undefined;
      bytes.push(hex[0] ?? 0);
      i += 2;
    } else {
      const code = text.codePointAt(i) ?? 0;
      if (code > 0xffff) i++;
      bytes.push(...utf8(String.fromCodePoint(code)));
    }
  }
  return decodeUtf8(Uint8Array.from(bytes));
}

/** Percent-encodes all but RFC 3986's unreserved characters (the canonical spelling). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of utf8(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeFragment(raw: string): Parsed<string> {
  const fragment = percentDecode(raw);
  if (fragment === undefined) return fail('ERR_ADDRESS_ENCODING', 'the fragment has a malformed percent-encoding');
  if (textProblem(fragment, 'line') !== undefined) return fail('ERR_ADDRESS_CONTROL', 'the fragment contains a control character');
  return ok(fragment);
}

/** Decodes one `/`-free path segment. */
function decodeSegment(raw: string): Parsed<string> {
  const segment = percentDecode(raw);
  if (segment === undefined) return fail('ERR_ADDRESS_ENCODING', `the path segment '${raw}' has a malformed percent-encoding or is not UTF-8`);
  if (segment.includes('/')) return fail('ERR_ADDRESS_ENCODED_SEPARATOR', `the path segment '${raw}' hides a '/'`);
  return ok(segment);
}

/** The site path of the part of a URL after its authority (`''` or `/…`). A trailing `/` is dropped. */
function decodeAbsolutePath(raw: string): Parsed<string> {
  if (raw === '' || raw === '/') return ok('');
  let body = raw.slice(1);
  if (body.endsWith('/')) body = body.slice(0, -1);
  const segments: string[] = [];
  for (const part of body.split('/')) {
    if (part === '') return fail('ERR_PATH_EMPTY_SEGMENT', 'the path has an empty segment (a doubled /)');
    const segment = decodeSegment(part);
    if (!segment.ok) return segment;
    segments.push(segment.value);
  }
  return checkSitePath(segments.join('/'));
}

/** Splits `#fragment` off `text`; a `?query` before it is rejected. */
function splitTail(text: string): Parsed<{ readonly head: string; readonly fragment: string }> {
  const hash = text.indexOf('#');
  const head = hash < 0 ? text : text.slice(0, hash);
  if (head.includes('?')) return fail('ERR_ADDRESS_QUERY', 'swarm addresses and links have no query part');
  const fragment = hash < 0 ? ok('') : decodeFragment(text.slice(hash + 1));
  if (!fragment.ok) return fragment;
  return ok({ head, fragment: fragment.value });
}

function parseBittorrentUrl(rest: string): Parsed<SwarmAddress> {
  if (!rest.startsWith('//')) return fail('ERR_ADDRESS_SYNTAX', "a bittorrent: address starts with 'bittorrent://'");
  const tail = splitTail(rest.slice(2));
  if (!tail.ok) return tail;
  const { head, fragment } = tail.value;
  const slash = head.indexOf('/');
  const host = slash < 0 ? head : head.slice(0, slash);
  const path = decodeAbsolutePath(slash < 0 ? '' : head.slice(slash));
  if (!path.ok) return path;
  if (HEX_64.test(host)) {
    return ok({ kind: 'mutable', publicKey: fromHex(host) ?? new Uint8Array(0), salt: new Uint8Array(0), path: path.value, fragment });
  }
  if (HEX_40.test(host)) {
    return ok({ kind: 'immutable', infohash: fromHex(host) ?? new Uint8Array(0), path: path.value, fragment });
  }
  return fail('ERR_ADDRESS_HOST', 'after bittorrent:// comes a 64-hex public key or a 40-hex infohash');
}

/** Decodes a BEP 9 `urn:btih:` infohash: 40 hex digits or 32 base32 characters. */
function decodeInfohash(text: string): Uint8Array | undefined {
  if (HEX_40.test(text)) return fromHex(text);
  if (text.length === INFOHASH_BASE32_CHARS) return fromBase32(text);
  return undefined;
}

interface MagnetTopics {
  infohash?: Uint8Array;
  infohashV2?: Uint8Array;
  publicKey?: Uint8Array;
  salt?: Uint8Array;
}

/** Takes one `name=value` parameter of a magnet link into `topics`. */
function takeMagnetParameter(name: string, value: string, topics: MagnetTopics): Failure | undefined {
  const lower = value.toLowerCase();
  if (/^xt(\.[0-9]+)?$/.test(name)) {
    if (lower.startsWith('urn:btih:')) {
      if (topics.infohash !== undefined) return fail('ERR_MAGNET_DUPLICATE', 'the magnet link names two btih infohashes');
      const infohash = decodeInfohash(value.slice('urn:btih:'.length));
      if (infohash === undefined) return fail('ERR_MAGNET_INFOHASH', 'urn:btih: takes 40 hex digits or 32 base32 characters');
      topics.infohash = infohash;
    } else if (lower.startsWith('urn:btmh:')) {
      if (topics.infohashV2 !== undefined) return fail('ERR_MAGNET_DUPLICATE', 'the magnet link names two btmh infohashes');
      const multihash = lower.slice('urn:btmh:'.length);
      const digest = multihash.startsWith(SHA256_MULTIHASH_PREFIX) ? fromHex(multihash.slice(4), INFOHASH_V2_BYTES) : undefined;
      if (digest === undefined) return fail('ERR_MAGNET_MULTIHASH', 'urn:btmh: takes a SHA-256 multihash: 1220 and 64 hex digits');
      topics.infohashV2 = digest;
    } else if (lower.startsWith('urn:btpk:')) {
      return fail('ERR_MAGNET_XT_XS_CONFUSION', 'a public key goes in xs=urn:btpk:, not in xt (BEP 46)');
    } else {
      return fail('ERR_MAGNET_TOPIC', 'the magnet link names a kind of content swarmpress does not open');
    }
  } else if (name === 'xs') {
    if (lower.startsWith('urn:btpk:')) {
      if (topics.publicKey !== undefined) return fail('ERR_MAGNET_DUPLICATE', 'the magnet link names two public keys');
      const publicKey = fromHex(value.slice('urn:btpk:'.length), PUBLIC_KEY_BYTES);
      if (publicKey === undefined) return fail('ERR_MAGNET_PUBLIC_KEY', `urn:btpk: takes ${PUBLIC_KEY_BYTES * 2} hex digits`);
      topics.publicKey = publicKey;
    } else if (lower.startsWith('urn:btih:') || lower.startsWith('urn:btmh:')) {
      return fail('ERR_MAGNET_XT_XS_CONFUSION', 'an infohash goes in xt=, not in xs');
    }
    // Any other xs is an "exact source" (a web address): a hint swarmpress does not use.
  } else if (name === 's') {
    if (topics.salt !== undefined) return fail('ERR_MAGNET_DUPLICATE', 'the magnet link names two salts');
    const salt = value === '' ? undefined : fromHex(value);
    if (salt === undefined) return fail('ERR_MAGNET_SALT', 's= takes a non-empty salt in hex');
    if (salt.length > MAX_SALT_BYTES) return fail('ERR_MAGNET_SALT_TOO_LONG', `the salt is longer than ${MAX_SALT_BYTES} bytes (BEP 44)`);
    topics.salt = salt;
  }
  return undefined;
}

function parseMagnet(rest: string): Parsed<SwarmAddress> {
  if (!rest.startsWith('?')) return fail('ERR_ADDRESS_SYNTAX', "a magnet link starts with 'magnet:?'");
  if (rest.includes('#')) return fail('ERR_ADDRESS_SYNTAX', 'a magnet link has no fragment');
  const topics: MagnetTopics = {};
  for (const parameter of rest.slice(1).split('&')) {
    // dn, tr, ws, xl, x.pe and the rest are hints swarmpress does not need.
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    if (equals <= 0) return fail('ERR_ADDRESS_SYNTAX', `the magnet parameter '${parameter.slice(0, 40)}' has no name=value`);
    const name = parameter.slice(0, equals).toLowerCase();
    // Only the parameters swarmpress reads are decoded: a sloppy tracker URL in tr= does not spoil a link.
    if (!/^(?:xt(?:\.[0-9]+)?|xs|s)$/.test(name)) continue;
    const value = percentDecode(parameter.slice(equals + 1));
    if (value === undefined) return fail('ERR_ADDRESS_ENCODING', `the magnet parameter ${name} has a malformed percent-encoding`);
    const problem = takeMagnetParameter(name, value, topics);
    if (problem !== undefined) return problem;
  }
  const { infohash, infohashV2, publicKey, salt } = topics;
  if (publicKey !== undefined) {
    if (infohash !== undefined || infohashV2 !== undefined) {
      return fail('ERR_MAGNET_AMBIGUOUS', 'the magnet link names both a public key and an infohash');
    }
    return ok({ kind: 'mutable', publicKey, salt: salt ?? new Uint8Array(0), path: '', fragment: '' });
  }
  if (salt !== undefined) return fail('ERR_MAGNET_SALT_WITHOUT_KEY', 's= (a salt) only goes with xs=urn:btpk:');
  if (infohash === undefined && infohashV2 === undefined) return fail('ERR_MAGNET_NO_TOPIC', 'the magnet link names no infohash and no public key');
  return ok({
    kind: 'immutable',
    ...(infohash === undefined ? {} : { infohash }),
    ...(infohashV2 === undefined ? {} : { infohashV2 }),
    path: '',
    fragment: '',
  });
}

/**
 * Parses an absolute swarm address (`bittorrent:` or `magnet:`; either case). Relative
 * links need the page they are on: {@link resolveReference}. Throws only for a non-string.
 */
export function parseAddress(text: string): Parsed<SwarmAddress> {
  const problem = checkText(text, 'address');
  if (problem !== undefined) return problem;
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return fail('ERR_ADDRESS_SCHEME', 'the address has no scheme (bittorrent: or magnet:)');
  const rest = text.slice(scheme.length + 1);
  switch (scheme) {
    case 'bittorrent':
      return parseBittorrentUrl(rest);
    case 'magnet':
      return parseMagnet(rest);
    default:
      return fail('ERR_ADDRESS_SCHEME', `'${scheme}:' is not a swarm address (bittorrent: or magnet:)`);
  }
}

/**
 * An address as a person types or pastes it: a URL or magnet link, or a bare infohash
 * (40 hex digits) or site key (64), with the spaces around it ignored.
 */
export function parseTypedAddress(text: string): Parsed<SwarmAddress> {
  const trimmed = text.trim();
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(trimmed)) return parseAddress(`bittorrent://${trimmed.toLowerCase()}`);
  return parseAddress(trimmed);
}

/** Whether {@link formatAddress} can write `address` (see there). */
export function hasUrlForm(address: SwarmAddress): boolean {
  if (address.path === '' && address.fragment === '') return true;
  return address.kind === 'mutable' ? address.salt.length === 0 : address.infohash !== undefined;
}

/**
 * The canonical spelling of `address`: `bittorrent://` with lower-case hex and
 * percent-encoded path when that form holds everything, a magnet link otherwise (a salt,
 * a v2 infohash). A salted site or a v2-only torrent *with a path* has no URL form
 * ({@link hasUrlForm} is false): RangeError. Every result of {@link parseAddress} has one.
 */
export function formatAddress(address: SwarmAddress): string {
  const tail = (address.path === '' ? '' : `/${address.path.split('/').map(percentEncode).join('/')}`) +
    (address.fragment === '' ? '' : `#${percentEncode(address.fragment)}`);
  if (address.kind === 'mutable') {
    if (address.salt.length === 0) return `bittorrent://${toHex(address.publicKey)}${tail}`;
    if (tail !== '') throw new RangeError('a salted site address with a path or fragment has no URL form');
    return `magnet:?xs=urn:btpk:${toHex(address.publicKey)}&s=${toHex(address.salt)}`;
  }
  if (address.infohash !== undefined && (address.infohashV2 === undefined || tail !== '')) {
    return `bittorrent://${toHex(address.infohash)}${tail}`;
  }
  if (tail !== '') throw new RangeError('a v2-only torrent address with a path or fragment has no URL form');
  const topics: string[] = [];
  if (address.infohash !== undefined) topics.push(`xt=urn:btih:${toHex(address.infohash)}`);
  if (address.infohashV2 !== undefined) topics.push(`xt=urn:btmh:${SHA256_MULTIHASH_PREFIX}${toHex(address.infohashV2)}`);
  if (topics.length === 0) throw new RangeError('an immutable address needs an infohash');
  return `magnet:?${topics.join('&')}`;
}

/**
 * The BEP 46 magnet link of a mutable site: `magnet:?xs=urn:btpk:<hex>[&s=<hex salt>]`.
 * RangeError for a key that is not 32 bytes or a salt over 64 bytes.
 */
export function formatSiteMagnet(publicKey: Uint8Array, salt: Uint8Array = new Uint8Array(0)): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`publicKey must be ${PUBLIC_KEY_BYTES} bytes`);
  if (!(salt instanceof Uint8Array) || salt.length > MAX_SALT_BYTES) throw new RangeError(`salt must be at most ${MAX_SALT_BYTES} bytes`);
  return `magnet:?xs=urn:btpk:${toHex(publicKey)}${salt.length > 0 ? `&s=${toHex(salt)}` : ''}`;
}

/** Applies a relative path to the folder segments `base`, refusing to climb above the site. */
function applyRelative(base: readonly string[], reference: string): Parsed<string> {
  const segments = [...base];
  const parts = reference.split('/');
  for (const [index, part] of parts.entries()) {
    const decoded = decodeSegment(part);
    if (!decoded.ok) return decoded;
    const segment = decoded.value;
    if (segment === '..') {
      if (segments.pop() === undefined) return fail('ERR_ADDRESS_ESCAPES_SITE', 'the link climbs above the top of the site');
    } else if (segment === '' && index < parts.length - 1) {
      return fail('ERR_PATH_EMPTY_SEGMENT', 'the link has an empty segment (a doubled /)');
    } else if (segment !== '.' && segment !== '') {
      segments.push(segment);
    }
  }
  const path = segments.join('/');
  return path === '' ? ok('') : checkSitePath(path);
}

/**
 * Resolves a link written on the page at `base` (RFC 3986 section 5.2, restricted):
 * an absolute `bittorrent:`/`magnet:` address is parsed; `#x` stays on the page; `/x` is
 * relative to the site's top; `x`, `./x` and `../x` to the page's folder. The result is
 * always inside the same site (`ERR_ADDRESS_ESCAPES_SITE` otherwise); network paths
 * (`//host`), queries and other schemes are rejected. Throws only for wrong argument types.
 */
export function resolveReference(base: SwarmAddress, reference: string): Parsed<SwarmAddress> {
  const kind = (base as { kind?: unknown } | null)?.kind;
  if (kind !== 'mutable' && kind !== 'immutable') throw new TypeError('base must be a SwarmAddress');
  const problem = checkText(reference, 'link');
  if (problem !== undefined) return problem;
  if (SCHEME.test(reference)) return parseAddress(reference);
  if (reference.startsWith('//')) return fail('ERR_ADDRESS_NETWORK_PATH', 'network-path links (//host) are not followed');
  if (reference.includes('\\')) return fail('ERR_PATH_BACKSLASH', 'the link contains a backslash');
  const tail = splitTail(reference);
  if (!tail.ok) return tail;
  const { head, fragment } = tail.value;
  if (head === '') return ok({ ...base, fragment });
  const folder = head.startsWith('/') ? [] : base.path.split('/').slice(0, -1).filter((segment) => segment !== '');
  const path = applyRelative(folder, head.startsWith('/') ? head.slice(1) : head);
  if (!path.ok) return path;
  return ok({ ...base, path: path.value, fragment });
}
