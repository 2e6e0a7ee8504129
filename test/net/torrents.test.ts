import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TorrentStatus } from '../../src/net/native.js';
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

for (const kind of ['btih', 'btmh'] as const) {
  test(`a magnet link (${kind}) fetches the metadata from a peer, then the files`, async () => {
    const site = path.join(dir, kind, 'site');
    makeFolder(site, { 'index.md': 3000, 'page.md': 20_000 });
    const created = await createTorrent(site);
    const magnet = kind === 'btih' ? `magnet:?xt=urn:btih:${created.infoHashes.v1 ?? ''}` : `magnet:?xt=urn:btmh:1220${created.infoHashes.v2 ?? ''}`;
    const seeder = new TorrentSession(LOOPBACK);
    const leecher = new TorrentSession(LOOPBACK);
    try {
      const seeded = seeder.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) });
      await seeder.waitFinished(seeded.id, 20_000);
      const added = leecher.addTorrent({ magnet, savePath: path.join(dir, kind, 'out') });
      assert.equal(leecher.files(added.id), null, 'no metadata yet');
      leecher.connectPeer(added.id, { host: '127.0.0.1', port: seeder.listenPort });
      await leecher.waitFinished(added.id, 30_000);
      assert.ok(sameTree(site, path.join(dir, kind, 'out', 'site')));
      assert.equal(leecher.files(added.id)?.files.length, 2);
    } finally {
      await Promise.all([seeder.close(), leecher.close()]);
    }
  });
}

test('pause, resume, status events, and removal with the data', async () => {
  const site = path.join(dir, 'life', 'site');
  makeFolder(site, { 'index.md': 4000 });
  const created = await createTorrent(site);
  const session = new TorrentSession(LOOPBACK);
  try {
    const save = path.join(dir, 'life-copy');
    fs.cpSync(path.join(dir, 'life'), save, { recursive: true });
    const id = session.addTorrent({ torrent: created.torrent, savePath: save, paused: true }).id;
    assert.equal(session.status(id).paused, true);
    const statuses = new Promise<readonly TorrentStatus[]>((resolve) => session.once('status', resolve));
    session.startStatusUpdates(100);
    session.resume(id);
    await session.waitFinished(id, 20_000);
    assert.ok((await statuses).some((s) => s.id === id));
    session.pause(id);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (session.status(id).paused) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    await session.removeTorrent(id, { deleteFiles: true });
    assert.equal(fs.existsSync(path.join(save, 'site', 'index.md')), false, 'the copy is deleted');
    assert.equal(fs.existsSync(path.join(site, 'index.md')), true, 'the original is not');
  } finally {
    await session.close();
  }
});

test('the saved session state (settings, DHT node id) starts a new session', async () => {
  const first = new TorrentSession({ ...LOOPBACK, settings: { user_agent: 'state-test/1' } });
  const state = first.saveState();
  await first.close();
  assert.ok(state.includes(Buffer.from('state-test/1')), 'settings are saved');
  const second = new TorrentSession({ ...LOOPBACK, state });
  try {
    assert.ok(second.saveState().length > 0);
  } finally {
    await second.close();
  }
  assert.throws(() => new TorrentSession({ ...LOOPBACK, state: Buffer.from('not bencode') }), { code: 'ERR_LIBTORRENT' });
});
