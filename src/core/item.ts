/**
 * Items, the unit of publishing (DESIGN.md "Content model"): a post, a page, a picture.
 * An item is a canonical bencode dictionary (the wire keys are the field names):
 *
 * | key | value |
 * |---|---|
 * | `author` | ed25519 public key, 32 bytes |
 * | `body` | inline UTF-8 text (only for `text/*` types), or `{path, sha256}` of a file in the site |
 * | `created` | milliseconds since 1970-01-01 UTC |
 * | `format` | {@link ITEM_FORMAT} |
 * | `id` | SHA-256 of the canonical encoding of the item without `id` and `sig` |
 * | `meta` | optional: free text keys to text values (description, tags, license, language, …) |
 * | `mime` | media type, lower case, no parameters (`text/markdown` by default) |
 * | `next` | optional: `{id?, href?}` of the next item of a sequence |
 * | `related` | optional: list of `{id, rel, href?}`; `rel` is free text (`reply`, `quote`, …) |
 * | `sig` | ed25519 signature of `id` by `author` |
 * | `source` | optional: free text credit |
 * | `title` | headline, may be empty |
 *
 * An optional field is absent rather than empty, unknown fields are rejected, and every
 * text is UTF-8 without control characters (running text may hold tab, CR and LF): each
 * item has exactly one encoding, which is what its id names. `href`s are absolute swarm
 * addresses in canonical form, because an item may be carried by any site.
 */
import { parseAddress, formatAddress } from './address.js';
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeDict, type BencodeErrorCode, type BencodeValue } from './bencode.js';
import { binaryFromText, bytesEqual, fromBinaryString, isWellFormedText, utf8 } from './bytes.js';
import { checkedText, FieldReader, readFields, reject, type FieldErrorCode, type TextRule } from './fields.js';
import { sha256, SHA256_BYTES } from './hash.js';
import { Identity, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifySignature } from './identity.js';
import { fail, ok, type Result } from './result.js';
import type { SitePathErrorCode } from './site-path.js';

/** The item format this code writes and reads. */
export const ITEM_FORMAT = 1;
/** The media type of an item whose draft names none. */
export const DEFAULT_MIME = 'text/markdown';
/** Bytes in an item id (SHA-256). */
export const ITEM_ID_BYTES = SHA256_BYTES;
/**
 * Largest inline body, in UTF-8 bytes: 1 MiB. A longer text is published as a file. The
 * renderer caps what it lays out on its own (marked needs ~0.85 s for 14 KB of hostile
 * nesting: FACTS.md), so this bounds storage, not rendering time.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest encoded item: the body cap plus 128 KiB for every other field. */
export const MAX_ITEM_BYTES = MAX_BODY_BYTES + 128 * 1024;
/** Longest title, in UTF-8 bytes. */
export const MAX_TITLE_BYTES = 1024;
/** Longest source credit, in UTF-8 bytes. */
export const MAX_SOURCE_BYTES = 1024;
/** Longest media type: RFC 6838 section 4.2 allows 127 characters for type and for subtype. */
export const MAX_MIME_BYTES = 255;
/** Most related items one item names. */
export const MAX_RELATED = 256;
/** Longest `rel`, in UTF-8 bytes. */
export const MAX_REL_BYTES = 64;
/** Longest `href`, in bytes (an address is ASCII once canonical). */
export const MAX_HREF_BYTES = 2048;
/** Most `meta` entries. */
export const MAX_META_ENTRIES = 64;
/** Longest `meta` key, in UTF-8 bytes. */
export const MAX_META_KEY_BYTES = 64;
/** Longest `meta` value, in UTF-8 bytes. */
export const MAX_META_VALUE_BYTES = 4096;

