import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block } from '../../src/core/doc.js';
import { clampIndentation, clampQuoteNesting, MAX_INDENT_CHARS, MAX_NESTING, MAX_SOURCE_CHARS, parseMarkdown } from '../../src/render/markdown.js';

test('the welcome-page elements become our AST', () => {
  const doc = parseMarkdown('# Hi &amp; bye\n\npara *em* **strong** ~~del~~ `code` [l](a.md "t")  \nnext\n\n- [x] done\n- item\n\n1. one\n\n> quote\n\n---\n\n```js\nx\n```\n\n<div>raw</div>\n');
  const types = doc.blocks.map((b) => b.type);
  assert.deepEqual(types, ['heading', 'paragraph', 'list', 'list', 'blockquote', 'rule', 'code', 'html']);
  const heading = doc.blocks[0] as Extract<Block, { type: 'heading' }>;
  assert.deepEqual(heading.children, [{ type: 'text', text: 'Hi & bye' }]);
  const para = doc.blocks[1] as Extract<Block, { type: 'paragraph' }>;
  assert.deepEqual(para.children.map((c) => c.type), ['text', 'emphasis', 'text', 'strong', 'text', 'strike', 'text', 'code', 'text', 'link', 'break', 'text']);
  const list = doc.blocks[2] as Extract<Block, { type: 'list' }>;
  assert.deepEqual(list.items.map((i) => i.checked), [true, null]);
  const ordered = doc.blocks[3] as Extract<Block, { type: 'list' }>;
  assert.equal(ordered.ordered, true);
  assert.deepEqual(doc.blocks[7], { type: 'html', text: '<div>raw</div>\n' });
});

test('thousands of nested quotes are clamped before marked sees them', () => {
  const source = '> '.repeat(5000) + 'deep';
  assert.ok(clampQuoteNesting(source).length < 200);
  const doc = parseMarkdown(source);
  let depth = 0;
  let blocks = doc.blocks;
  while (blocks[0]?.type === 'blockquote') {
    depth++;
    blocks = blocks[0].children;
  }
  assert.ok(depth <= MAX_NESTING + 1, `depth ${depth}`);
});

test('oversized input is cut with a notice, NUL bytes replaced', () => {
  const doc = parseMarkdown('a'.repeat(MAX_SOURCE_CHARS + 10));
  assert.equal(doc.notices.length, 1);
  const nul = parseMarkdown('a\0b');
  assert.deepEqual(nul.blocks[0], { type: 'paragraph', children: [{ type: 'text', text: 'a\ufffdb' }] });
});

test('a list nested a thousand deep is clamped before marked sees it: lexed in moments, every item kept', () => {
  const source = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
  assert.ok(clampIndentation(source).length < 150_000, 'indentation cut to MAX_INDENT_CHARS');
  assert.equal(clampIndentation('  - a\n\t\tb\n'), '  - a\n\t\tb\n', 'usual indentation untouched');
  const started = performance.now();
  const doc = parseMarkdown(source);
  const ms = performance.now() - started;
  assert.ok(ms < 5000, `${Math.round(ms)} ms`);
  const text = JSON.stringify(doc);
  for (const i of [0, 1, 500, 999]) assert.match(text, new RegExp(`item ${i}(?![0-9])`));
  assert.equal(MAX_INDENT_CHARS, 4 * MAX_NESTING);
});
