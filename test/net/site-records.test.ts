import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeSitePointer, encodeSitePointer } from '../../src/core/bep46.js';
import { Identity } from '../../src/core/identity.js';
import { deviceSalt } from '../../src/core/publish-rules.js';
import { SiteRecords } from '../../src/net/site-records.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';

let network: DhtNetwork;
before(async () => {
  network = await startDhtNetwork(10);
});
after(async () => {
  await network.close();
});

function records(index: number): SiteRecords {
  const session = network.nodes[index];
  assert.ok(session);
  return new SiteRecords({ session });
}

function infohash(byte: number): Uint8Array {
  return new Uint8Array(20).fill(byte);
}

test('an author publishes site versions; a reader on another node resolves the newest', async () => {
  const author = Identity.fromSeed(new Uint8Array(32).fill(1));
  const persisted: bigint[] = [];
  const first = await records(1).publish(author, encodeSitePointer(infohash(0xa1)), { beforePut: (r) => void persisted.push(r.seq) });
  assert.equal(first.record.seq, 1n);
  assert.equal(first.previous, undefined);
  const second = await records(2).publish(author, encodeSitePointer(infohash(0xa2)), { localSeq: 1n, beforePut: (r) => void persisted.push(r.seq) });
  assert.equal(second.record.seq, 2n);
  assert.deepEqual(persisted, [1n, 2n], 'each seq was handed to the store before its put');
  const found = await records(9).lookup(author.publicKey);
  assert.ok(found.head);
  assert.equal(found.head.record.seq, 2n);
  const pointer = decodeSitePointer(found.head.record.value);
  assert.ok(pointer.ok && pointer.value.every((b) => b === 0xa2));
  assert.equal(found.rejected.size, 0);
});

test('a device restored from an old backup publishes above what the network has', async () => {
  const author = Identity.fromSeed(new Uint8Array(32).fill(2));
  for (let i = 0; i < 4; i++) await records(3).publish(author, encodeSitePointer(infohash(i)));
  const restored = await records(4).publish(author, encodeSitePointer(infohash(9)), { localSeq: 1n });
  assert.equal(restored.record.seq, 5n);
});

test('device slots are separate from the main slot', async () => {
  const author = Identity.fromSeed(new Uint8Array(32).fill(3));
  const laptop = deviceSalt('laptop');
  await records(5).publish(author, encodeSitePointer(infohash(0x11)), { salt: laptop });
  await records(6).publish(author, encodeSitePointer(infohash(0x22)));
  const slot = await records(7).lookup(author.publicKey, laptop);
  const main = await records(7).lookup(author.publicKey);
  assert.equal(slot.head?.record.seq, 1n);
  assert.ok(decodeSitePointer(slot.head.record.value).ok);
  assert.notDeepEqual(slot.head.record.value, main.head?.record.value);
});

test('a follower re-puts the author\'s record unchanged; an older one is refused', async () => {
  const author = Identity.fromSeed(new Uint8Array(32).fill(4));
  const old = await records(1).publish(author, encodeSitePointer(infohash(1)));
  const current = await records(1).publish(author, encodeSitePointer(infohash(2)), { localSeq: old.record.seq });
  assert.equal(await records(8).reput(current.record), true);
  assert.equal(await records(8).reput(old.record), false);
  assert.equal((await records(2).lookup(author.publicKey)).head?.record.seq, current.record.seq);
});

test('a slot nobody published is empty', async () => {
  const found = await records(3).lookup(Identity.fromSeed(new Uint8Array(32).fill(99)).publicKey);
  assert.equal(found.head, undefined);
  assert.equal(found.accepted, 0);
});

test("a publish while the slot's record is being re-put takes its own put's report, not the re-put's (issue #25)", async () => {
  const author = Identity.fromSeed(new Uint8Array(32).fill(5));
  const first = await records(1).publish(author, encodeSitePointer(infohash(0x51)));
  const head = (await records(1).lookup(author.publicKey)).head;
  assert.equal(head?.record.seq, 1n);
  const signed: bigint[] = [];
  // serve's start-up re-put of the current record, and a publish on top of it, at once.
  const [reput, published] = await Promise.all([
    records(1).reput(first.record),
    records(1).publish(author, encodeSitePointer(infohash(0x52)), { localSeq: 1n, networkHead: { head }, beforePut: (r) => void signed.push(r.seq) }),
  ]);
  assert.equal(reput, true, 'the re-put of seq 1 went out before the publish');
  assert.equal(published.record.seq, 2n);
  assert.deepEqual(signed, [2n], 'signed once, on top of seq 1');
  assert.equal((await records(8).lookup(author.publicKey)).head?.record.seq, 2n);
});
