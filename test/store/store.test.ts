import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { MAX_SEQ } from '../../src/core/bep44.js';
import { compareBytes, toHex } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { verifyItem } from '../../src/store/items.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { Store, THREAD_SQL } from '../../src/store/store.js';
import { StoreError } from '../../src/store/store-error.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { makeItem, siteRecord, testIdentity, writeVersion } from './fixtures.js';

let root: string;
let counter = 0;
before(() => {
  root = makeTempDir('swarmpress-store-');
});
after(() => {
  removeDir(root);
});

/** A store in a fresh data folder, with a clock the test moves. */
function freshStore(options: { cacheBudgetBytes?: number } = {}): { store: Store; clock: { ms: number } } {
  const clock = { ms: 1_700_000_000_000 };
  const store = Store.open({ dataDir: `${root}/data-${counter++}`, now: () => clock.ms, ...options });
  return { store, clock };
}

const alice = testIdentity(1);
const bob = testIdentity(2);
const carol = testIdentity(3);

test('durability pragmas are set and asserted on every open, also after a reopen', () => {
  const { store } = freshStore();
  const dataDir = store.dataDir;
  assert.deepEqual(store.durability(), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, schemaVersion: SCHEMA_VERSION });
  store.close();
  store.close(); // idempotent
  assert.throws(() => store.follow('site', alice.publicKey), (e: unknown) => e instanceof StoreError && e.code === 'ERR_STORE_CLOSED');
  const again = Store.open({ dataDir });
  assert.deepEqual(again.durability(), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, schemaVersion: SCHEMA_VERSION });
  assert.deepEqual(again.integrityCheck(), ['ok']);
  again.close();
});

test('items keep every field and their exact bytes; bad bytes are rejected and counted', () => {
  const { store } = freshStore();
  const first = makeItem(alice, 'First', 1000);
  const full = makeItem(bob, 'Re: First', 2000, {
    mime: 'text/plain',
    source: 'Bob',
    related: [{ id: first.item.id, rel: 'reply', href: `bittorrent://${toHex(alice.publicKey)}/posts/first.md` }],
    next: { id: new Uint8Array(32).fill(9) },
    meta: new Map([['license', 'CC0-1.0'], ['tags', 'a, b']]),
  });
  const file = makeItem(carol, 'Picture', 3000, { mime: 'image/png', body: { kind: 'file', path: 'media/p.png', sha256: new Uint8Array(32).fill(4) } });
  const tampered = full.bytes.slice();
  tampered.set([(tampered.at(-10) ?? 0) ^ 1], tampered.length - 10);
  const report = store.addItems([first.bytes, full.bytes, file.bytes, tampered, first.bytes, new Uint8Array([1, 2, 3])]);
  assert.equal(report.added, 3);
  assert.equal(report.duplicates, 1);
  assert.equal(report.rejected.length, 2);
  for (const made of [first, full, file]) {
    assert.deepEqual(store.item(made.item.id), made.item);
    assert.deepEqual(store.itemBytes(made.item.id), made.bytes);
  }
  assert.equal(store.item(new Uint8Array(32)), undefined);
  const counts = store.rejections();
  assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 2);
  assert.ok(counts.has(report.rejected[0]?.code ?? 'none'));
  assert.throws(() => store.addItems([{ item: first.item, bytes: first.bytes }]), TypeError, 'only verifyItem makes a verified item');
  // Handing the page cache back loses nothing: the items read again from the file.
  store.releaseMemory();
  for (const made of [first, full, file]) assert.deepEqual(store.itemBytes(made.item.id), made.bytes);
  store.close();
  store.releaseMemory(); // a closed store has nothing to release
});

