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

test('the reason a reader sees names a folder as a folder and a missing extension as such, not "\'.\' files" (issue #25)', () => {
  const reason = (src: string): string | undefined => {
    const resource = classifyResource(src);
    return resource.kind === 'refused' ? resource.reason : undefined;
  };
  assert.equal(reason('../'), "'../' names a folder, not a file");
  assert.equal(reason('..'), "'..' names a folder, not a file");
  assert.equal(reason('img/'), "'img/' names a folder, not a file");
  assert.equal(reason('img/.'), "'img/.' names a folder, not a file");
  assert.equal(reason('../photo'), "'photo' has no file extension (PNG, JPEG and GIF files are shown)");
  assert.equal(reason('a.svg'), "'.svg' files are not shown (PNG, JPEG and GIF are)");
});
