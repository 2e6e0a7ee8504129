import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLink } from '../../src/core/link.js';

test('swarm links open in the app, in the canonical spelling of core/address.ts', () => {
  assert.equal(classifyLink('bittorrent://' + 'a'.repeat(64) + '/x.md').kind, 'swarm');
  const magnet = classifyLink('MAGNET:?xt=urn:btih:' + 'A'.repeat(40));
  assert.ok(magnet.kind === 'swarm');
  assert.equal(magnet.href, 'bittorrent://' + 'a'.repeat(40));
  const site = classifyLink(' bittorrent://' + 'B'.repeat(64) + '/a%20b.md#Top ');
  assert.ok(site.kind === 'swarm' && site.address.kind === 'mutable');
  assert.equal(site.href, 'bittorrent://' + 'b'.repeat(64) + '/a%20b.md#Top');
  assert.equal(site.address.path, 'a b.md');
});

test('malformed swarm links are inert, with the reason of the address parser', () => {
  for (const href of [
    'bittorrent://' + 'a'.repeat(63), 'bittorrent://' + 'a'.repeat(64) + '/../x', 'bittorrent://' + 'a'.repeat(64) + '/CON',
    'magnet:?xt=urn:btpk:' + 'a'.repeat(64), 'magnet:?xs=urn:btpk:' + 'a'.repeat(64) + '&s=' + 'ab'.repeat(65), 'magnet:?dn=x',
  ]) {
    const target = classifyLink(href);
    assert.ok(target.kind === 'inert', href);
    assert.ok(target.reason.length > 0);
  }
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