test('a thread and a list of backlinks are one query each; blocked authors are left out', () => {
  const { store } = freshStore();
  const root = makeItem(alice, 'Root', 1000);
  const reply = makeItem(bob, 'Re: Root', 2000, { related: [{ id: root.item.id, rel: 'reply' }] });
  const deeper = makeItem(carol, 'Re: Re: Root', 3000, { related: [{ id: reply.item.id, rel: 'reply' }] });
  const quote = makeItem(carol, 'Quoting', 4000, { related: [{ id: root.item.id, rel: 'quote' }] });
  const part2 = makeItem(alice, 'Part 2', 5000);
  const part1 = makeItem(alice, 'Part 1', 4500, { next: { id: part2.item.id } });
  store.addItems([deeper.bytes, quote.bytes, reply.bytes, root.bytes, part1.bytes, part2.bytes]);
  assert.deepEqual(store.thread(root.item.id).map((e) => [e.item.title, e.depth]), [['Re: Root', 1], ['Re: Re: Root', 2]]);
  assert.deepEqual(store.backlinks(root.item.id).map((b) => [b.item.title, b.rel]), [['Re: Root', 'reply'], ['Quoting', 'quote']]);
  assert.deepEqual(store.backlinks(root.item.id, 'quote').map((b) => b.item.title), ['Quoting']);
  assert.deepEqual(store.backlinks(part2.item.id, 'next').map((b) => b.item.title), ['Part 1']);
  assert.deepEqual(store.item(part1.item.id)?.related, [], 'a next link is not a related entry');
  store.block('author', bob.publicKey);
  assert.deepEqual(store.thread(root.item.id).map((e) => e.item.title), ['Re: Re: Root']);
  store.unblock('author', bob.publicKey);
  // A reply to two posts of one thread is listed once, at the shallower depth.
  const both = makeItem(carol, 'Re: both', 6000, { related: [{ id: reply.item.id, rel: 'reply' }, { id: root.item.id, rel: 'reply' }] });
  store.addItems([both.bytes]);
  assert.deepEqual(store.thread(root.item.id).map((e) => [e.item.title, e.depth]), [['Re: Root', 1], ['Re: Re: Root', 2], ['Re: both', 1]]);
  // The thread starts from the replies found: SQLite never scans every stored item for it.
  const db = openSqlite(store.file, { readonly: true });
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${THREAD_SQL}`).all({ root: root.item.id, maxDepth: 64 }) as { detail: string }[]).map((row) => row.detail);
  db.close();
  assert.ok(plan.some((line) => /^SEARCH items USING/.test(line)), plan.join('\n'));
  assert.ok(!plan.some((line) => /^SCAN items\b/.test(line)), plan.join('\n'));
  store.close();
});

test('full-text search finds words in titles and bodies, by prefix, and never chokes on syntax', () => {
  const { store } = freshStore();
  const a = makeItem(alice, 'Gardening in winter', 1000, { body: { kind: 'text', text: 'Kale survives frost; tomatoes do not.' } });
  const b = makeItem(bob, 'Bicycles', 2000, { body: { kind: 'text', text: 'Repairing a puncture in the cold.' } });
  const c = makeItem(carol, 'Café crème', 3000, { body: { kind: 'text', text: 'Über coffee' } });
  store.addItems([a.bytes, b.bytes, c.bytes]);
  assert.deepEqual(store.search('frost').map((h) => h.title), ['Gardening in winter']);
  assert.deepEqual(store.search('garden').map((h) => h.title), ['Gardening in winter'], 'the last word is a prefix');
  assert.deepEqual(store.search('puncture cold').map((h) => h.title), ['Bicycles']);
  assert.deepEqual(store.search('puncture frost'), [], 'every word must match');
  assert.deepEqual(store.search('cafe creme').map((h) => h.title), ['Café crème'], 'diacritics fold');
  assert.match(store.search('frost')[0]?.snippet ?? '', /\[frost\]/);
  for (const hostile of ['"', 'NEAR(a b', 'a OR', '*', '""', '-x', 'title:x', '^', '(((', '\u0000']) {
    assert.ok(Array.isArray(store.search(hostile)), hostile);
  }
  assert.deepEqual(store.search('   '), []);
  store.block('author', alice.publicKey);
  assert.deepEqual(store.search('frost'), []);
  store.close();
});

test('versions keep the hash chain of manifests; the site takes the newest title', () => {
  const { store } = freshStore();
  const items = [makeItem(alice, 'One', 1000), makeItem(alice, 'Two', 2000)];
  const v1 = writeVersion(store.dataDir, alice, items.slice(0, 1), 1500, undefined, 'Old title');
  const v2 = writeVersion(store.dataDir, alice, items, 2500, v1.infohash, 'New title');
  const v3 = writeVersion(store.dataDir, alice, items, 3500, v2.infohash, 'Newest title');
  for (const v of [v3, v2]) assert.deepEqual(store.addVersion({ ...v, origin: 'test' }), { ok: true, value: { isNew: true, newItems: v === v3 ? 2 : 0 } });
  assert.equal(store.site(alice.publicKey)?.title, 'Newest title');
  const cut = store.versionChain(v3.infohash);
  assert.deepEqual(cut.versions.map((v) => toHex(v.infohash)), [v3, v2].map((v) => toHex(v.infohash)));
  assert.deepEqual(cut.missing, v1.infohash);
  assert.equal(store.addVersion({ ...v1, origin: 'test' }).ok, true);
  assert.equal(store.site(alice.publicKey)?.title, 'Newest title', 'an older version does not change the title');
  const whole = store.versionChain(v3.infohash);
  assert.equal(whole.versions.length, 3);
  assert.equal(whole.missing, undefined);
  assert.deepEqual(store.manifest(v1.infohash)?.bytes, v1.manifest);
  assert.equal(store.versionItems(v2.infohash).length, 2);
  assert.deepEqual(store.latestVersion(alice.publicKey)?.infohash, v3.infohash);
  const bad = store.addVersion({ ...v2, origin: 'test', lookupItem: () => undefined });
  assert.equal(bad.ok, false);
  store.close();
});

test('site records: highest seq per slot, exact up to 2^63-1, forged ones rejected and counted', () => {
  const { store } = freshStore();
  const ih = (n: number): Uint8Array => new Uint8Array(20).fill(n);
  assert.equal(store.noteRecord(siteRecord(alice, 5n, ih(5)), 'dht').ok, true);
  const older = store.noteRecord(siteRecord(alice, 4n, ih(4)), 'dht');
  assert.ok(older.ok && !older.value.isNewer);
  assert.equal(store.localSeq(alice.publicKey), 5n);
  const top = store.noteRecord(siteRecord(alice, MAX_SEQ, ih(7)), 'lan');
  assert.ok(top.ok && top.value.isNewer);
  assert.equal(store.localSeq(alice.publicKey), MAX_SEQ);
  assert.deepEqual(store.infohashAt(alice.publicKey, new Uint8Array(0), MAX_SEQ), ih(7));
  assert.equal(store.latestRecord(alice.publicKey)?.seq, MAX_SEQ);
  const salt = new TextEncoder().encode('device-1');
  assert.equal(store.noteRecord(siteRecord(alice, 1n, ih(1), salt), 'dht').ok, true);
  assert.deepEqual(store.site(alice.publicKey)?.slots.map((s) => s.lastSeq), [MAX_SEQ, 1n]);
  // Two values signed with one seq: every reader keeps the one with the lowest SHA-256, whatever the order.
  const tied = [siteRecord(bob, 3n, ih(1)), siteRecord(bob, 3n, ih(2))];
  const lowest = [...tied].sort((a, b) => compareBytes(sha256(a.value), sha256(b.value)))[0];
  for (const order of [tied, [...tied].reverse()]) {
    const { store: other } = freshStore();
    for (const record of order) other.noteRecord(record, 'dht');
    assert.deepEqual(other.latestRecord(bob.publicKey)?.value, lowest?.value);
    other.close();
  }
  const forged = { ...siteRecord(bob, 9n, ih(9)), publicKey: alice.publicKey };
  const rejected = store.noteRecord(forged, 'dht');
  assert.equal(rejected.ok, false);
  assert.equal(store.rejections().get('ERR_RECORD_BAD_SIGNATURE'), 1);
  store.close();
});

test('the outbox persists a publish before its put; a seq is never used twice', () => {
  const { store } = freshStore();
  const ih = new Uint8Array(20).fill(3);
  const reserved = siteRecord(alice, 1n, ih);
  const id = store.reservePublish(reserved);
  assert.equal(store.localSeq(alice.publicKey), 1n);
  assert.equal(store.site(alice.publicKey)?.isOwn, true);
  assert.throws(() => store.reservePublish(siteRecord(alice, 1n, ih)), (e: unknown) => e instanceof StoreError && e.code === 'ERR_STORE_CONFLICT');
  store.notePublishAttempt(id, 'no DHT nodes');
  const [pending] = store.pendingPublishes();
  assert.ok(pending !== undefined);
  assert.equal(pending.id, id);
  assert.equal(pending.attempts, 1);
  assert.equal(pending.lastError, 'no DHT nodes');
  assert.deepEqual({ ...pending.record }, { ...reserved }, 'the record comes back exactly as signed');
  assert.deepEqual(pending.infohash, ih);
  assert.equal(store.latestRecord(alice.publicKey), undefined, 'not confirmed yet');
  assert.equal(store.confirmPublish(id), true);
  assert.deepEqual(store.pendingPublishes(), []);
  assert.deepEqual({ ...store.latestRecord(alice.publicKey) }, { ...reserved });
  assert.equal(store.confirmPublish(id), false);
  store.close();
});

test('follows, blocks (own and from subscribed lists) and peers', () => {
  const { store, clock } = freshStore();
  assert.equal(store.follow('site', alice.publicKey), true);
  assert.equal(store.follow('site', alice.publicKey), false);
  assert.equal(store.isFollowing('site', alice.publicKey), true);
  assert.equal(store.unfollow('site', alice.publicKey), true);
  assert.deepEqual(store.follows(), []);
  store.block('author', bob.publicKey);
  store.subscribeBlockList(carol.publicKey);
  store.setBlockListEntries(carol.publicKey, [{ kind: 'site', key: alice.publicKey }]);
  assert.equal(store.isBlocked(alice.publicKey), true);
  assert.deepEqual(store.blocks().map((b) => [toHex(b.key), b.kind, b.listKey === undefined ? 'own' : toHex(b.listKey)]), [
    [toHex(bob.publicKey), 'author', 'own'],
    [toHex(alice.publicKey), 'site', toHex(carol.publicKey)],
  ]);
  assert.equal(store.unblock('site', alice.publicKey), false, 'a block of a list is not the user\'s to lift');
  store.unsubscribeBlockList(carol.publicKey);
  assert.equal(store.isBlocked(alice.publicKey), false);
  assert.equal(store.isBlocked(bob.publicKey), true);
  assert.throws(() => { store.setBlockListEntries(carol.publicKey, []); }, RangeError);
  store.notePeer({ host: '192.168.1.2', port: 6881, via: 'lan' });
  clock.ms += 1000;
  store.notePeer({ host: '192.168.1.2', port: 6881, via: 'lan' });
  store.notePeer({ host: '10.0.0.1', port: 51413, via: 'swarm' });
  assert.deepEqual(store.peers({ via: 'lan' }).map((p) => [p.host, p.lastSeenMs - p.firstSeenMs]), [['192.168.1.2', 1000]]);
  assert.equal(store.peers().length, 2);
  assert.equal(store.forgetPeers(clock.ms), 0);
  assert.equal(store.forgetPeers(clock.ms + 1), 2);
  assert.throws(() => { store.notePeer({ host: 'x', port: 0, via: 'lan' }); }, RangeError);
  store.close();
});

test('mutes, and what the last check of each subscribed block list found', () => {
  const { store, clock } = freshStore();
  assert.equal(store.mute(alice.publicKey), true);
  assert.equal(store.mute(alice.publicKey), false);
  assert.equal(store.isMuted(alice.publicKey), true);
  assert.equal(store.isBlocked(alice.publicKey), false, 'muted is not blocked');
  assert.deepEqual(store.mutes().map((m) => toHex(m.key)), [toHex(alice.publicKey)]);
  assert.equal(store.unmute(alice.publicKey), true);
  assert.equal(store.unmute(alice.publicKey), false);
  assert.equal(store.isMuted(alice.publicKey), false);
  assert.throws(() => store.mute(new Uint8Array(31)), RangeError);

  store.subscribeBlockList(carol.publicKey);
  assert.deepEqual(store.blockListStatus().map((s) => [toHex(s.listKey), s.entries, s.checkedMs, s.problem]), [[toHex(carol.publicKey), 0, undefined, undefined]]);
  clock.ms += 5;
  store.setBlockListEntries(carol.publicKey, [{ kind: 'site', key: alice.publicKey }, { kind: 'author', key: alice.publicKey }]);
  store.noteBlockListCheck(carol.publicKey);
  assert.deepEqual(store.blockListStatus().map((s) => [s.entries, s.checkedMs, s.problem]), [[2, clock.ms, undefined]]);
  clock.ms += 5;
  store.noteBlockListCheck(carol.publicKey, 'the block list is not JSON');
  assert.deepEqual(store.blockListStatus().map((s) => [s.entries, s.checkedMs, s.problem]), [[2, clock.ms, 'the block list is not JSON']], 'a refused version leaves the entries before it');
  store.noteBlockListCheck(bob.publicKey, 'not subscribed: nothing recorded');
  assert.equal(store.blockListStatus().length, 1);
  store.close();
});

test('the cache budget evicts far and old sites first, never own or followed content', () => {
  const { store, clock } = freshStore();
  const dave = testIdentity(4);
  const erin = testIdentity(5);
  const own = makeItem(alice, 'Mine', 1000);
  const followed = makeItem(bob, 'Followed', 1000);
  const quoted = makeItem(carol, 'Quoted by a followed site', 1000);
  const quoting = makeItem(bob, 'Quoting Carol', 1100, { related: [{ id: quoted.item.id, rel: 'quote' }] });
  const far = makeItem(dave, 'Far away', 1000);
  const blocked = makeItem(erin, 'Blocked', 1000);
  const versions = {
    own: writeVersion(store.dataDir, alice, [own], 2000),
    followed: writeVersion(store.dataDir, bob, [followed, quoting], 2000),
    near: writeVersion(store.dataDir, carol, [quoted], 2000),
    far: writeVersion(store.dataDir, dave, [far], 2000),
    blocked: writeVersion(store.dataDir, erin, [blocked], 2000),
  };
  for (const [name, v] of Object.entries(versions)) {
    clock.ms += 1000; // the far site is opened after the near one: distance still comes first
    assert.equal(store.addVersion({ ...v, origin: 'test', contentBytes: 1000 }).ok, true, name);
  }
  store.noteSite({ key: alice.publicKey, origin: 'own', isOwn: true });
  store.follow('site', bob.publicKey);
  store.block('site', erin.publicKey);
  assert.equal(store.cacheUsage().usedBytes, 5000);
  const first = store.evict(4000);
  assert.deepEqual(first.versions.map((v) => toHex(v.infohash)), [toHex(versions.blocked.infohash)]);
  const second = store.evict(3000);
  assert.deepEqual(second.versions.map((v) => toHex(v.infohash)), [toHex(versions.far.infohash)]);
  assert.equal(second.items, 1);
  assert.equal(store.item(far.item.id), undefined);
  const all = store.evict(0);
  assert.deepEqual(all.versions.map((v) => toHex(v.infohash)), [toHex(versions.near.infohash)]);
  assert.equal(all.usedBytesAfter, 2000, 'own and followed content stays, whatever the budget');
  for (const kept of [own, followed, quoting]) assert.notEqual(store.item(kept.item.id), undefined);
  store.close();
});

test('older sites of one distance are evicted first (age = last opened)', () => {
  const { store, clock } = freshStore();
  const sites = [testIdentity(11), testIdentity(12), testIdentity(13)].map((who, n) => {
    const v = writeVersion(store.dataDir, who, [makeItem(who, `Post ${n}`, 1000)], 2000);
    assert.equal(store.addVersion({ ...v, origin: 'test', contentBytes: 100 }).ok, true);
    clock.ms += 10;
    return { who, v };
  });
  clock.ms += 1000;
  store.touchSite(sites[0]?.who.publicKey ?? new Uint8Array(32));
  const report = store.evict(100);
  assert.deepEqual(report.versions.map((v) => toHex(v.infohash)), [sites[1], sites[2]].map((s) => toHex(s?.v.infohash ?? new Uint8Array(20))));
  store.close();
});

test('pre-verified items are stored without a second verification', () => {
  const { store } = freshStore();
  const made = makeItem(alice, 'Checked', 1000);
  const checked = verifyItem(made.bytes);
  assert.ok(checked.ok);
  assert.deepEqual(store.addItems([checked.value]), { added: 1, duplicates: 0, rejected: [] });
  assert.deepEqual(store.itemBytes(made.item.id), made.bytes);
  store.close();
});

test('a version that net saved in its content folder is verified and stored from there', () => {
  const { store } = freshStore();
  const items = [makeItem(alice, 'On disk', 1000)];
  const v = writeVersion(store.dataDir, alice, items, 2000);
  const added = store.addVersionFromDisk(v.infohash, 'dht');
  assert.ok(added.ok);
  assert.deepEqual(added.value, { isNew: true, newItems: 1 });
  assert.ok((store.version(v.infohash)?.contentBytes ?? 0) > v.manifest.length, 'the size of the folder on disk');
  const missing = store.addVersionFromDisk(new Uint8Array(20).fill(1), 'dht');
  assert.equal(missing.ok ? 'ok' : missing.error.code, 'ERR_MANIFEST_MISSING');
  assert.equal(store.rejections().get('ERR_MANIFEST_MISSING'), 1);
  store.close();
});

test('hostile input: any search text is safe, any bytes offered as an item are rejected, never thrown', () => {
  const { store } = freshStore();
  store.addItems([makeItem(alice, 'Something to find', 1000).bytes]);
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => Array.isArray(store.search(text))), { numRuns: 300 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => store.addItems([bytes]).rejected.length === 1), { numRuns: 100 });
  store.close();
});

test("a site's versions with the seq its unsalted slot gave them, and the bytes they take", () => {
  const { store } = freshStore();
  const items = [makeItem(alice, 'One', 1000), makeItem(alice, 'Two', 2000)];
  const v0 = writeVersion(store.dataDir, alice, items.slice(0, 1), 1500, undefined, 'Notes');
  const v1 = writeVersion(store.dataDir, alice, items, 2500, v0.infohash, 'Notes');
  const device = writeVersion(store.dataDir, alice, items.slice(1), 3500, undefined, 'Notes');
  for (const [v, bytes] of [[v0, 300], [v1, 700], [device, 50]] as const) assert.equal(store.addVersion({ ...v, origin: 'test', contentBytes: bytes }).ok, true);
  assert.equal(store.addVersion({ ...writeVersion(store.dataDir, bob, [makeItem(bob, 'Other', 1000)], 1000, undefined, 'Bob'), origin: 'test', contentBytes: 5000 }).ok, true);
  assert.equal(store.noteRecord(siteRecord(alice, 0n, v0.infohash), 'dht').ok, true);
  assert.equal(store.noteRecord(siteRecord(alice, 1n, v1.infohash), 'dht').ok, true);
  // A device's own slot (salted) names the third: it has no seq of the site's address.
  assert.equal(store.noteRecord(siteRecord(alice, 7n, device.infohash, new TextEncoder().encode('device-1')), 'dht').ok, true);
  const versions = store.siteVersions(alice.publicKey);
  assert.deepEqual(versions.map((v) => [toHex(v.infohash), v.seq]), [[toHex(device.infohash), undefined], [toHex(v1.infohash), 1n], [toHex(v0.infohash), 0n]]);
  assert.deepEqual(versions.map((v) => v.contentBytes), [50, 700, 300]);
  assert.equal(store.siteUsedBytes(alice.publicKey), 1050);
  assert.equal(store.siteUsedBytes(carol.publicKey), 0);
  assert.deepEqual(store.siteVersions(carol.publicKey), []);
  assert.throws(() => store.siteVersions(new Uint8Array(3)), RangeError);
  store.close();
});

test('a manifest read again is not decoded again, unless its stored bytes changed', () => {
  const { store } = freshStore();
  const v1 = writeVersion(store.dataDir, alice, [makeItem(alice, 'One', 1000)], 1500, undefined, 'Site');
  assert.equal(store.addVersion({ ...v1, origin: 'test' }).ok, true);
  const first = store.manifest(v1.infohash);
  assert.ok(first !== undefined);
  assert.equal(store.manifest(v1.infohash)?.manifest, first.manifest, 'the same decoded manifest');
  // The database altered behind the store's back: the bytes differ, so they are decoded (and fail).
  const altered = Uint8Array.from(v1.manifest);
  altered[altered.length - 3] = (altered[altered.length - 3] ?? 0) ^ 1;
  const db = openSqlite(store.file);
  try {
    db.prepare('UPDATE versions SET manifest = ? WHERE infohash = ?').run(altered, v1.infohash);
  } finally {
    db.close();
  }
  assert.throws(() => store.manifest(v1.infohash), /no longer verifies/);
  store.close();
});

test('the page an address path names is found in the index, with the manifest rules (path, path/index.md, path.md)', () => {
  const { store } = freshStore();
  const items = [makeItem(alice, 'One', 1000), makeItem(alice, 'Two', 2000)];
  const v = writeVersion(store.dataDir, alice, items, 2500, undefined, 'Site');
  assert.equal(store.addVersion({ ...v, origin: 'test' }).ok, true);
  const [first, second] = store.versionItems(v.infohash);
  assert.ok(first !== undefined && second !== undefined);
  assert.deepEqual(store.versionPage(v.infohash, first.path), first);
  assert.deepEqual(store.versionPage(v.infohash, first.path.replace(/\.md$/, '')), first, 'without .md');
  assert.equal(store.versionPage(v.infohash, ''), undefined, 'no index.md in this version');
  assert.equal(store.versionPage(v.infohash, 'posts'), undefined);
  assert.equal(store.versionItemPath(v.infohash, second.id), second.path);
  assert.equal(store.versionItemPath(v.infohash, new Uint8Array(32)), undefined);
  assert.equal(store.versionPage(new Uint8Array(20).fill(7), first.path), undefined, 'a version not stored');
  store.close();
});
