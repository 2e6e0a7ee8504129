/**
 * The pure view-models of the window, over a real store and real signed items: the page's
 * Markdown (reader-page.ts), the site information (site-info.ts, and its presenter with a
 * recording window), and the library (library-view.ts). No window, no network.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../../src/core/bytes.js';
import { libraryView, shortKey } from '../../../src/app/library-view.js';
import { escapeInline, itemMarkdown, pageMarkdown } from '../../../src/app/reader-page.js';
import { SiteInfoPresenter, siteInfoView, versionOfRow, versionRowId, type SiteInfoWindow } from '../../../src/app/site-info.js';
import { localTime } from '../../../src/app/when.js';
import { formatBytes } from '../../../src/render/block-widgets.js';
import { Store } from '../../../src/store/store.js';
import type { SiteInfoView } from '../../../src/widgets/main-window.js';
import { makeItem, siteRecord, testIdentity, writeVersion } from '../../store/fixtures.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-views-');
});
after(() => {
  removeDir(root);
});

const NOW_MS = Date.UTC(2026, 11, 1, 12, 0);
const V1_MS = Date.UTC(2026, 10, 21, 8, 2);
const V2_MS = Date.UTC(2026, 10, 22, 9, 30);

test('reader-page: an item as Markdown, with Next, a notice and the replies dated in local time; titles stay text', () => {
  const site = testIdentity(41);
  const post = makeItem(site, 'Tomatoes', V1_MS).item;
  assert.equal(itemMarkdown(post, 'posts/tomatoes.md'), post.body.kind === 'text' ? post.body.text : '');
  const plain = makeItem(site, 'Notes', V1_MS, { mime: 'text/plain', body: { kind: 'text', text: 'a ``` fence\n' } }).item;
  assert.equal(itemMarkdown(plain, 'notes.txt'), '# Notes\n\n````text\na ``` fence\n````\n');
  const picture = makeItem(site, '', V1_MS, { mime: 'image/png', body: { kind: 'file', path: 'media/my cat.png', sha256: new Uint8Array(32) } }).item;
  assert.equal(itemMarkdown(picture, 'media/my cat.png'), '# my cat.png\n\n![](my%20cat.png)\n');

  assert.equal(escapeInline('  [a](b)  *c*\n#d '), '\\[a\\]\\(b\\) \\*c\\* \\#d');
  const body = '# Tomatoes\n\nSow in March.\n';
  assert.equal(pageMarkdown(body, { replies: [] }), body, 'nothing added: the same string');
  const replyMs = Date.UTC(2026, 10, 23, 17, 45);
  const page = pageMarkdown(body, {
    next: '/posts/peppers.md',
    notice: 'Muted site',
    replies: [
      { title: 'Indoors [first]', author: 'Ana', createdMs: replyMs, depth: 1, href: 'bittorrent://aa/reply.md' },
      { title: '', author: 'Bo', createdMs: replyMs, depth: 2 },
    ],
  });
  assert.equal(page, [
    '> **Muted site**\n\n---',
    '# Tomatoes\n\nSow in March.',
    '[Next →](</posts/peppers.md>)',
    `---\n\n## Replies (2)\n\n- [Indoors \\[first\\]](<bittorrent://aa/reply.md>) — Ana, ${localTime(replyMs)}\n  - Untitled reply — Bo, ${localTime(replyMs)}`,
  ].join('\n\n') + '\n');
});

/** A site with versions 1 and 2 (a record names each) and one version no record names. */
function siteWithHistory(store: Store): { site: ReturnType<typeof testIdentity>; v1: Uint8Array; v2: Uint8Array } {
  const site = testIdentity(42);
  const items = [makeItem(site, 'Home', V1_MS)];
  const v1 = writeVersion(store.dataDir, site, items, V1_MS, undefined, 'Garden notes');
  const v2 = writeVersion(store.dataDir, site, items, V2_MS, v1.infohash, 'Garden notes');
  const own = writeVersion(store.dataDir, site, items, V1_MS - 60_000, undefined, 'Garden notes');
  for (const version of [v1, v2, own]) assert.equal(store.addVersionFromDisk(version.infohash, 'test').ok, true);
  assert.equal(store.noteRecord(siteRecord(site, 1n, v1.infohash), 'dht').ok, true);
  assert.equal(store.noteRecord(siteRecord(site, 2n, v2.infohash), 'dht').ok, true);
  return { site, v1: v1.infohash, v2: v2.infohash };
}

test('site-info: key, version, peers, last update, size and history of the site shown, as the store has them', (t) => {
  const store = Store.open({ dataDir: path.join(root, 'site-info'), now: () => NOW_MS });
  t.after(() => { store.close(); });
  const { site, v1, v2 } = siteWithHistory(store);
  const node = { store, peersOf: (infohash: Uint8Array) => (toHex(infohash) === toHex(v1) ? 1 : undefined) };
  const view = siteInfoView(node, { siteKey: site.publicKey, infohash: v1 });
  assert.equal(view.title, 'Garden notes');
  assert.equal(view.key, toHex(site.publicKey));
  assert.equal(view.infohash, toHex(v1));
  assert.equal(view.seq, '1');
  assert.equal(view.peers, '1 peer connected');
  assert.equal(view.lastUpdate, `version 2 published ${localTime(V2_MS)}, received here ${localTime(NOW_MS)}`);
  assert.equal(view.cacheSize, `${formatBytes(store.siteUsedBytes(site.publicKey))} in 3 versions`);
  assert.deepEqual(view.history.map((row) => row.id), store.siteVersions(site.publicKey).map((version) => versionRowId(version.infohash)));
  assert.equal(view.history[0]?.label, `version 2 — ${localTime(V2_MS)} — ${toHex(v2).slice(0, 12)}…`);
  assert.ok(view.history.some((row) => row.label === `version 1 — ${localTime(V1_MS)} — ${toHex(v1).slice(0, 12)}…  (shown)`));
  assert.equal(view.historyNote, "1 stored version is named by no record of the site's address (a device's own, or opened by infohash).");
  assert.equal(siteInfoView(node, { siteKey: site.publicKey, infohash: v2 }).peers, "not in this version's swarm now");
  assert.deepEqual(versionOfRow(versionRowId(v2)), v2);
  assert.equal(versionOfRow('version:xyz'), undefined);
});

