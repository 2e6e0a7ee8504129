import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { binaryFromText, toHex, utf8 } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, encodeItem, type Item, type ItemDraft } from '../../src/core/item.js';
import {
  createManifest,
  decodeManifest,
  encodeManifest,
  itemFilePath,
  MAX_MANIFEST_BYTES,
  MANIFEST_PATH,
  verifyManifest,
  type ManifestDraft,
  type SiteManifest,
} from '../../src/core/manifest.js';
import { deviceSalt } from '../../src/core/publish-rules.js';
import { bytes } from './vectors.js';

const ALICE = Identity.fromSeed(new Uint8Array(32).fill(0xa1));
const BOB = Identity.fromSeed(new Uint8Array(32).fill(0xb0));
const T = 1_720_000_000_000;
const key = binaryFromText;

function item(draft: ItemDraft, identity = ALICE, time = T): Item {
  const result = createItem(draft, identity, time);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const HOME = item({ title: 'Home', body: { kind: 'text', text: '# Welcome\n' } });
const POST = item({ title: 'First', body: { kind: 'text', text: 'Hello.\n' }, related: [{ id: HOME.id, rel: 'follows' }] }, ALICE, T + 1);
const PICTURE = item({ title: 'Pixel', mime: 'image/png', body: { kind: 'file', path: 'media/pixel.png', sha256: sha256(bytes('png')) } });
const QUOTED = item({ title: 'By Bob', body: { kind: 'text', text: 'Bob wrote this.\n' } }, BOB);
const PREVIOUS = new Uint8Array(20).fill(0x11);

const DRAFT: ManifestDraft = {
  title: 'Alice’s site',
  items: [
    { item: POST, path: 'posts/first.md' },
    { item: HOME, path: 'index.md' },
    { item: PICTURE, path: 'media/pixel.png' },
    { item: QUOTED, path: 'quotes/bob.md' },
  ],
  previous: PREVIOUS,
  devices: [deviceSalt('laptop'), deviceSalt('desktop')],
};

function manifest(draft: ManifestDraft = DRAFT): SiteManifest {
  const result = createManifest(draft, ALICE, T + 10);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function store(items: readonly Item[]): (id: Uint8Array) => Uint8Array | undefined {
  const files = new Map(items.map((entry) => [toHex(entry.id), encodeItem(entry)]));
  return (id) => files.get(toHex(id));
}

const LOOKUP = store([HOME, POST, PICTURE, QUOTED]);

function code(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code;
}

/** Re-signs a manifest after `mutate` changed its dictionary, so only the rule under test fails. */
function craft(mutate: (dict: Map<string, BencodeValue>) => void, signer = ALICE): Uint8Array {
  const decoded = decodeBencode(encodeManifest(manifest()));
  assert.ok(decoded.ok);
  const dict = new Map(decoded.value as BencodeDict);
  dict.delete('sig');
  mutate(dict);
  dict.set('sig', signer.sign(encodeBencode(dict)));
  return encodeBencode(dict);
}

function entries(dict: Map<string, BencodeValue>): Map<string, BencodeValue>[] {
  return (dict.get('items') as BencodeDict[]).map((entry) => new Map(entry));
}

function withEntryPath(path: string, index = 0): (dict: Map<string, BencodeValue>) => void {
  return (dict) => {
    const list = entries(dict);
    list[index]?.set(key('path'), utf8(path));
    dict.set(key('items'), list);
  };
}

test('a manifest is created sorted, round-trips exactly and verifies with its items', () => {
  const site = manifest();
  assert.deepEqual(site.items.map((entry) => entry.path), ['index.md', 'media/pixel.png', 'posts/first.md', 'quotes/bob.md']);
  assert.deepEqual(site.devices, [deviceSalt('desktop'), deviceSalt('laptop')].sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1)));
  assert.deepEqual(site.previous, PREVIOUS);
  assert.deepEqual(site.author, ALICE.publicKey);
  assert.equal(site.createdMs, T + 10);
  const encoded = encodeManifest(site);
  assert.deepEqual(decodeManifest(encoded), { ok: true, value: site });
  const verified = verifyManifest(encoded, LOOKUP);
  assert.ok(verified.ok);
  assert.deepEqual(verified.value.items.map((entry) => entry.title), ['Home', 'Pixel', 'First', 'By Bob']);
  assert.deepEqual(site.items[2]?.related, [{ id: HOME.id, rel: 'follows' }]);
  const first = createManifest({ title: 'New', items: [] }, ALICE, T);
  assert.ok(first.ok && first.value.previous === undefined && first.value.items.length === 0);
  assert.equal(MANIFEST_PATH, '.swarmpress/manifest');
  assert.equal(itemFilePath(HOME.id), `.swarmpress/items/${toHex(HOME.id)}.item`);
});

