import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { binaryFromText, toHex } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, encodeItem, type Item } from '../../src/core/item.js';
import { createManifest, decodeManifest, encodeManifest, verifyManifest, type SiteManifest } from '../../src/core/manifest.js';
import { mergeSiteVersions } from '../../src/core/site-merge.js';
import { bencodeValue, bounded, fuzz, mutate, mutations } from './fuzz.js';

const AUTHOR = Identity.fromSeed(new Uint8Array(32).fill(0x42));

const POOL: Item[] = Array.from({ length: 6 }, (_, i) => {
  const created = createItem(
    i === 5
      ? { title: 'Picture', mime: 'image/png', body: { kind: 'file', path: 'media/p.png', sha256: sha256(new Uint8Array(1)) } }
      : { title: `Item ${i}`, body: { kind: 'text', text: `Body ${i}\n` }, ...(i > 0 ? { related: [{ id: sha256(new Uint8Array([i])), rel: 'reply' }] } : {}) },
    AUTHOR,
    1_700_000_000_000 + i,
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
});
const FILES = new Map(POOL.map((item) => [toHex(item.id), encodeItem(item)]));
const lookup = (id: Uint8Array): Uint8Array | undefined => FILES.get(toHex(id));

const path = fc.oneof(
  { arbitrary: fc.constantFrom('index.md', 'a.md', 'A.md', 'posts/x.md', 'posts', 'media/p.png', 'über/ß.md', 'z/y/x/w.md'), weight: 10 },
  { arbitrary: fc.constantFrom('../x', '/x', 'a\\b', 'CON', 'a//b', '.swarmpress/x', 'x.', 'C:/x', ''), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 10 }), weight: 1 },
);

const draft = fc.record({
  title: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 5 })),
  items: fc.array(fc.record({ item: fc.constantFrom(...POOL), path }), { maxLength: 6 }),
  previous: fc.option(fc.oneof({ arbitrary: fc.uint8Array({ minLength: 20, maxLength: 20 }), weight: 8 }, { arbitrary: fc.uint8Array({ maxLength: 33 }), weight: 1 }), { nil: undefined }),
  devices: fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 3 }),
});

test('random site versions never throw; every created manifest verifies and round-trips', () => {
  let accepted = 0;
  const versions: SiteManifest[] = [];
  fuzz(
    fc.property(draft, fc.nat(), (input, time) => {
      const { previous, ...rest } = input;
      const created = bounded('createManifest', () => createManifest({ ...rest, ...(previous === undefined ? {} : { previous }) }, AUTHOR, time));
      if (!created.ok) {
        assert.match(created.error.code, /^ERR_[A-Z0-9_]+$/);
        return;
      }
      accepted++;
      versions.push(created.value);
      const encoded = encodeManifest(created.value);
      assert.deepEqual(decodeManifest(encoded), { ok: true, value: created.value });
      const verified = verifyManifest(encoded, lookup);
      assert.ok(verified.ok, verified.ok ? '' : verified.error.message);
      assert.equal(verified.value.items.length, input.items.length);
    }),
    500,
    3000,
  );
  assert.ok(accepted > 0);
  // Merging any of them never throws and yields a collision-free, sorted site.
  const merged = mergeSiteVersions(versions.slice(0, 40));
  const paths = merged.items.map((entry) => entry.path);
  assert.deepEqual([...paths].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)))), paths);
  assert.equal(new Set(paths.map((p) => p.toLowerCase())).size, paths.length);
});

const BASE = ((): SiteManifest => {
  const created = createManifest(
    { title: 'Site', items: POOL.map((item, i) => ({ item, path: i === 5 ? 'media/p.png' : `posts/${i}.md` })), previous: new Uint8Array(20).fill(1), devices: [new Uint8Array([1])] },
    AUTHOR,
    1_700_000_100_000,
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
})();

test('mutated manifest bytes never throw; anything accepted round-trips exactly', () => {
  const encoded = encodeManifest(BASE);
  fuzz(
    fc.property(mutations, (edits) => {
      const mutated = mutate(encoded, edits);
      const decoded = bounded('decodeManifest', () => decodeManifest(mutated));
      bounded('verifyManifest', () => verifyManifest(mutated, lookup));
      if (decoded.ok) assert.deepEqual(encodeManifest(decoded.value), mutated);
    }),
    1000,
    2500,
  );
});

const FIELDS = ['author', 'created', 'devices', 'format', 'items', 'previous', 'title', 'extra'];

test('any field or entry replaced by any value, correctly signed, is checked without throwing', () => {
  const decoded = decodeBencode(encodeManifest(BASE));
  assert.ok(decoded.ok);
  const base = new Map(decoded.value as BencodeDict);
  base.delete('sig');
  const entries = base.get('items') as BencodeDict[];
  fuzz(
    fc.property(
      fc.oneof(
        fc.tuple(fc.constantFrom(...FIELDS), fc.option(bencodeValue)).map(([field, value]) => ({ field, value, entry: -1 })),
        fc.tuple(fc.constantFrom('id', 'title', 'path', 'mime', 'created', 'related', 'next', 'x'), fc.option(bencodeValue), fc.nat({ max: entries.length - 1 })).map(([field, value, entry]) => ({ field, value, entry })),
      ),
      ({ field, value, entry }) => {
        const dict = new Map<string, BencodeValue>(base);
        const target = entry < 0 ? dict : new Map(entries[entry]);
        if (value === null) target.delete(binaryFromText(field));
        else target.set(binaryFromText(field), value);
        if (entry >= 0) dict.set('items', entries.map((original, i) => (i === entry ? target : original)));
        dict.set('sig', AUTHOR.sign(encodeBencode(dict)));
        const bytes = encodeBencode(dict);
        const result = bounded('decodeManifest', () => decodeManifest(bytes));
        bounded('verifyManifest', () => verifyManifest(bytes, lookup));
        if (result.ok) assert.deepEqual(encodeManifest(result.value), bytes);
        else assert.match(result.error.code, /^ERR_[A-Z0-9_]+$/);
      },
    ),
    500,
    3000,
  );
});
