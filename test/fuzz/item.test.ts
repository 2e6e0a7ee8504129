import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeBencode, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { binaryFromText, toHex } from '../../src/core/bytes.js';
import { textProblem } from '../../src/core/fields.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, decodeItem, encodeItem, type Item, type ItemBody, type ItemDraft } from '../../src/core/item.js';
import { bencodeValue, bounded, fuzz, mutate, mutations } from './fuzz.js';

const AUTHOR = Identity.fromSeed(new Uint8Array(32).fill(0x42));
const KEY = toHex(AUTHOR.publicKey);

/** Mostly `valid`, sometimes anything of `wild`: so that both acceptance and every rejection get exercised. */
function mostly<T>(valid: fc.Arbitrary<T>, wild: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: wild, weight: 1 });
}

/** Text of every kind: ordinary, any code point (controls, lone surrogates), long. */
const wildText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', 'a\nb', 'tab\there', 'x'.repeat(1100)),
);
const line = mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((value) => textProblem(value, 'line') === undefined), wildText);
const href = mostly(
  fc.constantFrom(`bittorrent://${KEY}/next.md`, `BITTORRENT://${KEY.toUpperCase()}/a%20b.md`, `magnet:?xs=urn:btpk:${KEY}&s=01`),
  fc.oneof(fc.constantFrom('next.md', 'https://example.com/', ''), wildText),
);
const id = mostly(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }));
const path = mostly(fc.constantFrom('media/a.png', 'a.md', 'ü/ß.txt'), fc.oneof(fc.constantFrom('../a', '/a', 'CON', 'a//b', 'C:/x'), wildText));
const body: fc.Arbitrary<ItemBody> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('text' as const), text: mostly(fc.string({ maxLength: 300 }), wildText) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('file' as const), path, sha256: id }), weight: 1 },
);

const draft: fc.Arbitrary<ItemDraft> = fc.record(
  {
    title: mostly(fc.string({ maxLength: 20 }), wildText),
    mime: mostly(fc.constantFrom('text/markdown', 'text/plain', 'Text/HTML'), fc.constantFrom('image/png', 'video/mp4', 'bad', 'text/plain; charset=utf-8', '')),
    body,
    source: line,
    next: fc.record({ id, href }, { requiredKeys: [] }),
    related: fc.array(fc.record({ id, rel: line, href }, { requiredKeys: ['id', 'rel'] }), { maxLength: 3 }),
    meta: fc.map(line, mostly(fc.string({ minLength: 1, maxLength: 20 }), wildText), { maxKeys: 3 }),
  },
  { requiredKeys: ['title', 'body'] },
);

const createdMs = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

test('random drafts never throw; every created item decodes to itself and re-encodes identically', () => {
  let accepted = 0;
  fuzz(
    fc.property(draft, createdMs, (input, time) => {
      const created = bounded('createItem', () => createItem(input, AUTHOR, time));
      if (!created.ok) {
        assert.match(created.error.code, /^ERR_[A-Z0-9_]+$/);
        return;
      }
      accepted++;
      const encoded = encodeItem(created.value);
      assert.deepEqual(decodeItem(encoded), { ok: true, value: created.value });
      assert.deepEqual(encodeItem(created.value), encoded);
      assert.deepEqual(created.value.author, AUTHOR.publicKey);
      assert.equal(created.value.createdMs, time);
    }),
    400,
    3000,
  );
  assert.ok(accepted > 0, 'some drafts are valid');
});

const BASE = ((): Item => {
  const created = createItem(
    {
      title: 'Base',
      body: { kind: 'text', text: 'Hello *world*\n' },
      source: 'me',
      next: { href: `bittorrent://${KEY}/2.md` },
      related: [{ id: sha256(new Uint8Array(1)), rel: 'reply' }],
      meta: new Map([['tags', 'x']]),
    },
    AUTHOR,
    1_700_000_000_000,
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
})();

test('mutated item bytes never throw; anything accepted round-trips exactly', () => {
  const encoded = encodeItem(BASE);
  fuzz(
    fc.property(mutations, (edits) => {
      const mutated = mutate(encoded, edits);
      const decoded = bounded('decodeItem', () => decodeItem(mutated));
      if (decoded.ok) assert.deepEqual(encodeItem(decoded.value), mutated);
    }),
    2000,
    2500,
  );
});

const FIELDS = ['author', 'body', 'created', 'format', 'meta', 'mime', 'next', 'related', 'source', 'title', 'extra'];

test('any field replaced by any value, correctly signed, is checked without throwing', () => {
  const decoded = decodeBencode(encodeItem(BASE));
  assert.ok(decoded.ok);
  const base = new Map(decoded.value as BencodeDict);
  base.delete('id');
  base.delete('sig');
  fuzz(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.option(bencodeValue)), { minLength: 1, maxLength: 3 }), (changes) => {
      const dict = new Map<string, BencodeValue>(base);
      for (const [field, value] of changes) {
        if (value === null) dict.delete(binaryFromText(field));
        else dict.set(binaryFromText(field), value);
      }
      const itemId = sha256(encodeBencode(dict));
      dict.set('id', itemId);
      dict.set('sig', AUTHOR.sign(itemId));
      const bytes = encodeBencode(dict);
      const result = bounded('decodeItem', () => decodeItem(bytes));
      if (result.ok) assert.deepEqual(encodeItem(result.value), bytes);
      else assert.match(result.error.code, /^ERR_[A-Z0-9_]+$/);
    }),
    600,
    3000,
  );
});
