/**
 * The signed manifest of one version of a site (DESIGN.md "Content model"): the site's
 * title and author, the items it carries, the infohash of the version before it (a hash
 * chain: the audit trail of every version), the salts of the author's device slots, and
 * the author's signature. A canonical bencode dictionary:
 *
 * | key | value |
 * |---|---|
 * | `author` | ed25519 public key of the site, 32 bytes |
 * | `created` | milliseconds since 1970-01-01 UTC when this version was made |
 * | `devices` | optional: sorted salts of the author's device slots (publish-rules.ts) |
 * | `format` | {@link MANIFEST_FORMAT} |
 * | `items` | list of entries `{created, id, mime, next?, path, related?, title}`, sorted by path |
 * | `previous` | optional: v1 infohash (20 bytes) of the previous version |
 * | `sig` | ed25519 signature, by `author`, of the encoding without `sig` |
 * | `title` | the site's title |
 *
 * Files of a site: the manifest at {@link MANIFEST_PATH}, each listed item's encoding at
 * {@link itemFilePath}, and at each entry's `path` the body (the Markdown text of a text
 * item, the file of a binary one) for readers and plain BitTorrent clients alike.
 * An item may be by another author (a site can carry what it quotes or curates): the
 * item's own signature covers it, the manifest's signature covers its listing.
 */
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeDict, type BencodeErrorCode, type BencodeValue } from './bencode.js';
import { binaryFromText, bytesEqual, compareBytes, isWellFormedText, toHex, utf8 } from './bytes.js';
import { FieldReader, readFields, reject, type FieldErrorCode, type TextRule } from './fields.js';
import { INFOHASH_BYTES } from './bep46.js';
import { BLOCK_LIST_PATH } from './block-list.js';
import { MAX_SALT_BYTES } from './bep44.js';
import { Identity, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature } from './identity.js';
import {
  decodeItem,
  isMediaType,
  ITEM_ID_BYTES,
  itemLinkValue,
  MAX_MIME_BYTES,
  MAX_RELATED,
  MAX_TITLE_BYTES,
  readItemLink,
  readRelatedItems,
  relatedValue,
  type Item,
  type ItemLink,
  type RelatedItem,
} from './item.js';
import { fail, ok, type Result } from './result.js';
import { findPathCollision, type SitePathErrorCode } from './site-path.js';

/** The manifest format this code writes and reads. */
export const MANIFEST_FORMAT = 1;
/** The folder of a site that holds swarmpress's own files; no entry's path may be inside it. */
export const SITE_META_FOLDER = '.swarmpress';
/** Where a site's manifest is. */
export const MANIFEST_PATH = `${SITE_META_FOLDER}/manifest`;
/** Largest manifest: 16 MiB, room for {@link MAX_MANIFEST_ITEMS} entries of ordinary size. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Most items in one site version. */
export const MAX_MANIFEST_ITEMS = 65_536;
/** Most device slots a site names. */
export const MAX_DEVICES = 64;
/** Longest site title, in UTF-8 bytes. */
export const MAX_SITE_TITLE_BYTES = MAX_TITLE_BYTES;

const TITLE: TextRule = { maxBytes: MAX_TITLE_BYTES, kind: 'line', allowEmpty: true };
const MIME_TEXT: TextRule = { maxBytes: MAX_MIME_BYTES, kind: 'line' };

/** Where the encoding of the item `id` is stored in a site. */
export function itemFilePath(id: Uint8Array): string {
  if (!(id instanceof Uint8Array) || id.length !== ITEM_ID_BYTES) throw new RangeError(`id must be ${ITEM_ID_BYTES} bytes`);
  return `${SITE_META_FOLDER}/items/${toHex(id)}.item`;
}

/** One item as a manifest lists it: enough to show an index without fetching the item. */
export interface ManifestEntry {
  readonly id: Uint8Array;
  readonly title: string;
  /** Where the item's body is in the site (site-path.ts). */
  readonly path: string;
  readonly mime: string;
  readonly createdMs: number;
  readonly related: readonly RelatedItem[];
  readonly next?: ItemLink;
}

/** A signed, checked manifest. */
export interface SiteManifest {
  readonly title: string;
  readonly author: Uint8Array;
  readonly createdMs: number;
  /** Sorted by path (UTF-8 byte order). */
  readonly items: readonly ManifestEntry[];
  /** The v1 infohash of the previous version; absent for the first. */
  readonly previous?: Uint8Array;
  /** Salts of the author's device slots, sorted; empty when there are none. */
  readonly devices: readonly Uint8Array[];
  readonly signature: Uint8Array;
}

