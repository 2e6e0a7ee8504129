import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTorrent, TorrentSession } from '../../src/net/session.js';
import { makeFolder, sameTree } from '../helpers/sites.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { LOOPBACK } from '../helpers/loopback.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

test('two sessions transfer a multi-file site; the copy is identical byte for byte', async () => {
  const site = path.join(dir, 'transfer', 'site');
  makeFolder(site, { 'index.md': 2000, 'posts/a.md': 40_000, 'posts/b.md': 1, 'media/clip.bin': 3_000_000 });
  const created = await createTorrent(site);
  assert.ok(created.infoHashes.v1 !== null && created.infoHashes.v2 !== null, 'hybrid v1+v2');
  assert.deepEqual(created.files.map((f) => f.path).sort(), ['site/index.md', 'site/media/clip.bin', 'site/posts/a.md', 'site/posts/b.md']);
  const seeder = new TorrentSession(LOOPBACK);
  const leecher = new TorrentSession(LOOPBACK);
  try {
    const seeded = seeder.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) });
    const out = path.join(dir, 'transfer', 'out');
    const fetched = leecher.addTorrent({ torrent: created.torrent, savePath: out });
    assert.equal(fetched.id, seeded.id);
    await seeder.waitFinished(seeded.id, 20_000);
    leecher.connectPeer(fetched.id, { host: '127.0.0.1', port: seeder.listenPort });
    await leecher.waitFinished(fetched.id, 60_000);
    assert.ok(sameTree(site, path.join(out, 'site')));
    const status = leecher.status(fetched.id);
    assert.equal(status.progress, 1);
    assert.equal(status.totalDone, 3_042_001);
  } finally {
    await Promise.all([seeder.close(), leecher.close()]);
  }
});

test('a magnet added in upload mode gets its metadata and the BEP 10 handshake but no piece until setUploadMode(false)', async () => {
  const site = path.join(dir, 'upload-mode', 'site');
  makeFolder(site, { 'index.md': 2000, 'media/clip.bin': 2_000_000 });
  const created = await createTorrent(site, { format: 'v1' });
  const seeder = new TorrentSession(LOOPBACK);
  const leecher = new TorrentSession(LOOPBACK);
  try {
    const seeded = seeder.addTorrent({ torrent: created.torrent, savePath: path.dirname(site), seedMode: true });
    const id = leecher.addTorrent({ magnet: `magnet:?xt=urn:btih:${seeded.id}`, savePath: path.join(dir, 'upload-mode', 'out'), uploadMode: true }).id;
    const handshake = new Promise<void>((resolve) => {
      leecher.on('extension-peer', (event) => {
        if (event.torrent === id) resolve();
      });
    });
    leecher.connectPeer(id, { host: '127.0.0.1', port: seeder.listenPort });
    await handshake;
    const deadline = Date.now() + 20_000;
    while (!leecher.status(id).hasMetadata) {
      assert.ok(Date.now() < deadline, 'the metadata arrives in upload mode');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(leecher.status(id).totalWanted, 2_002_000);
    assert.equal(leecher.status(id).totalDone, 0, 'no piece is requested in upload mode');
    assert.throws(() => {
      leecher.setUploadMode(id, 'off' as unknown as boolean);
    }, TypeError);
    leecher.setUploadMode(id, false);
    await leecher.waitFinished(id, 60_000);
    assert.equal(leecher.status(id).totalDone, 2_002_000);
  } finally {
    await Promise.all([seeder.close(), leecher.close()]);
  }
});

test('reading the last file first returns its bytes before the rest has arrived', async () => {
  const site = path.join(dir, 'stream', 'site');
  makeFolder(site, { 'a-first.bin': 6_000_000, 'z-last.bin': 200_000 });
  const created = await createTorrent(site, { pieceSize: 16 * 1024 });
  // A slow seeder (1 MB/s) makes the order in which pieces arrive observable.
  const seeder = new TorrentSession({ ...LOOPBACK, settings: { upload_rate_limit: 1_000_000 } });
  const leecher = new TorrentSession(LOOPBACK);
  try {
    const id = seeder.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) }).id;
    await seeder.waitFinished(id, 20_000);
    leecher.addTorrent({ torrent: created.torrent, savePath: path.join(dir, 'stream', 'out') });
    leecher.connectPeer(id, { host: '127.0.0.1', port: seeder.listenPort });
    const last = created.files.find((f) => f.path.endsWith('z-last.bin'));
    assert.ok(last);
    const bytes = await leecher.readFile(id, last.index, 1000, 150_000, { timeoutMs: 30_000 });
    const progress = leecher.status(id).progress;
    assert.ok(bytes.equals(fs.readFileSync(path.join(site, 'z-last.bin')).subarray(1000, 151_000)));
    assert.ok(progress < 0.5, `the rest should still be downloading, progress ${progress}`);
  } finally {
    await Promise.all([seeder.close(), leecher.close()]);
  }
});

test('resume data restores a finished torrent without downloading again', async () => {
  const site = path.join(dir, 'resume', 'site');
  makeFolder(site, { 'index.md': 5000 });
  const created = await createTorrent(site);
  const first = new TorrentSession(LOOPBACK);
  let resume: Buffer;
  try {
    const id = first.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) }).id;
    await first.waitFinished(id, 20_000);
    resume = await first.saveResumeData(id);
    await first.removeTorrent(id);
    assert.deepEqual(first.torrentIds(), []);
  } finally {
    await first.close();
  }
  const second = new TorrentSession(LOOPBACK);
  try {
    const id = second.addTorrent({ resumeData: resume }).id;
    assert.equal(id, created.infoHashes.id);
    await second.waitFinished(id, 20_000);
    assert.equal(second.status(id).progress, 1);
  } finally {
    await second.close();
  }
});

test('closing twice, and using a closed session, are clear', async () => {
  const session = new TorrentSession(LOOPBACK);
  await session.close();
  await session.close();
  assert.throws(() => session.addTorrent({ infoHash: 'a'.repeat(40), savePath: dir }), { code: 'ERR_SESSION_CLOSED' });
});

test('a request made on a closed session rejects with ERR_SESSION_CLOSED and leaves no rejection unhandled', async () => {
  // The app crashed once this way: a DHT lookup that started as the window closed left a
  // rejected waiter that nobody awaited (the request itself threw first).
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const session = new TorrentSession(LOOPBACK);
    await session.close();
    const key = 'ab'.repeat(32);
    const closed = { code: 'ERR_SESSION_CLOSED' };
    await assert.rejects(session.dhtGetMutable(key, new Uint8Array()), closed);
    await assert.rejects(session.dhtGetPeers('cd'.repeat(20)), closed);
    await assert.rejects(session.dhtGetImmutable('cd'.repeat(20)), closed);
    await assert.rejects(session.saveResumeData('a'.repeat(40)), closed);
    await assert.rejects(session.removeTorrent('a'.repeat(40)), closed);
    await assert.rejects(session.sendExtension('a'.repeat(40), new Uint8Array([1])), closed);
    await assert.rejects(session.readFile('a'.repeat(40), 0, 0, 1), closed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
