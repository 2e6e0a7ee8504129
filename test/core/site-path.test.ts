import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSitePath, findPathCollision, MAX_SITE_PATH_BYTES, MAX_SITE_PATH_SEGMENTS, PathSet } from '../../src/core/site-path.js';

function code(path: string): string | undefined {
  const result = checkSitePath(path);
  return result.ok ? undefined : result.error.code;
}

test('ordinary paths are accepted unchanged', () => {
  for (const path of ['index.md', 'posts/2024/hello world.md', '.well-known/x', 'ünïcødé/ファイル.md', 'a/b/c/d.png', '...x', 'cone/file', 'icon.d/x', 'CONSOLE.md', 'com10', 'a b', 'x'.repeat(240), 'שלום/مرحبا.md']) {
    assert.deepEqual(checkSitePath(path), { ok: true, value: path }, path);
  }
});

test('paths that leave the site or alias something else are rejected with a code each', () => {
  const cases: [string, string][] = [
    ['', 'ERR_PATH_EMPTY'],
    ['/etc/passwd', 'ERR_PATH_ABSOLUTE'],
    ['../x', 'ERR_PATH_DOT_SEGMENT'],
    ['a/../../x', 'ERR_PATH_DOT_SEGMENT'],
    ['a/./b', 'ERR_PATH_DOT_SEGMENT'],
    ['.', 'ERR_PATH_DOT_SEGMENT'],
    ['a\\b', 'ERR_PATH_BACKSLASH'],
    ['..\\x', 'ERR_PATH_BACKSLASH'],
    ['a\u0000b', 'ERR_PATH_CONTROL'],
    ['a\nb', 'ERR_PATH_CONTROL'],
    ['a\u009bb', 'ERR_PATH_CONTROL'],
    ['a\ud800b', 'ERR_PATH_ENCODING'],
    ['C:/Windows', 'ERR_PATH_DRIVE'],
    ['c:x', 'ERR_PATH_DRIVE'],
    ['a//b', 'ERR_PATH_EMPTY_SEGMENT'],
    ['a/', 'ERR_PATH_EMPTY_SEGMENT'],
    ['ab:c', 'ERR_PATH_CHARACTER'],
    ['con.d/file', 'ERR_PATH_DEVICE_NAME'],
    ['what?.md', 'ERR_PATH_CHARACTER'],
    ['a|b', 'ERR_PATH_CHARACTER'],
    ['x/<y>', 'ERR_PATH_CHARACTER'],
    ['CON', 'ERR_PATH_DEVICE_NAME'],
    ['nul.txt', 'ERR_PATH_DEVICE_NAME'],
    ['posts/Aux.md', 'ERR_PATH_DEVICE_NAME'],
    ['COM1', 'ERR_PATH_DEVICE_NAME'],
    ['lpt9.tar.gz', 'ERR_PATH_DEVICE_NAME'],
    ['COM\u00b9', 'ERR_PATH_DEVICE_NAME'],
    ['conin$', 'ERR_PATH_DEVICE_NAME'],
    ['notes.', 'ERR_PATH_TRAILING_DOT_OR_SPACE'],
    ['dir /x', 'ERR_PATH_TRAILING_DOT_OR_SPACE'],
    ['cafe\u0301.md', 'ERR_PATH_NOT_NFC'],
    ['x'.repeat(256), 'ERR_PATH_SEGMENT_TOO_LONG'],
    // libtorrent 2.0.8 cuts names of 241-255 bytes to 240 (issue #25 item 7).
    ['x'.repeat(241), 'ERR_PATH_SEGMENT_TOO_LONG'],
    [`posts/${'é'.repeat(121)}`, 'ERR_PATH_SEGMENT_TOO_LONG'],
    // Invisible format characters: libtorrent drops U+200E/U+200F/U+202A-E from names; all hide or reorder text.
    ['a\u200eb.md', 'ERR_PATH_FORMAT_CHARACTER'],
    ['invoice\u202etxt.exe', 'ERR_PATH_FORMAT_CHARACTER'],
    ['posts/\u2067x\u2069.md', 'ERR_PATH_FORMAT_CHARACTER'],
    ['zero\u200bwidth.md', 'ERR_PATH_FORMAT_CHARACTER'],
    ['\ufeffindex.md', 'ERR_PATH_FORMAT_CHARACTER'],
    ['a\u061cb', 'ERR_PATH_FORMAT_CHARACTER'],
    [Array.from({ length: MAX_SITE_PATH_SEGMENTS + 1 }, () => 'a').join('/'), 'ERR_PATH_TOO_DEEP'],
    [Array.from({ length: 8 }, () => 'y'.repeat(200)).join('/'), 'ERR_PATH_TOO_LONG'],
  ];
  for (const [path, expected] of cases) assert.equal(code(path), expected, JSON.stringify(path.slice(0, 40)));
  assert.equal(code('é'.repeat(MAX_SITE_PATH_BYTES / 2 + 1)), 'ERR_PATH_TOO_LONG', 'measured in UTF-8 bytes');
});

test('paths that cannot coexist on case-insensitive file systems collide', () => {
  assert.deepEqual(findPathCollision(['a.md', 'b.md', 'A.MD']), ['a.md', 'A.MD']);
  assert.deepEqual(findPathCollision(['x', 'x/y.md']), ['x', 'x/y.md']);
  assert.deepEqual(findPathCollision(['X/y.md', 'x']), ['X/y.md', 'x']);
  assert.deepEqual(findPathCollision(['Straße/a', 'STRASSE/a']), undefined, 'lowercase folding only, no full case folding');
  assert.equal(findPathCollision(['a/b.md', 'a/c.md', 'b']), undefined);
  const set = new PathSet();
  assert.equal(set.add('docs/a.md'), undefined);
  assert.equal(set.add('DOCS'), 'docs/a.md');
  assert.equal(set.add('docs/b.md'), undefined, 'a refused path is not added');
});
