import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../../src/core/slug.js';

test('a slug drops accents instead of splitting words on them', () => {
  assert.equal(slugify('naïve café'), 'naive-cafe');
  assert.equal(slugify('Ça va? Überall!'), 'ca-va-uberall');
  assert.equal(slugify('Bees of the Valley'), 'bees-of-the-valley');
  assert.equal(slugify('my_site'), 'my-site');
});

test('a slug is cut without a dash at either end, and falls back when nothing is left', () => {
  assert.equal(slugify('--a  b--'), 'a-b');
  assert.equal(slugify('abc def', { maxChars: 4 }), 'abc');
  assert.equal(slugify('¿?'), 'post');
  assert.equal(slugify('日本語', { fallback: 'site' }), 'site');
  assert.equal(slugify('x'.repeat(100)).length, 60);
  assert.throws(() => slugify('a', { maxChars: 0 }), RangeError);
});
