import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkImageHeader, fitToColumn, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE_PX } from '../../src/render/image-check.js';

function png(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

function gif(width: number, height: number): Uint8Array {
  return new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, width & 255, width >> 8, height & 255, height >> 8, 0, 0, 0]);
}

function jpeg(width: number, height: number): Uint8Array {
  // SOI, an APP0 segment of 16 bytes, then SOF0 with height and width.
  const app0 = [0xff, 0xe0, 0, 16, ...new Array<number>(14).fill(0)];
  const sof = [0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof]);
}

test('PNG, GIF and JPEG headers give their format and size', () => {
  assert.deepEqual(checkImageHeader(png(640, 480), 1000), { ok: true, format: 'PNG', width: 640, height: 480 });
  assert.deepEqual(checkImageHeader(gif(64, 32), 1000), { ok: true, format: 'GIF', width: 64, height: 32 });
  assert.deepEqual(checkImageHeader(jpeg(300, 200), 1000), { ok: true, format: 'JPEG', width: 300, height: 200 });
});

test('anything else, damaged headers, huge dimensions and huge files are refused with a reason', () => {
  const cases: [Uint8Array, number, RegExp][] = [
    [new TextEncoder().encode('<svg onload=alert(1)>'), 100, /not a PNG, JPEG or GIF/],
    [new TextEncoder().encode('BM\0\0\0\0'), 100, /not a PNG/],
    [png(640, 480).subarray(0, 20), 20, /damaged/],
    [png(60_000, 60_000), 5000, /too large \(60000 × 60000/],
    [png(MAX_IMAGE_SIDE_PX + 1, 1), 5000, /too large/],
    [png(8000, 8000), 5000, /too large/],
    [png(0, 10), 100, /no pixels/],
    [gif(65535, 65535), 100, /too large/],
    [jpeg(9000, 10), 100, /too large/],
    [new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2, 0, 0, 0, 0, 0, 0]), 100, /no frame header/],
    [png(10, 10), MAX_IMAGE_BYTES + 1, /larger than/],
  ];
  for (const [bytes, size, reason] of cases) {
    const verdict = checkImageHeader(bytes, size);
    if (verdict.ok) assert.fail(`accepted: ${reason.source}`);
    assert.match(verdict.reason, reason);
  }
});

test('random bytes never pass as an image of impossible size, and never throw', () => {
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(1 + (i % 64)).map(() => Math.floor(Math.random() * 256));
    if (i % 3 === 0) bytes.set([0xff, 0xd8, 0xff].slice(0, bytes.length));
    const verdict = checkImageHeader(bytes, bytes.length);
    if (verdict.ok) assert.ok(verdict.width * verdict.height <= 16 * 1024 * 1024);
  }
});

test('pictures shrink to the column, never grow', () => {
  assert.deepEqual(fitToColumn(400, 200, 800), { width: 400, height: 200 });
  assert.deepEqual(fitToColumn(1600, 800, 800), { width: 800, height: 400 });
});
