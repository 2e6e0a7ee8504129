import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeRichText, linkIndexOf, runsToRichText } from '../../src/render/rich-text.js';

test('document text never becomes markup', () => {
  const html = runsToRichText([{ text: '<img src=x onerror=y> & "q" \'s\' &lt;' }, { text: 'bold', bold: true, link: 3 }]);
  assert.equal(html, '&lt;img src=x onerror=y&gt; &amp; &quot;q&quot; &#39;s&#39; &amp;lt;<a href="#L3"><b>bold</b></a>');
  assert.equal(escapeRichText('a\u0001\u001b[31mb'), 'a[31mb');
});

test('link placeholders round-trip and nothing else is taken for one', () => {
  assert.equal(linkIndexOf('#L12'), 12);
  for (const href of ['#L', '#L-1', '#Lx', 'http://x', '#L1e3', '#L' + '9'.repeat(12)]) assert.equal(linkIndexOf(href), undefined, href);
});

test("bidi overrides cannot turn a link's text around: none on the page, no direction character in a link (issue #25)", () => {
  const html = runsToRichText([{ text: 'see \u202e' }, { text: 'moc.\u2067knab\u2069.www\u200f', link: 0 }, { text: ' \u202dthen\u202c שלום' }]);
  assert.equal(html, 'see <a href="#L0">moc.knab.www</a> then\u202c שלום');
  assert.doesNotMatch(html, /[\u202d\u202e]/);
  // Right-to-left text keeps its characters; the bidi algorithm orders it.
  assert.equal(runsToRichText([{ text: 'مرحبا', link: 1 }]), '<a href="#L1">مرحبا</a>');
});
