import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { test } from 'node:test';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { binaryFromText, toHex, utf8 } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import {
  checkBodyFile,
  createItem,
  decodeItem,
  DEFAULT_MIME,
  encodeItem,
  MAX_BODY_BYTES,
  MAX_ITEM_BYTES,
  MAX_META_ENTRIES,
  MAX_REL_BYTES,
  MAX_RELATED,
  MAX_TITLE_BYTES,
  type Item,
  type ItemDraft,
} from '../../src/core/item.js';
import { buildItemVectors, describeItem, PIXEL_FILE, type ItemVector } from '../vectors/item-vectors.js';
import { bytes, hex, readVectors } from './vectors.js';

const ALICE = Identity.fromSeed(new Uint8Array(32).fill(0xa1));
const BOB = Identity.fromSeed(new Uint8Array(32).fill(0xb0));
const T = 1_720_000_000_000;
const KEY_URL = `bittorrent://${toHex(ALICE.publicKey)}`;

function create(draft: ItemDraft, identity = ALICE): Item {
  const result = createItem(draft, identity, T);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function createCode(draft: ItemDraft): string | undefined {
  const result = createItem(draft, ALICE, T);
  return result.ok ? undefined : result.error.code;
}

function decodeCode(encoded: Uint8Array): string | undefined {
  const result = decodeItem(encoded);
  return result.ok ? undefined : result.error.code;
}

/** Re-encodes `item` after `mutate` changed its dictionary, with a correct id and signature, so only the rule under test fails. */
function craft(item: Item, mutate: (dict: Map<string, BencodeValue>) => void, identity = ALICE): Uint8Array {
  const decoded = decodeBencode(encodeItem(item));
  assert.ok(decoded.ok);
  const dict = new Map(decoded.value as BencodeDict);
  dict.delete('id');
  dict.delete('sig');
  mutate(dict);
  const id = sha256(encodeBencode(dict));
  dict.set('id', id);
  dict.set('sig', identity.sign(id));
  return encodeBencode(dict);
}

const POST: ItemDraft = { title: 'A post', body: { kind: 'text', text: 'Some *Markdown*.\n' } };

test('the committed vectors decode, verify independently, and are what the code makes', () => {
  const committed = (readVectors('items.json') as { items: ItemVector[] }).items;
  assert.equal(committed.length, 4);
  for (const vector of committed) {
    const encoded = hex(vector.encoding_hex);
    const decoded = decodeItem(encoded);
    assert.ok(decoded.ok, vector.name);
    assert.equal(toHex(decoded.value.id), vector.id);
    assert.equal(toHex(decoded.value.signature), vector.signature);
    assert.deepEqual(describeItem(decoded.value), vector.fields);
    assert.deepEqual(encodeItem(decoded.value), encoded);
    // Independent checks with Node's own SHA-256 and ed25519 (OpenSSL), not the code under test.
    const dict = decodeBencode(encoded);
    assert.ok(dict.ok);
    const unsigned = new Map(dict.value as BencodeDict);
    unsigned.delete('id');
    unsigned.delete('sig');
    assert.equal(createHash('sha256').update(encodeBencode(unsigned)).digest('hex'), vector.id);
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex(vector.public_key)).toString('base64url') }, format: 'jwk' });
    assert.ok(nodeVerify(null, hex(vector.id), key, hex(vector.signature)), vector.name);
  }
  assert.deepEqual(buildItemVectors(), committed, 'the code no longer produces the committed vectors');
  const binary = committed.find((vector) => vector.name === 'binary file');
  const item = binary === undefined ? undefined : decodeItem(hex(binary.encoding_hex));
  assert.ok(item?.ok);
  assert.ok(checkBodyFile(item.value.body, PIXEL_FILE).ok);
});

test('created items have the defaults, round-trip exactly and name themselves by their content', () => {
  const item = create({ ...POST, mime: 'Text/Markdown' });
  assert.equal(item.mime, DEFAULT_MIME);
  assert.equal(create(POST).mime, DEFAULT_MIME);
  assert.deepEqual(item.author, ALICE.publicKey);
  assert.equal(item.createdMs, T);
  assert.deepEqual(item.related, []);
  assert.equal(item.meta.size, 0);
  assert.equal('source' in item, false);
  const encoded = encodeItem(item);
  assert.deepEqual(decodeItem(encoded), { ok: true, value: item });
  assert.equal(toHex(create(POST).id), toHex(create(POST).id), 'deterministic');
  assert.notEqual(toHex(create(POST, BOB).id), toHex(create(POST).id), 'the author is part of the content');
  const later = createItem(POST, ALICE, T + 1);
  assert.ok(later.ok);
  assert.notEqual(toHex(later.value.id), toHex(create(POST).id), 'so is the time');
  const hrefNormalized = create({ ...POST, next: { href: KEY_URL.toUpperCase().replace('BITTORRENT', 'bittorrent') + '/Next%20Part.md' } });
  assert.equal(hrefNormalized.next?.href, `${KEY_URL}/Next%20Part.md`);
});

