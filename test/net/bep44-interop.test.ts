/**
 * BEP 44/46 interop with an independent implementation (issue #7): swarmpress (libtorrent's
 * DHT through SiteRecords) and bittorrent-dht (behind the validating filter of
 * krpc-filter.ts) on one private DHT of 10 libtorrent nodes on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { dictFromEntries, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { checkRecord, mutableTarget, signRecord } from '../../src/core/bep44.js';
import { decodeSitePointer, encodeSitePointer } from '../../src/core/bep46.js';
import { utf8 } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { deviceSalt } from '../../src/core/publish-rules.js';
import { SiteRecords } from '../../src/net/site-records.js';
import { startBtDhtNode, type BtDhtNode } from '../helpers/bittorrent-dht.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';
import { krpcQuery, openKrpcProbe, type KrpcProbe } from '../helpers/krpc-probe.js';
import { Driven } from '../helpers/process.js';

const UNFILTERED_CHILD = new URL('../helpers/bittorrent-dht-unfiltered-child.js', import.meta.url).pathname;

let network: DhtNetwork;
let bt: BtDhtNode;
before(async () => {
  network = await startDhtNetwork(10);
  bt = await startBtDhtNode(network.nodes.slice(0, 3).map((node) => ({ host: '127.0.0.1', port: node.listenPort })));
});
after(async () => {
  await bt.close();
  await network.close();
});

function records(index: number): SiteRecords {
  const session = network.nodes[index];
  assert.ok(session);
  return new SiteRecords({ session });
}

function siteKey(byte: number): Identity {
  return Identity.fromSeed(new Uint8Array(32).fill(byte));
}

function infohash(byte: number): Uint8Array {
  return new Uint8Array(20).fill(byte);
}

function pointsAt(value: Uint8Array, byte: number): boolean {
  const pointer = decodeSitePointer(value);
  return pointer.ok && pointer.value.every((b) => b === byte);
}

test('a BEP 46 record published by swarmpress is read by bittorrent-dht, which verifies its signature', async () => {
  const site = siteKey(0x21);
  await records(1).publish(site, encodeSitePointer(infohash(0xa1)));
  const published = await records(2).publish(site, encodeSitePointer(infohash(0xa2)), { localSeq: 1n });
  assert.equal(published.record.seq, 2n);
  const verifiedBefore = bt.verifications.valid;
  const got = await bt.getMutable(site.publicKey);
  assert.ok(got, 'bittorrent-dht found the record');
  assert.ok(bt.verifications.valid > verifiedBefore, "bittorrent-dht's own verify accepted the signature");
  assert.equal(got.seq, published.record.seq);
  assert.deepEqual(got.value, published.record.value);
  assert.deepEqual(got.signature, published.record.signature);
  assert.deepEqual(got.publicKey, site.publicKey);
  assert.ok(pointsAt(got.value, 0xa2));
  assert.ok(checkRecord(got, mutableTarget(site.publicKey)).ok, 'what it returned is the record core signed');

  // A device slot (salted): the salt is part of what is signed.
  const salt = deviceSalt('laptop');
  const device = await records(3).publish(site, encodeSitePointer(infohash(0xa3)), { salt });
  const slot = await bt.getMutable(site.publicKey, salt);
  assert.ok(slot);
  assert.equal(slot.seq, device.record.seq);
  assert.deepEqual(slot.signature, device.record.signature);
  assert.ok(pointsAt(slot.value, 0xa3));
  assert.equal(bt.filter.droppedTotal, 0, `nothing from libtorrent was dropped: ${JSON.stringify([...bt.filter.dropped])}`);
});

test('a record bittorrent-dht puts for a site is resolved by swarmpress, and so is its update', async () => {
  const site = siteKey(0x31);
  const first = await bt.putMutable(new Uint8Array(32).fill(0x31), encodeSitePointer(infohash(0xb1)), { seq: 1n });
  assert.ok(first.stored >= 1, `stored on ${first.stored} nodes`);
  const reader = records(7);
  const found = await reader.lookup(site.publicKey);
  assert.ok(found.head, 'swarmpress resolved the record');
  assert.equal(found.head.record.seq, 1n);
  assert.ok(pointsAt(found.head.record.value, 0xb1));
  assert.equal(found.rejected.size, 0);

  const second = await bt.putMutable(site, encodeSitePointer(infohash(0xb2)), { seq: 2n, cas: 1n });
  assert.ok(second.stored >= 1);
  for (const index of [7, 9]) {
    const updated = await records(index).lookup(site.publicKey);
    assert.equal(updated.head?.record.seq, 2n, `node ${index} sees the new seq`);
    assert.ok(pointsAt(updated.head.record.value, 0xb2));
    assert.deepEqual(updated.head.record.signature, signRecord(site, { seq: 2n, value: encodeSitePointer(infohash(0xb2)) }).signature);
  }
  assert.equal(bt.filter.droppedTotal, 0, `nothing from libtorrent was dropped: ${JSON.stringify([...bt.filter.dropped])}`);
});

/** The datagrams of FACTS.md that kill bittorrent-dht, as `put` queries (a token of the receiver is needed). */
const CRASHING_PUTS: readonly { name: string; reason: string; args: (token: Uint8Array) => Record<string, BencodeValue> }[] = [
  { name: 'a put whose k is an integer', reason: 'bad-k', args: (token) => ({ token, k: 5n, seq: 1n, sig: crypto.randomBytes(64), v: utf8('1:x') }) },
  {
    name: 'a put whose salt is an integer',
    reason: 'bad-salt',
    args: (token) => ({ token, k: siteKey(0x41).publicKey, salt: 7n, seq: 1n, sig: crypto.randomBytes(64), v: utf8('x') }),
  },
  {
    name: 'a put with a 63-byte sig',
    reason: 'bad-sig',
    args: (token) => ({ token, k: siteKey(0x41).publicKey, seq: 1n, sig: crypto.randomBytes(63), v: utf8('x') }),
  },
];