test('missing, swapped, tampered or misdescribed items are caught', () => {
  const encoded = encodeManifest(manifest());
  assert.equal(code(verifyManifest(encoded, store([HOME, POST, PICTURE]))), 'ERR_MANIFEST_ITEM_MISSING');
  assert.equal(code(verifyManifest(encoded, (id) => (toHex(id) === toHex(POST.id) ? encodeItem(HOME) : LOOKUP(id)))), 'ERR_MANIFEST_ITEM_INVALID');
  const tampered = (id: Uint8Array): Uint8Array | undefined => {
    const bytesOf = LOOKUP(id)?.slice();
    if (bytesOf !== undefined && toHex(id) === toHex(POST.id)) bytesOf[bytesOf.length - 3] = (bytesOf[bytesOf.length - 3] ?? 0) ^ 1;
    return bytesOf;
  };
  assert.equal(code(verifyManifest(encoded, tampered)), 'ERR_MANIFEST_ITEM_INVALID');
  for (const [field, value] of [['title', utf8('Not the title')], ['mime', utf8('text/plain')], ['created', 5n]] as const) {
    const misdescribed = craft((dict) => {
      const list = entries(dict);
      list[0]?.set(key(field), value);
      dict.set(key('items'), list);
    });
    assert.ok(decodeManifest(misdescribed).ok, 'the manifest itself is fine');
    assert.equal(code(verifyManifest(misdescribed, LOOKUP)), 'ERR_MANIFEST_ENTRY_MISMATCH', field);
  }
  const dropRelated = craft((dict) => {
    const list = entries(dict);
    list[2]?.delete(key('related'));
    dict.set(key('items'), list);
  });
  assert.equal(code(verifyManifest(dropRelated, LOOKUP)), 'ERR_MANIFEST_ENTRY_MISMATCH');
  const movedFile = craft(withEntryPath('media/other.png', 1));
  assert.equal(code(verifyManifest(movedFile, LOOKUP)), 'ERR_MANIFEST_ENTRY_MISMATCH', 'a file item is listed at its file');
  assert.equal(code(createManifest({ title: 'x', items: [{ item: PICTURE, path: 'elsewhere.png' }] }, ALICE, T)), 'ERR_MANIFEST_ENTRY_MISMATCH');
});

test('the signature covers every byte and must be the author\'s', () => {
  const encoded = encodeManifest(manifest());
  assert.equal(code(decodeManifest(craft(() => undefined, BOB))), 'ERR_MANIFEST_BAD_SIGNATURE');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('title'), utf8('Forged'))))), undefined, 'a re-signed change is a new manifest');
  for (let bit = 0; bit < encoded.length * 8; bit += 11) {
    const flipped = encoded.slice();
    flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    assert.equal(decodeManifest(flipped).ok, false, `bit ${bit}`);
  }
});

