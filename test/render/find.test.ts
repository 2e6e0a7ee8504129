import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findInPlan, MAX_FIND_MATCHES } from '../../src/render/find.js';

test('find in page: every occurrence, case-insensitive, in reading order', () => {
  assert.deepEqual(findInPlan(['Swarm and swarm', 'no', 'SWARM'], 'swarm'), [
    { block: 0, offset: 0, length: 5 },
    { block: 0, offset: 10, length: 5 },
    { block: 2, offset: 0, length: 5 },
  ]);
  assert.deepEqual(findInPlan(['aaa'], '   '), []);
  assert.equal(findInPlan(['a'.repeat(50_000)], 'a').length, MAX_FIND_MATCHES);
});
