import assert from 'node:assert/strict';
import { test } from 'node:test';
import { libtorrentVersion } from '../../src/net/native.js';

test('the binding links against the libtorrent it runs with', () => {
  const version = libtorrentVersion();
  assert.equal(version.major, 2);
  assert.ok(version.runtime.startsWith(`${version.major}.${version.minor}.${version.tiny}`), JSON.stringify(version));
  assert.equal(version.compiled, version.runtime);
  assert.ok(Object.isFrozen(version));
});