test('a changed byte, a foreign signature or a wrong id is detected', () => {
  const item = create(POST);
  const encoded = encodeItem(item);
  const tampered = encoded.slice();
  const at = toHex(encoded).indexOf(toHex(utf8('Markdown'))) / 2;
  tampered[at] = 0x6e; // 'M' -> 'n'
  assert.equal(decodeCode(tampered), 'ERR_ITEM_ID_MISMATCH');
  // Correct id for the content, signature by someone else.
  assert.equal(decodeCode(craft(item, () => undefined, BOB)), 'ERR_ITEM_BAD_SIGNATURE');
  // Bob's signature, Bob's key: valid, and a different item.
  const bobs = craft(item, (dict) => dict.set('author', BOB.publicKey), BOB);
  assert.equal(decodeCode(bobs), undefined);
  // Every single bit flip of the encoding is caught.
  for (let bit = 0; bit < encoded.length * 8; bit += 7) {
    const flipped = encoded.slice();
    flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    assert.equal(decodeItem(flipped).ok, false, `bit ${bit}`);
  }
});

test('limits are named constants and break with clear codes, on creation and on decoding alike', () => {
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'x'.repeat(MAX_BODY_BYTES) } }), undefined);
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'x'.repeat(MAX_BODY_BYTES + 1) } }), 'ERR_FIELD_TOO_LONG');
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) } }), 'ERR_FIELD_TOO_LONG', 'bytes, not characters');
  assert.equal(createCode({ ...POST, title: 't'.repeat(MAX_TITLE_BYTES + 1) }), 'ERR_FIELD_TOO_LONG');
  const id = sha256(bytes('x'));
  const related = Array.from({ length: MAX_RELATED + 1 }, () => ({ id, rel: 'quote' }));
  assert.equal(createCode({ ...POST, related: related.slice(1) }), undefined);
  assert.equal(createCode({ ...POST, related }), 'ERR_FIELD_TOO_LONG');
  assert.equal(createCode({ ...POST, related: [{ id, rel: 'r'.repeat(MAX_REL_BYTES + 1) }] }), 'ERR_FIELD_TOO_LONG');
  assert.equal(createCode({ ...POST, related: [{ id, rel: '' }] }), 'ERR_FIELD_EMPTY');
  assert.equal(createCode({ ...POST, related: [{ id: new Uint8Array(31), rel: 'reply' }] }), 'ERR_FIELD_INVALID');
  const meta = new Map(Array.from({ length: MAX_META_ENTRIES + 1 }, (_, i) => [`k${i}`, 'v'] as const));
  assert.equal(createCode({ ...POST, meta }), 'ERR_FIELD_TOO_LONG');
  assert.equal(createCode({ ...POST, meta: new Map([['', 'v']]) }), 'ERR_FIELD_EMPTY');
  assert.equal(createCode({ ...POST, meta: new Map([['k', '']]) }), 'ERR_FIELD_EMPTY');
  assert.equal(createCode({ ...POST, source: '' }), 'ERR_FIELD_EMPTY');
  const big = new Uint8Array(MAX_ITEM_BYTES + 1);
  assert.equal(decodeCode(big), 'ERR_ITEM_TOO_LARGE');
  // Every field of an item at its limit together exceeds the item cap: refused as a whole.
  const huge = createCode({
    ...POST,
    body: { kind: 'text', text: 'x'.repeat(MAX_BODY_BYTES) },
    related: Array.from({ length: MAX_RELATED }, () => ({ id, rel: 'r'.repeat(MAX_REL_BYTES), href: `${KEY_URL}/${Array.from({ length: 4 }, () => 'p'.repeat(200)).join('/')}.md` })),
  });
  assert.equal(huge, 'ERR_ITEM_TOO_LARGE');
});

