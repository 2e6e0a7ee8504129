import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Driven, REPO_ROOT } from '../helpers/process.js';

const SEEDS = (process.env['SWARMPRESS_FUZZ_SEEDS'] ?? '1,2,3').split(',').map(Number);

for (const seed of SEEDS) {
  test(`every binding function, called with hostile JS values, only ever throws JS exceptions (seed ${seed})`, async () => {
    const child = new Driven(process.execPath, ['dist/test/fixtures/binding-fuzz.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SEED: String(seed), ROUNDS: process.env['SWARMPRESS_FUZZ_ROUNDS'] ?? '3000' },
    });
    const exit = await child.waitExit(120_000);
    assert.deepEqual(exit, { code: 0, signal: null }, child.stderr);
    const report = child.messages.find((m) => m['fuzz'] === 'done');
    assert.ok(report, child.stdout);
    const outcomes = report['outcomes'] as Record<string, number>;
    assert.equal(outcomes['non-Error'], undefined, 'only Error objects are thrown');
    assert.ok((outcomes['TypeError'] ?? 0) > 100 && (outcomes['RangeError'] ?? 0) > 10, JSON.stringify(outcomes));
    assert.ok(Number(report['methods']) >= 28, `methods: ${String(report['methods'])}`);
  });
}
