import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_SEQ } from '../../src/core/bep44.js';
import { toHex, utf8 } from '../../src/core/bytes.js';
import { decodeLanNotice, encodeLanNotice, MAX_NOTICE_BYTES, MAX_TXT_STRING_BYTES, MIN_NOTICE_BYTES, noticeTitle, type NoticeSite } from '../../src/core/lan-notice.js';
import { bounded, fuzz, mutate, mutations } from './fuzz.js';

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const seq = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: MAX_SEQ }), fc.constant(MAX_SEQ));
const title = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const sites = fc.uniqueArray(fc.record({ key, seq, title: fc.option(title, { nil: undefined }) }), { selector: (site) => site.key, maxLength: 30 }).map((list) =>
  list.map((site): NoticeSite => (site.title === undefined ? { key: site.key, seq: site.seq } : { key: site.key, seq: site.seq, title: site.title })),
);
const port = fc.integer({ min: 1, max: 65535 });

test('every notice encodes within the DNS limits and decodes to what was announced', () => {
  fuzz(
    fc.property(port, sites, fc.boolean(), fc.integer({ min: MIN_NOTICE_BYTES, max: MAX_NOTICE_BYTES }), (listen, list, asText, budget) => {
      const encoded = encodeLanNotice({ port: listen, sites: list }, budget);
      assert.ok(encoded.bytes <= budget);
      assert.equal(encoded.bytes, encoded.strings.reduce((sum, s) => sum + 1 + utf8(s).length, 0));
      for (const s of encoded.strings) assert.ok(utf8(s).length <= MAX_TXT_STRING_BYTES);
      const decoded = decodeLanNotice(asText ? encoded.strings : encoded.strings.map(utf8));
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
      assert.equal(decoded.value.port, listen);
      assert.equal(decoded.value.carried, list.length);
      const announced = list.filter((site) => !encoded.omitted.includes(site.key));
      assert.deepEqual(
        decoded.value.sites.map((site) => site.key),
        announced.map((site) => site.key),
      );
      decoded.value.sites.forEach((site, i) => {
        const original = announced[i];
        assert.ok(original);
        assert.equal(site.seq, original.seq);
        const expected = original.title === undefined || encoded.untitled.includes(site.key) ? '' : noticeTitle(original.title);
        assert.equal(site.title ?? '', expected);
      });
    }),
    400,
    2500,
  );
});

test('anything at all is rejected or accepted without throwing', () => {
  const entry = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }));
  fuzz(
    fc.property(fc.oneof(fc.anything(), fc.array(entry, { maxLength: 40 })), (txt) => {
      bounded('decodeLanNotice', () => decodeLanNotice(txt));
    }),
    2000,
    2000,
  );
});

const GENUINE = encodeLanNotice({
  port: 6881,
  sites: [
    { key: 'ab'.repeat(32), seq: 12n, title: 'News' },
    { key: 'cd'.repeat(32), seq: MAX_SEQ },
  ],
}).strings.map(utf8);

test('mutated TXT strings never throw; whatever is accepted is a valid notice that re-encodes to itself', () => {
  const edits = fc.array(fc.record({ at: fc.nat(), edits: mutations }), { minLength: 1, maxLength: 3 });
  fuzz(
    fc.property(edits, fc.array(fc.nat(), { maxLength: 3 }), (changes, removed) => {
      const txt: Uint8Array[] = GENUINE.map((s) => s.slice());
      for (const change of changes) {
        const at = change.at % txt.length;
        txt[at] = mutate(txt[at] ?? new Uint8Array(0), change.edits);
      }
      for (const at of removed) txt.splice(at % (txt.length + 1), 1);
      const result = bounded('decodeLanNotice', () => decodeLanNotice(txt));
      if (!result.ok) return;
      const again = encodeLanNotice({ port: result.value.port, sites: result.value.sites });
      const reread = decodeLanNotice(again.strings);
      assert.ok(reread.ok);
      assert.deepEqual(reread.value.sites, result.value.sites);
      assert.equal(reread.value.port, result.value.port);
    }),
    1500,
    2500,
  );
});