/** A `get` reply carrying a record whose sig is 10 bytes. */
function tenByteSigReply(): Record<string, BencodeValue> {
  return { k: siteKey(0x21).publicKey, seq: 9n, sig: crypto.randomBytes(10), v: dictFromEntries({ ih: infohash(0xee) }) };
}

async function tokenOf(probe: KrpcProbe, port: number): Promise<Uint8Array> {
  const reply = (await probe.query(port, 'get', { target: crypto.randomBytes(20) })).get('r');
  const token = reply instanceof Map ? (reply as BencodeDict).get('token') : undefined;
  assert.ok(token instanceof Uint8Array, 'the node handed out a write token');
  return token;
}

async function expectCrash(child: Driven, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    child.exited,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, 10_000);
    }),
  ]);
  clearTimeout(timer);
  if (exit === undefined) child.child.kill('SIGKILL');
  assert.ok(exit !== undefined && exit.code !== 0, `unfiltered bittorrent-dht survived ${what}`);
  assert.match(child.stderr, /node_modules\/(bittorrent-dht|k-rpc)/, `the crash is inside the library:\n${child.stderr}`);
}

async function alive(probe: KrpcProbe): Promise<void> {
  const pong = (await probe.query(bt.port, 'ping', {})).get('r');
  assert.ok(pong instanceof Map && pong.get('id') instanceof Uint8Array, 'the node answers a ping');
}

