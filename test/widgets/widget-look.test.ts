/**
 * Palettes through the runtime module (NodeGui 0.61 cannot set one): the colours given
 * paint the widget and the children that inherit them, and a wrong role, a wrong colour or
 * a deleted widget is a precise error that changes nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { loadQt, type LoadedQt } from '../../src/widgets/qt-runtime.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
let loaded: LoadedQt;
before(() => {
  dir = makeTempDir();
  loaded = loadQt({ platform: 'offscreen' });
});
after(() => {
  loaded.stop();
  removeDir(dir);
});

/** The colour of pixel (x, y) of `widget` as drawn, as '#rrggbb'. */
function pixel(widget: InstanceType<LoadedQt['qt']['QWidget']>, x: number, y: number): string {
  const file = path.join(dir, 'grab.png');
  assert.ok(widget.grab().save(file, 'PNG'));
  const png = PNG.sync.read(fs.readFileSync(file));
  const at = (y * png.width + x) * 4;
  return `#${[0, 1, 2].map((c) => (png.data[at + c] ?? 0).toString(16).padStart(2, '0')).join('')}`;
}

test('setColours paints the widget and the children that inherit its palette', () => {
  const { qt } = loaded;
  const parent = new qt.QWidget();
  parent.resize(40, 40);
  parent.setAutoFillBackground(true);
  const child = new qt.QWidget(parent);
  child.setGeometry(0, 20, 40, 20);
  child.setAutoFillBackground(true);
  qt.setColours(parent, { window: '#12ab34' });
  assert.equal(pixel(parent, 5, 5), '#12ab34');
  assert.equal(pixel(parent, 5, 30), '#12ab34', 'the child inherits the colour');
  qt.setColours(child, { window: '#fe0102' });
  assert.equal(pixel(parent, 5, 5), '#12ab34');
  assert.equal(pixel(parent, 5, 30), '#fe0102', 'a colour of its own wins');
  parent.delete();
});

test('a role or colour Qt does not know is a TypeError that changes nothing; a deleted widget, a RangeError', () => {
  const { qt } = loaded;
  const widget = new qt.QWidget();
  widget.resize(20, 20);
  widget.setAutoFillBackground(true);
  qt.setColours(widget, { window: '#203040' });
  // @ts-expect-error -- a role the type does not list, as a caller without types could pass
  assert.throws(() => { qt.setColours(widget, { window: '#ffffff', bogus: '#ffffff' }); }, (error: unknown) => error instanceof TypeError && /not a palette role: bogus/.test(error.message));
  assert.throws(() => { qt.setColours(widget, { window: 'nope' }); }, (error: unknown) => error instanceof TypeError && /not a colour for window: nope/.test(error.message));
  assert.equal(pixel(widget, 5, 5), '#203040', 'nothing was changed');
  widget.delete();
  assert.throws(() => { qt.setColours(widget, { window: '#ffffff' }); }, (error: unknown) => error instanceof RangeError && /no widget has swarmpressId/.test(error.message));
});
