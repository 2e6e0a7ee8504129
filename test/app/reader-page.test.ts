import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateIdentity } from '../../src/core/identity.js';
import { createItem, type Item } from '../../src/core/item.js';
import { itemMarkdown } from '../../src/app/reader-page.js';

const AUTHOR = generateIdentity(new Uint8Array(32).fill(7));

function page(title: string, text: string): Item {
  const made = createItem({ title, body: { kind: 'text', text } }, AUTHOR, 1_000);
  assert.ok(made.ok);
  return made.value;
}

test('a post whose body has no heading is headed by its typed title; a heading of its own is kept', () => {
  assert.equal(itemMarkdown(page('Summer plans', 'No heading, only words.\n'), 'posts/summer.md'), '# Summer plans\n\nNo heading, only words.\n');
  assert.equal(itemMarkdown(page('Summer plans', '# Summer\n\nWords.\n'), 'posts/summer.md'), '# Summer\n\nWords.\n');
  assert.equal(itemMarkdown(page('A *bold* [title]', 'Words.\n'), 'p.md'), '# A \\*bold\\* \\[title\\]\n\nWords.\n', 'the title stays text');
  assert.equal(itemMarkdown(page('   ', 'Words.\n'), 'p.md'), 'Words.\n');
});
