/**
 * The control socket trusts only its own user, both ways (issue #25 item 11): real Unix
 * sockets, and real processes of another user (uid 65534, so root is needed: skipped
 * otherwise). Another user is kept out of the data folder in the first place (data-dir.ts);
 * these tests take that line away to show the second one holds.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ControlServer, delegate, peerUid, socketPath } from '../../src/app/control.js';
import { AppError } from '../../src/core/errors.js';
import { runCli } from '../helpers/nodes.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const NOBODY = 65534;
const needsRoot = process.getuid?.() === 0 ? false : 'needs root, to run a process as another user';

let root: string;
let counter = 0;
before(() => {
  root = makeTempDir('swarmpress-control-');
  fs.chmodSync(root, 0o711); // another user may pass through to the folders made for it below
});
after(() => {
  removeDir(root);
});

/** Runs `script` with node as user nobody; resolves with its output once it exits. */
function asNobody(script: string, onLine?: (line: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    for (const line of chunk.split('\n')) if (line !== '') onLine?.(line, child);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const done = new Promise<string>((resolve) => {
    child.once('exit', () => { resolve(output); });
    child.once('error', (error) => { resolve(`${output}spawn failed: ${error.message}`); });
  });
  return { child, done };
}

/** A folder another user can write (what data-dir.ts refuses). */
function openFolder(): string {
  const dir = path.join(root, `open-${counter++}`);
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o777);
  return dir;
}

/** A socket planted by user nobody in `dir` that claims a publish; resolves once it listens. */
async function plantSocket(dir: string): Promise<ChildProcess> {
  const file = path.join(dir, 'node.sock');
  const script = `
    const server = require('node:net').createServer((s) => {
      s.end(JSON.stringify({ out: 'published site default version 99' }) + '\\n' + JSON.stringify({ exit: 0 }) + '\\n');
    });
    server.listen(${JSON.stringify(file)}, () => { require('node:fs').chmodSync(${JSON.stringify(file)}, 0o777); console.log('listening'); });`;
  return new Promise((resolve) => {
    asNobody(script, (line, child) => {
      if (line === 'listening') resolve(child);
    });
  });
}

test('SO_PEERCRED names the user at the other end of a socket', async () => {
  const dir = path.join(root, `own-${counter++}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  const file = path.join(dir, 's.sock');
  const seen: number[] = [];
  const server = net.createServer((socket) => {
    seen.push(peerUid(socket));
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(file, resolve));
  const client = net.connect(file);
  await new Promise<void>((resolve) => client.once('connect', resolve));
  assert.equal(peerUid(client), process.getuid?.(), 'the client sees the server\'s user');
  await new Promise<void>((resolve) => client.once('close', () => { resolve(); }));
  assert.deepEqual(seen, [process.getuid?.()], 'the server sees the client\'s user');
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
});

test('the node refuses a client of another user, even when the socket could be reached', { skip: needsRoot }, async () => {
  const dir = openFolder();
  let handled = 0;
  const server = await ControlServer.listen(dir, () => {
    handled += 1;
    return Promise.resolve(0);
  });
  assert.ok(server !== undefined);
  try {
    const file = socketPath(dir) ?? '';
    fs.chmodSync(file, 0o666);
    const { done } = asNobody(`
      const s = require('node:net').connect(${JSON.stringify(file)});
      s.on('connect', () => s.write(JSON.stringify({ command: { name: 'publish', folder: '/tmp' }, json: true }) + '\\n'));
      s.setEncoding('utf8'); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => console.log('error', e.code));`);
    const output = await done;
    assert.match(output, /"err":"this node serves only user 0, not user 65534"/);
    assert.match(output, /"exit":1/);
    assert.equal(handled, 0, 'nothing of the request was run');
  } finally {
    await server.close();
  }
});

test('a client never hands a command to a socket of another user, nor to a node of another user answering on one of its own', { skip: needsRoot }, async () => {
  const dir = openFolder();
  const planted = await plantSocket(dir);
  try {
    const file = socketPath(dir) ?? '';
    const request = { command: { name: 'publish' as const, folder: '/tmp' }, json: true } as unknown as Parameters<typeof delegate>[1];
    await assert.rejects(delegate(dir, request), (e: unknown) => e instanceof AppError && e.code === 'ERR_CONTROL_SOCKET' && /belongs to user 65534, not to this user \(0\).*remove it/.test(e.message));
    fs.chownSync(file, 0, 0); // the file now looks like ours; the process answering is still not
    await assert.rejects(delegate(dir, request), (e: unknown) => e instanceof AppError && e.code === 'ERR_CONTROL_SOCKET' && /runs as user 65534, not as this user \(0\)/.test(e.message));

    // The reproduction of the issue: root's publish in that folder printed "published … version 99".
    const site = path.join(root, `site-${counter++}`);
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, 'index.md'), '# S\n');
    const refused = await runCli(['publish', site, '--data-dir', dir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0']);
    assert.equal(refused.code, 1, refused.stdout);
    assert.doesNotMatch(refused.stdout, /version 99/);
    assert.match(refused.stderr, /can be written by other users \(mode 0777\)/);
  } finally {
    planted.kill();
  }
});
