/** screen-fit.ts's arithmetic: sizes and places that keep a window inside the screen's available area. */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { FRAME_ALLOWANCE_PX, fitSize, placeInside } from '../../src/widgets/screen-fit.js';

test('a window keeps its preferred size where there is room, and takes the available size, less a frame, where not', () => {
  const big = { x: 0, y: 0, width: 1920, height: 1080 };
  assert.deepEqual(fitSize({ width: 960, height: 720 }, big), { width: 960, height: 720 });
  const small = { x: 0, y: 0, width: 800, height: 600 };
  assert.deepEqual(fitSize({ width: 1180, height: 780 }, small), { width: 800 - FRAME_ALLOWANCE_PX.width, height: 600 - FRAME_ALLOWANCE_PX.height });
});

test('a dialog is centred on its window, and moved inside the area when that would put it off the screen', () => {
  const area = { x: 0, y: 24, width: 1024, height: 744 };
  assert.deepEqual(placeInside({ width: 400, height: 300 }, area, { x: 100, y: 100, width: 600, height: 500 }), { x: 200, y: 200 });
  assert.deepEqual(placeInside({ width: 400, height: 300 }, area, { x: 900, y: 600, width: 600, height: 500 }), { x: 1024 - 400 - FRAME_ALLOWANCE_PX.width, y: 24 + 744 - 300 - FRAME_ALLOWANCE_PX.height });
  assert.deepEqual(placeInside({ width: 400, height: 300 }, area), { x: 312, y: 246 });
});

test('property: whatever the preferred size and the window it belongs to, the fitted window lies inside the area', () => {
  const rect = fc.record({ x: fc.integer({ min: -2000, max: 4000 }), y: fc.integer({ min: -2000, max: 4000 }), width: fc.integer({ min: 1, max: 5000 }), height: fc.integer({ min: 1, max: 5000 }) });
  const area = fc.record({ x: fc.integer({ min: 0, max: 2000 }), y: fc.integer({ min: 0, max: 2000 }), width: fc.integer({ min: 200, max: 4000 }), height: fc.integer({ min: 200, max: 3000 }) });
  fc.assert(fc.property(fc.record({ width: fc.integer({ min: 1, max: 6000 }), height: fc.integer({ min: 1, max: 6000 }) }), area, fc.option(rect, { nil: undefined }), (preferred, screen, near) => {
    const size = fitSize(preferred, screen);
    const at = placeInside(size, screen, near);
    assert.ok(size.width <= preferred.width && size.height <= preferred.height);
    assert.ok(at.x >= screen.x && at.y >= screen.y);
    assert.ok(at.x + size.width + FRAME_ALLOWANCE_PX.width <= screen.x + screen.width);
    assert.ok(at.y + size.height + FRAME_ALLOWANCE_PX.height <= screen.y + screen.height);
  }), { numRuns: 2000 });
});