/** RFC 6838 section 4.2 restricted names, lower case, no parameters. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const TITLE: TextRule = { maxBytes: MAX_TITLE_BYTES, kind: 'line', allowEmpty: true };
const SOURCE: TextRule = { maxBytes: MAX_SOURCE_BYTES, kind: 'line' };
const MIME_TEXT: TextRule = { maxBytes: MAX_MIME_BYTES, kind: 'line' };
const BODY: TextRule = { maxBytes: MAX_BODY_BYTES, kind: 'multiline', allowEmpty: true };
const REL: TextRule = { maxBytes: MAX_REL_BYTES, kind: 'line' };
const HREF: TextRule = { maxBytes: MAX_HREF_BYTES, kind: 'line' };
const META_KEY: TextRule = { maxBytes: MAX_META_KEY_BYTES, kind: 'line' };
const META_VALUE: TextRule = { maxBytes: MAX_META_VALUE_BYTES, kind: 'multiline' };

/** Whether `mime` is a media type as items spell it: lower-case `type/subtype` (RFC 6838 restricted names), no parameters. */
export function isMediaType(mime: string): boolean {
  return MIME.test(mime);
}

/** The content of an item: inline text, or a file of the site named by path and SHA-256. */
export type ItemBody =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string; readonly sha256: Uint8Array };

/** Where the next item of a sequence is: its id, an address to fetch it from, or both. */
export interface ItemLink {
  readonly id?: Uint8Array;
  readonly href?: string;
}

/** Another item this one relates to; `rel` is free text (`reply`, `quote`, `follows`, …). */
export interface RelatedItem {
  readonly id: Uint8Array;
  readonly rel: string;
  readonly href?: string;
}

/** What an author writes; {@link createItem} adds author, time, id and signature. */
export interface ItemDraft {
  readonly title: string;
  /** Default {@link DEFAULT_MIME}; written in lower case. */
  readonly mime?: string;
  readonly body: ItemBody;
  readonly source?: string;
  readonly next?: ItemLink;
  readonly related?: readonly RelatedItem[];
  readonly meta?: ReadonlyMap<string, string>;
}

/** A signed, verified item. */
export interface Item {
  readonly id: Uint8Array;
  readonly title: string;
  readonly mime: string;
  readonly body: ItemBody;
  readonly source?: string;
  readonly next?: ItemLink;
  /** Empty when the item relates to nothing. */
  readonly related: readonly RelatedItem[];
  /** Keys in UTF-8 byte order; empty when there is no meta. */
  readonly meta: ReadonlyMap<string, string>;
  readonly author: Uint8Array;
  readonly createdMs: number;
  readonly signature: Uint8Array;
}

/** Why bytes are not a valid item. */
export type ItemErrorCode =
  | BencodeErrorCode
  | FieldErrorCode
  | SitePathErrorCode
  | 'ERR_ITEM_TOO_LARGE'
  | 'ERR_ITEM_FORMAT'
  | 'ERR_ITEM_MIME'
  | 'ERR_ITEM_BODY_KIND'
  | 'ERR_ITEM_HREF'
  | 'ERR_ITEM_ID_MISMATCH'
  | 'ERR_ITEM_BAD_SIGNATURE'
  | 'ERR_ITEM_FILE_MISMATCH';

function readHref(value: BencodeValue, name: string): string {
  const href = checkedText(value, name, HREF);
  const address = parseAddress(href);
  if (!address.ok) reject('ERR_ITEM_HREF', `${name} is not a swarm address: ${address.error.message}`);
  if (formatAddress(address.value) !== href) reject('ERR_ITEM_HREF', `${name} is not in canonical form`);
  return href;
}

function readBody(reader: FieldReader, mime: string): ItemBody {
  const value = reader.value('body');
  if (value instanceof Uint8Array) {
    if (!mime.startsWith('text/')) reject('ERR_ITEM_BODY_KIND', `item.body is inline text but the type is ${mime}: publish it as a file`);
    return { kind: 'text', text: checkedText(value, 'item.body', BODY) };
  }
  const file = new FieldReader(value, 'item.body');
  const path = file.sitePath('path');
  const digest = file.fixedBytes('sha256', SHA256_BYTES);
  file.finish();
  return { kind: 'file', path, sha256: digest };
}