/** What {@link createManifest} needs besides the identity and the time. */
export interface ManifestDraft {
  readonly title: string;
  /** The items of the version and where each one's body is in the site; any order. */
  readonly items: readonly { readonly item: Item; readonly path: string }[];
  readonly previous?: Uint8Array;
  readonly devices?: readonly Uint8Array[];
}

/** Why a manifest, or one of its items, is rejected. */
export type ManifestErrorCode =
  | BencodeErrorCode
  | FieldErrorCode
  | SitePathErrorCode
  | 'ERR_ITEM_HREF'
  | 'ERR_ITEM_MIME'
  | 'ERR_MANIFEST_TOO_LARGE'
  | 'ERR_MANIFEST_FORMAT'
  | 'ERR_MANIFEST_ORDER'
  | 'ERR_MANIFEST_PATH_RESERVED'
  | 'ERR_MANIFEST_PATH_COLLISION'
  | 'ERR_MANIFEST_DUPLICATE_ITEM'
  | 'ERR_MANIFEST_DEVICES'
  | 'ERR_MANIFEST_BAD_SIGNATURE'
  | 'ERR_MANIFEST_ITEM_MISSING'
  | 'ERR_MANIFEST_ITEM_INVALID'
  | 'ERR_MANIFEST_ENTRY_MISMATCH';

function readMime(entry: FieldReader, where: string): string {
  const mime = entry.text('mime', MIME_TEXT);
  if (!isMediaType(mime)) reject('ERR_ITEM_MIME', `${where}.mime '${mime}' is not a lower-case type/subtype without parameters`);
  return mime;
}

function readEntry(value: BencodeValue, where: string): ManifestEntry {
  const entry = new FieldReader(value, where);
  const path = entry.sitePath('path');
  // The one item swarmpress itself publishes inside its folder: the site's block list.
  if (path.toLowerCase().startsWith(`${SITE_META_FOLDER}/`) && path !== BLOCK_LIST_PATH) {
    reject('ERR_MANIFEST_PATH_RESERVED', `${where}.path is inside ${SITE_META_FOLDER}/, which is swarmpress's own (only ${BLOCK_LIST_PATH} may be listed there)`);
  }
  const nextValue = entry.optionalValue('next');
  const next = nextValue === undefined ? undefined : readItemLink(nextValue, `${where}.next`);
  const result: ManifestEntry = {
    id: entry.fixedBytes('id', ITEM_ID_BYTES),
    title: entry.text('title', TITLE),
    path,
    mime: readMime(entry, where),
    createdMs: entry.integer('created', 0, Number.MAX_SAFE_INTEGER),
    related: readRelatedItems(entry.list('related', MAX_RELATED, true), `${where}.related`),
    ...(next === undefined ? {} : { next }),
  };
  entry.finish();
  return result;
}

function readEntries(reader: FieldReader): ManifestEntry[] {
  const entries = reader.list('items', MAX_MANIFEST_ITEMS, false).map((value, index) => readEntry(value, `manifest.items[${index}]`));
  const ids = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const previous = entries[index - 1];
    if (previous !== undefined && compareBytes(utf8(previous.path), utf8(entry.path)) >= 0) {
      reject('ERR_MANIFEST_ORDER', `manifest.items[${index}] is not after the entry before it in path order (or repeats its path)`);
    }
    const id = toHex(entry.id);
    if (ids.has(id)) reject('ERR_MANIFEST_DUPLICATE_ITEM', `manifest.items[${index}] lists item ${id} a second time`);
    ids.add(id);
  }
  const collision = findPathCollision(entries.map((entry) => entry.path));
  if (collision !== undefined) {
    reject('ERR_MANIFEST_PATH_COLLISION', `'${collision[0]}' and '${collision[1]}' cannot both exist on a case-insensitive file system, or one is a folder of the other`);
  }
  return entries;
}

function readDevices(reader: FieldReader): Uint8Array[] {
  const devices = reader.list('devices', MAX_DEVICES, true).map((value, index) => {
    if (!(value instanceof Uint8Array) || value.length === 0 || value.length > MAX_SALT_BYTES) {
      reject('ERR_MANIFEST_DEVICES', `manifest.devices[${index}] is not a salt of 1 to ${MAX_SALT_BYTES} bytes`);
    }
    return value;
  });
  for (let i = 1; i < devices.length; i++) {
    if (compareBytes(devices[i - 1] ?? new Uint8Array(0), devices[i] ?? new Uint8Array(0)) >= 0) {
      reject('ERR_MANIFEST_DEVICES', 'manifest.devices is not sorted or repeats a salt');
    }
  }
  return devices;
}

