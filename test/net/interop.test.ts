import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTorrent, parseTorrent, TorrentSession } from '../../src/net/session.js';
import { startAria2 } from '../helpers/aria2.js';
import { freePort, waitForPort } from '../helpers/ports.js';
import { startTracker } from '../helpers/tracker.js';
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

/**
 * aria2c fetches a site version from a swarmpress seeder by its infohash (magnet), learning
 * of the seeder from a tracker, as v1 clients do in the wild.
 */
async function aria2FetchesFromSwarmpress(format: 'v1' | 'hybrid'): Promise<void> {
  const root = path.join(dir, `to-aria2-${format}`);
  const site = path.join(root, 'site');
  makeFolder(site, { 'index.md': 1234, 'posts/one.md': 70_000, 'media/photo.bin': 900_000 });
  const created = await createTorrent(site, { format });
  const seeder = new TorrentSession(LOOPBACK);
  const id = seeder.addTorrent({ torrent: created.torrent, savePath: root }).id;
  await seeder.waitFinished(id, 20_000);
  const tracker = await startTracker([{ host: '127.0.0.1', port: seeder.listenPort }]);
  const out = path.join(root, 'aria2-out');
  const magnet = `magnet:?xt=urn:btih:${created.infoHashes.v1 ?? ''}&tr=${encodeURIComponent(tracker.url)}`;
  const aria2 = startAria2({ dir: out, port: await freePort(), seed: false, torrent: magnet });
  try {
    const exit = await aria2.waitExit(60_000);
    assert.equal(exit.code, 0, aria2.stderr + aria2.stdout);
    assert.ok(tracker.announces() >= 1);
    // A v1-only client also writes a hybrid torrent's padding files (BEP 47) as zeros.
    fs.rmSync(path.join(out, 'site', '.pad'), { recursive: true, force: true });
    assert.ok(sameTree(site, path.join(out, 'site')));
  } finally {
    aria2.child.kill('SIGKILL');
    await Promise.all([seeder.close(), tracker.close()]);
  }
}

test('aria2c downloads a v1 torrent created and seeded by swarmpress, by its infohash', async () => {
  await aria2FetchesFromSwarmpress('v1');
});

test(
  'aria2c downloads a hybrid torrent created and seeded by swarmpress',
  { skip: 'issue #3: aria2 1.36 drops the empty-string keys of the BEP 52 file tree when it re-encodes the info dict, so it announces and handshakes with a wrong v1 infohash (test below)' },
  async () => {
    await aria2FetchesFromSwarmpress('hybrid');
  },
);

test('the aria2 defect that keeps it from hybrid torrents is still there (when it is fixed, unskip the test above)', async () => {
  const site = path.join(dir, 'aria2-hash', 'site');
  makeFolder(site, { 'index.md': 10 });
  const created = await createTorrent(site);
  const file = path.join(dir, 'aria2-hash', 'site.torrent');
  fs.writeFileSync(file, created.torrent);
  const shown = execFileSync('aria2c', ['-S', file], { encoding: 'utf8' });
  const aria2Hash = /Info Hash: ([0-9a-f]{40})/.exec(shown)?.[1];
  assert.ok(aria2Hash !== undefined, shown);
  assert.notEqual(aria2Hash, created.infoHashes.v1);
});

test('swarmpress downloads a torrent created by transmission-create and seeded by aria2c', async () => {
  const site = path.join(dir, 'from-aria2', 'site');
  makeFolder(site, { 'index.md': 999, 'a/b/c.bin': 600_000 });
  const torrentFile = path.join(dir, 'from-aria2', 'site.torrent');
  execFileSync('transmission-create', ['-o', torrentFile, site], { stdio: 'ignore' });
  const bytes = fs.readFileSync(torrentFile);
  const parsed = parseTorrent(bytes);
  if (!parsed.ok) assert.fail(parsed.error.message);
  assert.equal(parsed.value.infoHashes.v2, null, 'transmission 3 makes v1 torrents');
  const port = await freePort();
  const aria2 = startAria2({ dir: path.dirname(site), port, seed: true, torrent: torrentFile });
  const leecher = new TorrentSession(LOOPBACK);
  try {
    await waitForPort(port, 20_000);
    const out = path.join(dir, 'from-aria2', 'out');
    const id = leecher.addTorrent({ torrent: bytes, savePath: out }).id;
    leecher.connectPeer(id, { host: '127.0.0.1', port });
    await leecher.waitFinished(id, 60_000);
    assert.ok(sameTree(site, path.join(out, 'site')));
  } finally {
    aria2.child.kill('SIGKILL');
    await leecher.close();
  }
});
