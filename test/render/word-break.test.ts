import assert from 'node:assert/strict';
import test from 'node:test';
import type { LayoutBlock } from '../../src/render/layout.js';
import { BREAK_EVERY, breakLongWords, shownOffset, WORD_BREAK, withoutBreaks } from '../../src/render/word-break.js';

test('a long word gets a break opportunity every BREAK_EVERY characters; short words and spaces are kept as they are', () => {
  const word = 'a'.repeat(300);
  const broken = breakLongWords(`short ${word} end`);
  assert.equal(withoutBreaks(broken), `short ${word} end`);
  const parts = broken.split(' ')[1]?.split(WORD_BREAK) ?? [];
  assert.equal(parts.length, Math.ceil(300 / BREAK_EVERY));
  assert.ok(parts.every((part) => part.length <= BREAK_EVERY));
  assert.equal(breakLongWords('several ordinary words of a sentence'), 'several ordinary words of a sentence');
});

test('breaks never split a surrogate pair or separate a combining mark from its letter', () => {
  const emoji = '😀'.repeat(40);
  for (const part of breakLongWords(emoji).split(WORD_BREAK)) assert.ok(Array.from(part).every((c) => c === '😀'));
  const marked = 'e\u0301'.repeat(30);
  for (const part of breakLongWords(marked).split(WORD_BREAK)) assert.ok(!/^\p{M}/u.test(part), JSON.stringify(part));
});

test('an offset of the block text maps to the same character of the shown text', () => {
  const runs = [{ text: 'intro ' }, { text: `${'x'.repeat(50)}TARGET`, bold: true as const }, { text: ` and ${'y'.repeat(30)} tail` }];
  const block: LayoutBlock = { kind: 'paragraph', runs, marker: '•', rtl: false, indent: 1, quote: 0 };
  const text = `•\u00a0\u00a0${runs.map((run) => run.text).join('')}`;
  const shown = `•\u00a0\u00a0${runs.map((run) => breakLongWords(run.text)).join('')}`;
  for (const needle of ['TARGET', 'tail', 'intro']) {
    const at = text.indexOf(needle);
    const from = shownOffset(block, at);
    assert.equal(withoutBreaks(shown.slice(from, shownOffset(block, at + needle.length))), needle);
    assert.equal(shown.slice(from, from + 1), needle[0]);
  }
});
