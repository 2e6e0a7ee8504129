import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutDoc } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';

test('lists, quotes and links become a flat plan with nesting and a link table', () => {
  const plan = layoutDoc(parseMarkdown('# T\n\n- a [x](javascript:y)\n  - b\n\n> q\n\n3. c\n'));
  assert.equal(plan.title, 'T');
  assert.deepEqual(
    plan.blocks.map((b) => [b.kind, b.indent, b.quote, b.kind === 'paragraph' ? b.marker : '']),
    [['heading', 0, 0, ''], ['paragraph', 1, 0, '•'], ['paragraph', 2, 0, '•'], ['paragraph', 0, 1, ''], ['paragraph', 1, 0, '3.']],
  );
  assert.equal(plan.links.length, 1);
  assert.equal(plan.links[0]?.target.kind, 'inert');
});
