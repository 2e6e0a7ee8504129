/**
 * Losing the index (issue #25 item 5): a missing, empty or damaged `index.sqlite` is
 * rebuilt from `content/`, and the user's decisions and the newest record of every slot
 * come back from the files kept beside it; a seq signed here is never signed again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { StoreError } from '../../src/store/store-error.js';
import { INDEX_FILE, Store } from '../../src/store/store.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { makeItem, siteRecord, testIdentity, writeVersion } from './fixtures.js';

let root: string;
let counter = 0;
before(() => {
  root = makeTempDir('swarmpress-index-loss-');
});
after(() => {
  removeDir(root);
});

const alice = testIdentity(1); // the user's own site
const bob = testIdentity(2); // a site the user reads and follows
const carol = testIdentity(3); // blocked
const dave = testIdentity(4); // muted
const list = testIdentity(5); // a subscribed block list
const SALT = new TextEncoder().encode('device-1');

type Loss = 'missing' | 'empty' | 'damaged';

function lose(dataDir: string, loss: Loss): void {
  const file = path.join(dataDir, INDEX_FILE);
  for (const suffix of ['-wal', '-shm', '-clean']) fs.rmSync(file + suffix, { force: true });
  if (loss === 'missing') fs.rmSync(file);
  else if (loss === 'empty') fs.truncateSync(file, 0);
  else fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size, 0xa5)); // nothing left to salvage
}

/** A data folder with one of everything the content on disk cannot give back. */
function populate(dataDir: string): { bobVersion: Uint8Array; ownVersion: Uint8Array; page: string } {
  const store = Store.open({ dataDir });
  const own = writeVersion(dataDir, alice, [makeItem(alice, 'Mine', 1000)], 2000, undefined, 'My site');
  assert.equal(store.addVersion({ ...own, origin: 'own' }).ok, true);
  store.noteSite({ key: alice.publicKey, origin: 'own', isOwn: true });
  // Seq 4 confirmed, seq 5 signed and reserved but never put (the outbox), seq 2 on another device slot.
  store.confirmPublish(store.reservePublish(siteRecord(alice, 4n, own.infohash)));
  store.reservePublish(siteRecord(alice, 5n, own.infohash));
  store.reservePublish(siteRecord(alice, 2n, own.infohash, SALT));
  const bobItem = makeItem(bob, 'Bob writes', 1000);
  const theirs = writeVersion(dataDir, bob, [bobItem], 3000, undefined, 'Bob site');
  assert.equal(store.addVersion({ ...theirs, origin: 'dht' }).ok, true);
  assert.equal(store.noteRecord(siteRecord(bob, 11n, theirs.infohash), 'dht').ok, true);
  store.follow('site', bob.publicKey);
  store.follow('author', bob.publicKey);
  store.block('site', carol.publicKey);
  store.mute(dave.publicKey);
  store.subscribeBlockList(list.publicKey);
  store.setBlockListEntries(list.publicKey, [{ kind: 'author', key: testIdentity(6).publicKey }]);
  const page = store.versionItems(theirs.infohash)[0]?.path ?? '';
  store.close();
  return { bobVersion: theirs.infohash, ownVersion: own.infohash, page };
}

for (const loss of ['missing', 'empty', 'damaged'] as const) {
  test(`${loss === "empty" ? "an" : "a"} ${loss} index is rebuilt: decisions, own sites, every slot's newest record come back; no seq is signed twice`, () => {
    const dataDir = path.join(root, `data-${counter++}`);
    const { bobVersion, ownVersion, page } = populate(dataDir);
    lose(dataDir, loss);

    const store = Store.open({ dataDir });
    try {
      const recovery = store.recovery;
      assert.ok(recovery !== undefined, 'the loss is reported');
      assert.match(recovery.reason, loss === 'damaged' ? /damaged|not a database/ : new RegExp(loss));
      assert.equal(recovery.rebuilt.versionsAdded, 2, 'both versions are indexed again from content/');
      assert.equal(recovery.restored.rejected, 0);
      assert.equal(store.isFollowing('site', bob.publicKey), true);
      assert.equal(store.isFollowing('author', bob.publicKey), true);
      assert.equal(store.isBlocked(carol.publicKey), true, 'a blocked site stays blocked');
      assert.equal(store.isMuted(dave.publicKey), true);
      assert.deepEqual(store.blockLists(), [list.publicKey], 'the subscription is kept (its entries are read again from the list)');
      assert.equal(store.site(alice.publicKey)?.isOwn, true);
      // The stored site still opens offline: its record names the stored version and page.
      assert.equal(store.latestRecord(bob.publicKey)?.seq, 11n);
      assert.deepEqual(store.versionPage(bobVersion, page)?.path, page);
      // Own slots: the highest seq signed here, confirmed or not.
      assert.equal(store.localSeq(alice.publicKey), 5n);
      assert.equal(store.latestRecord(alice.publicKey)?.seq, 5n, 'the newest signed record, to put again');
      assert.equal(store.localSeq(alice.publicKey, SALT), 2n);
      for (const seq of [0n, 4n, 5n]) {
        assert.throws(() => store.reservePublish(siteRecord(alice, seq, ownVersion)), (e: unknown) => e instanceof StoreError && e.code === 'ERR_STORE_CONFLICT', `seq ${seq}`);
      }
      store.reservePublish(siteRecord(alice, 6n, ownVersion));
      assert.deepEqual(store.integrityCheck(), ['ok']);
    } finally {
      store.close();
    }
    const again = Store.open({ dataDir });
    assert.equal(again.recovery, undefined, 'the rebuilt index opens as it is');
    assert.equal(again.localSeq(alice.publicKey), 6n);
    again.close();
  });
}

