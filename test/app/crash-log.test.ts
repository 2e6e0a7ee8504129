/**
 * The crash log (issue #22: a window that dies must leave a trace), with the real app under a
 * private Xvfb: the window crashes on purpose (SWARMPRESS_TEST_CRASH, a test-only hook) with
 * SIGSEGV, then with abort(); each time the data folder's crash.log says why in its first
 * line and holds a native stack through the runtime module; the next start says so on
 * stderr and in the status line, and keeps the log as last-crash.log.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CRASH_LOG_FILE, CRASH_TEST_ENV, LAST_CRASH_LOG_FILE, takeCrashReport } from '../../src/app/crash-log.js';
import { untilDump } from '../helpers/app-window.js';
import { startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
let root: string;
before(async () => {
  x = await startXvfb(800, 600);
  root = makeTempDir('swarmpress-crash-log-');
});
after(async () => {
  await x.stop();
  removeDir(root);
});

const ARGS = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];

for (const [kind, signal, reason] of [['segv', 'SIGSEGV', /^swarmpress crashed: SIGSEGV \(invalid memory access\) at address 0x0 \(pid \d+, unix time \d+\)$/], ['abort', 'SIGABRT', /^swarmpress crashed: SIGABRT \(aborted\) \(pid \d+, unix time \d+\)$/]] as const) {
  test(`a window that dies of ${signal} leaves a reason and a native stack; the next start reports it once`, async (t) => {
    const dataDir = path.join(root, kind);
    const crashing = startSwarmpress(['--data-dir', dataDir, ...ARGS], { DISPLAY: x.display, [CRASH_TEST_ENV]: kind });
    await crashing.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 60_000);
    const exit = await crashing.waitExit(30_000);
    assert.equal(exit.signal, signal, `exit ${JSON.stringify(exit)}; stderr: ${crashing.stderr}`);

    const log = fs.readFileSync(path.join(dataDir, CRASH_LOG_FILE), 'utf8');
    const lines = log.split('\n');
    assert.match(lines[0] ?? '', reason);
    assert.equal(lines[1], 'native stack:');
    const frames = lines.slice(2, lines.indexOf('end of native stack'));
    t.diagnostic(`${frames.length} frames; the first: ${frames.slice(0, 3).join(' | ')}`);
    // The stack goes through the runtime module's test hook and Node itself: a real native stack.
    assert.ok(frames.length >= 5, log);
    assert.ok(frames.some((frame) => frame.includes('swarmpress_qt_runtime.node')), log);
    assert.ok(frames.every((frame) => /\[0x[0-9a-f]+\]$/.test(frame)), log);

    const next = startSwarmpress(['--data-dir', dataDir, ...ARGS], { DISPLAY: x.display });
    try {
      await next.waitFor((m) => m['automation'] === 'ready', 'the first painted page after the crash', 60_000);
      const kept = path.join(dataDir, LAST_CRASH_LOG_FILE);
      const said = `swarmpress stopped unexpectedly last time (${(lines[0] ?? '').replace('swarmpress crashed: ', '')}); the details are in ${kept}.`;
      assert.ok(next.stderr.includes(`swarmpress: ${said}\n`), next.stderr);
      await untilDump(next, (dump) => dump['status'] === said, 'the crash reported in the status line');
      assert.equal(fs.readFileSync(kept, 'utf8'), log);
      assert.equal(fs.existsSync(path.join(dataDir, CRASH_LOG_FILE)), false);
      next.send({ cmd: 'close' });
      assert.equal((await next.waitExit(30_000)).code, 0);
    } finally {
      if (next.child.exitCode === null && next.child.signalCode === null) next.child.kill('SIGKILL');
    }
    // Reported once: nothing is left to report at the start after.
    assert.equal(takeCrashReport(dataDir), undefined);
  });
}
