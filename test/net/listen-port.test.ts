/**
 * Without --listen, the port a node announces (its listen port: DHT announces, mDNS) is
 * one peers on the LAN can reach (issue #25 item 10: it was loopback's port, each
 * interface having one of its own). Two hosts of a namespace LAN; real swarmpress.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { LAN_NODE_ENV } from '../helpers/lan-nodes.js';
import { createLan, netnsUnavailable } from '../helpers/netns.js';
import { PROGRAM_NODE, REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

/** Node code that connects over TCP to argv[1]:argv[2] and prints whether it could. */
const CONNECT = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(5000);
socket.on('connect', () => { console.log('connected'); socket.destroy(); });
socket.on('error', (error) => console.log(error.code));
socket.on('timeout', () => { console.log('timeout'); socket.destroy(); });
`;

test('a node started without --listen accepts peers from the LAN on the port it announces', { skip }, async () => {
  const lan = await createLan(2);
  const dir = makeTempDir();
  try {
    const [server, client] = lan.hosts;
    assert.ok(server !== undefined && client !== undefined);
    const node = server.startNode([SWARMPRESS_BIN, 'serve', '--json', '--data-dir', path.join(dir, 'server'), '--no-dht'], { env: LAN_NODE_ENV, cwd: REPO_ROOT });
    const started = await node.waitFor((m) => m['event'] === 'started', 'the node to start', 60_000);
    const port = started['port'];
    assert.ok(typeof port === 'number' && port > 0, JSON.stringify(started));
    // libtorrent moves the LAN's socket to that port just after the start; a peer retries a refused connection.
    let answer = '';
    for (let attempt = 0; attempt < 10 && answer !== 'connected'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      answer = (await client.exec(PROGRAM_NODE, ['-e', CONNECT, server.address, String(port)], 15_000)).stdout.trim();
    }
    assert.equal(answer, 'connected', `${server.address}:${port} from ${client.address}`);
  } finally {
    await lan.close();
    removeDir(dir);
  }
});
