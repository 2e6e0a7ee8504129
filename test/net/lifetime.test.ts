import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Driven, REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

for (const mode of ['gc', 'exit-during-transfer', 'close-during-transfer']) {
  test(`no crash or hang: ${mode}`, async () => {
    const scratch = makeTempDir();
    const child = new Driven(process.execPath, ['--expose-gc', 'dist/test/fixtures/lifetime.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, MODE: mode, SCRATCH: scratch },
    });
    const exit = await child.waitExit(90_000).finally(() => {
      removeDir(scratch);
    });
    assert.deepEqual(exit, { code: 0, signal: null }, child.stderr);
    const report = child.messages.find((m) => m['lifetime'] === 'ok');
    assert.ok(report, child.stdout);
    if (mode === 'gc') {
      // The sessions were torn down when their JS objects were collected.
      assert.equal(report['alive'], 20);
      assert.equal(report['afterGc'], 0);
    }
  });
}
