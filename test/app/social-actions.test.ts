/**
 * What the reader lists of a search (social-actions.ts `isListedHit`) over a real store:
 * pages of a site are found, its block list item never is, and a muted site's pages are
 * left out until it is unmuted.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BLOCK_LIST_MIME, BLOCK_LIST_PATH, encodeBlockList } from '../../src/core/block-list.js';
import { isListedHit, liftLibraryRow } from '../../src/app/social-actions.js';
import { buildVersion, scanSource } from '../../src/store/site-build.js';
import { Store } from '../../src/store/store.js';
import { testIdentity } from '../store/fixtures.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { toHex } from '../../src/core/bytes.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-social-actions-');
});
after(() => {
  removeDir(root);
});

test('search lists pages, never a block list or a generated page, and nothing of a muted site', () => {
  const store = Store.open({ dataDir: path.join(root, 'data') });
  const site = testIdentity(5);
  const folder = path.join(root, 'site');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'index.md'), '# Block party\n\nEveryone is welcome.\n');
  const built = buildVersion({
    dataDir: store.dataDir, source: scanSource(folder), author: site, site, fallbackTitle: 'x', rootName: 'x', nowMs: 1_000,
    generated: [{ path: BLOCK_LIST_PATH, title: 'Block list', mime: BLOCK_LIST_MIME, bytes: encodeBlockList([{ kind: 'site', key: testIdentity(6).publicKey }]) }],
  });
  assert.ok(built.staging !== undefined && store.adoptVersion(built.staging, new Uint8Array(crypto.randomBytes(20)), 'test').ok);
  const hits = store.search('block');
  // The store indexes the generated post list and feed too; they are never listed.
  assert.deepEqual(hits.map((hit) => hit.title).sort(), ['All posts — Block party', 'Block list', 'Block party', 'Block party (Atom feed)'], 'the store indexes them all');
  assert.deepEqual(hits.filter((hit) => isListedHit(store, hit)).map((hit) => hit.title), ['Block party']);
  store.mute(site.publicKey);
  assert.deepEqual(hits.filter((hit) => isListedHit(store, hit)), []);
  assert.match(liftLibraryRow(store, `muted:${toHex(site.publicKey)}`) ?? '', /^Unmuted /);
  assert.deepEqual(hits.filter((hit) => isListedHit(store, hit)).map((hit) => hit.title), ['Block party']);
  assert.equal(liftLibraryRow(store, 'site:zz'), undefined);
  store.close();
});