test('paths stay inside the site, outside .swarmpress/ and free of collisions', () => {
  const cases: [string, string][] = [
    ['../escape.md', 'ERR_PATH_DOT_SEGMENT'],
    ['/etc/passwd', 'ERR_PATH_ABSOLUTE'],
    ['a\\b.md', 'ERR_PATH_BACKSLASH'],
    ['a\u0000.md', 'ERR_PATH_CONTROL'],
    ['C:/x.md', 'ERR_PATH_DRIVE'],
    ['CON', 'ERR_PATH_DEVICE_NAME'],
    ['a//b.md', 'ERR_PATH_EMPTY_SEGMENT'],
    ['.swarmpress/manifest', 'ERR_MANIFEST_PATH_RESERVED'],
    ['.SwarmPress/items/x', 'ERR_MANIFEST_PATH_RESERVED'],
    ['.SWARMPRESS/blocks.json', 'ERR_MANIFEST_PATH_RESERVED'],
    ['.swarmpress/blocks.json.md', 'ERR_MANIFEST_PATH_RESERVED'],
  ];
  for (const [path, expected] of cases) assert.equal(code(decodeManifest(craft(withEntryPath(path)))), expected, path);
  assert.equal(code(decodeManifest(craft(withEntryPath('.swarmpress/blocks.json')))), undefined, 'the block list is the one item listed inside .swarmpress/');
  assert.equal(code(decodeManifest(craft(withEntryPath('z.md', 0)))), 'ERR_MANIFEST_ORDER', 'out of byte order');
  assert.equal(code(decodeManifest(craft(withEntryPath('MEDIA/PIXEL.PNG', 0)))), 'ERR_MANIFEST_PATH_COLLISION', 'in byte order, yet one file on Windows');
  const twoCases = craft((dict) => {
    withEntryPath('Index.md', 0)(dict);
    withEntryPath('index.md', 1)(dict);
  });
  assert.equal(code(decodeManifest(twoCases)), 'ERR_MANIFEST_PATH_COLLISION', 'Index.md and index.md');
  assert.equal(code(decodeManifest(craft(withEntryPath('media', 0)))), 'ERR_MANIFEST_PATH_COLLISION', 'a file where a folder is');
  assert.equal(code(decodeManifest(craft(withEntryPath('media/pixel.png', 0)))), 'ERR_MANIFEST_ORDER', 'the same path twice');
  assert.equal(code(createManifest({ title: 'x', items: [{ item: HOME, path: 'a.md' }, { item: POST, path: 'A.md' }] }, ALICE, T)), 'ERR_MANIFEST_PATH_COLLISION');
  assert.equal(code(createManifest({ title: 'x', items: [{ item: HOME, path: 'a.md' }, { item: HOME, path: 'b.md' }] }, ALICE, T)), 'ERR_MANIFEST_DUPLICATE_ITEM');
  assert.equal(code(createManifest({ title: 'x', items: [{ item: HOME, path: '../a.md' }] }, ALICE, T)), 'ERR_PATH_DOT_SEGMENT');
});

test('the other fields: format, previous, devices, size', () => {
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('format'), 2n)))), 'ERR_MANIFEST_FORMAT');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('previous'), new Uint8Array(32))))), 'ERR_FIELD_INVALID');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('devices'), [])))), 'ERR_FIELD_EMPTY');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('devices'), [bytes('b'), bytes('a')])))), 'ERR_MANIFEST_DEVICES');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('devices'), [bytes('a'), bytes('a')])))), 'ERR_MANIFEST_DEVICES');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('devices'), [new Uint8Array(65)])))), 'ERR_MANIFEST_DEVICES');
  assert.equal(code(decodeManifest(craft((dict) => dict.set(key('extra'), 1n)))), 'ERR_FIELD_UNKNOWN');
  assert.equal(code(decodeManifest(craft((dict) => dict.delete(key('items'))))), 'ERR_FIELD_MISSING');
  assert.equal(code(decodeManifest(craft(withEntryPath('x.md', 3)))), undefined);
  assert.equal(code(decodeManifest(new Uint8Array(MAX_MANIFEST_BYTES + 1))), 'ERR_MANIFEST_TOO_LARGE');
  assert.equal(code(decodeManifest(bytes('d'))), 'ERR_BENCODE_TRUNCATED');
  assert.equal(code(createManifest({ title: 'bad \ud800', items: [] }, ALICE, T)), 'ERR_FIELD_INVALID');
  assert.throws(() => createManifest({ title: 'x', items: 'no' as unknown as ManifestDraft['items'] }, ALICE, T), TypeError);
  assert.throws(() => verifyManifest(encodeManifest(manifest()), undefined as unknown as () => undefined), TypeError);
  assert.throws(() => itemFilePath(new Uint8Array(3)), RangeError);
});
