import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { encodeRecord, signRecord } from '../../src/core/bep44.js';
import { bytesEqual, toHex } from '../../src/core/bytes.js';
import { generateIdentity } from '../../src/core/identity.js';
import { TorrentSession } from '../../src/net/session.js';
import { SiteNode, type NodeEvent, type NodeEventType } from '../../src/net/node/site-node.js';
import { Store } from '../../src/store/store.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
let a: SiteNode;
let b: SiteNode;
const logs: NodeEvent[] = [];
const waiters = new Set<() => void>();

function start(name: string, log?: (event: NodeEvent) => void): SiteNode {
  return SiteNode.start({ store: Store.open({ dataDir: path.join(dir, name) }), session: LOOPBACK, ...(log === undefined ? {} : { log }) });
}

type EventOf<K extends NodeEventType> = Extract<NodeEvent, { type: K }>;

/** Resolves with B's first event of kind `type` that matches (already logged or yet to come). */
function logged<K extends NodeEventType>(type: K, match: (event: EventOf<K>) => boolean, timeoutMs = 30_000): Promise<EventOf<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`no such log line within ${timeoutMs} ms: ${JSON.stringify(logs)}`));
    }, timeoutMs);
    const check = (): void => {
      const found = logs.find((event): event is EventOf<K> => event.type === type && match(event as EventOf<K>));
      if (found === undefined) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(found);
    };
    waiters.add(check);
    check();
  });
}

function writeSite(folder: string, text: string): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.md'), text);
  return folder;
}

before(() => {
  dir = makeTempDir();
  a = start('a');
  b = start('b', (event) => {
    logs.push(event);
    for (const waiter of [...waiters]) waiter();
  });
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
  a.store.close();
  b.store.close();
  removeDir(dir);
});

test('a reader that fetched version N is pushed N+1 over BEP 10 and fetches it, with the DHT off', async () => {
  const site = writeSite(path.join(dir, 'site'), '# Bees\n');
  const first = await a.publish(site, 'bees');
  const port = a.session.listenPort;
  // B holds version 1 and connects to A: A's handshake answer carries the signed record.
  await b.fetch(first.infohash, { expectAuthor: first.key, peers: [{ host: '127.0.0.1', port }] });
  await logged('pushed', (e) => e.seq === first.seq.toString());
  assert.equal(b.latestSigned(first.key)?.seq, first.seq);

  writeSite(site, '# Bees\n\nThey dance.\n');
  const startedMs = performance.now();
  const second = await a.publish(site, 'bees');
  assert.equal(second.seq, first.seq + 1n);
  const updated = await logged('updated', (e) => e.seq === second.seq.toString());
  console.log(`# publish -> stored on the reader: ${Math.round(performance.now() - startedMs)} ms`);
  assert.equal(updated.infohash, toHex(second.infohash));
  const latest = b.store.latestVersion(first.key);
  assert.ok(latest !== undefined && bytesEqual(latest.infohash, second.infohash));
});

test('forged, foreign, malformed and flooding pushes change nothing and are counted', async () => {
  const key = [...a.store.sites()].find((s) => s.isOwn)?.key;
  assert.ok(key !== undefined);
  const before = b.latestSigned(key);
  assert.ok(before !== undefined);
  const version = b.store.latestVersion(key);
  assert.ok(version !== undefined);
  // A spoofer joins the swarm of B's version and pushes.
  const spoofer = new TorrentSession(LOOPBACK);
  try {
    const torrent = b.session.torrentIds()[0];
    assert.ok(torrent !== undefined);
    const id = spoofer.addTorrent({ magnet: `magnet:?xt=urn:btih:${toHex(version.infohash)}`, savePath: path.join(dir, 'spoofer') }).id;
    const handshake = new Promise<void>((resolve) => spoofer.once('extension-peer', () => {
      resolve();
    }));
    spoofer.connectPeer(id, { host: '127.0.0.1', port: b.session.listenPort });
    await handshake;
    const stranger = generateIdentity(crypto.randomBytes(32));
    const forgedValue = encodeSitePointer(crypto.randomBytes(20));
    // A record of another key, claiming a higher seq: the target does not match the torrent's site.
    const foreign = encodeRecord(signRecord(stranger, { seq: before.seq + 100n, value: forgedValue }));
    // The site's key with a stranger's signature.
    const forged = Buffer.from(foreign);
    forged.set(key, forged.indexOf(Buffer.from('1:k32:')) + 6);
    const sends = [foreign, forged, Buffer.from('not bencode'), Buffer.alloc(5000, 0x61)];
    for (const payload of sends) assert.equal(await spoofer.sendExtension(id, payload), 1);
    for (let i = 0; i < 200; i++) void spoofer.sendExtension(id, Buffer.from(`flood ${i}`));
    const deadline = Date.now() + 10_000;
    const total = (): number => [...b.pushDropped.values()].reduce((sum, n) => sum + n, 0);
    while (total() < 204 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(b.latestSigned(key)?.seq, before.seq);
    assert.ok((b.pushDropped.get('ERR_RECORD_TARGET_MISMATCH') ?? 0) >= 1, JSON.stringify([...b.pushDropped]));
    assert.ok((b.pushDropped.get('ERR_RECORD_BAD_SIGNATURE') ?? 0) >= 1, JSON.stringify([...b.pushDropped]));
    assert.ok((b.pushDropped.get('ERR_PUSH_RATE') ?? 0) >= 1, JSON.stringify([...b.pushDropped]));
  } finally {
    await spoofer.close();
  }
});
