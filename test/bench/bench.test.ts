import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Driven, REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

// A smoke run keeps the benchmarks from rotting; its figures are never asserted.
test('every benchmark runs once at tiny size and reports every figure', async () => {
  const bench = new Driven(process.execPath, ['dist/test/bench/run.js', '--smoke', '--out-dir', dir], { cwd: REPO_ROOT });
  const exit = await bench.waitExit(400_000);
  assert.deepEqual(exit, { code: 0, signal: null }, bench.stderr);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'bench-results.json'), 'utf8')) as {
    figures: { id: string; subject: { values: number[] }; reference?: { values: number[] } }[];
  };
  assert.deepEqual(report.figures.map((f) => f.id), [
    'idle-cpu', 'window-pss', 'window-rss', 'start-to-paint',
    'app-pss', 'app-cold-start', 'app-warm-start', 'app-warm-start-post', 'app-first-paint',
    'render-first-screen', 'render-whole-page', 'render-full-layout', 'render-pss', 'render-pss-growth', 'render-live-widgets', 'render-browser-time', 'render-browser-pss',
    'hostile-window-pss', 'hostile-render-pss', 'hostile-first-paint',
    'transfer-vs-aria2', 'transfer-vs-tcp', 'transfer-hybrid', 'transfer-cpu', 'seed-100-rss',
    'resolve-p50', 'resolve-p95', 'publish-to-reader', 'publish-on-author', 'resolve-and-fetch', 'lan-push-p50', 'lan-push-p95', 'lan-push-record', 'lan-author-lookups', 'lan-author-build', 'lan-push-fetch', 'lan-push-max',
    'store-ingest', 'store-verify', 'store-search-p95', 'store-search-common-p95', 'store-open', 'store-rss',
  ]);
  for (const figure of report.figures) {
    assert.ok(figure.subject.values.every((v) => Number.isFinite(v)), figure.id);
    // Every reference program really ran and measured something.
    if (figure.reference !== undefined) assert.ok(figure.reference.values.every((v) => Number.isFinite(v) && v > 0), `${figure.id} reference`);
  }
  assert.match(fs.readFileSync(path.join(dir, 'bench-results.md'), 'utf8'), /SMOKE RUN/);
});
