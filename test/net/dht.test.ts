import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bstring, makeKey, signRecord } from '../helpers/bep44.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';

let network: DhtNetwork;
before(async () => {
  network = await startDhtNetwork(8);
});
after(async () => {
  await network.close();
});

function node(index: number): DhtNetwork['nodes'][number] {
  const found = network.nodes[index];
  assert.ok(found);
  return found;
}

test('a mutable record put by one node is read by another through the private DHT', async () => {
  const key = makeKey(7);
  const record = signRecord(key, 5n, bstring('version five'));
  const put = await node(1).dhtPutMutable(record);
  assert.ok(put.successes >= 1, `stored on ${put.successes} nodes`);
  const got = await node(6).dhtGetMutable(key.publicKey, Buffer.alloc(0), { timeoutMs: 20_000 });
  assert.ok(got);
  assert.equal(got.seq, 5n);
  assert.ok(got.value.equals(bstring('version five')));
  assert.equal(got.signature, record.signature);
});

test('a salted slot is separate from the unsalted one', async () => {
  const key = makeKey(8);
  await node(2).dhtPutMutable(signRecord(key, 1n, bstring('plain')));
  await node(3).dhtPutMutable(signRecord(key, 9n, bstring('device a'), Buffer.from('device-a')));
  const plain = await node(5).dhtGetMutable(key.publicKey, Buffer.alloc(0), { timeoutMs: 20_000 });
  const salted = await node(5).dhtGetMutable(key.publicKey, Buffer.from('device-a'), { timeoutMs: 20_000 });
  assert.equal(plain?.seq, 1n);
  assert.equal(salted?.seq, 9n);
  assert.ok(salted.value.equals(bstring('device a')));
});

test('a record with a bad signature or a lower seq is never reported as the newest', async () => {
  const key = makeKey(9);
  await node(1).dhtPutMutable(signRecord(key, 10n, bstring('good ten')));
  const forged = { ...signRecord(key, 11n, bstring('forged eleven')), signature: signRecord(key, 11n, bstring('something else')).signature };
  await node(4).dhtPutMutable(forged).catch(() => undefined);
  await assert.rejects(node(2).dhtPutMutable(signRecord(key, 3n, bstring('rolled back'))), { code: 'ERR_SEQ_OUTDATED' });
  const got = await node(7).dhtGetMutable(key.publicKey, Buffer.alloc(0), { timeoutMs: 20_000 });
  assert.equal(got?.seq, 10n);
  assert.ok(got.value.equals(bstring('good ten')));
});

test('compare-and-swap refuses to replace a record that changed since it was read', async () => {
  const key = makeKey(10);
  await node(1).dhtPutMutable(signRecord(key, 1n, bstring('one')));
  await node(2).dhtPutMutable(signRecord(key, 2n, bstring('two')));
  await assert.rejects(node(3).dhtPutMutable(signRecord(key, 3n, bstring('three from one'), Buffer.alloc(0), 1n)), { code: 'ERR_CAS_MISMATCH' });
  await node(3).dhtPutMutable(signRecord(key, 3n, bstring('three from two'), Buffer.alloc(0), 2n));
  const got = await node(6).dhtGetMutable(key.publicKey, Buffer.alloc(0), { timeoutMs: 20_000 });
  assert.equal(got?.seq, 3n);
  assert.ok(got.value.equals(bstring('three from two')));
});

test('immutable items and peer announcements travel through the private DHT', async () => {
  const { target, successes } = await node(2).dhtPutImmutable(bstring('Hello World!'));
  assert.equal(target, 'e5f96f6f38320f0f33959cb4d3d656452117aadb', 'BEP 44 test vector 3');
  assert.ok(successes >= 1);
  const value = await node(5).dhtGetImmutable(target, 20_000);
  assert.ok(value?.equals(bstring('Hello World!')));
  const site = 'ab'.repeat(20);
  node(3).dhtAnnounce(site, node(3).listenPort);
  let peers: { host: string; port: number }[] = [];
  for (let attempt = 0; attempt < 20 && !peers.some((p) => p.port === node(3).listenPort); attempt++) {
    peers = await node(6).dhtGetPeers(site, 2000);
  }
  assert.ok(peers.some((p) => p.host === '127.0.0.1' && p.port === node(3).listenPort), JSON.stringify(peers));
});

test('a lookup of a key nobody published ends with nothing', async () => {
  const got = await node(4).dhtGetMutable(makeKey(99).publicKey, Buffer.alloc(0), { timeoutMs: 20_000 });
  assert.equal(got, undefined);
});
