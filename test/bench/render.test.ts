import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startXvfb, type XServer } from '../helpers/xvfb.js';
import { benchRender } from './render.js';

let x: XServer;
before(async () => {
  x = await startXvfb();
});
after(async () => {
  await x.stop();
});

// A smoke run keeps the render benchmark working; its figures are never asserted beyond being measured.
test('the render benchmark runs once on a small page and reports every figure with its references', async () => {
  const figures = await benchRender(x, { smoke: true });
  assert.deepEqual(figures.map((f) => f.id), [
    'render-first-screen', 'render-whole-page', 'render-full-layout', 'render-pss', 'render-pss-growth', 'render-live-widgets', 'render-browser-time', 'render-browser-pss',
  ]);
  for (const figure of figures) {
    assert.ok(figure.subject.values.every((v) => Number.isFinite(v)), `${figure.id}: ${JSON.stringify(figure.subject.values)}`);
    if (figure.reference !== undefined) assert.ok(figure.reference.values.every((v) => Number.isFinite(v) && v > 0), `${figure.id} reference`);
  }
});
