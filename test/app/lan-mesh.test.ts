/**
 * Issue #8 on real hosts (network namespaces on one bridge), the DHT off or unreachable: sites
 * are found over mDNS and new versions pushed over BEP 10.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { LAN_NODE_ENV, runOnHost, serveOnHost } from '../helpers/lan-nodes.js';
import { createLan, netnsUnavailable, type Lan, type LanHost } from '../helpers/netns.js';
import { REPO_ROOT, type Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

let lan: Lan;
let dir: string;

interface Serve {
  readonly host: LanHost;
  readonly dataDir: string;
  process: Driven;
}

before(async () => {
  if (skip !== false) return;
  dir = makeTempDir();
  lan = await createLan(4);
});
after(async () => {
  if (skip !== false) return;
  await lan.close();
  removeDir(dir);
});

async function serve(host: LanHost, dataDir: string): Promise<Serve> {
  return { host, dataDir, process: await serveOnHost(host, dataDir) };
}

async function stop(node: Serve): Promise<void> {
  node.process.child.kill('SIGTERM');
  await node.process.waitExit(20_000);
}

/** Runs a swarmpress command inside the node's host (handed to its serve); returns its JSON lines. */
function cli(node: Serve, args: readonly string[]): Promise<Message[]> {
  return runOnHost(node.host, node.dataDir, args);
}

function last(messages: readonly Message[]): Message {
  const message = messages.at(-1);
  assert.ok(message !== undefined);
  return message;
}

function writeSite(folder: string, text: string): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.md'), text);
  return folder;
}

const isUpdated = (seq: bigint) => (m: Message): boolean => m['event'] === 'updated' && m['seq'] === seq.toString();

let a: Serve;
let b: Serve;
let c: Serve;
let url = '';
let key = '';
let latestSeq: bigint;
let latestInfohash: string;

test('C reads a site published on A, the DHT off everywhere; B and C follow it, and a new version reaches them by push', { skip, timeout: 240_000 }, async () => {
  const [hostA, hostB, hostC] = lan.hosts;
  assert.ok(hostA !== undefined && hostB !== undefined && hostC !== undefined);
  [a, b, c] = await Promise.all([serve(hostA, path.join(dir, 'a')), serve(hostB, path.join(dir, 'b')), serve(hostC, path.join(dir, 'c'))]);
  const site = writeSite(path.join(dir, 'site'), '# Village news\n\nThe well is fixed.\n');
  const published = last(await cli(a, ['publish', site]));
  url = published['url'] as string;
  key = url.slice('bittorrent://'.length);
  const page = last(await cli(c, ['get', url]));
  assert.equal(page['source'], 'lan');
  assert.match(page['text'] as string, /The well is fixed/);
  assert.equal(last(await cli(b, ['get', url]))['source'], 'lan');
  // B and C keep the site (follow it): so they announce it on the LAN too, and serve it when A
  // is gone. A site only read is never announced (issue #25 item 11).
  for (const node of [b, c]) assert.equal(last(await cli(node, ['follow', url]))['event'], 'followed');

  writeSite(site, '# Village news\n\nThe well is fixed. The bridge too.\n');
  const startedMs = Date.now();
  const second = last(await cli(a, ['publish', site]));
  latestSeq = BigInt(second['seq'] as string);
  latestInfohash = second['infohash'] as string;
  await Promise.all([
    c.process.waitFor(isUpdated(latestSeq), 'C to store the new version', 60_000),
    b.process.waitFor(isUpdated(latestSeq), 'B to store the new version', 60_000),
  ]);
  console.log(`# publish on A -> verified and stored on B and C: ${Date.now() - startedMs} ms (publish command included)`);
  const again = last(await cli(c, ['get', url]));
  assert.match(again['text'] as string, /The bridge too/);
});

test('B, stopped while A publishes, catches up on restart from C after A left', { skip, timeout: 240_000 }, async () => {
  assert.notEqual(url, '', 'the first test ran');
  await stop(b);
  const site = writeSite(path.join(dir, 'site'), '# Village news\n\nMarket on Sunday.\n');
  const third = last(await cli(a, ['publish', site]));
  latestSeq = BigInt(third['seq'] as string);
  latestInfohash = third['infohash'] as string;
  await c.process.waitFor(isUpdated(latestSeq), 'C to store the third version', 60_000);
  await stop(a);
  b = await serve(b.host, b.dataDir);
  await b.process.waitFor(isUpdated(latestSeq), 'B to catch up from C', 60_000);
  const page = last(await cli(b, ['get', url]));
  assert.match(page['text'] as string, /Market on Sunday/);
});

