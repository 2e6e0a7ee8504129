/**
 * The reader presenter in-process, without a window (reader-fixture.ts): navigation over
 * the history (back and forward show the version seen, from the store; reload asks the
 * network again), a stored copy shown at once and replaced when the network answers with a
 * newer version, a new version arriving while its site is shown, and the thread drawn again
 * when a reply arrives. Real store, real signed items and versions; no mock of a library.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { toHex } from '../../../src/core/bytes.js';
import { Reader } from '../../../src/app/reader.js';
import { localTime } from '../../../src/app/when.js';
import { Store } from '../../../src/store/store.js';
import { makeItem, testIdentity } from '../../store/fixtures.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';
import { until } from '../../helpers/until.js';
import { layout, RecordingView, siteAddress, StoreNode, storeVersion } from './reader-fixture.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-reader-presenter-');
});
after(() => {
  removeDir(root);
});

let stores = 0;

/** A reader over a fresh store, a recording view and a node whose answers the test gives; closed after `t`. */
function readerOnStore(t: TestContext, options: { kiosk?: boolean } = {}): { store: Store; node: StoreNode; view: RecordingView; reader: Reader } {
  stores += 1;
  const store = Store.open({ dataDir: path.join(root, `data-${stores}`) });
  const node = new StoreNode(store);
  const view = new RecordingView();
  const reader = new Reader({ view, node, layout, ...options });
  t.after(() => {
    reader.close();
    store.close();
  });
  return { store, node, view, reader };
}

const V1_MS = Date.UTC(2026, 10, 21, 8, 2);
const V2_MS = Date.UTC(2026, 10, 22, 9, 30);

test('back and forward show the version seen there, from the store; reload asks the network again', async (t) => {
  const { store, node, view, reader } = readerOnStore(t);
  const site = testIdentity(31);
  const home = makeItem(site, 'Home', V1_MS);
  const about = makeItem(site, 'About', V1_MS);
  const v1 = storeVersion(store, site, 1n, { 'index.md': home, 'about.md': about }, V1_MS);
  // The network answers with the stored version 1 (nothing newer).
  node.answerWith(site, () => v1);

  reader.navigate(siteAddress(site));
  await until(() => view.status?.startsWith('Version 1 of') === true, 'the home page, as the DHT answered');
  assert.equal(view.page?.title, 'Home');
  assert.equal(view.status, `Version 1 of Garden notes, from ${localTime(V1_MS)}.`);
  assert.deepEqual(view.navigation, { canBack: false, canForward: false });

  reader.navigate(siteAddress(site, 'about.md'));
  await until(() => view.page?.title === 'About' && view.status?.startsWith('Version 1 of') === true, 'the about page');
  assert.deepEqual(view.navigation, { canBack: true, canForward: false });
  assert.deepEqual(node.opened, [siteAddress(site), siteAddress(site, 'about.md')]);

  reader.back();
  await until(() => view.page?.title === 'Home' && view.status?.startsWith('A fixed version') === true, 'the home page again');
  assert.equal(view.status, `A fixed version, from ${localTime(V1_MS)}.`, 'the version seen there, from the store');
  assert.deepEqual(view.navigation, { canBack: false, canForward: true });
  assert.equal(node.opened.length, 2, 'back asked the network nothing');
  reader.back();
  assert.deepEqual(view.navigation, { canBack: false, canForward: true }, 'nothing before the first page');

  reader.forward();
  await until(() => view.page?.title === 'About' && view.status?.startsWith('A fixed version') === true, 'the about page again');
  assert.deepEqual(view.navigation, { canBack: true, canForward: false });
  assert.equal(node.opened.length, 2, 'forward asked the network nothing');

  await reader.reload();
  assert.equal(node.opened.at(-1), siteAddress(site, 'about.md'), 'reload resolves the address again');
  assert.equal(view.pages.at(-1)?.title, 'About');
  assert.equal(view.status, `Version 1 of Garden notes, from ${localTime(V1_MS)}.`);

  reader.navigate('not an address');
  assert.match(view.statuses.at(-1) ?? '', /^'not an address' is not an address swarmpress opens: /);
  assert.deepEqual(view.navigation, { canBack: true, canForward: false }, 'a refused address is not in the history');
});

