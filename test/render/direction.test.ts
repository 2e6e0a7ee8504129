import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRightToLeft } from '../../src/render/direction.js';

test('the first strong character decides the direction of a block', () => {
  assert.equal(isRightToLeft('שלום world'), true);
  assert.equal(isRightToLeft('123 — مرحبا'), true);
  assert.equal(isRightToLeft('hello שלום'), false);
  assert.equal(isRightToLeft('12345'), false);
  assert.equal(isRightToLeft(''), false);
  assert.equal(isRightToLeft('𞤀𞤢'), true, 'Adlam, outside the BMP');
});