/** Runs inside the spoofing host: fake mDNS claims, forged BEP 10 records and LSD garbage, then reports. */
const SPOOFER = `
const [lanUrl, sessionUrl, address, key, infohash, targets] = process.argv.slice(2);
const { LanDiscovery } = await import(lanUrl);
const { TorrentSession } = await import(sessionUrl);
const fake = '${'e'.repeat(40)}';
const lan = await LanDiscovery.open({ port: 6881, interfaceAddress: address, sites: [{ key, seq: 9999n, infohash: fake, title: 'Village news (new!)' }] });
const session = new TorrentSession({ listen: address + ':6881', dht: false, lsd: false, portMapping: false });
const id = session.addTorrent({ magnet: 'magnet:?xt=urn:btih:' + infohash, savePath: '/tmp/spoof-' + process.pid }).id;
for (const target of targets.split(',')) session.connectPeer(id, { host: target, port: 6881 });
await new Promise((resolve) => { session.once('extension-peer', resolve); setTimeout(resolve, 10000); });
const forged = Buffer.from('d1:k32:' + Buffer.from(key, 'hex').toString('latin1') + '3:seqi9999e3:sig64:' + 'x'.repeat(64) + '1:vd2:ih20:' + 'y'.repeat(20) + 'ee', 'latin1');
let sent = 0;
for (let i = 0; i < 50; i++) sent += await session.sendExtension(id, i % 2 === 0 ? forged : Buffer.from('junk ' + i));
sent += await session.sendExtension(id, Buffer.alloc(16000, 0x64));
// Malformed and flooding LSD (BEP 14) datagrams to its multicast group, from this host.
const dgram = await import('node:dgram');
const crypto = await import('node:crypto');
const lsd = dgram.createSocket({ type: 'udp4', reuseAddr: true });
await new Promise((resolve) => lsd.bind(0, address, resolve));
lsd.setMulticastInterface(address);
const toLsd = (datagram) => new Promise((resolve) => lsd.send(datagram, 6771, '239.192.152.143', () => resolve(1)));
const search = (port, hashes, extra = '') => 'BT-SEARCH * HTTP/1.1\\r\\nHost: 239.192.152.143:6771\\r\\nPort: ' + port + '\\r\\n' + hashes.map((h) => 'Infohash: ' + h + '\\r\\n').join('') + extra + '\\r\\n\\r\\n';
const genuine = search(6881, [infohash]);
let lsdSent = 0;
for (let cut = 0; cut < genuine.length; cut++) lsdSent += await toLsd(Buffer.from(genuine.slice(0, cut)));
for (const port of ['0', '99999', '-1', 'abc', '6881 6882', '1'.repeat(400)]) lsdSent += await toLsd(Buffer.from(search(port, [infohash])));
for (const hash of ['', 'zz'.repeat(20), infohash.slice(0, 39), infohash + '00', 'x'.repeat(4000)]) lsdSent += await toLsd(Buffer.from(search(6881, [hash])));
lsdSent += await toLsd(Buffer.from(search(6881, Array.from({ length: 1200 }, () => crypto.randomBytes(20).toString('hex')))));
lsdSent += await toLsd(Buffer.from(search(6881, [infohash], 'cookie: ' + 'c'.repeat(60000) + '\\r\\n').slice(0, 65000)));
for (let i = 0; i < 200; i++) lsdSent += await toLsd(crypto.randomBytes(1 + (i * 37) % 1400));
for (let i = 0; i < 3000; i++) lsdSent += await toLsd(Buffer.from(search(1024 + i, [crypto.randomBytes(20).toString('hex')])));
lsd.close();
console.log(JSON.stringify({ sent, lsdSent }));
await new Promise((resolve) => setTimeout(resolve, 3000));
await session.close();
await lan.close();
`;

test('a spoofing host with forged records, fake mDNS claims of a higher seq and malformed or flooding LSD packets changes nothing', { skip, timeout: 120_000 }, async () => {
  assert.notEqual(key, '', 'the first tests ran');
  const spoofHost = lan.hosts[3];
  assert.ok(spoofHost !== undefined);
  const script = path.join(dir, 'spoofer.mjs');
  fs.writeFileSync(script, SPOOFER);
  const dist = (file: string): string => pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'net', file)).href;
  const spoofer = spoofHost.startNode([script, dist('lan.js'), dist('session.js'), spoofHost.address, key, latestInfohash, [b.host.address, c.host.address].join(',')], { env: LAN_NODE_ENV });
  const report = await spoofer.waitFor((m) => typeof m['sent'] === 'number', 'the spoofer to send', 60_000);
  assert.ok((report['sent'] as number) > 0, 'the forged records reached a node');
  assert.ok((report['lsdSent'] as number) > 3000, 'the LSD garbage and flood were sent');
  const exit = await spoofer.waitExit(30_000);
  assert.equal(exit.code, 0, spoofer.stderr);
  for (const node of [b, c]) {
    const page = last(await cli(node, ['get', url]));
    assert.equal(page['seq'], latestSeq.toString());
    assert.equal(page['infohash'], latestInfohash);
    assert.equal(node.process.child.exitCode, null, 'the node still runs');
    assert.ok(!node.process.messages.some((m) => m['event'] === 'pushed' && m['seq'] === '9999'));
  }
});

test('a node with the DHT on (its default) but no way to the internet reads the site from its LAN neighbours', { skip, timeout: 120_000 }, async () => {
  assert.notEqual(url, '', 'the first tests ran');
  const host = lan.hosts[3];
  assert.ok(host !== undefined);
  const dataDir = path.join(dir, 'd');
  // The DHT on: the public bootstrap nodes, which this host has no route to.
  const node = await serveOnHost(host, dataDir, { dht: true });
  try {
    const page = last(await runOnHost(host, dataDir, ['get', url], { dht: true }));
    assert.equal(page['source'], 'lan');
    assert.equal(page['seq'], latestSeq.toString());
    assert.match(page['text'] as string, /Market on Sunday/);
  } finally {
    node.child.kill('SIGTERM');
    await node.waitExit(20_000);
  }
});

test('`swarmpress get` with no node running on its host asks the LAN neighbours too', { skip, timeout: 120_000 }, async () => {
  assert.notEqual(url, '', 'the first tests ran');
  const host = lan.hosts[3];
  assert.ok(host !== undefined);
  const page = last(await runOnHost(host, path.join(dir, 'e'), ['get', url]));
  assert.equal(page['source'], 'lan');
  assert.equal(page['seq'], latestSeq.toString());
  assert.match(page['text'] as string, /Market on Sunday/);
});
