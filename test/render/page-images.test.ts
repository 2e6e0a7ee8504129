/**
 * The pictures of a page (page-images.ts, native/src/runtime/image_decode.cpp), offscreen
 * in this process: one decode per file however often a page refers to it, at the size
 * shown; the page's picture budget shows placeholders past it; what is held stays under
 * its cap while the reader scrolls; closing the page frees everything; misuse is a precise error.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { layoutDoc } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';
import { decodedPixels, MAX_HELD_IMAGE_PIXELS, MAX_PAGE_IMAGE_PIXELS } from '../../src/render/page-images.js';
import { PageView, type DumpNode } from '../../src/render/page-view.js';
import { folderSiteFiles } from '../../src/render/site-files.js';
import { loadQt } from '../../src/widgets/qt-runtime.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { bandedPng, writeHostileCorpus, type HostilePage } from './hostile-pages.js';

const loaded = loadQt({ platform: 'offscreen' });
const { qt } = loaded;
let dir: string;
let pages: Map<string, HostilePage>;
before(() => {
  dir = makeTempDir('swarmpress-page-images-');
  pages = new Map(writeHostileCorpus(dir).map((page) => [page.name, page]));
});
after(() => {
  removeDir(dir);
  loaded.stop();
});

function open(name: string): PageView {
  const page = pages.get(name);
  assert.ok(page !== undefined, name);
  const plan = layoutDoc(parseMarkdown(fs.readFileSync(page.file, 'utf8')));
  const view = new PageView(qt, plan, { onLink: () => undefined, files: folderSiteFiles(path.dirname(page.file), 'index.md'), measureInBackground: false });
  view.widget.show();
  view.widget.resize(800, 600);
  view.update();
  return view;
}

/** Brings every block of the page to the top of the view in turn; `check` runs at each; returns the live dumps seen. */
function scrollThrough(view: PageView, check: () => void = () => undefined): DumpNode[] {
  const seen: DumpNode[] = [];
  const blocks = view.plan.notices.length + view.plan.blocks.length;
  for (let index = 0; index < blocks; index++) {
    view.scrollToBlock(index);
    check();
    seen.push(...view.dump(false));
  }
  return seen;
}

test('200 references to one 8192 × 2048 PNG: one picture decoded, at the width shown, freed with the page', () => {
  const view = open('one-png-many-times');
  try {
    const images = scrollThrough(view).filter((node) => node.role === 'image');
    assert.equal(new Set(images.map((node) => node.text)).size, 200, 'every reference shown');
    const widths = new Set(images.map((node) => node.style['shownWidth']));
    assert.equal(widths.size, 1);
    const [shownWidth] = [...widths] as number[];
    assert.ok(shownWidth !== undefined && shownWidth < 800, `shown ${String(shownWidth)} wide`);
    const stats = qt.imageStats();
    assert.equal(stats.images, 1, 'one decoded picture for every reference');
    assert.equal(stats.pixels, shownWidth * Math.round((2048 * shownWidth) / 8192), 'decoded at the size shown, not 8192 × 2048');
  } finally {
    view.close();
    view.widget.delete();
  }
  assert.deepEqual(qt.imageStats(), { images: 0, pixels: 0 }, 'closing the page frees its pictures');
});

test(`distinct pictures past ${MAX_PAGE_IMAGE_PIXELS / 1024 / 1024} Mi pixels a page show a placeholder saying why; what is held stays under its cap`, () => {
  const view = open('many-pictures');
  try {
    let held = 0;
    const seen = scrollThrough(view, () => {
      held = Math.max(held, qt.imageStats().pixels);
    });
    const shown = new Set(seen.filter((node) => node.role === 'image').map((node) => node.text));
    const refused = new Set(seen.filter((node) => node.role === 'placeholder').map((node) => node.text));
    const allowed = Math.floor(MAX_PAGE_IMAGE_PIXELS / (2048 * 2048));
    assert.equal(shown.size, allowed, 'the pictures within the budget are shown');
    assert.equal(refused.size, 120 - allowed);
    for (const text of refused) assert.match(text, /^Image “picture \d+” not shown: this page's pictures already take 134 million pixels, the most one page shows$/);
    // The newest picture may push the total over the cap until the next one is shown.
    assert.ok(held <= MAX_HELD_IMAGE_PIXELS + 2048 * 2048, `${held} pixels held at most`);
  } finally {
    view.close();
    view.widget.delete();
  }
});

test('decodeImage, showImage and freeImage refuse misuse precisely and change nothing', () => {
  assert.equal(qt.decodeImage(new Uint8Array([1, 2, 3]), 10, 10), 0, 'bytes Qt cannot decode');
  const png = bandedPng(64, 32);
  assert.throws(() => qt.decodeImage(png, 0, 10), { name: 'RangeError', message: 'width must be 1 to 8192 pixels' });
  assert.throws(() => qt.decodeImage(png, 10, 9000), { name: 'RangeError', message: 'height must be 1 to 8192 pixels' });
  assert.throws(() => qt.decodeImage('not bytes' as unknown as Uint8Array, 10, 10), { name: 'TypeError', message: 'bytes must be a Uint8Array' });
  const label = new qt.QLabel();
  try {
    assert.throws(() => {
      qt.showImage(label, 987_654);
    }, { name: 'RangeError', message: 'no decoded image has this handle' });
    const handle = qt.decodeImage(png, 32, 16);
    assert.ok(handle > 0);
    assert.deepEqual(qt.imageStats(), { images: 1, pixels: 32 * 16 });
    qt.showImage(label, handle);
    assert.equal(label.sizeHint().width(), 32, 'shown at the size decoded');
    qt.freeImage(handle);
    qt.freeImage(handle);
    assert.deepEqual(qt.imageStats(), { images: 0, pixels: 0 });
    assert.equal(label.sizeHint().width(), 32, 'the label keeps its share');
  } finally {
    label.delete();
  }
});

test('a JPEG counts against the page budget as libjpeg decodes it, scaled; a PNG or GIF whole', () => {
  assert.equal(decodedPixels('JPEG', 4000 * 3000, 744 * 558), 4 * 744 * 558);
  assert.equal(decodedPixels('JPEG', 600 * 400, 600 * 400), 600 * 400, 'never more than the whole picture');
  assert.equal(decodedPixels('PNG', 4000 * 3000, 744 * 558), 4000 * 3000);
  assert.equal(decodedPixels('GIF', 4000 * 3000, 744 * 558), 4000 * 3000);
  // A page of 30 camera photos fits the budget; 30 PNGs of that size do not.
  assert.ok(30 * decodedPixels('JPEG', 4000 * 3000, 744 * 558) < MAX_PAGE_IMAGE_PIXELS);
  assert.ok(30 * decodedPixels('PNG', 4000 * 3000, 744 * 558) > MAX_PAGE_IMAGE_PIXELS);
});
