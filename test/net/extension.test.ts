import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ExtensionEvent } from '../../src/net/native.js';
import { createTorrent, TorrentSession } from '../../src/net/session.js';
import { makeFolder } from '../helpers/sites.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { LOOPBACK } from '../helpers/loopback.js';

let dir: string;
let a: TorrentSession;
let b: TorrentSession;
let id: string;

function nextEvent<T>(session: TorrentSession, name: 'extension-message' | 'extension-peer' | 'extension-dropped', timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    session.once(name, (event: unknown) => {
      clearTimeout(timer);
      resolve(event as T);
    });
  });
}

before(async () => {
  dir = makeTempDir();
  const site = path.join(dir, 'site');
  makeFolder(site, { 'index.md': 1000 });
  const created = await createTorrent(site);
  a = new TorrentSession(LOOPBACK);
  b = new TorrentSession(LOOPBACK);
  id = a.addTorrent({ torrent: created.torrent, savePath: dir }).id;
  b.addTorrent({ torrent: created.torrent, savePath: path.join(dir, 'b') });
  const peerSeen = nextEvent<ExtensionEvent>(b, 'extension-peer');
  b.connectPeer(id, { host: '127.0.0.1', port: a.listenPort });
  await peerSeen;
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
  removeDir(dir);
});

test('a BEP 10 message sent to the peers of a torrent arrives, byte for byte', async () => {
  const payload = Buffer.from([0, 1, 2, 255, ...Buffer.from('signed record')]);
  const received = nextEvent<ExtensionEvent>(a, 'extension-message');
  const count = await b.sendExtension(id, payload);
  assert.equal(count, 1);
  const event = await received;
  assert.equal(event.torrent, id);
  assert.equal(event.address, '127.0.0.1');
  assert.ok(event.payload?.equals(payload));
});

test('sending to a torrent nobody shares reaches no one', async () => {
  assert.equal(await b.sendExtension('cd'.repeat(20), Buffer.from('x')), 0);
});

test('a flood of messages while JS is busy is capped, counted and dropped', async () => {
  let received = 0;
  const onMessage = (): void => {
    received++;
  };
  a.on('extension-message', onMessage);
  const dropped = nextEvent<number>(a, 'extension-dropped');
  const sends: Promise<number>[] = [];
  for (let i = 0; i < 3000; i++) sends.push(b.sendExtension(id, Buffer.from(`flood ${i}`)));
  // Keep the JS thread busy while libtorrent's threads deliver: nothing is drained.
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    // busy on purpose
  }
  await Promise.all(sends);
  const lost = await dropped;
  a.off('extension-message', onMessage);
  assert.equal(received + lost, 3000, 'every message was delivered or counted as dropped');
  assert.ok(received <= 1024, `at most the inbox held: ${received}`);
});

test('a send still waiting for its report when the session closes is rejected, not left hanging', async () => {
  const session = new TorrentSession(LOOPBACK);
  const pending = assert.rejects(session.sendExtension(id, Buffer.from('late')), { code: 'ERR_SESSION_CLOSED' });
  await session.close();
  await pending;
  await assert.rejects(session.sendExtension(id, Buffer.from('after')), { code: 'ERR_SESSION_CLOSED' });
});
