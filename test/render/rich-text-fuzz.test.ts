/**
 * The serializer is the only place where Qt rich text is built from peer data: whatever
 * the document says, the output holds only our own tags and our own escapes, and reading
 * it back gives exactly the document's text (less the direction overrides it drops).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { layoutDoc, type Run } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';
import { runsToRichText } from '../../src/render/rich-text.js';

/** Every tag the serializer may write, exactly. */
const OUR_TAG = /^<(?:a href="#L[0-9]{1,9}"(?: style="color:#[0-9a-f]{6}")?|\/a|b|\/b|i|\/i|s|\/s|code|\/code|br)>$/;
const OUR_ENTITY = /^&(?:amp|lt|gt|quot|#39);$/;

/** Splits serialized rich text into tags, entities and text, and checks each. */
function assertOnlyOurMarkup(html: string): string {
  let text = '';
  for (const piece of html.split(/(<[^>]*>|&[^;&<]*;?)/)) {
    if (piece === '') continue;
    if (piece.startsWith('<')) assert.match(piece, OUR_TAG, `a tag that is not ours: ${piece}`);
    else if (piece.startsWith('&')) {
      assert.match(piece, OUR_ENTITY, `an entity that is not ours: ${piece}`);
      text += { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }[piece] ?? '';
    } else {
      assert.ok(!/[<>"']/.test(piece), `unescaped markup character in ${JSON.stringify(piece)}`);
      text += piece;
    }
  }
  return text;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('<b>', '</a>', '<a href="javascript:x">', '&amp;', '&lt;script&gt;', '&#60;', '&#x3C;img src=x&#62;', '<img src=x onerror=alert(1)>', '"\'', '<!--', ']]>', '<style>*{}</style>', '&nbsp;', '\u0000\u001b[31m'),
);

const run: fc.Arbitrary<Run> = fc.record(
  {
    text: fc.array(hostileText, { maxLength: 4 }).map((parts) => parts.join('')),
    bold: fc.constant(true as const),
    italic: fc.constant(true as const),
    strike: fc.constant(true as const),
    code: fc.constant(true as const),
    link: fc.nat({ max: 1000 }),
  },
  { requiredKeys: ['text'] },
);

test('fuzz: no peer-controlled tag or entity survives the serializer, and the text reads back unchanged', () => {
  fc.assert(
    fc.property(fc.array(run, { maxLength: 8 }), fc.constantFrom(undefined, '#8ab4f8'), (runs, colour) => {
      const html = runsToRichText(runs, colour);
      const text = assertOnlyOurMarkup(html.replace(/<br>/g, '\n'));
      // Direction overrides are dropped from text, and every direction control from a link's
      // text (rich-text.ts: they would make a link read as another).
      const expected = runs
        .map((r) => r.text.replace(r.link === undefined ? /[\u202d\u202e]/g : /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ''))
        .join('')
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
      assert.equal(text, expected);
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: whole Markdown documents with HTML and entities give only our markup in every block', () => {
  const markdownish = fc.array(
    fc.oneof(hostileText, fc.constantFrom('*', '**', '_', '`', '~~', '[x](javascript:alert(1))', '![i](a.png)', '\n', '\n\n', '# ', '> ', '- ', '| a | b |\n|---|---|\n| c | d |\n', '<div>', '</div>', '&copy;', '&#0;', '\\<')),
    { maxLength: 30 },
  );
  fc.assert(
    fc.property(markdownish, (parts) => {
      const plan = layoutDoc(parseMarkdown(parts.join('')));
      for (const block of plan.blocks) {
        const cells = block.kind === 'heading' || block.kind === 'paragraph' ? [block.runs] : block.kind === 'table' ? [...block.header, ...block.rows.flat()] : [];
        for (const runs of cells) assertOnlyOurMarkup(runsToRichText(runs, '#0b57d0').replace(/<br>/g, '\n'));
      }
    }),
    { numRuns: 1500 },
  );
});

test('a colour that is not #rrggbb is refused (the colour is ours, never document data)', () => {
  assert.throws(() => runsToRichText([{ text: 'x', link: 0 }], 'red" onclick="x'), TypeError);
});
