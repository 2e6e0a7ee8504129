/**
 * The editor's formatting actions on text and selection. Notation: `«…»` is the selection,
 * `|` a cursor; the expected text shows the selection afterwards the same way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatEdit, imageEdit, lineSpan, linkEdit, type FormatAction, type TextEdit, type TextRange } from '../../src/widgets/markdown-format.js';
import { layoutDoc } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';

function parse(marked: string): { text: string; range: TextRange } {
  const cursor = marked.indexOf('|');
  if (cursor >= 0) return { text: marked.slice(0, cursor) + marked.slice(cursor + 1), range: { start: cursor, end: cursor } };
  const start = marked.indexOf('«');
  const end = marked.indexOf('»') - 1;
  assert.ok(start >= 0 && end >= start, `no selection in ${marked}`);
  return { text: marked.replace('«', '').replace('»', ''), range: { start, end } };
}

function show(text: string, edit: TextEdit): string {
  const after = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  const { start, end } = edit.select;
  return start === end ? `${after.slice(0, start)}|${after.slice(start)}` : `${after.slice(0, start)}«${after.slice(start, end)}»${after.slice(end)}`;
}

function run(marked: string, action: FormatAction): string {
  const { text, range } = parse(marked);
  return show(text, formatEdit(text, range, action));
}

const CASES: readonly (readonly [FormatAction, string, string])[] = [
  ['bold', 'a «word» b', 'a **«word»** b'],
  ['bold', 'a **«word»** b', 'a «word» b'],
  ['bold', 'a «**word**» b', 'a «word» b'],
  ['bold', 'a« word »b', 'a **«word»** b'],
  ['bold', 'wo|rd here', '**«word»** here'],
  ['bold', 'end |', 'end **«bold text»**'],
  ['bold', '***«both»***', '*«both»*'],
  ['bold', '__«under»__', '«under»'],
  ['bold', '«one\n\ntwo»', '«**one**\n\n**two**»'],
  ['bold', '«- one\n- two»', '«- **one**\n- **two**»'],
  ['bold', '«- **one**\n- **two**»', '«- one\n- two»'],
  ['italic', 'a «word» b', 'a *«word»* b'],
  ['italic', 'a *«word»* b', 'a «word» b'],
  ['italic', 'a **«word»** b', 'a ***«word»*** b'],
  ['italic', '***«both»***', '**«both»**'],
  ['italic', '|', '*«italic text»*'],
  ['code', 'call «f()» now', 'call `«f()»` now'],
  ['code', 'call `«f()»` now', 'call «f()» now'],
  ['code', 'call «`f()`» now', 'call «f()» now'],
  ['code', 'a «x`y» b', 'a ``«x`y»`` b'],
  ['code', 'a «`tick» b', 'a `` «`tick» `` b'],
  ['code', 'text\n|\nmore', 'text\n```\n|\n```\nmore'],
  ['code', '«line one\nline two»', '```\n«line one\nline two»\n```'],
  ['code', '«```\nline one\n```»', '«line one»'],
  ['code', '```\n«inside»\n```\nafter', '«inside»\nafter'],
  ['code', '«has\n```\nfence»', '````\n«has\n```\nfence»\n````'],
  ['heading', 'Ti|tle', '## Ti|tle'],
  ['heading', '## Ti|tle', '### Ti|tle'],
  ['heading', '### Ti|tle', 'Ti|tle'],
  ['heading', '# Ti|tle', '## Ti|tle'],
  ['heading', 'para\n|\nmore', 'para\n## «Heading»\nmore'],
  ['heading', '«one\ntwo»', '«## one\n## two»'],
  ['bullets', 'it|em', '- it|em'],
  ['bullets', '- it|em', 'it|em'],
  ['bullets', '|', '- |'],
  ['bullets', '«one\n\ntwo»', '«- one\n\n- two»'],
  ['bullets', '«1. one\n2. two»', '«- one\n- two»'],
  ['bullets', '«  nested\n  also»', '«  - nested\n  - also»'],
  ['bullets', '«- one\n- two»', '«one\ntwo»'],
  ['bullets', '«one\ntwo\n»next', '«- one\n- two»\nnext'],
  ['numbers', '«one\ntwo\nthree»', '«1. one\n2. two\n3. three»'],
  ['numbers', '«1. one\n2) two»', '«one\ntwo»'],
  ['numbers', '«- one\n- two»', '«1. one\n2. two»'],
  ['quote', 'said |this', '> said |this'],
  ['quote', '«one\n\ntwo»', '«> one\n>\n> two»'],
  ['quote', '«> one\n>\n> two»', '«one\n\ntwo»'],
];

test('formatting actions wrap, insert a selected placeholder, and undo themselves', () => {
  for (const [action, before, after] of CASES) assert.equal(run(before, action), after, `${action} on ${JSON.stringify(before)}`);
});

test('links: selection becomes the text, an address the target, the part left to type is selected', () => {
  const link = (marked: string, url?: string): string => {
    const { text, range } = parse(marked);
    return show(text, linkEdit(text, range, url));
  };
  assert.equal(link('see «the docs» here'), 'see [the docs](«https://») here');
  assert.equal(link('see «the docs» here', 'bittorrent://abc/x.md'), 'see [the docs](bittorrent://abc/x.md)| here');
  assert.equal(link('«https://example.org/a» b'), '[«link text»](https://example.org/a) b');
  assert.equal(link('|'), '[«link text»](https://)');
  assert.equal(link('|', 'magnet:?xt=urn:btih:00'), '[«link text»](magnet:?xt=urn:btih:00)');
  assert.equal(link('a [«docs»](x.md) b'), 'a «docs» b', 'pressed on a link, it unlinks');
  assert.equal(link('«x»', 'https://e.org/a_(b)'), '[x](<https://e.org/a_(b)>)|');
});

test('pictures go in a paragraph of their own with the description selected', () => {
  const image = (marked: string, alt = 'cat'): string => {
    const { text, range } = parse(marked);
    return show(text, imageEdit(text, range, { alt, path: 'media/cat.png' }));
  };
  assert.equal(image('|'), '![«cat»](media/cat.png)');
  assert.equal(image('text|'), 'text\n\n![«cat»](media/cat.png)');
  assert.equal(image('one|two'), 'one\n\n![«cat»](media/cat.png)\n\ntwo');
  assert.equal(image('one\n|\ntwo'), 'one\n\n![«cat»](media/cat.png)\n\ntwo');
  assert.equal(image('a «[my] cat» b'), 'a \n\n![«my  cat»](media/cat.png)\n\n b');
  const { text, range } = parse('|');
  assert.equal(show(text, imageEdit(text, range, { alt: 'x', path: 'media/a b.png' })), '![«x»](<media/a b.png>)');
});

test('lineSpan leaves out a last line the selection only touches at its start', () => {
  assert.deepEqual(lineSpan('ab\ncd\nef', { start: 1, end: 3 }), { start: 0, end: 2 });
  assert.deepEqual(lineSpan('ab\ncd\nef', { start: 4, end: 4 }), { start: 3, end: 5 });
  assert.deepEqual(lineSpan('ab\n', { start: 3, end: 3 }), { start: 3, end: 3 });
});

test('the results render as what the buttons say', () => {
  const roles = (marked: string, action: FormatAction): string[] => {
    const { text, range } = parse(marked);
    const edit = formatEdit(text, range, action);
    const after = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
    return layoutDoc(parseMarkdown(after)).blocks.map((block) => (block.kind === 'heading' ? `h${block.level}` : block.kind));
  };
  assert.deepEqual(roles('Ti|tle', 'heading'), ['h2']);
  assert.deepEqual(roles('«a\nb»', 'code'), ['code']);
  const plan = layoutDoc(parseMarkdown('a **b** *c* `d`'));
  const runs = plan.blocks[0]?.kind === 'paragraph' ? plan.blocks[0].runs : [];
  assert.ok(runs.some((run) => run.text === 'b' && run.bold === true), JSON.stringify(runs));
});

test('any edit keeps the text outside its range and a selection inside the new text (property)', () => {
  const actions: FormatAction[] = ['heading', 'bold', 'italic', 'code', 'bullets', 'numbers', 'quote'];
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', ' ', '\n', '*', '`', '#', '-', '>', '1', '.', '_', '[', ']', '(', ')', 'é'), maxLength: 40 }),
      fc.nat(),
      fc.nat(),
      fc.constantFrom<FormatAction | 'link' | 'image'>(...actions, 'link', 'image'),
      (text, a, b, action) => {
        const x = a % (text.length + 1);
        const y = b % (text.length + 1);
        const range = { start: Math.min(x, y), end: Math.max(x, y) };
        const edit = action === 'link' ? linkEdit(text, range) : action === 'image' ? imageEdit(text, range, { alt: 'p', path: 'media/p.png' }) : formatEdit(text, range, action);
        assert.ok(edit.from >= 0 && edit.from <= edit.to && edit.to <= text.length);
        const length = text.length - (edit.to - edit.from) + edit.insert.length;
        assert.ok(edit.select.start >= 0 && edit.select.start <= edit.select.end && edit.select.end <= length);
      },
    ),
    { numRuns: 3000 },
  );
});

test('a selection outside the text is a RangeError', () => {
  assert.throws(() => formatEdit('abc', { start: 2, end: 9 }, 'bold'), RangeError);
  assert.throws(() => formatEdit('abc', { start: 2, end: 1 }, 'bold'), RangeError);
  assert.throws(() => linkEdit('abc', { start: -1, end: 1 }), RangeError);
});