test('a stored copy is shown at once, then replaced when the network answers with a newer version', async (t) => {
  const { store, node, view, reader } = readerOnStore(t);
  const site = testIdentity(32);
  storeVersion(store, site, 1n, { 'index.md': makeItem(site, 'First season', V1_MS) }, V1_MS);
  let answer: (() => void) | undefined;
  node.answer = (address, options) => new Promise((resolve) => {
    answer = () => {
      // The DHT names version 2; it is fetched and stored, as the node would.
      const v2 = storeVersion(store, site, 2n, { 'index.md': makeItem(site, 'Second season', V2_MS) }, V2_MS);
      const resolved = { infohash: v2.infohash, key: site.publicKey, seq: 2n, source: 'dht' as const };
      options.onResolved?.(resolved);
      options.onProgress?.({ progress: 0.5, peers: 2 } as Parameters<NonNullable<typeof options.onProgress>>[0]);
      const entry = store.versionPage(v2.infohash, address.path);
      assert.ok(entry !== undefined);
      resolve({ resolved, entry });
    };
  });

  reader.navigate(siteAddress(site));
  await until(() => answer !== undefined, 'the network asked');
  assert.equal(view.page?.title, 'First season', 'the stored copy, before any answer');
  assert.equal(view.status, `stored copy, version 1, from ${localTime(V1_MS)} (asking the network for a newer version…)`);
  assert.equal(view.progress, 'busy');

  answer?.();
  await until(() => view.page?.title === 'Second season', 'the newer version');
  await until(() => view.progress === undefined, 'the progress bar cleared');
  assert.ok(view.statuses.includes('Downloading version 2: finding peers…'));
  assert.ok(view.statuses.includes('Downloading: 2 peers, 50% downloaded'));
  assert.equal(view.status, `Version 2 of Garden notes, from ${localTime(V2_MS)}.`);
  assert.deepEqual(view.pages.map((page) => page.title), ['First season', 'Second season']);
});

test('the stored copy stays when the network does not answer, and the status line says why', async (t) => {
  const { store, view, reader } = readerOnStore(t);
  const site = testIdentity(33);
  storeVersion(store, site, 4n, { 'index.md': makeItem(site, 'Offline', V1_MS) }, V1_MS);
  reader.navigate(siteAddress(site));
  await until(() => view.status?.includes('not downloaded') === true, 'the failed download');
  assert.deepEqual(view.pages.map((page) => page.title), ['Offline']);
  assert.equal(view.status, `stored copy, version 4, from ${localTime(V1_MS)} (version 0a1b was not downloaded within 60 s (no metadata, 0 peers); no peer that has it answered in time; try again later or with a longer --timeout)`);
  assert.equal(view.progress, undefined);
});

test('a new version of the site shown arrives: the status line says so and the library marks the site', async (t) => {
  const { store, node, view, reader } = readerOnStore(t);
  const site = testIdentity(34);
  const v1 = storeVersion(store, site, 1n, { 'index.md': makeItem(site, 'Home', V1_MS) }, V1_MS);
  node.answerWith(site, () => v1);
  reader.navigate(siteAddress(site));
  await until(() => view.status?.startsWith('Version 1 of') === true, 'version 1 shown');
  reader.actions.toggleFollow();
  assert.match(view.status ?? '', /^Following Garden notes: /);
  assert.equal(view.actions?.following, true);
  const hex = toHex(site.publicKey);
  assert.deepEqual(view.library?.followed, [{ id: `site:${hex}`, label: 'Garden notes (v1)', isNew: false }]);

  // The version shown, arriving again (pushed by a peer while it was opened): nothing to say.
  const before = view.statuses.length;
  node.emit({ type: 'updated', key: hex, title: 'Garden notes', seq: '1', infohash: toHex(v1.infohash), newItems: 0 });
  assert.equal(view.statuses.length, before);

  const v2 = storeVersion(store, site, 2n, { 'index.md': makeItem(site, 'Home, again', V2_MS) }, V2_MS);
  node.emit({ type: 'updated', key: hex, title: 'Garden notes', seq: '2', infohash: toHex(v2.infohash), newItems: 1 });
  assert.equal(view.status, 'Version 2 of this site arrived: press F5 to show it.');
  assert.deepEqual(view.library.followed, [{ id: `site:${hex}`, label: 'Garden notes (v2)', isNew: true }]);
  assert.equal(view.page?.title, 'Home', 'the page shown stays until the reader asks');
});

