/**
 * Return-path checks of LAN neighbours (src/net/lan-check.ts), without a network: what
 * settles a check and what does not. The checks on real hosts are in
 * test/net/node/lan-join.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCheckOf, PathChecks } from '../../src/net/lan-check.js';
import type { LanPeer } from '../../src/net/lan-peers.js';

const DOMAIN = 'node-a._swarmpress._tcp.local';
const PEER: LanPeer = { id: `10.0.0.1 ${DOMAIN}`, instance: 'node-a', domain: DOMAIN, host: '10.0.0.1', port: 6881, sites: [], carried: 0, addresses: [] };

function checks(): { checks: PathChecks; sent: { id: number; domain: string; host: string }[]; failed: () => number } {
  const sent: { id: number; domain: string; host: string }[] = [];
  let failed = 0;
  return {
    checks: new PathChecks({
      send: (id, domain, host, done) => {
        sent.push({ id, domain, host });
        done(null);
      },
      onFailed: () => {
        failed += 1;
      },
    }),
    sent,
    failed: () => failed,
  };
}

function answer(id: number, port = PEER.port, name = DOMAIN.toUpperCase()): unknown {
  return { id, type: 'response', answers: [{ name, type: 'SRV', data: { port, target: 'node-a.local' } }] };
}

test('a check passes only on an answer with its id, from the checked host, naming the instance and its port', async () => {
  const { checks: c, sent } = checks();
  const result = c.confirm(PEER);
  const query = sent[0];
  assert.ok(query !== undefined);
  assert.notEqual(query.id, 0);
  assert.deepEqual([query.domain, query.host], [DOMAIN, '10.0.0.1']);
  c.settle(answer(query.id), '10.0.0.9'); // another host
  c.settle(answer((query.id % 0xffff) + 1), '10.0.0.1'); // another id
  c.settle(answer(query.id, 7000), '10.0.0.1'); // another port
  c.settle(answer(query.id, PEER.port, 'node-b._swarmpress._tcp.local'), '10.0.0.1'); // another instance
  c.settle({ id: query.id, answers: 'garbage' }, '10.0.0.1');
  c.settle(answer(query.id), '10.0.0.1');
  assert.equal(await result, true);
  assert.equal(await c.confirm(PEER), true, 'kept while the peer lives');
  assert.equal(sent.length, 1);
  c.forget(PEER);
  void c.confirm(PEER);
  assert.equal(sent.length, 2, 'asked again once the peer went and came back');
  c.close();
});

test('a check fails when the query cannot be sent or the checker closes, and is counted', async () => {
  let failed = 0;
  const broken = new PathChecks({ send: (_id, _domain, _host, done) => { done(new Error('EHOSTUNREACH')); }, onFailed: () => { failed += 1; } });
  assert.equal(await broken.confirm(PEER), false);
  assert.equal(failed, 1);
  broken.close();
  const { checks: c, failed: count } = checks();
  const pending = c.confirm(PEER);
  c.close();
  assert.equal(await pending, false);
  assert.equal(count(), 1);
  assert.equal(await c.confirm({ ...PEER, port: 6882 }), false, 'no check starts after close');
});

test('a query is a check of this node only with a non-zero id and a question for its instance', () => {
  assert.equal(isCheckOf({ id: 7, questions: [{ name: DOMAIN.toUpperCase(), type: 'SRV' }] }, DOMAIN), 7);
  assert.equal(isCheckOf({ id: 0, questions: [{ name: DOMAIN, type: 'SRV' }] }, DOMAIN), undefined);
  assert.equal(isCheckOf({ id: 7, questions: [{ name: '_swarmpress._tcp.local', type: 'PTR' }] }, DOMAIN), undefined);
  assert.equal(isCheckOf({ id: '7', questions: [{ name: DOMAIN }] }, DOMAIN), undefined);
  assert.equal(isCheckOf({ id: 7, questions: [null, 3, { name: 5 }] }, DOMAIN), undefined);
});