/** Reads a `{id?, href?}` link (`next` of an item or of a manifest entry); `where` names it in messages. */
export function readItemLink(value: BencodeValue, where: string): ItemLink {
  const link = new FieldReader(value, where);
  const id = link.optionalFixedBytes('id', ITEM_ID_BYTES);
  const hrefValue = link.optionalValue('href');
  const href = hrefValue === undefined ? undefined : readHref(hrefValue, `${where}.href`);
  link.finish();
  if (id === undefined && href === undefined) reject('ERR_FIELD_EMPTY', `${where} names neither an id nor an href`);
  return { ...(id === undefined ? {} : { id }), ...(href === undefined ? {} : { href }) };
}

/** Reads a list of `{id, rel, href?}` (`related` of an item or of a manifest entry). */
export function readRelatedItems(list: readonly BencodeValue[], where: string): RelatedItem[] {
  return list.map((value, index) => {
    const entry = new FieldReader(value, `${where}[${index}]`);
    const id = entry.fixedBytes('id', ITEM_ID_BYTES);
    const rel = entry.text('rel', REL);
    const hrefValue = entry.optionalValue('href');
    const href = hrefValue === undefined ? undefined : readHref(hrefValue, `${where}[${index}].href`);
    entry.finish();
    return { id, rel, ...(href === undefined ? {} : { href }) };
  });
}

/** The bencode of a `{id?, href?}` link. */
export function itemLinkValue(link: ItemLink): BencodeDict {
  return dictFromEntries({ id: link.id, href: link.href === undefined ? undefined : utf8(link.href) });
}

/** The bencode of a `related` list, or `undefined` for an empty one (it is then omitted). */
export function relatedValue(related: readonly RelatedItem[]): BencodeValue | undefined {
  if (related.length === 0) return undefined;
  return related.map((entry) => dictFromEntries({ id: entry.id, rel: utf8(entry.rel), href: entry.href === undefined ? undefined : utf8(entry.href) }));
}

function readMeta(reader: FieldReader): Map<string, string> {
  const meta = new Map<string, string>();
  const value = reader.optionalValue('meta');
  if (value === undefined) return meta;
  if (!(value instanceof Map)) reject('ERR_FIELD_TYPE', 'item.meta is not a dictionary');
  const dict = value as BencodeDict;
  if (dict.size === 0) reject('ERR_FIELD_EMPTY', 'item.meta is present but empty (omit it instead)');
  if (dict.size > MAX_META_ENTRIES) reject('ERR_FIELD_TOO_LONG', `item.meta has more than ${MAX_META_ENTRIES} entries`);
  for (const [binaryKey, entry] of dict) {
    const key = checkedText(fromBinaryString(binaryKey) ?? new Uint8Array(0), 'a key of item.meta', META_KEY);
    meta.set(key, checkedText(entry, `item.meta[${JSON.stringify(key)}]`, META_VALUE));
  }
  return meta;
}

/** Reads and checks every field but `id` and `sig` (the signed content). */
function readContent(reader: FieldReader): Omit<Item, 'id' | 'signature'> {
  const format = reader.value('format');
  if (format !== BigInt(ITEM_FORMAT)) reject('ERR_ITEM_FORMAT', `the item has format ${FieldReader.describe(format)}; this swarmpress reads format ${ITEM_FORMAT}`);
  const mime = reader.text('mime', MIME_TEXT);
  if (!MIME.test(mime)) reject('ERR_ITEM_MIME', `item.mime '${mime}' is not a lower-case type/subtype (RFC 6838) without parameters`);
  const source = reader.optionalText('source', SOURCE);
  const nextValue = reader.optionalValue('next');
  const next = nextValue === undefined ? undefined : readItemLink(nextValue, 'item.next');
  return {
    title: reader.text('title', TITLE),
    mime,
    body: readBody(reader, mime),
    ...(source === undefined ? {} : { source }),
    ...(next === undefined ? {} : { next }),
    related: readRelatedItems(reader.list('related', MAX_RELATED, true), 'item.related'),
    meta: readMeta(reader),
    author: reader.fixedBytes('author', PUBLIC_KEY_BYTES),
    createdMs: reader.integer('created', 0, Number.MAX_SAFE_INTEGER),
  };
}