test('text rules, types, bodies and links', () => {
  assert.equal(createCode({ ...POST, title: 'a\u001bb' }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, title: 'line\nbreak' }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'ok\ttab\r\nand lines' } }), undefined);
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'bell\u0007' } }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, body: { kind: 'text', text: 'csi\u009b' } }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, title: 'lone \ud800' }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, mime: 'text/plain; charset=utf-8' }), 'ERR_ITEM_MIME');
  assert.equal(createCode({ ...POST, mime: 'markdown' }), 'ERR_ITEM_MIME');
  assert.equal(createCode({ ...POST, mime: 'image/png' }), 'ERR_ITEM_BODY_KIND');
  const file = { kind: 'file', path: 'media/a.png', sha256: sha256(bytes('png')) } as const;
  assert.equal(createCode({ ...POST, mime: 'image/png', body: file }), undefined);
  assert.equal(createCode({ ...POST, mime: 'image/png', body: { ...file, path: '../a.png' } }), 'ERR_PATH_DOT_SEGMENT');
  assert.equal(createCode({ ...POST, mime: 'image/png', body: { ...file, path: 'C:/a.png' } }), 'ERR_PATH_DRIVE');
  assert.equal(createCode({ ...POST, mime: 'image/png', body: { ...file, sha256: new Uint8Array(20) } }), 'ERR_FIELD_INVALID');
  assert.equal(createCode({ ...POST, next: {} }), 'ERR_FIELD_EMPTY');
  assert.equal(createCode({ ...POST, next: { href: 'https://example.com/' } }), 'ERR_ITEM_HREF');
  assert.equal(createCode({ ...POST, next: { href: 'next.md' } }), 'ERR_ITEM_HREF', 'items travel between sites: hrefs are absolute');
  assert.equal(createCode({ ...POST, related: [{ id: sha256(bytes('x')), rel: 'reply', href: 'javascript:x' }] }), 'ERR_ITEM_HREF');

  assert.throws(() => createItem({ ...POST, title: 5 as unknown as string }, ALICE, T), TypeError);
  assert.throws(() => createItem({ ...POST, body: { kind: 'video' } as unknown as ItemDraft['body'] }, ALICE, T), TypeError);
  assert.throws(() => createItem({ ...POST, meta: { a: 'b' } as unknown as ReadonlyMap<string, string> }, ALICE, T), TypeError);
  assert.throws(() => createItem(POST, ALICE, -1), RangeError);
  assert.throws(() => createItem(POST, ALICE, 2 ** 53), RangeError);
  assert.throws(() => createItem(POST, {} as unknown as Identity, T), TypeError);

  const png = create({ ...POST, mime: 'image/png', body: file });
  assert.ok(checkBodyFile(png.body, bytes('png')).ok);
  assert.equal(checkBodyFile(png.body, bytes('jpg')).ok, false);
  const text = create(POST);
  assert.ok(checkBodyFile(text.body, utf8('Some *Markdown*.\n')).ok);
});

test('non-canonical and unknown content is rejected even when correctly signed', () => {
  const item = create({ ...POST, meta: new Map([['tags', 'a']]) });
  const key = binaryFromText;
  const cases: [string, (dict: Map<string, BencodeValue>) => void][] = [
    ['ERR_FIELD_UNKNOWN', (d) => d.set(key('zzz'), 1n)],
    ['ERR_FIELD_EMPTY', (d) => d.set(key('related'), [])],
    ['ERR_FIELD_EMPTY', (d) => d.set(key('meta'), new Map())],
    ['ERR_FIELD_EMPTY', (d) => d.set(key('source'), new Uint8Array(0))],
    ['ERR_FIELD_MISSING', (d) => d.delete(key('title'))],
    ['ERR_FIELD_MISSING', (d) => d.delete(key('format'))],
    ['ERR_FIELD_TYPE', (d) => d.set(key('title'), 1n)],
    ['ERR_FIELD_TYPE', (d) => d.set(key('meta'), [])],
    ['ERR_FIELD_TYPE', (d) => d.set(key('created'), bytes('1'))],
    ['ERR_FIELD_INVALID', (d) => d.set(key('created'), -1n)],
    ['ERR_FIELD_INVALID', (d) => d.set(key('created'), 2n ** 53n)],
    ['ERR_FIELD_INVALID', (d) => d.set(key('title'), new Uint8Array([0xff]))],
    ['ERR_FIELD_INVALID', (d) => d.set(key('meta'), new Map([['\u00ff', bytes('v')]]))],
    ['ERR_ITEM_FORMAT', (d) => d.set(key('format'), 2n)],
    ['ERR_ITEM_MIME', (d) => d.set(key('mime'), bytes('Text/Markdown'))],
    ['ERR_ITEM_HREF', (d) => d.set(key('next'), new Map([['href', bytes(KEY_URL.toUpperCase())]]))],
    ['ERR_FIELD_UNKNOWN', (d) => d.set(key('next'), new Map<string, BencodeValue>([['href', bytes(KEY_URL)], ['x', 1n]]))],
    ['ERR_FIELD_UNKNOWN', (d) => d.set(key('body'), new Map<string, BencodeValue>([['path', bytes('a.md')], ['sha256', new Uint8Array(32)], ['size', 1n]]))],
  ];
  for (const [expected, mutate] of cases) assert.equal(decodeCode(craft(item, mutate)), expected, String(mutate));
  assert.equal(decodeCode(bytes('d5:titlee')), 'ERR_BENCODE_UNEXPECTED_BYTE');
  assert.equal(decodeCode(bytes('le')), 'ERR_FIELD_TYPE');
  assert.throws(() => decodeItem('x' as unknown as Uint8Array), TypeError);
});
