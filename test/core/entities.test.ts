import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntities } from '../../src/core/entities.js';

test('named and numeric character references decode; unknown names stay', () => {
  assert.equal(decodeEntities('a &amp; b &lt;c&gt; &#58; &#x3A; &copy; &bogus;'), 'a & b <c> : : © &bogus;');
  assert.equal(decodeEntities('&#0; &#x110000; &#xD800;'), '\ufffd \ufffd \ufffd');
  assert.equal(decodeEntities('no references'), 'no references');
  assert.equal(decodeEntities('&HilbertSpace; &ngE; &amp &Dcaron;'), 'ℋ ≧̸ &amp Ď', 'the full HTML5 table; no name without its semicolon');
});
