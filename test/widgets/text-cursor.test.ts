/**
 * The text cursor of a QPlainTextEdit through the runtime module (NodeGui 0.61 has none):
 * offsets are JS string indexes (UTF-16, astral characters count two), a replacement is one
 * undo step, misuse is a precise RangeError/TypeError, and a deleted edit is never touched.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadQt, type LoadedQt } from '../../src/widgets/qt-runtime.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
let loaded: LoadedQt;
before(async () => {
  x = await startXvfb();
  process.env['DISPLAY'] = x.display;
  loaded = loadQt({ platform: 'xcb' });
});
after(async () => {
  loaded.stop();
  await x.stop();
});

test('selection, select and replace use JS string offsets; a replacement is one undo step', () => {
  const { qt, textCursors } = loaded;
  const edit = new qt.QPlainTextEdit();
  try {
    const text = 'ünï 😀 line\nsecond line';
    edit.setPlainText(text);
    assert.deepEqual(textCursors.selection(edit), { anchor: 0, position: 0 });
    const start = text.indexOf('line');
    textCursors.select(edit, { anchor: start + 4, position: start });
    assert.deepEqual(textCursors.selection(edit), { anchor: start + 4, position: start }, 'a backwards selection keeps its direction');
    textCursors.replace(edit, start, start + 4, '**line**', { anchor: start + 2, position: start + 6 });
    assert.equal(edit.toPlainText(), 'ünï 😀 **line**\nsecond line');
    assert.deepEqual(textCursors.selection(edit), { anchor: start + 2, position: start + 6 });
    textCursors.replace(edit, 0, 0, 'a\nb\n', { anchor: 4, position: 4 });
    assert.equal(edit.toPlainText(), 'a\nb\nünï 😀 **line**\nsecond line', 'newlines become lines, offsets still match');
    textCursors.replace(edit, 0, 4, '', { anchor: 0, position: 0 });
    assert.equal(edit.toPlainText(), 'ünï 😀 **line**\nsecond line', 'an empty text removes');
    const length = edit.toPlainText().length;
    assert.throws(() => { textCursors.select(edit, { anchor: 0, position: length + 1 }); }, { name: 'RangeError', message: `position must be from 0 to ${length}, not ${length + 1}` });
    assert.throws(() => { textCursors.replace(edit, 3, 2, 'x', { anchor: 0, position: 0 }); }, { name: 'RangeError', message: 'from must not be after to' });
    assert.throws(() => { textCursors.replace(edit, 0, 0, 'x', { anchor: 0, position: length + 2 }); }, RangeError, 'the selection is checked against the new length');
    assert.throws(() => { textCursors.select(edit, { anchor: 0.5, position: 0 }); }, TypeError);
    assert.equal(edit.toPlainText().length, length, 'a refused call changes nothing');
  } finally {
    edit.delete();
  }
});

test('two edits are told apart; a deleted edit is reported, not touched', () => {
  const { qt, textCursors } = loaded;
  const first = new qt.QPlainTextEdit();
  const second = new qt.QPlainTextEdit();
  first.setPlainText('first');
  second.setPlainText('second');
  textCursors.select(first, { anchor: 1, position: 2 });
  textCursors.select(second, { anchor: 3, position: 6 });
  assert.deepEqual(textCursors.selection(first), { anchor: 1, position: 2 });
  assert.deepEqual(textCursors.selection(second), { anchor: 3, position: 6 });
  second.delete();
  assert.throws(() => textCursors.selection(second), /no QPlainTextEdit has swarmpressId/);
  assert.deepEqual(textCursors.selection(first), { anchor: 1, position: 2 });
  first.delete();
});
