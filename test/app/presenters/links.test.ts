/**
 * The reader's small parts: what a click on each kind of link does (reader/links.ts, the one
 * switch the reader and the window's own pages share) and the history (reader/history.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLink } from '../../../src/core/link.js';
import { History } from '../../../src/app/reader/history.js';
import { followLink } from '../../../src/app/reader/links.js';

function follow(href: string): string[] {
  const done: string[] = [];
  followLink(classifyLink(href), {
    openSwarm: (target) => done.push(`swarm ${target}`),
    openRelative: (target) => done.push(`relative ${target.path}#${target.fragment}`),
    setStatus: (text) => done.push(`status ${text}`),
  });
  return done;
}

test('a link does what its kind says: a swarm address or a path opens, a fragment stays, a web or inert link is only named', () => {
  const key = 'a'.repeat(64);
  assert.deepEqual(follow(`bittorrent://${key}/posts/1.md`), [`swarm bittorrent://${key}/posts/1.md`]);
  assert.deepEqual(follow('posts/2.md#top'), ['relative posts/2.md#top']);
  assert.deepEqual(follow('#top'), []);
  assert.deepEqual(follow('https://example.org/'), ['status Web link (not opened): https://example.org/']);
  assert.deepEqual(follow('javascript:alert(1)'), [`status This link is not followed: ${(classifyLink('javascript:alert(1)') as { reason: string }).reason}.`]);
});

test('history: back and forward step over the entries; a new entry drops those ahead', () => {
  const history = new History();
  // Read through a function: an assertion on the getter would narrow it for the rest of the test.
  const current = (): History['current'] => history.current;
  assert.equal(current(), undefined);
  assert.equal(history.back(), undefined);
  assert.deepEqual(history.navigation, { canBack: false, canForward: false });
  history.push('a');
  history.push('b');
  history.push('c');
  assert.deepEqual(history.navigation, { canBack: true, canForward: false });
  assert.equal(history.back()?.address, 'b');
  assert.equal(history.back()?.address, 'a');
  assert.equal(history.back(), undefined, 'nothing before the first');
  assert.equal(current()?.address, 'a');
  assert.equal(history.forward()?.address, 'b');
  const entry = current();
  assert.ok(entry !== undefined);
  entry.infohash = new Uint8Array(20).fill(7);
  history.push('d');
  assert.deepEqual(history.navigation, { canBack: true, canForward: false });
  assert.equal(history.forward(), undefined, "'c' was dropped");
  assert.deepEqual(history.back()?.infohash, new Uint8Array(20).fill(7), 'the version seen there is kept');
});
