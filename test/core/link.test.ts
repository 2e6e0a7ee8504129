import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLink } from '../../src/core/link.js';

test('swarm links open in the app', () => {
  assert.equal(classifyLink('bittorrent://' + 'a'.repeat(64) + '/x.md').kind, 'swarm');
  assert.equal(classifyLink('MAGNET:?xt=urn:btih:' + 'a'.repeat(40)).kind, 'swarm');
});

test('relative links and fragments stay inside the site', () => {
  assert.deepEqual(classifyLink('posts/first.md#top'), { kind: 'relative', path: 'posts/first.md', fragment: 'top' });
  assert.deepEqual(classifyLink('#top'), { kind: 'fragment', fragment: 'top' });
});

test('web links are external and show the punycode host', () => {
  const target = classifyLink('https://bücher.example/a b');
  assert.deepEqual(target, { kind: 'external', href: 'https://xn--bcher-kva.example/a%20b', display: 'https://xn--bcher-kva.example/a%20b' });
});

test('every other scheme, encoded separator, UNC or network path is inert', () => {
  for (const href of [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'javascript&#58;alert(1)', 'javascript&colon;x', 'javascript%3Aalert(1)',
    'file:///etc/passwd', 'data:text/html,x', '\\\\server\\share', '//evil.example/x', 'vbscript:x', 'ms-settings:x',
    'java\u0000script:x', ' \tjavascript:x', 'http://', 'https://[broken', '', 'x'.repeat(5000),
  ]) {
    assert.equal(classifyLink(href).kind, 'inert', JSON.stringify(href.slice(0, 40)));
  }
});