function readManifest(value: BencodeValue): SiteManifest {
  const reader = new FieldReader(value, 'manifest');
  const format = reader.value('format');
  if (format !== BigInt(MANIFEST_FORMAT)) {
    reject('ERR_MANIFEST_FORMAT', `the manifest has format ${FieldReader.describe(format)}; this swarmpress reads format ${MANIFEST_FORMAT}`);
  }
  const previous = reader.optionalFixedBytes('previous', INFOHASH_BYTES);
  const manifest: SiteManifest = {
    title: reader.text('title', TITLE),
    author: reader.fixedBytes('author', PUBLIC_KEY_BYTES),
    createdMs: reader.integer('created', 0, Number.MAX_SAFE_INTEGER),
    items: readEntries(reader),
    ...(previous === undefined ? {} : { previous }),
    devices: readDevices(reader),
    signature: reader.fixedBytes('sig', SIGNATURE_BYTES),
  };
  reader.finish();
  return manifest;
}

function entryValue(entry: ManifestEntry): BencodeDict {
  return dictFromEntries({
    created: BigInt(entry.createdMs),
    id: entry.id,
    mime: utf8(entry.mime),
    next: entry.next === undefined ? undefined : itemLinkValue(entry.next),
    path: utf8(entry.path),
    related: relatedValue(entry.related),
    title: utf8(entry.title),
  });
}

/** The dictionary of a manifest without `sig`: what the signature covers. */
function unsignedDict(manifest: Omit<SiteManifest, 'signature'>): Map<string, BencodeValue> {
  return new Map(
    dictFromEntries({
      author: manifest.author,
      created: BigInt(manifest.createdMs),
      devices: manifest.devices.length === 0 ? undefined : [...manifest.devices],
      format: BigInt(MANIFEST_FORMAT),
      items: manifest.items.map(entryValue),
      previous: manifest.previous,
      title: utf8(manifest.title),
    }),
  );
}

/** The canonical encoding of `manifest`, signature included. */
export function encodeManifest(manifest: SiteManifest): Uint8Array {
  const dict = unsignedDict(manifest);
  dict.set(binaryFromText('sig'), manifest.signature);
  return encodeBencode(dict);
}

/**
 * Decodes a manifest and checks everything it says about itself: canonical encoding,
 * fields and limits, entries sorted by path with no duplicate item, every path inside the
 * site, outside `.swarmpress/` and free of collisions, and the author's signature. Does
 * not look at the items: {@link verifyManifest} does. Never throws.
 */
export function decodeManifest(bytes: Uint8Array): Result<SiteManifest, ManifestErrorCode> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length > MAX_MANIFEST_BYTES) return fail('ERR_MANIFEST_TOO_LARGE', `the manifest is ${bytes.length} bytes, more than ${MAX_MANIFEST_BYTES}`);
  const decoded = decodeBencode(bytes, { maxBytes: MAX_MANIFEST_BYTES });
  if (!decoded.ok) return decoded;
  const read = readFields<SiteManifest, ManifestErrorCode>(() => readManifest(decoded.value));
  if (!read.ok) return read;
  const manifest = read.value;
  const unsigned = new Map(decoded.value as BencodeDict);
  unsigned.delete(binaryFromText('sig'));
  if (!verifySignature(manifest.author, encodeBencode(unsigned), manifest.signature)) {
    return fail('ERR_MANIFEST_BAD_SIGNATURE', "the manifest's signature is not its author's");
  }
  return ok(manifest);
}

function sameLink(a: ItemLink | undefined, b: ItemLink | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const sameId = a.id === undefined || b.id === undefined ? a.id === b.id : bytesEqual(a.id, b.id);
  return sameId && a.href === b.href;
}

function sameRelated(a: readonly RelatedItem[], b: readonly RelatedItem[]): boolean {
  return a.length === b.length && a.every((entry, i) => {
    const other = b[i];
    return other !== undefined && bytesEqual(entry.id, other.id) && entry.rel === other.rel && entry.href === other.href;
  });
}

/**
 * Checks one entry against the encoded item it names (`itemBytes`, `undefined` when the
 * item is missing): the item decodes and verifies, its id is the entry's, and the entry
 * repeats the item's title, type, time, related items and next link faithfully; a file
 * item's entry path is its file. Returns the item. Never throws.
 */
