import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyResource } from '../../src/render/resource.js';

test('pictures and media of the same site are found by their relative paths', () => {
  assert.deepEqual(classifyResource('img/a%20b.PNG'), { kind: 'image', path: 'img/a b.PNG' });
  assert.deepEqual(classifyResource('../up.jpg'), { kind: 'image', path: '../up.jpg' });
  assert.deepEqual(classifyResource('talk.mp3'), { kind: 'media', path: 'talk.mp3' });
  assert.deepEqual(classifyResource('film.webm#t=3'), { kind: 'media', path: 'film.webm' });
});

test('images are never fetched from file:, http:, network paths or hidden schemes', () => {
  for (const src of [
    'file:///etc/passwd.png', 'http://example.org/a.png', 'https://example.org/a.png', '//host/share/a.png', '\\\\host\\share\\a.png',
    'javascript:alert(1)//.png', 'data:image/png;base64,AAAA', 'smb://host/a.png', 'file&#58;///a.png', 'file%3A///a.png', 'a.svg', 'a.bmp', '',
  ]) {
    assert.equal(classifyResource(src).kind, 'refused', src);
  }
});