test('site-info presenter: says why there is nothing to show, shows, refreshes while open, and lets go when hidden', (t) => {
  const store = Store.open({ dataDir: path.join(root, 'site-info-presenter'), now: () => NOW_MS });
  t.after(() => { store.close(); });
  const { site, v2 } = siteWithHistory(store);
  const shown: SiteInfoView[] = [];
  const statuses: string[] = [];
  const window: SiteInfoWindow & { isSiteInfoOpen: boolean } = {
    isSiteInfoOpen: false,
    showSiteInfo: (view) => {
      shown.push(view);
      window.isSiteInfoOpen = true;
    },
    closeSiteInfo: () => {
      window.isSiteInfoOpen = false;
    },
    setStatus: (text) => {
      statuses.push(text);
    },
  };
  let running = false;
  let page: { siteKey: Uint8Array; infohash: Uint8Array } | undefined = undefined;
  const presenter = new SiteInfoPresenter({ view: window, node: () => (running ? { store, peersOf: () => 3 } : undefined), shown: () => page });
  t.after(() => { presenter.close(); });
  presenter.open();
  assert.deepEqual(statuses, ['Site information: the swarm node has not started yet.']);
  running = true;
  presenter.open();
  assert.equal(statuses.at(-1), 'Site information: this page belongs to no site.');
  assert.equal(shown.length, 0);
  page = { siteKey: site.publicKey, infohash: v2 };
  presenter.open();
  assert.equal(shown.at(-1)?.peers, '3 peers connected');
  presenter.refresh();
  assert.equal(shown.length, 2, 'refreshed while open');
  window.isSiteInfoOpen = false;
  presenter.refresh();
  assert.equal(shown.length, 2, 'hidden by the reader: not shown again');
});

test('library-view: followed (marked new), own, nearby, blocks, mutes and the last search; why there is no nearby list', (t) => {
  const store = Store.open({ dataDir: path.join(root, 'library'), now: () => NOW_MS });
  t.after(() => { store.close(); });
  const { site } = siteWithHistory(store);
  const own = testIdentity(43);
  const blocked = testIdentity(44);
  const muted = testIdentity(45);
  const stranger = testIdentity(46);
  store.follow('site', site.publicKey);
  store.noteSite({ key: own.publicKey, origin: 'publish', title: 'My notebook', isOwn: true });
  store.block('site', blocked.publicKey);
  store.block('author', blocked.publicKey);
  store.noteSite({ key: muted.publicKey, origin: 'follow' });
  store.follow('site', muted.publicKey);
  store.mute(muted.publicKey);
  const hex = toHex(site.publicKey);
  const lan = {
    nearbySites: () => [
      { key: toHex(stranger.publicKey), seq: 7n, title: 'Market hall', nodes: 2 },
      { key: hex, seq: 2n, title: 'A neighbour calls it something else', nodes: 1 },
      { key: toHex(blocked.publicKey), seq: 1n, nodes: 1 },
      { key: toHex(muted.publicKey), seq: 1n, nodes: 1 },
    ],
  };
  const search = { query: 'home', results: [{ id: 'item:00', label: 'Home — …' }] };
  const view = libraryView({ store, lan, lanOff: undefined, newVersions: new Set([hex]), search });
  assert.deepEqual(view.followed, [{ id: `site:${hex}`, label: 'Garden notes (v2)', isNew: true }], 'the muted site is left out');
  assert.deepEqual(view.own, [{ id: `site:${toHex(own.publicKey)}`, label: 'My notebook' }]);
  assert.deepEqual(view.nearby, [
    { id: `site:${toHex(stranger.publicKey)}`, label: 'Market hall (v7) — 2 nodes nearby' },
    { id: `site:${hex}`, label: 'Garden notes (v2) — 1 node nearby' },
  ], 'the stored title first; blocked and muted sites are not listed');
  assert.deepEqual(view.blocked, [
    { id: `blocked:${toHex(blocked.publicKey)}`, label: `${shortKey(blocked.publicKey)} (author and site)` },
    { id: `muted:${toHex(muted.publicKey)}`, label: `${shortKey(muted.publicKey)} (muted)`, lift: 'Unmute' },
  ]);
  assert.deepEqual(view.search, search);
  const off = libraryView({ store, lan: undefined, lanOff: 'LAN discovery is off (--no-lan).', newVersions: new Set(), search: undefined });
  assert.equal(off.nearbyOff, 'LAN discovery is off (--no-lan).');
  assert.equal(off.nearby, undefined);
  assert.equal(off.followed[0]?.isNew, false);
});
