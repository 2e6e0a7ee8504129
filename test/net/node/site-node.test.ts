/**
 * The node as a reader facing a hostile network: a private DHT with a malicious node in it
 * (hostile-dht.ts), a reader that has already seen a newer record, and a version that is
 * signed by another key than the record that names it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { mutableTarget, signRecord, type MutableRecord } from '../../../src/core/bep44.js';
import { encodeSitePointer } from '../../../src/core/bep46.js';
import { bytesEqual } from '../../../src/core/bytes.js';
import { Identity } from '../../../src/core/identity.js';
import { SiteNode } from '../../../src/net/node/site-node.js';
import { SiteRecords } from '../../../src/net/site-records.js';
import { contentFolder } from '../../../src/store/rebuild.js';
import { Store } from '../../../src/store/store.js';
import { startDhtNetwork, type DhtNetwork } from '../../helpers/dht-network.js';
import { startHostileNode, type HostileNode } from '../../helpers/hostile-dht.js';
import { LOOPBACK } from '../../helpers/loopback.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

const author = Identity.fromSeed(new Uint8Array(32).fill(31));
let dir: string;
let network: DhtNetwork;
let hostile: HostileNode;
let current: MutableRecord;
const nodes: SiteNode[] = [];

function startNode(name: string): SiteNode {
  const node = SiteNode.start({
    store: Store.open({ dataDir: path.join(dir, name) }),
    session: { ...LOOPBACK, dht: true, dhtBootstrap: [{ host: '127.0.0.1', port: network.nodes[0]?.listenPort ?? 0 }] },
    dhtTimeoutMs: 10_000,
  });
  nodes.push(node);
  return node;
}

before(async () => {
  dir = makeTempDir();
  network = await startDhtNetwork(8);
  const publisher = network.nodes[1];
  assert.ok(publisher);
  const records = new SiteRecords({ session: publisher });
  const old = await records.publish(author, encodeSitePointer(new Uint8Array(20).fill(1)));
  current = (await records.publish(author, encodeSitePointer(new Uint8Array(20).fill(2)), { localSeq: old.record.seq })).record;
  const foreign = Identity.fromSeed(new Uint8Array(32).fill(32));
  const foreignRecord = (await records.publish(foreign, encodeSitePointer(new Uint8Array(20).fill(3)))).record;
  hostile = await startHostileNode({ target: mutableTarget(author.publicKey), rolledBack: old.record, foreign: foreignRecord });
  for (const node of network.nodes) node.addDhtNode({ host: '127.0.0.1', port: hostile.port });
});
after(async () => {
  for (const node of nodes) {
    await node.close();
    node.store.close();
  }
  await hostile.close();
  await network.close();
  removeDir(dir);
});

test('a reader resolves the genuine newest record however the hostile node answers', async () => {
  const reader = startNode('reader');
  for (let round = 0; round < 8; round++) {
    const resolved = await reader.resolveSite(author.publicKey);
    assert.equal(resolved.seq, current.seq, `round ${round}`);
    assert.ok(resolved.infohash.every((byte) => byte === 2), `round ${round}: the genuine pointer`);
  }
  assert.ok(hostile.served.size > 0, 'the hostile node was asked');
});

test('a reader never goes backwards: a record older than the one it stored is ignored, and it says so', async () => {
  const reader = startNode('ahead');
  // This reader once saw seq current+5 (pushed by a peer, say); the DHT has only `current`.
  const ahead = signRecord(author, { salt: new Uint8Array(0), seq: current.seq + 5n, value: encodeSitePointer(new Uint8Array(20).fill(9)) });
  assert.ok(reader.store.noteRecord(ahead, 'push').ok);
  const resolved = await reader.resolveSite(author.publicKey);
  assert.equal(resolved.source, 'stored');
  assert.equal(resolved.seq, ahead.seq);
  assert.match(resolved.note ?? '', /older than the stored seq/);
});

test("a version that is not signed by the key whose record named it is rejected and deleted", async () => {
  const seeder = startNode('impostor');
  const folder = path.join(dir, 'impostor-site');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.md'), '# Not the real author\n');
  // The seeder publishes with its own identity; a record of `author` could point at it.
  const published = await seeder.publish(folder);
  assert.ok(!bytesEqual(published.key, author.publicKey));
  const reader = startNode('strict');
  reader.session.addDhtNode({ host: '127.0.0.1', port: seeder.session.listenPort });
  await assert.rejects(reader.fetch(published.infohash, { timeoutMs: 30_000, expectAuthor: author.publicKey }), { code: 'ERR_VERSION_AUTHOR' });
  assert.equal(reader.store.version(published.infohash), undefined, 'not stored');
  assert.ok(!fs.existsSync(contentFolder(reader.dataDir, published.infohash)), 'its files are deleted');
});
