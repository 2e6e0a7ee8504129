import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchStore } from './store.js';

// A smoke run keeps the store benchmark from rotting; its figures are never asserted.
test('the store benchmark runs once at tiny size and reports every figure', async () => {
  const figures = await benchStore({ smoke: true });
  assert.deepEqual(figures.map((f) => f.id), ['store-ingest', 'store-verify', 'store-search-p95', 'store-search-common-p95', 'store-open', 'store-rss']);
  for (const figure of figures) {
    assert.ok(figure.subject.values.length > 0 && figure.subject.values.every((v) => Number.isFinite(v) && v >= 0), figure.id);
  }
  assert.ok((figures[5]?.subject.values[0] ?? 0) > 10, 'an RSS in MiB of a real process');
});