export function checkManifestEntry(entry: ManifestEntry, itemBytes: Uint8Array | undefined): Result<Item, ManifestErrorCode> {
  const id = toHex(entry.id);
  if (itemBytes === undefined) return fail('ERR_MANIFEST_ITEM_MISSING', `item ${id} (${entry.path}) is missing`);
  const decoded = decodeItem(itemBytes);
  if (!decoded.ok) return fail('ERR_MANIFEST_ITEM_INVALID', `item ${id} (${entry.path}) is invalid: ${decoded.error.code}: ${decoded.error.message}`);
  const item = decoded.value;
  if (!bytesEqual(item.id, entry.id)) return fail('ERR_MANIFEST_ITEM_INVALID', `the item stored for ${id} is item ${toHex(item.id)}`);
  const faithful =
    item.title === entry.title &&
    item.mime === entry.mime &&
    item.createdMs === entry.createdMs &&
    sameRelated(item.related, entry.related) &&
    sameLink(item.next, entry.next) &&
    (item.body.kind === 'text' || item.body.path === entry.path);
  if (!faithful) return fail('ERR_MANIFEST_ENTRY_MISMATCH', `the entry for ${entry.path} does not repeat its item ${id} faithfully`);
  return ok(item);
}

/** A manifest with every item it lists, verified. */
export interface VerifiedSite {
  readonly manifest: SiteManifest;
  /** The items, in the order of `manifest.items`. */
  readonly items: readonly Item[];
}

/**
 * Verifies a site version completely: the manifest ({@link decodeManifest}) and every
 * item it lists ({@link checkManifestEntry}), reading each item's encoding with
 * `lookupItem(id)` (the bytes at {@link itemFilePath}, or `undefined`). The first problem
 * is returned. Never throws unless `lookupItem` does.
 */
export function verifyManifest(bytes: Uint8Array, lookupItem: (id: Uint8Array) => Uint8Array | undefined): Result<VerifiedSite, ManifestErrorCode> {
  if (typeof lookupItem !== 'function') throw new TypeError('lookupItem must be a function');
  const decoded = decodeManifest(bytes);
  if (!decoded.ok) return decoded;
  const items: Item[] = [];
  for (const entry of decoded.value.items) {
    const checked = checkManifestEntry(entry, lookupItem(entry.id.slice()));
    if (!checked.ok) return checked;
    items.push(checked.value);
  }
  return ok({ manifest: decoded.value, items });
}

/** The entry listing `item` at `path`. */
export function entryForItem(item: Item, path: string): ManifestEntry {
  return {
    id: item.id,
    title: item.title,
    path,
    mime: item.mime,
    createdMs: item.createdMs,
    related: item.related,
    ...(item.next === undefined ? {} : { next: item.next }),
  };
}

/**
 * Creates and signs the manifest of a new site version at `createdMs` (the caller reads
 * the clock). Entries are sorted by path and devices by bytes; the result is checked with
 * the rules of {@link decodeManifest}, so a bad path or a collision returns its error.
 * Wrong argument types throw TypeError.
 */
export function createManifest(draft: ManifestDraft, identity: Identity, createdMs: number): Result<SiteManifest, ManifestErrorCode> {
  if (!(identity instanceof Identity)) throw new TypeError('identity must be an Identity');
  if (typeof draft.title !== 'string') throw new TypeError('draft.title must be a string');
  const items: unknown = draft.items;
  if (!Array.isArray(items)) throw new TypeError('draft.items must be an array');
  if (!Number.isSafeInteger(createdMs) || createdMs < 0) throw new RangeError('createdMs must be a non-negative safe integer');
  if (!isWellFormedText(draft.title)) return fail('ERR_FIELD_INVALID', 'the site title holds a lone surrogate');
  for (const { item, path } of draft.items) {
    if (typeof path !== 'string') throw new TypeError('every draft item needs a path string');
    if (!isWellFormedText(path)) return fail('ERR_FIELD_INVALID', 'a path holds a lone surrogate');
    if (item.body.kind === 'file' && item.body.path !== path) {
      return fail('ERR_MANIFEST_ENTRY_MISMATCH', `the file item ${toHex(item.id)} is at ${item.body.path}, not ${path}`);
    }
  }
  const entries = draft.items.map(({ item, path }) => entryForItem(item, path));
  entries.sort((a, b) => compareBytes(utf8(a.path), utf8(b.path)));
  const devices = [...(draft.devices ?? [])].sort(compareBytes);
  const unsigned = unsignedDict({
    title: draft.title,
    author: identity.publicKey,
    createdMs,
    items: entries,
    ...(draft.previous === undefined ? {} : { previous: draft.previous }),
    devices,
  });
  unsigned.set(binaryFromText('sig'), identity.sign(encodeBencode(unsigned)));
  const bytes = encodeBencode(unsigned);
  if (bytes.length > MAX_MANIFEST_BYTES) return fail('ERR_MANIFEST_TOO_LARGE', `the manifest would be ${bytes.length} bytes, more than ${MAX_MANIFEST_BYTES}`);
  return decodeManifest(bytes);
}
