import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { createLan, netnsUnavailable, type Lan } from '../helpers/netns.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;
const lans: Lan[] = [];
after(async () => {
  for (const lan of lans) await lan.close();
});

function namespaces(): string[] {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((line) => line.split(' ')[0] ?? '');
}

function rootLinks(): string {
  return spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.replace(/\\.*$/gm, '');
}

/** A TCP server in a host: prints {"listening":true}, then one line per connection it accepted. */
const SERVER = `
const net = require('node:net');
const server = net.createServer((socket) => { console.log(JSON.stringify({ accepted: socket.remoteAddress })); socket.end('hello ' + process.argv[2]); });
server.listen(Number(process.argv[2]), process.argv[1], () => console.log(JSON.stringify({ listening: true })));
`;
/** Connects to host:port and prints what came back or the error code. */
const CLIENT = `
const net = require('node:net');
const socket = net.connect(Number(process.argv[2]), process.argv[1]);
let data = '';
socket.setTimeout(3000, () => { console.log('TIMEOUT'); process.exit(0); });
socket.on('data', (chunk) => { data += chunk; });
socket.on('end', () => { console.log(data); });
socket.on('error', (error) => { console.log(error.code); });
`;

test('hosts reach each other over TCP and nothing else: not 127.0.0.1 of another host, not the outside', { skip }, async () => {
  const before = rootLinks();
  const lan = await createLan(2);
  lans.push(lan);
  const [a, b] = lan.hosts;
  assert.ok(a && b);
  assert.notEqual(a.address, b.address);
  assert.match(lan.subnet, /^10\.77\.\d+\.0\/24$/);

  const onLan = b.startNode(['-e', SERVER, b.address, '7001']);
  const onLoopback = b.startNode(['-e', SERVER, '127.0.0.1', '7002']);
  await onLan.waitFor((m) => m['listening'] === true, 'the LAN server');
  await onLoopback.waitFor((m) => m['listening'] === true, 'the loopback server');

  const reached = await a.exec(process.execPath, ['-e', CLIENT, b.address, '7001']);
  assert.equal(reached.stdout.trim(), 'hello 7001', reached.stderr);
  await onLan.waitFor((m) => m['accepted'] === a.address, 'the connection from A', 2000);

  // 127.0.0.1 in host A is A's own loopback: B's server there is out of reach.
  const loopback = await a.exec(process.execPath, ['-e', CLIENT, '127.0.0.1', '7002']);
  assert.equal(loopback.stdout.trim(), 'ECONNREFUSED');
  // No route anywhere else: the kernel refuses before a packet is sent.
  for (const outside of ['1.1.1.1', '10.0.0.1', '192.168.1.1', lan.subnet.replace(/\.\d+\.0\/24$/, '.255.1')]) {
    const result = await a.exec(process.execPath, ['-e', CLIENT, outside, '80']);
    assert.equal(result.stdout.trim(), 'ENETUNREACH', `${outside}: ${result.stdout}`);
  }
  const routes = await a.exec('ip', ['route', 'show']);
  assert.doesNotMatch(routes.stdout, /default/);

  await lan.close();
  await lan.close();
  const left = namespaces().filter((name) => name.startsWith(lan.prefix));
  assert.deepEqual(left, []);
  assert.equal(rootLinks(), before, 'no link was added to or left in the machine namespace');
  assert.equal(onLan.child.exitCode !== null || onLan.child.signalCode !== null, true, 'processes in the hosts were killed');
});

test('multicast reaches every other host on the bridge', { skip }, async () => {
  const lan = await createLan(3);
  lans.push(lan);
  const [a, b, c] = lan.hosts;
  assert.ok(a && b && c);
  const listen = `
const dgram = require('node:dgram');
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (message, remote) => { console.log(JSON.stringify({ got: message.toString(), from: remote.address })); });
socket.bind(5353, '0.0.0.0', () => { socket.addMembership('224.0.0.251'); console.log(JSON.stringify({ ready: true })); });
`;
  const listeners = [b, c].map((host) => host.startNode(['-e', listen]));
  for (const listener of listeners) await listener.waitFor((m) => m['ready'] === true, 'the multicast listener');
  // No interface is set: the 224.0.0.0/4 route carries it.
  const send = `
const socket = require('node:dgram').createSocket('udp4');
socket.send('hi', 5353, '224.0.0.251', (error) => { console.log(error ? error.code : 'sent'); socket.close(); });
`;
  const sent = await a.exec(process.execPath, ['-e', send]);
  assert.equal(sent.stdout.trim(), 'sent');
  for (const listener of listeners) await listener.waitFor((m) => m['got'] === 'hi' && m['from'] === a.address, 'the multicast datagram', 5000);
});

test('namespaces left by a process that died are removed by the next createLan', { skip }, async () => {
  // A child process makes a LAN and dies without closing it.
  const script = `
import { createLan } from ${JSON.stringify(new URL('../helpers/netns.js', import.meta.url).href)};
const lan = await createLan(1);
console.log(JSON.stringify({ prefix: lan.prefix }));
process.kill(process.pid, 'SIGKILL');
`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const prefix = (JSON.parse(child.stdout.trim()) as { prefix: string }).prefix;
  assert.equal(namespaces().filter((name) => name.startsWith(`${prefix}-`)).length, 2, 'the dead process left its switch and host');
  const lan = await createLan(1);
  lans.push(lan);
  assert.deepEqual(namespaces().filter((name) => name.startsWith(`${prefix}-`)), []);
  await lan.close();
});