/** The dictionary of `content` without `id` and `sig`; `encodeItem` adds them. */
function contentDict(content: Omit<Item, 'id' | 'signature'>): Map<string, BencodeValue> {
  const { body, next, meta } = content;
  const metaDict = new Map<string, BencodeValue>();
  for (const [key, value] of meta) metaDict.set(binaryFromText(key), utf8(value));
  return new Map(
    dictFromEntries({
      author: content.author,
      body: body.kind === 'text' ? utf8(body.text) : dictFromEntries({ path: utf8(body.path), sha256: body.sha256 }),
      created: BigInt(content.createdMs),
      format: BigInt(ITEM_FORMAT),
      meta: meta.size === 0 ? undefined : metaDict,
      mime: utf8(content.mime),
      next: next === undefined ? undefined : itemLinkValue(next),
      related: relatedValue(content.related),
      source: content.source === undefined ? undefined : utf8(content.source),
      title: utf8(content.title),
    }),
  );
}

/** The canonical encoding of `item` (with `id` and `sig`): the bytes {@link decodeItem} accepts. */
export function encodeItem(item: Item): Uint8Array {
  const dict = contentDict(item);
  dict.set(binaryFromText('id'), item.id);
  dict.set(binaryFromText('sig'), item.signature);
  return encodeBencode(dict);
}

/**
 * Decodes and verifies an item from a peer or the disk: canonical bencode, every field and
 * limit, the id recomputed from the content, and the author's signature of the id.
 * Never throws.
 */
export function decodeItem(bytes: Uint8Array): Result<Item, ItemErrorCode> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length > MAX_ITEM_BYTES) return fail('ERR_ITEM_TOO_LARGE', `the item is ${bytes.length} bytes, more than ${MAX_ITEM_BYTES}`);
  const decoded = decodeBencode(bytes, { maxBytes: MAX_ITEM_BYTES });
  if (!decoded.ok) return decoded;
  const read = readFields<Item, ItemErrorCode>(() => {
    const reader = new FieldReader(decoded.value, 'item');
    const id = reader.fixedBytes('id', ITEM_ID_BYTES);
    const signature = reader.fixedBytes('sig', SIGNATURE_BYTES);
    const content = readContent(reader);
    reader.finish();
    return { id, ...content, signature };
  });
  if (!read.ok) return read;
  const item = read.value;
  const unsigned = new Map(decoded.value as BencodeDict);
  unsigned.delete(binaryFromText('id'));
  unsigned.delete(binaryFromText('sig'));
  if (!bytesEqual(sha256(encodeBencode(unsigned)), item.id)) return fail('ERR_ITEM_ID_MISMATCH', 'the item id is not the SHA-256 of its content');
  if (!verifySignature(item.author, item.id, item.signature)) return fail('ERR_ITEM_BAD_SIGNATURE', "the item's signature is not its author's");
  return ok(item);
}

function requireString(value: unknown, name: string): void {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
}

/** Type checks of a draft: wrong types are programmer errors. */
function requireDraft(draft: ItemDraft): void {
  if (typeof draft !== 'object') throw new TypeError('draft must be an object');
  requireString(draft.title, 'draft.title');
  if (draft.mime !== undefined) requireString(draft.mime, 'draft.mime');
  if (draft.source !== undefined) requireString(draft.source, 'draft.source');
  const body = draft.body as ItemBody | undefined;
  if (body?.kind === 'text') requireString(body.text, 'draft.body.text');
  else if (body?.kind === 'file') {
    requireString(body.path, 'draft.body.path');
    if (!(body.sha256 instanceof Uint8Array)) throw new TypeError('draft.body.sha256 must be a Uint8Array');
  } else throw new TypeError("draft.body must be {kind: 'text', text} or {kind: 'file', path, sha256}");
  if (draft.related !== undefined && !Array.isArray(draft.related)) throw new TypeError('draft.related must be an array');
  if (draft.meta !== undefined && !(draft.meta instanceof Map)) throw new TypeError('draft.meta must be a Map');
}

