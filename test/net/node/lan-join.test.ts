/**
 * Hostile LAN neighbours against a node's LAN side (src/net/node/lan-join.ts), on real
 * hosts (network namespaces on one bridge), the DHT off: issue #25 items 1, 2 and 9.
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
  lan = await createLan(4);
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

/** Sends one UDP datagram with a forged IPv4 source address (a raw socket; root in the host's namespace). */
const SPOOF = `
import socket, struct, sys
src, dst, sport, dport, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), bytes.fromhex(sys.argv[5])
udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 255, 17, 0, socket.inet_aton(src), socket.inet_aton(dst))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(ip + udp, (dst, 0))
print('{"sent": 1}')
`;

/** Listens on `port` inside a host and reports the connections it got within `ms`. */
const LISTEN = `
const [address, port, ms] = process.argv.slice(2);
const net = await import('node:net');
let connections = 0;
const server = net.createServer((socket) => { connections += 1; socket.destroy(); });
await new Promise((resolve) => server.listen(Number(port), address, resolve));
console.log(JSON.stringify({ listening: true }));
await new Promise((resolve) => setTimeout(resolve, Number(ms)));
server.close();
console.log(JSON.stringify({ connections }));
`;

test('an mDNS claim with a forged source address makes the node connect nowhere (issue #25 item 9)', {
  skip,
  timeout: 120_000,
}, async () => {
  const [, , spoofer, victim] = lan.hosts;
  assert.ok(spoofer !== undefined && victim !== undefined);
  const port = 7443;
  const listenScript = path.join(dir, 'listen.mjs');
  fs.writeFileSync(listenScript, LISTEN);
  const listener = victim.startNode([listenScript, victim.address, String(port), '8000'], { env: LAN_NODE_ENV });
  await listener.waitFor((m) => m['listening'] === true, 'the third host to listen', 10_000);
  const { announcement, MDNS_GROUP, MDNS_PORT } = await import('../../helpers/mdns-wire.js');
  const packet = announcement('forged', port, ['txtvers=1', `port=${port}`, `s0=${key}:5000/${'3'.repeat(40)}`], victim.address);
  const script = path.join(dir, 'spoof.py');
  fs.writeFileSync(script, SPOOF);
  const sent = await spoofer.exec('python3', [script, victim.address, MDNS_GROUP, String(MDNS_PORT), String(MDNS_PORT), packet.toString('hex')], 10_000);
  assert.equal(sent.code, 0, sent.stderr);
  const exit = await listener.waitExit(20_000);
  assert.equal(exit.code, 0, listener.stderr);
  assert.equal(listener.messages.at(-1)?.['connections'], 0, 'the node did not connect to the host the forged packet named');
});
