import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mutableTarget, type MutableRecord } from '../../src/core/bep44.js';
import { decodeSitePointer, encodeSitePointer } from '../../src/core/bep46.js';
import { Identity } from '../../src/core/identity.js';
import { SiteRecords } from '../../src/net/site-records.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';
import { startHostileNode, type HostileNode } from '../helpers/hostile-dht.js';

const author = Identity.fromSeed(new Uint8Array(32).fill(21));
let network: DhtNetwork;
let hostile: HostileNode;
let current: MutableRecord;

function records(index: number): SiteRecords {
  const session = network.nodes[index];
  assert.ok(session);
  return new SiteRecords({ session });
}

before(async () => {
  network = await startDhtNetwork(8);
  const old = await records(1).publish(author, encodeSitePointer(new Uint8Array(20).fill(1)));
  current = (await records(1).publish(author, encodeSitePointer(new Uint8Array(20).fill(2)), { localSeq: old.record.seq })).record;
  const foreign = Identity.fromSeed(new Uint8Array(32).fill(22));
  const foreignRecord = (await records(2).publish(foreign, encodeSitePointer(new Uint8Array(20).fill(3)))).record;
  hostile = await startHostileNode({ target: mutableTarget(author.publicKey), rolledBack: old.record, foreign: foreignRecord });
  for (const node of network.nodes) node.addDhtNode({ host: '127.0.0.1', port: hostile.port });
});
after(async () => {
  await hostile.close();
  await network.close();
});

test('hostile DHT responses never reach the reader as the newest version', async () => {
  // Look up until every kind of bad record was served at least once (bounded).
  for (let round = 0; round < 40 && hostile.served.size < 5; round++) {
    const found = await records(3 + (round % 5)).lookup(author.publicKey);
    assert.equal(found.head?.record.seq, current.seq, `round ${round}`);
    const pointer = decodeSitePointer(found.head.record.value);
    assert.ok(pointer.ok && pointer.value.every((b) => b === 2), `round ${round}: the genuine newest pointer`);
  }
  assert.deepEqual(
    [...hostile.served.keys()].sort(),
    ['foreign-key', 'forged-signature', 'oversized-value', 'rolled-back', 'wrong-types'],
    'the hostile node answered the lookups with every kind of bad record',
  );
});

test('malformed datagrams do not crash the nodes, which keep answering', async () => {
  for (const node of network.nodes) await hostile.spray(node.listenPort, 300);
  const found = await records(6).lookup(author.publicKey);
  assert.equal(found.head?.record.seq, current.seq);
  for (const node of network.nodes) assert.equal(node.isClosed, false);
});