test('a seq signed just before the index was replaced by an older copy is not signed again', () => {
  const dataDir = path.join(root, `data-${counter++}`);
  const store = Store.open({ dataDir });
  const ih = new Uint8Array(20).fill(9);
  store.reservePublish(siteRecord(alice, 1n, ih));
  store.close();
  const file = path.join(dataDir, INDEX_FILE);
  const older = `${file}.older`;
  fs.copyFileSync(file, older);
  const reopened = Store.open({ dataDir });
  reopened.reservePublish(siteRecord(alice, 2n, ih));
  reopened.close();
  fs.rmSync(`${file}-clean`, { force: true });
  fs.renameSync(older, file); // e.g. a backup restored: it knows seq 1 only

  const restored = Store.open({ dataDir });
  assert.equal(restored.localSeq(alice.publicKey), 2n, 'the kept record says seq 2 was signed');
  assert.throws(() => restored.reservePublish(siteRecord(alice, 2n, new Uint8Array(20).fill(8))), (e: unknown) => e instanceof StoreError && e.code === 'ERR_STORE_CONFLICT');
  restored.close();
});

test('a new data folder is simply new; a data folder from before the kept files keeps its state from its first open on', () => {
  const fresh = path.join(root, `data-${counter++}`);
  const store = Store.open({ dataDir: fresh });
  assert.equal(store.recovery, undefined);
  store.follow('site', bob.publicKey);
  store.noteRecord(siteRecord(bob, 3n, new Uint8Array(20).fill(3)), 'dht');
  store.close();
  // As an older swarmpress left it: no decisions.json, no records/.
  fs.rmSync(path.join(fresh, 'decisions.json'));
  fs.rmSync(path.join(fresh, 'records'), { recursive: true });
  Store.open({ dataDir: fresh }).close();
  const decisions = JSON.parse(fs.readFileSync(path.join(fresh, 'decisions.json'), 'utf8')) as { follows: { key: string }[] };
  assert.deepEqual(decisions.follows.map((f) => f.key), [toHex(bob.publicKey)]);
  assert.deepEqual(fs.readdirSync(path.join(fresh, 'records')), [`${toHex(bob.publicKey)}.record`]);
  for (const name of ['decisions.json', `records/${toHex(bob.publicKey)}.record`]) {
    assert.equal(fs.statSync(path.join(fresh, name)).mode & 0o777, 0o600, name);
  }
});

test('records get a file when they matter: own, followed, a block list, or naming a stored version; not a stranger\'s', () => {
  const dataDir = path.join(root, `data-${counter++}`);
  const store = Store.open({ dataDir });
  const stranger = testIdentity(7);
  const read = testIdentity(8);
  const files = (): string[] => fs.readdirSync(path.join(dataDir, 'records')).sort();
  store.noteRecord(siteRecord(alice, 1n, new Uint8Array(20).fill(1)), 'own'); // not yet own, followed nor stored
  store.noteRecord(siteRecord(stranger, 1n, new Uint8Array(20).fill(2)), 'lan');
  assert.equal(fs.existsSync(path.join(dataDir, 'records')), false, 'a neighbour\'s throwaway keys cost no file');
  // Read: the record first, then the version it names (as a fetch does).
  const version = writeVersion(dataDir, read, [makeItem(read, 'Read', 1000)], 2000);
  store.noteRecord(siteRecord(read, 3n, version.infohash), 'dht');
  assert.equal(fs.existsSync(path.join(dataDir, 'records')), false);
  assert.equal(store.addVersionFromDisk(version.infohash, 'dht').ok, true);
  assert.deepEqual(files(), [`${toHex(read.publicKey)}.record`]);
  store.follow('site', stranger.publicKey);
  store.noteRecord(siteRecord(stranger, 2n, new Uint8Array(20).fill(2)), 'lan');
  assert.deepEqual(files(), [`${toHex(read.publicKey)}.record`, `${toHex(stranger.publicKey)}.record`].sort());
  store.close();
});
