import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockText, layoutDoc, type LayoutBlock, MAX_BLOCK_CHARS, MAX_TABLE_COLUMNS, TABLE_PART_CELLS, TABLE_PART_ROWS, tablePartRows } from '../../src/render/layout.js';
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

test('images become blocks of their own: pictures and media of the site, placeholders with a reason otherwise', () => {
  const plan = layoutDoc(parseMarkdown('Look: ![a cat](cat.png) and ![talk](talk.ogg)\n\n![](https://x.org/y.png)\n\n![](file:///etc/passwd)\n'));
  assert.deepEqual(
    plan.blocks.map((b) => b.kind),
    ['paragraph', 'image', 'media', 'placeholder', 'placeholder'],
  );
  assert.deepEqual(plan.blocks[1], { kind: 'image', path: 'cat.png', alt: 'a cat', indent: 0, quote: 0 });
  const placeholder = plan.blocks[3];
  assert.equal(placeholder?.kind === 'placeholder' && placeholder.reason, 'only files of the same site are shown');
});

test('long paragraphs, code and raw HTML are cut into blocks a label can lay out quickly; no text is lost', () => {
  const words = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
  const code = Array.from({ length: 450 }, (_, i) => `line ${i}`).join('\n');
  const plan = layoutDoc(parseMarkdown(`${words}\n\n\`\`\`\n${code}\n\`\`\`\n\n${'x'.repeat(MAX_BLOCK_CHARS * 2 + 5)}\n`));
  const paragraphs = plan.blocks.filter((b) => b.kind === 'paragraph');
  const codes = plan.blocks.filter((b): b is Extract<LayoutBlock, { kind: 'code' }> => b.kind === 'code');
  assert.ok(paragraphs.length >= 5);
  for (const block of plan.blocks) assert.ok(blockText(block).length <= MAX_BLOCK_CHARS, `${block.kind} of ${blockText(block).length}`);
  assert.equal(codes.length, 3);
  assert.deepEqual(new Set(codes.map((b) => b.group)).size, 1, 'one code block, three parts');
  assert.equal(codes.map((b) => blockText(b)).join('\n'), code);
  const text = paragraphs.map((b) => blockText(b)).join('');
  assert.equal(text, words + 'x'.repeat(MAX_BLOCK_CHARS * 2 + 5));
});

test('right-to-left paragraphs and headings are marked as such', () => {
  const plan = layoutDoc(parseMarkdown('# כותרת\n\nplain\n\nمرحبا\n'));
  assert.deepEqual(plan.blocks.map((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? b.rtl : null)), [true, false, true]);
});

test('tables wider than the grid keep every cell, the rest in the last column', () => {
  const columns = 20_000;
  const source = `${Array.from({ length: columns }, (_, i) => `c${i}`).join('|')}\n${'-|'.repeat(columns - 1)}-\n${'v|'.repeat(columns - 1)}v\n`;
  const plan = layoutDoc(parseMarkdown(source));
  const table = plan.blocks[0];
  assert.equal(table?.kind, 'table');
  assert.equal(table.header.length, MAX_TABLE_COLUMNS);
  assert.ok(blockText(table).includes(`c${columns - 1}`));
});

test('a long table is cut into parts of bounded cells, each with the header; its text has the header once and every row once', () => {
  const rows = 1000;
  const source = `| n | square | note |\n|--:|--:|:--|\n${Array.from({ length: rows }, (_, i) => `| ${i} | ${i * i} | row ${i} |`).join('\n')}\n`;
  const parts = layoutDoc(parseMarkdown(source)).blocks.filter((b): b is Extract<LayoutBlock, { kind: 'table' }> => b.kind === 'table');
  assert.equal(tablePartRows(3), TABLE_PART_ROWS);
  assert.equal(parts.length, Math.ceil(rows / TABLE_PART_ROWS));
  assert.deepEqual(parts.map((p) => p.part), parts.map((_, i) => i));
  for (const part of parts) {
    assert.ok((part.rows.length + 1) * 3 <= TABLE_PART_CELLS);
    assert.deepEqual(part.header.map((cell) => cell.map((run) => run.text).join('')), ['n', 'square', 'note']);
    assert.deepEqual(part.align, ['right', 'right', 'left']);
  }
  const text = parts.map((p) => blockText(p)).join('\n').split('\n');
  assert.equal(text.length, rows + 1);
  assert.equal(text[0], 'n\tsquare\tnote');
  assert.equal(text[rows], `${rows - 1}\t${(rows - 1) ** 2}\trow ${rows - 1}`);
  // The widest tables: few rows per part, never none; a table without rows is one part.
  assert.equal(tablePartRows(MAX_TABLE_COLUMNS), TABLE_PART_CELLS / MAX_TABLE_COLUMNS - 1);
  assert.equal(tablePartRows(10_000), 1);
  assert.equal(layoutDoc(parseMarkdown('| a |\n|---|\n')).blocks.filter((b) => b.kind === 'table').length, 1);
});