test('kiosk: a new version of the site shown is shown by itself', async (t) => {
  const { store, node, view, reader } = readerOnStore(t, { kiosk: true });
  const site = testIdentity(35);
  let newest = storeVersion(store, site, 1n, { 'index.md': makeItem(site, 'Menu of Monday', V1_MS) }, V1_MS);
  node.answerWith(site, () => newest);
  reader.navigate(siteAddress(site));
  await until(() => view.status?.startsWith('Version 1 of') === true, 'version 1 shown');
  assert.equal(store.isFollowing('site', site.publicKey), true, 'a kiosk follows the site it shows');
  assert.equal(view.actions, undefined, 'a kiosk offers no site actions');
  newest = storeVersion(store, site, 2n, { 'index.md': makeItem(site, 'Menu of Tuesday', V2_MS) }, V2_MS);
  node.emit({ type: 'updated', key: toHex(site.publicKey), title: 'Menu', seq: '2', infohash: toHex(newest.infohash), newItems: 1 });
  await until(() => view.page?.title === 'Menu of Tuesday' && view.status?.startsWith('Version 2 of') === true, 'version 2 shown by itself');
});

test('a reply to the item shown arrives: the page is drawn again with its thread', async (t) => {
  const { store, node, view, reader } = readerOnStore(t);
  const site = testIdentity(36);
  const reader1 = testIdentity(37);
  const post = makeItem(site, 'Tomatoes in March', V1_MS);
  const v1 = storeVersion(store, site, 1n, { 'posts/tomatoes.md': post }, V1_MS);
  node.answerWith(site, () => v1);
  reader.navigate(siteAddress(site, 'posts/tomatoes.md'));
  await until(() => view.status?.startsWith('Version 1 of') === true, 'the post shown');
  assert.doesNotMatch(view.page?.source ?? '', /Replies/);

  // A reply to another item changes nothing.
  const shownPages = view.pages.length;
  node.emit({ type: 'reply', key: toHex(reader1.publicKey), reply: toHex(new Uint8Array(32).fill(2)), target: toHex(new Uint8Array(32).fill(1)), infohash: toHex(new Uint8Array(20)), seq: '1', site: 'Notes of 25a6', title: 'Elsewhere', targetTitle: 'Something else' });
  assert.equal(view.pages.length, shownPages);

  const replyMs = Date.UTC(2026, 10, 23, 17, 45);
  const reply = makeItem(reader1, 'Sow them indoors', replyMs, { related: [{ id: post.item.id, rel: 'reply' }] });
  assert.equal(store.addItem(reply.bytes).ok, true);
  node.emit({ type: 'reply', key: toHex(reader1.publicKey), reply: toHex(reply.item.id), target: toHex(post.item.id), infohash: toHex(new Uint8Array(20)), seq: '1', site: 'Notes of 25a6', title: 'Sow them indoors', targetTitle: 'Tomatoes in March' });
  await until(() => view.status === "A reply arrived: Notes of 25a6: 'Sow them indoors' replies to Tomatoes in March", 'the thread drawn again');
  assert.equal(view.pages.length, shownPages + 1);
  assert.equal(view.page?.title, 'Tomatoes in March');
  const source = view.pages.at(-1)?.source ?? '';
  assert.match(source, /## Replies \(1\)/);
  // Dated in local time, like the status line.
  assert.ok(source.includes(`- Sow them indoors — ${toHex(reader1.publicKey).slice(0, 8)}…, ${localTime(replyMs)}`), source);
});
