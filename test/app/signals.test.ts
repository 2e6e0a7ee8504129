import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
let dataDir: string;
before(async () => {
  x = await startXvfb();
  dataDir = makeTempDir();
});
after(async () => {
  await x.stop();
  removeDir(dataDir);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} closes the window and the app exits cleanly`, async () => {
    const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], { DISPLAY: x.display });
    try {
      await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
      app.child.kill(signal);
      const exit = await app.waitExit(15_000);
      assert.deepEqual(exit, { code: 0, signal: null }, app.stderr);
      assert.doesNotMatch(app.stderr, /segmentation|core dumped|abort|QObject::|QThread/i);
    } finally {
      app.child.kill('SIGKILL');
    }
  });
}

test('without a display, the app says so in one line and runs the headless node; Ctrl-C stops it', async () => {
  const env = { DISPLAY: '', WAYLAND_DISPLAY: '' };
  const node = startSwarmpress(['--data-dir', dataDir, '--json', '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], env);
  try {
    const started = await node.waitFor((m) => m['event'] === 'started', 'the headless node to start');
    assert.equal(started['dataDir'], dataDir);
    assert.match(node.stderr, /^swarmpress: no display \(\$DISPLAY and \$WAYLAND_DISPLAY are unset\): starting the headless node instead/);
    assert.equal(node.stderr.trim().split('\n').length, 1);
    node.child.kill('SIGINT');
    assert.deepEqual(await node.waitExit(), { code: 0, signal: null }, node.stderr);
    assert.ok(node.messages.some((m) => m['event'] === 'stopped' && m['signal'] === 'SIGINT'));
  } finally {
    node.child.kill('SIGKILL');
  }
});

test('a display with no X server behind it is a clear one-line error, not a crash', async () => {
  const app = startSwarmpress(['--data-dir', dataDir], { DISPLAY: ':65000', WAYLAND_DISPLAY: '' });
  const exit = await app.waitExit();
  assert.deepEqual(exit, { code: 1, signal: null });
  assert.equal(app.stderr, 'swarmpress: cannot open the window: no X server is running on display :65000\n');
});

test('without a display, an address to show is a clear one-line error: no headless node starts in its place', async () => {
  const address = `bittorrent://${'ab'.repeat(32)}`;
  const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', address], { DISPLAY: '', WAYLAND_DISPLAY: '' });
  const exit = await app.waitExit();
  assert.deepEqual(exit, { code: 1, signal: null });
  assert.equal(app.stderr, `swarmpress: no display ($DISPLAY and $WAYLAND_DISPLAY are unset) to show ${address} on: 'swarmpress get URL' fetches it, 'swarmpress follow URL' follows it\n`);
});

test('a word that is neither a command nor an address is refused before anything starts', async () => {
  const app = startSwarmpress(['--data-dir', dataDir, 'pubish'], { DISPLAY: '', WAYLAND_DISPLAY: '' });
  const exit = await app.waitExit();
  assert.equal(exit.signal, null);
  assert.notEqual(exit.code, 0);
  assert.match(app.stderr, /^swarmpress: unknown command 'pubish', and not a swarm address either/);
});
