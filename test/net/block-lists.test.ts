/**
 * Reading a subscribed site's block list from the store and the disk (block-lists.ts): real
 * SQLite stores and versions built like a publishing node builds them (site-build.ts), then
 * altered the way a hostile or broken peer could leave them.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BLOCK_LIST_MIME, BLOCK_LIST_PATH, encodeBlockList, parseBlockList } from '../../src/core/block-list.js';
import { toHex, utf8 } from '../../src/core/bytes.js';
import type { Identity } from '../../src/core/identity.js';
import { ownBlockListFile, readBlockListOf } from '../../src/net/block-lists.js';
import { buildVersion, scanSource, type GeneratedFile } from '../../src/store/site-build.js';
import { Store } from '../../src/store/store.js';
import { siteRecord, testIdentity } from '../store/fixtures.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
let counter = 0;
before(() => {
  root = makeTempDir('swarmpress-block-lists-');
});
after(() => {
  removeDir(root);
});

const lister = testIdentity(7);
const me = testIdentity(8);
const other = testIdentity(9);

/** Builds a version of `site` carrying `generated` and stores it; returns its (made-up) infohash. */
function storeVersion(store: Store, site: Identity, generated: readonly GeneratedFile[], nowMs: number): Uint8Array {
  const folder = path.join(root, `src-${counter++}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'index.md'), `# A list\n\nVersion of ${nowMs}.\n`);
  const built = buildVersion({ dataDir: store.dataDir, source: scanSource(folder), author: site, site, fallbackTitle: 'list', rootName: 'list', generated, nowMs });
  assert.ok(built.staging !== undefined);
  const infohash = new Uint8Array(crypto.randomBytes(20));
  const adopted = store.adoptVersion(built.staging, infohash, 'test');
  assert.ok(adopted.ok, adopted.ok ? '' : adopted.error.message);
  return infohash;
}

function list(bytes: Uint8Array): GeneratedFile {
  return { path: BLOCK_LIST_PATH, title: 'Block list', mime: BLOCK_LIST_MIME, bytes };
}

test("a list is read from the version the newest record names; the user's own keys are left out", () => {
  const store = Store.open({ dataDir: path.join(root, `data-${counter++}`) });
  assert.equal(readBlockListOf(store, lister.publicKey, []).ok, false, 'nothing stored yet');
  const first = storeVersion(store, lister, [list(encodeBlockList([{ kind: 'site', key: other.publicKey }, { kind: 'author', key: me.publicKey }]))], 1_000);
  const read = readBlockListOf(store, lister.publicKey, [me.publicKey]);
  assert.ok(read.ok);
  assert.deepEqual(read.value.entries.map((entry) => toHex(entry.key)), [toHex(other.publicKey)]);
  assert.deepEqual(read.value.refused.map((entry) => toHex(entry.key)), [toHex(me.publicKey)]);
  assert.equal(read.value.infohash, toHex(first));

  // A later version without a list, named by the newest record: the site carries no list now.
  const second = storeVersion(store, lister, [], 2_000);
  assert.ok(store.noteRecord(siteRecord(lister, 1n, second), 'test').ok);
  const absent = readBlockListOf(store, lister.publicKey, []);
  assert.ok(absent.ok);
  assert.deepEqual([absent.value.absent, absent.value.entries.length, absent.value.infohash], [true, 0, toHex(second)]);
  // A version whose manifest claims a later time does not win over the one the record names.
  storeVersion(store, lister, [list(encodeBlockList([{ kind: 'site', key: other.publicKey }]))], 9_000_000);
  const named = readBlockListOf(store, lister.publicKey, []);
  assert.ok(named.ok);
  assert.equal(named.value.infohash, toHex(second));
  store.close();
});

test('a list file that differs from its signed item, or an item of another type, is refused', () => {
  const store = Store.open({ dataDir: path.join(root, `data-${counter++}`) });
  const infohash = storeVersion(store, lister, [list(encodeBlockList([{ kind: 'site', key: other.publicKey }]))], 1_000);
  const file = path.join(store.versionRoot(infohash) ?? '', ...BLOCK_LIST_PATH.split('/'));
  fs.writeFileSync(file, encodeBlockList([{ kind: 'site', key: me.publicKey }]));
  const tampered = readBlockListOf(store, lister.publicKey, []);
  assert.ok(!tampered.ok);
  assert.equal(tampered.error.code, 'ERR_BLOCK_LIST_ITEM');
  assert.match(tampered.error.message, /does not match the SHA-256 its item names/);
  fs.rmSync(file);
  const missing = readBlockListOf(store, lister.publicKey, []);
  assert.ok(!missing.ok);
  assert.match(missing.error.message, /cannot be read \(ENOENT\)/);

  const other2 = Store.open({ dataDir: path.join(root, `data-${counter++}`) });
  storeVersion(other2, lister, [{ ...list(utf8('{"blocks":[]}')), mime: 'application/json' }], 1_000);
  const wrongType = readBlockListOf(other2, lister.publicKey, []);
  assert.ok(!wrongType.ok);
  assert.match(wrongType.error.message, /is not a application\/vnd\.swarmpress\.blocks\+json file item/);
  store.close();
  other2.close();
});

test("the published file holds the user's own blocks only, not those of lists they subscribe to", () => {
  const store = Store.open({ dataDir: path.join(root, `data-${counter++}`) });
  store.block('site', other.publicKey);
  store.subscribeBlockList(lister.publicKey);
  store.setBlockListEntries(lister.publicKey, [{ kind: 'author', key: me.publicKey }]);
  const file = ownBlockListFile(store);
  assert.deepEqual([file.path, file.mime], [BLOCK_LIST_PATH, BLOCK_LIST_MIME]);
  const parsed = parseBlockList(file.bytes);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value.map((entry) => `${entry.kind}:${toHex(entry.key)}`), [`site:${toHex(other.publicKey)}`]);
  store.close();
});