/** Every string of a draft, to check that none holds a lone surrogate (UTF-8 would change it). */
function draftStrings(draft: ItemDraft): string[] {
  const strings = [draft.title, draft.mime ?? '', draft.source ?? '', draft.next?.href ?? ''];
  if (draft.body.kind === 'text') strings.push(draft.body.text);
  else strings.push(draft.body.path);
  for (const entry of draft.related ?? []) strings.push(entry.rel, entry.href ?? '');
  for (const [key, value] of draft.meta ?? []) strings.push(key, value);
  return strings;
}

/** The canonical spelling of an href in a draft, or a failure. */
function canonicalHref(href: string | undefined): Result<string | undefined, ItemErrorCode> {
  if (href === undefined) return ok(undefined);
  const address = parseAddress(href);
  if (!address.ok) return fail('ERR_ITEM_HREF', `'${href.slice(0, 80)}' is not a swarm address: ${address.error.message}`);
  return ok(formatAddress(address.value));
}

/**
 * Creates and signs an item from `draft` as `identity` at `createdMs` (milliseconds since
 * the epoch; the caller reads the clock). The draft is checked with exactly the rules
 * {@link decodeItem} applies — the result is what any reader decodes — so a draft that
 * breaks a limit returns that error. `mime` is lower-cased and `href`s canonicalized.
 * Wrong argument types throw TypeError.
 */
export function createItem(draft: ItemDraft, identity: Identity, createdMs: number): Result<Item, ItemErrorCode> {
  requireDraft(draft);
  if (!(identity instanceof Identity)) throw new TypeError('identity must be an Identity');
  if (!Number.isSafeInteger(createdMs) || createdMs < 0) throw new RangeError('createdMs must be a non-negative safe integer');
  if (!draftStrings(draft).every(isWellFormedText)) return fail('ERR_FIELD_INVALID', 'the draft holds text with a lone surrogate');
  const nextHref = canonicalHref(draft.next?.href);
  if (!nextHref.ok) return nextHref;
  const related: RelatedItem[] = [];
  for (const entry of draft.related ?? []) {
    const href = canonicalHref(entry.href);
    if (!href.ok) return href;
    related.push({ id: entry.id, rel: entry.rel, ...(href.value === undefined ? {} : { href: href.value }) });
  }
  const next = draft.next === undefined ? undefined : { ...(draft.next.id === undefined ? {} : { id: draft.next.id }), ...(nextHref.value === undefined ? {} : { href: nextHref.value }) };
  const dict = contentDict({
    title: draft.title,
    mime: (draft.mime ?? DEFAULT_MIME).toLowerCase(),
    body: draft.body,
    ...(draft.source === undefined ? {} : { source: draft.source }),
    ...(next === undefined ? {} : { next }),
    related,
    meta: draft.meta ?? new Map<string, string>(),
    author: identity.publicKey,
    createdMs,
  });
  const id = sha256(encodeBencode(dict));
  dict.set(binaryFromText('id'), id);
  dict.set(binaryFromText('sig'), identity.sign(id));
  return decodeItem(encodeBencode(dict));
}

/**
 * Checks a file named by a file body against its SHA-256 (`ERR_ITEM_FILE_MISMATCH`), or an
 * inline body against a copy of its text in the site (the Markdown file a plain
 * BitTorrent client shows). Never throws.
 */
export function checkBodyFile(body: ItemBody, fileBytes: Uint8Array): Result<Uint8Array, 'ERR_ITEM_FILE_MISMATCH'> {
  const expected = body.kind === 'file' ? body.sha256 : sha256(utf8(body.text));
  if (!bytesEqual(sha256(fileBytes), expected)) return fail('ERR_ITEM_FILE_MISMATCH', 'the file does not match the SHA-256 its item names');
  return ok(fileBytes);
}
