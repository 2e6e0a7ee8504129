/**
 * Hostile LAN neighbours against a node's LAN side (src/net/node/lan-join.ts), on real
 * hosts (network namespaces on one bridge), the DHT off: issue #25 items 1 and 2.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { LAN_NODE_ENV, runOnHost, serveOnHost } from '../../helpers/lan-nodes.js';
import { createLan, netnsUnavailable, type Lan, type LanHost } from '../../helpers/netns.js';
import { REPO_ROOT, type Driven, type Message } from '../../helpers/process.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

let lan: Lan;
let dir: string;
let node: Driven;
let nodeHost: LanHost;
let url = '';
let key = '';

function last(messages: readonly Message[]): Message {
  const message = messages.at(-1);
  assert.ok(message !== undefined);
  return message;
}

function dist(...parts: string[]): string {
  return pathToFileURL(path.join(REPO_ROOT, 'dist', ...parts)).href;
}

/** Runs `source` (an ES module) inside `host` with `args`; resolves with its last JSON line once it exits 0. */
async function runScript(host: LanHost, name: string, source: string, args: readonly string[]): Promise<Message> {
  const script = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(script, source);
  const run = host.startNode([script, ...args], { env: LAN_NODE_ENV });
  const exit = await run.waitExit(120_000);
  assert.equal(exit.code, 0, run.stderr);
  const report = run.messages.at(-1);
  assert.ok(report !== undefined, 'the script reported');
  return report;
}

before(async () => {
  if (skip !== false) return;
  dir = makeTempDir();
  lan = await createLan(3);
  const host = lan.hosts[0];
  assert.ok(host !== undefined);
  nodeHost = host;
  const dataDir = path.join(dir, 'a');
  node = await serveOnHost(host, dataDir);
  const site = path.join(dir, 'site');
  fs.mkdirSync(site, { recursive: true });
  fs.writeFileSync(path.join(site, 'index.md'), '# Village news\n\nThe well is fixed.\n');
  url = last(await runOnHost(host, dataDir, ['publish', site]))['url'] as string;
  key = url.slice('bittorrent://'.length);
});
after(async () => {
  if (skip !== false) return;
  await lan.close();
  removeDir(dir);
});

/**
 * Bursts of mDNS responses from one host, as in issue #25 item 1: one instance, TXT
 * `s0=K:<rising seq>/<infohash>` alternating two infohashes, 0.5 ms apart.
 */
const BURST = `
const [wireUrl, address, key, bursts, perBurst] = process.argv.slice(2);
const { announcement, MDNS_GROUP, MDNS_PORT } = await import(wireUrl);
const dgram = await import('node:dgram');
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
await new Promise((resolve) => socket.bind(0, address, resolve));
socket.setMulticastInterface(address);
const hashes = ['1'.repeat(40), '2'.repeat(40)];
const pause = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
let sent = 0;
let seq = 1000;
for (let burst = 0; burst < Number(bursts); burst++) {
  for (let i = 0; i < Number(perBurst); i++) {
    seq += 1;
    const txt = ['txtvers=1', 'port=7000', 's0=' + key + ':' + seq + '/' + hashes[i % 2]];
    await new Promise((resolve) => socket.send(announcement('burst', 7000, txt, address), MDNS_PORT, MDNS_GROUP, resolve));
    sent += 1;
    pause(0.5);
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
}
socket.close();
console.log(JSON.stringify({ sent }));
`;

test('bursts of mDNS claims naming two infohashes in turn do not kill the node (issue #25 item 1)', { skip, timeout: 240_000 }, async () => {
  const hostile = lan.hosts[1];
  assert.ok(hostile !== undefined);
  const report = await runScript(hostile, 'burst', BURST, [dist('test', 'helpers', 'mdns-wire.js'), hostile.address, key, '7', '80']);
  assert.equal(report['sent'], 560);
  assert.equal(node.child.exitCode, null, `the node still runs: ${node.stderr.slice(-600)}`);
  // It still answers: a command handed to it runs.
  assert.equal(last(await runOnHost(nodeHost, path.join(dir, 'a'), ['publish', path.join(dir, 'site')]))['url'], url);
  assert.equal(node.child.exitCode, null, `the node still runs: ${node.stderr.slice(-600)}`);
});

/**
 * A neighbour that seeds a large torrent of its own and announces it over mDNS as a newer
 * version of the node's site (issue #25 item 2): it reports whether the node joined it in
 * that swarm (a BEP 10 handshake) and how many payload bytes it uploaded in the 5 s after.
 */
const HINT = `
const [lanUrl, sessionUrl, address, key, folder] = process.argv.slice(2);
const fs = await import('node:fs');
const path = await import('node:path');
const crypto = await import('node:crypto');
const { LanDiscovery } = await import(lanUrl);
const { TorrentSession, createTorrent } = await import(sessionUrl);
fs.mkdirSync(path.join(folder, 'big'), { recursive: true });
fs.writeFileSync(path.join(folder, 'big', 'payload.bin'), crypto.randomBytes(16 * 1024 * 1024));
const created = await createTorrent(path.join(folder, 'big'), { format: 'v1' });
const session = new TorrentSession({ listen: address + ':6881', dht: false, lsd: false, portMapping: false });
const id = session.addTorrent({ torrent: created.torrent, savePath: folder, seedMode: true }).id;
const handshake = new Promise((resolve) => {
  session.on('extension-peer', (event) => { if (event.torrent === id) resolve(true); });
  setTimeout(() => resolve(false), 30000);
});
const lan = await LanDiscovery.open({ port: 6881, interfaceAddress: address, sites: [{ key, seq: 999n, infohash: id }] });
const joined = await handshake;
let uploaded = 0;
const until = Date.now() + 5000;
while (Date.now() < until) {
  uploaded = Math.max(uploaded, session.status(id).totalUpload);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log(JSON.stringify({ joined, uploaded, size: created.totalSize }));
await lan.close();
await session.close();
`;

test('a LAN hint is only a hint: the node joins the hinted swarm to hear the record, and downloads nothing (issue #25 item 2)', { skip, timeout: 240_000 }, async () => {
  const hostile = lan.hosts[2];
  assert.ok(hostile !== undefined);
  const folder = path.join(dir, 'hint-seed');
  const report = await runScript(hostile, 'hint', HINT, [dist('src', 'net', 'lan.js'), dist('src', 'net', 'session.js'), hostile.address, key, folder]);
  assert.equal(report['size'], 16 * 1024 * 1024);
  assert.equal(report['joined'], true, 'the node connected in the hinted swarm (where a neighbour hands over its record)');
  assert.equal(report['uploaded'], 0, 'no byte of the hinted version was downloaded: no signed record names it');
  assert.equal(node.child.exitCode, null, `the node still runs: ${node.stderr.slice(-600)}`);
});
