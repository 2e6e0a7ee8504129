/**
 * Reply notices between real nodes (libtorrent on loopback, DHT and LAN off, peers
 * connected directly; real stores): the author of a post learns of a reply published in a
 * site it never followed nor read, a reader that connects later learns of it too, and
 * forged or flooding notices are counted and change nothing.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { signRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { bytesEqual, toHex, utf8 } from '../../src/core/bytes.js';
import { generateIdentity } from '../../src/core/identity.js';
import { decodeReplyNotice, encodeReplyNotice } from '../../src/core/reply-notice.js';
import { MAX_CHECK_ATTEMPTS } from '../../src/net/node/site-replies.js';
import { SiteNode, type NodeEvent, type NodeEventType } from '../../src/net/node/site-node.js';
import { describeEvent } from '../../src/net/node/events.js';
import { Store } from '../../src/store/store.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

let dir: string;
const nodes: SiteNode[] = [];
const logs = new Map<SiteNode, NodeEvent[]>();

function start(name: string): SiteNode {
  const events: NodeEvent[] = [];
  const node = SiteNode.start({ store: Store.open({ dataDir: path.join(dir, name) }), session: LOOPBACK, log: (event) => events.push(event) });
  logs.set(node, events);
  nodes.push(node);
  return node;
}

type EventOf<K extends NodeEventType> = Extract<NodeEvent, { type: K }>;

/** Waits for `node`'s first event of kind `type` that matches (already logged or yet to come). */
async function logged<K extends NodeEventType>(node: SiteNode, type: K, match: (event: EventOf<K>) => boolean, timeoutMs = 30_000): Promise<EventOf<K>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logs.get(node)?.find((event): event is EventOf<K> => event.type === type && match(event as EventOf<K>));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms: ${JSON.stringify(logs.get(node)?.slice(-20))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}