test('datagrams that kill bare bittorrent-dht are dropped and counted by the filter; the node keeps working', async () => {
  const probe = await openKrpcProbe();
  const children: Driven[] = [];
  const unfiltered = (args: readonly string[] = []): Driven => {
    const child = new Driven(process.execPath, [UNFILTERED_CHILD, ...args]);
    children.push(child);
    return child;
  };
  try {
    for (const crash of CRASHING_PUTS) {
      // Control: the same datagram kills bittorrent-dht without the filter.
      const bare = unfiltered();
      const port = (await bare.waitFor((m) => typeof m['port'] === 'number', 'the unfiltered node'))['port'] as number;
      await probe.send(port, krpcQuery(utf8('pp'), 'put', { id: probe.id, ...crash.args(await tokenOf(probe, port)) }));
      await expectCrash(bare, crash.name);

      const dropped = bt.filter.dropped.get(crash.reason) ?? 0;
      await probe.send(bt.port, krpcQuery(utf8('pp'), 'put', { id: probe.id, ...crash.args(await tokenOf(probe, bt.port)) }));
      await alive(probe); // answered after the bad datagram, which was handled before it
      assert.equal(bt.filter.dropped.get(crash.reason), dropped + 1, `${crash.name} was dropped as ${crash.reason}`);
    }

    // A get reply with a 10-byte sig: the node must be asking the sender.
    probe.getReply = tenByteSigReply();
    const bare = unfiltered([String(probe.port), Buffer.from(mutableTarget(siteKey(0x21).publicKey)).toString('hex')]);
    await expectCrash(bare, 'a get reply with a 10-byte sig');

    bt.addNode({ host: '127.0.0.1', port: probe.port });
    for (let i = 0; i < 100 && !bt.routingTable().some((node) => node.port === probe.port); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(bt.routingTable().some((node) => node.port === probe.port), 'the hostile node is in the routing table');
    const droppedSigs = bt.filter.dropped.get('bad-sig') ?? 0;
    const gets = probe.received.get('get') ?? 0;
    // The record of the first test, looked up with a hostile node among the honest ones.
    const got = await bt.getMutable(siteKey(0x21).publicKey);
    assert.ok((probe.received.get('get') ?? 0) > gets, 'the hostile node was asked');
    assert.ok((bt.filter.dropped.get('bad-sig') ?? 0) > droppedSigs, 'its reply was dropped as bad-sig');
    assert.equal(got?.seq, 2n, 'the honest record still resolves');
    assert.ok(pointsAt(got.value, 0xa2));
    await alive(probe);
  } finally {
    for (const child of children) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await probe.close();
  }
});

test('every malformed datagram of a spray is dropped and counted, and the node still answers', async () => {
  const probe = await openKrpcProbe();
  try {
    const before = bt.filter;
    const samples = [
      Buffer.from('d1:t'),
      Buffer.from('de'),
      Buffer.from('i99999999999999999999999e'),
      Buffer.from('d1:ad2:id20:xe1:q4:ping1:t2:aa1:y1:qe'), // id of 1 byte
      Buffer.from('d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa1:vi5e3:seq3:abc3:sig1:xe1:t2:aa1:y1:re'), // seq a string, sig 1 byte
      Buffer.from('d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:targeti5ee1:q9:find_node1:t2:aa1:y1:qe'), // target an integer
      krpcQuery(utf8('aa'), 'put', { id: crypto.randomBytes(20), token: utf8('t'), k: siteKey(0x41).publicKey, seq: 1n, sig: crypto.randomBytes(64), v: crypto.randomBytes(1200) }),
      krpcQuery(utf8('aa'), 'put', { id: crypto.randomBytes(20), token: utf8('t'), k: siteKey(0x41).publicKey, salt: crypto.randomBytes(65), seq: 1n, sig: crypto.randomBytes(64), v: utf8('1:x') }),
      krpcQuery(utf8('aa'), 'put', { id: crypto.randomBytes(20), token: utf8('t'), k: siteKey(0x41).publicKey, seq: 2n ** 60n, sig: crypto.randomBytes(64), v: utf8('1:x') }),
      ...Array.from({ length: 20 }, (_, i) => crypto.randomBytes(1 + i * 70)),
    ];
    for (const sample of samples) await probe.send(bt.port, sample);
    await alive(probe);
    const after = bt.filter;
    assert.equal(after.droppedTotal - before.droppedTotal, samples.length, JSON.stringify([...after.dropped]));
    assert.equal(after.blockedSends, 0);
  } finally {
    await probe.close();
  }
});
