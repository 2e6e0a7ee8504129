import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Driven, REPO_ROOT } from '../helpers/process.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
before(async () => {
  x = await startXvfb();
});
after(async () => {
  await x.stop();
});

test('a Node timer, a loopback TCP connection and a Qt timer all fire while a window is open; the process then ends by itself', async () => {
  const probe = new Driven(process.execPath, ['dist/test/fixtures/runtime-probe.js'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DISPLAY: x.display },
  });
  const result = await probe.waitFor((m) => m['probe'] === 'result', 'the probe result', 30_000);
  assert.equal(result['tcpReply'], 'pong');
  assert.equal(result['qtTicks'], 3);
  assert.equal(typeof result['nodeTimerMs'], 'number');
  assert.equal(result['injectedRunLoop'], true, 'NodeGui initialised through our qode::InjectCustomRunLoop');
  // Promise jobs queued by a Qt event handler run when the handler returns, before any
  // later macrotask: Qt events are dispatched inside a Node callback scope.
  assert.deepEqual(result['order'], ['microtask', 'immediate']);
  // No polling: 2 s of idling wake the loop a handful of times at most (the one Node timer
  // that ends the wait, X server traffic). A 16 ms poll would take about 125 iterations.
  assert.ok(Number(result['idleIterations']) <= 20, `idle iterations: ${String(result['idleIterations'])}`);
  const exit = await probe.waitExit(15_000);
  assert.deepEqual(exit, { code: 0, signal: null }, probe.stderr);
});