function writeFolder(folder: string, files: Readonly<Record<string, string>>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

const peerOf = (node: SiteNode): { host: string; port: number } => ({ host: '127.0.0.1', port: node.session.listenPort });

let a: SiteNode;
let b: SiteNode;
let postId: Uint8Array;
let aVersion: { key: Uint8Array; infohash: Uint8Array };
let bKey: Uint8Array;

before(() => {
  dir = makeTempDir();
  a = start('a');
  b = start('b');
});
after(async () => {
  await Promise.all(nodes.map((node) => node.close()));
  for (const node of nodes) if (!node.store.isClosed) node.store.close();
  removeDir(dir);
});

test("the author learns of a reply from a site it never followed nor read, and shows it in the post's thread", async () => {
  const garden = writeFolder(path.join(dir, 'garden'), { 'index.md': '# Garden\n', 'posts/first.md': '# First post\n\nTomatoes grow.\n' });
  const published = await a.publish(garden, 'garden');
  aVersion = published;
  const post = a.store.manifest(published.infohash)?.manifest.items.find((entry) => entry.path === 'posts/first.md');
  assert.ok(post !== undefined);
  postId = post.id;

  // B reads the post (a one-off fetch from A), then publishes a reply in its own site.
  await b.fetch(published.infohash, { expectAuthor: published.key, peers: [peerOf(a)] });
  const replies = writeFolder(path.join(dir, 'b-site'), {
    'index.md': '# B\n',
    're.md': `---\ntitle: Re: First post\nrelated: reply ${toHex(postId)}\n---\nI grow beans too.\n`,
  });
  const startedMs = performance.now();
  const reply = await b.publish(replies, 'b');
  bKey = reply.key;
  await logged(b, 'reply-sent', (e) => e.target === toHex(postId));

  const shown = await logged(a, 'reply', (e) => e.target === toHex(postId));
  console.log(`# reply published on B -> verified in A's thread: ${Math.round(performance.now() - startedMs)} ms`);
  assert.equal(shown.key, toHex(reply.key));
  assert.equal(shown.infohash, toHex(reply.infohash));
  const thread = a.store.thread(postId);
  assert.deepEqual(thread.map((entry) => [entry.item.title, entry.depth]), [['Re: First post', 1]]);
  assert.equal(a.store.isFollowing('site', reply.key), false, 'a one-off read, not a follow');
  assert.equal(a.store.replyNotices('verified').length, 1);
  assert.deepEqual([...a.replyNoticesDropped], []);
  assert.equal(a.pushDropped.get('ERR_RECORD_ENVELOPE'), undefined, 'push.ts leaves notices alone');
});

test('a reader of the post that connects later is handed the notice and shows the reply', async () => {
  const c = start('c');
  await c.fetch(aVersion.infohash, { expectAuthor: aVersion.key, peers: [peerOf(a)] });
  await logged(c, 'reply', (e) => e.target === toHex(postId));
  assert.deepEqual(c.store.thread(postId).map((entry) => entry.item.title), ['Re: First post']);
});

test('forged, lying, blocked, unknown and flooding notices are refused, counted, and change nothing', async () => {
  // D reads the post too (so it is connected to A on A's version), and has a site of its own without any reply.
  const d = start('d');
  await d.fetch(aVersion.infohash, { expectAuthor: aVersion.key, peers: [peerOf(a)] });
  const dSite = await d.publish(writeFolder(path.join(dir, 'd-site'), { 'index.md': '# D\n\nNothing to see.\n' }), 'd');
  const dRecord = d.latestSigned(dSite.key);
  assert.ok(dRecord !== undefined);
  const torrent = toHex(aVersion.infohash);
  assert.ok(d.session.torrentIds().includes(torrent), 'D is in the swarm of A\'s version');
  // Over D's own connection to A only (A may have connected to D as well: each copy would count).
  const send = (payload: Uint8Array): Promise<number> => d.session.sendExtension(torrent, payload, peerOf(a));
  const pointer = (): Uint8Array => encodeSitePointer(crypto.randomBytes(20));
  const stranger = generateIdentity(crypto.randomBytes(32));
  const blocked = generateIdentity(crypto.randomBytes(32));
  a.store.block('site', blocked.publicKey);

  const lie = encodeReplyNotice({ record: dRecord, reply: crypto.randomBytes(32), target: postId }, d.session.listenPort);
  const good = Buffer.from(encodeReplyNotice({ record: signRecord(stranger, { seq: 1n, value: pointer() }), reply: crypto.randomBytes(32), target: postId }));
  const badSignature = Buffer.from(good);
  const at = badSignature.indexOf('3:sig64:') + 8 + 5;
  badSignature[at] = (badSignature[at] ?? 0) ^ 0xff;
  const cases: Uint8Array[] = [
    lie,
    badSignature,
    utf8('d6:notice5:replye garbage'),
    encodeReplyNotice({ record: signRecord(blocked, { seq: 1n, value: pointer() }), reply: crypto.randomBytes(32), target: postId }),
    encodeReplyNotice({ record: signRecord(stranger, { seq: 2n, value: pointer() }), reply: crypto.randomBytes(32), target: crypto.randomBytes(32) }),
  ];
  for (const payload of cases) assert.equal(await send(payload), 1);
  // A flood of well-formed notices (distinct ids, unknown targets).
  for (let i = 0; i < 60; i++) {
    void send(encodeReplyNotice({ record: signRecord(stranger, { seq: BigInt(10 + i), value: pointer() }), reply: crypto.randomBytes(32), target: crypto.randomBytes(32) }));
  }
  const dropped = (code: string): number => a.replyNoticesDropped.get(code) ?? 0;
  await until(() => dropped('ERR_NOTICE_NO_REPLY') === 1 && dropped('ERR_NOTICE_RATE') > 0, `the lie to be found out and the flood limited: ${JSON.stringify([...a.replyNoticesDropped])}`, 30_000);
  assert.equal(dropped('ERR_RECORD_BAD_SIGNATURE'), 1);
  assert.equal(dropped('ERR_NOTICE_ENVELOPE'), 1);
  assert.equal(dropped('ERR_NOTICE_BLOCKED'), 1);
  assert.ok(dropped('ERR_NOTICE_UNKNOWN_TARGET') >= 1);
  const total = [...a.replyNoticesDropped.values()].reduce((sum, n) => sum + n, 0);
  assert.equal(total, 65, JSON.stringify([...a.replyNoticesDropped]));
  await logged(a, 'warning', (e) => /lied/.test(describeEvent(e)));

  // Nothing changed in the thread; the lying notice is stored as rejected; A still works.
  assert.deepEqual(a.store.thread(postId).map((entry) => entry.item.title), ['Re: First post']);
  assert.equal(a.store.replyNotices('rejected').length, 1);
  assert.ok(bytesEqual(a.store.replyNotices('rejected')[0]?.siteKey ?? new Uint8Array(0), dSite.key));
  assert.equal(a.store.replyNotices('verified').length, 1);
  assert.equal(a.session.isClosed, false);
});

test("the node's duties check pending notices again: a version without the reply is found out, one never reached is given up", async () => {
  const record = b.latestSigned(bKey);
  assert.ok(record !== undefined);
  const stored = (reply: Uint8Array): Uint8Array => {
    const bytes = encodeReplyNotice({ record, reply, target: postId });
    const decoded = decodeReplyNotice(bytes);
    assert.ok(decoded.ok);
    assert.equal(a.store.noteReplyNotice(decoded.value, bytes), 'new');
    return reply;
  };
  const lying = stored(crypto.randomBytes(32));
  const unreachable = stored(crypto.randomBytes(32));
  for (let i = 0; i < MAX_CHECK_ATTEMPTS; i++) a.store.settleReplyNotice(unreachable, postId, 'pending');
  const before = { noReply: a.replyNoticesDropped.get('ERR_NOTICE_NO_REPLY') ?? 0 };
  assert.equal(await a.checkReplyNotices(), 0);
  assert.equal(a.replyNoticesDropped.get('ERR_NOTICE_NO_REPLY'), before.noReply + 1);
  assert.equal(a.replyNoticesDropped.get('ERR_NOTICE_UNREACHABLE'), 1);
  const rejected = a.store.replyNotices('rejected').map((notice) => toHex(notice.reply));
  assert.ok(rejected.includes(toHex(lying)) && rejected.includes(toHex(unreachable)));
  assert.equal(a.store.replyNotices('pending').length, 0);
  assert.deepEqual(a.store.thread(postId).map((entry) => entry.item.title), ['Re: First post']);
});

test('after a restart, the replier still hands its notice to a reader of the post that connects to it (the author being gone)', async () => {
  await a.close();
  await b.close();
  b.store.close();
  const restarted = SiteNode.start({ store: Store.open({ dataDir: path.join(dir, 'b') }), session: LOOPBACK });
  nodes.push(restarted);
  const e = start('e');
  await e.fetch(aVersion.infohash, { expectAuthor: aVersion.key, peers: [peerOf(restarted)] });
  await logged(e, 'reply', (event) => event.target === toHex(postId));
  assert.deepEqual(e.store.thread(postId).map((entry) => entry.item.title), ['Re: First post']);
});
