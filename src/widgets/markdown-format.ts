/**
 * The formatting actions of the Markdown editor as pure functions: the text and the
 * selection in, one replacement out (`from`, `to`, `insert`, and what to select after),
 * so that the editor applies it as a single undo step. They act like a blog editor's
 * toolbar: wrap the selection (or the word at the cursor), insert a selected placeholder
 * when there is nothing to wrap, and undo themselves when pressed again.
 *
 * Offsets are UTF-16 units (JS string indexes), the units of Qt's text cursor.
 */
import { assertNever } from '../core/assert-never.js';

/** A selection as two offsets, `start <= end` (equal: a cursor). */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** Replace `[from, to)` of the text with `insert`, then select `select` (offsets in the new text). */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
  readonly select: TextRange;
}

/** A toolbar action that needs nothing but the text and the selection. */
export type FormatAction = 'heading' | 'bold' | 'italic' | 'code' | 'bullets' | 'numbers' | 'quote';

export const PLACEHOLDERS = {
  bold: 'bold text',
  italic: 'italic text',
  code: 'code',
  heading: 'Heading',
  linkText: 'link text',
  linkUrl: 'https://',
} as const;

/** The edit that applies `action` to `selection` of `text`. */
export function formatEdit(text: string, selection: TextRange, action: FormatAction): TextEdit {
  const range = checkRange(text, selection);
  switch (action) {
    case 'bold':
      return toggleEmphasis(text, range, 2);
    case 'italic':
      return toggleEmphasis(text, range, 1);
    case 'code':
      return toggleCode(text, range);
    case 'heading':
      return cycleHeading(text, range);
    case 'bullets':
    case 'numbers':
    case 'quote':
      return toggleLinePrefix(text, range, action);
    default:
      return assertNever(action, 'format action');
  }
}

function checkRange(text: string, range: TextRange): TextRange {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    throw new RangeError(`selection ${start}..${end} is not inside a text of ${text.length} characters`);
  }
  return { start, end };
}

const WORD_CHAR = /[\p{L}\p{N}_'\u2019-]/u;

/** The selection without surrounding white space; an empty selection inside a word grows to the word. */
function trimmedOrWord(text: string, { start, end }: TextRange): TextRange {
  let s = start;
  let e = end;
  if (s === e) {
    if (s === 0 || s === text.length || !WORD_CHAR.test(text[s - 1] ?? '') || !WORD_CHAR.test(text[s] ?? '')) return { start: s, end: e };
    while (s > 0 && WORD_CHAR.test(text[s - 1] ?? '')) s--;
    while (e < text.length && WORD_CHAR.test(text[e] ?? '')) e++;
    return { start: s, end: e };
  }
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

/** Length of the run of `char` ending at `at` (going left), at most `max`. */
function runBefore(text: string, at: number, char: string, max = 3): number {
  let n = 0;
  while (n < max && text[at - 1 - n] === char) n++;
  return n;
}

function runAfter(text: string, at: number, char: string, max = 3): number {
  let n = 0;
  while (n < max && text[at + n] === char) n++;
  return n;
}

/** Whether a run of `n` emphasis characters carries the style of `width` (1 italic, 2 bold; 3 is both). */
function carries(n: number, width: 1 | 2): boolean {
  return width === 2 ? n >= 2 : n === 1 || n >= 3;
}

/** Bold (`width` 2) or italic (1) with `*`; `_` is recognised when undoing. */
function toggleEmphasis(text: string, selection: TextRange, width: 1 | 2): TextEdit {
  const placeholder = width === 2 ? PLACEHOLDERS.bold : PLACEHOLDERS.italic;
  const marker = '*'.repeat(width);
  const { start, end } = trimmedOrWord(text, selection);
  const inner = text.slice(start, end);
  if (inner.includes('\n')) return emphasiseLines(text, { start, end }, width);
  // Already styled around the selection: take the markers away.
  for (const char of ['*', '_']) {
    const around = Math.min(runBefore(text, start, char), runAfter(text, end, char));
    if (around > 0 && carries(around, width)) {
      return { from: start - width, to: end + width, insert: inner, select: { start: start - width, end: end - width } };
    }
  }
  // The selection includes the markers.
  const stripped = stripMarkers(inner, width);
  if (stripped !== undefined) return { from: start, to: end, insert: stripped, select: { start, end: start + stripped.length } };
  const body = inner === '' ? placeholder : inner;
  return { from: start, to: end, insert: `${marker}${body}${marker}`, select: { start: start + width, end: start + width + body.length } };
}

function stripMarkers(inner: string, width: 1 | 2): string | undefined {
  for (const char of ['*', '_']) {
    const lead = runAfter(inner, 0, char);
    const trail = runBefore(inner, inner.length, char);
    const around = Math.min(lead, trail);
    if (inner.length > 2 * around && around > 0 && carries(around, width)) return inner.slice(width, inner.length - width);
  }
  return undefined;
}

/** Emphasis over several lines: each non-blank line is wrapped on its own (emphasis cannot span paragraphs). */
function emphasiseLines(text: string, { start, end }: TextRange, width: 1 | 2): TextEdit {
  const marker = '*'.repeat(width);
  const lines = text.slice(start, end).split('\n');
  const contentOf = (line: string): { lead: string; core: string; tail: string } => {
    const match = /^(\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s?|#{1,6}\s+)*)(.*?)(\s*)$/.exec(line);
    return { lead: match?.[1] ?? '', core: match?.[2] ?? line, tail: match?.[3] ?? '' };
  };
  const parts = lines.map(contentOf);
  const styled = parts.filter((part) => part.core !== '');
  const undo = styled.length > 0 && styled.every((part) => stripMarkers(part.core, width) !== undefined);
  const insert = parts
    .map(({ lead, core, tail }) => {
      if (core === '') return `${lead}${tail}`;
      return `${lead}${undo ? (stripMarkers(core, width) ?? core) : `${marker}${core}${marker}`}${tail}`;
    })
    .join('\n');
  return { from: start, to: end, insert, select: { start, end: start + insert.length } };
}

/** Inline code on one line; a fenced block for several lines or on an empty line. */
function toggleCode(text: string, selection: TextRange): TextEdit {
  const lines = lineSpan(text, selection);
  const selected = text.slice(selection.start, selection.end);
  const wholeLines = selected !== '' && selected.trim() === text.slice(lines.start, lines.end).trim();
  const blockWanted = selected.includes('\n') || (selection.start === selection.end && text.slice(lines.start, lines.end).trim() === '');
  if (blockWanted || (wholeLines && isInsideFence(text, lines))) return toggleFence(text, lines);
  const { start, end } = trimmedOrWord(text, selection);
  const inner = text.slice(start, end);
  const before = runBefore(text, start, '`', 16);
  if (before > 0 && before === runAfter(text, end, '`', 16)) {
    return { from: start - before, to: end + before, insert: inner, select: { start: start - before, end: end - before } };
  }
  const lead = runAfter(inner, 0, '`', 16);
  if (lead > 0 && inner.length > 2 * lead && runBefore(inner, inner.length, '`', 16) === lead) {
    let body = inner.slice(lead, inner.length - lead);
    if (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') body = body.slice(1, -1);
    return { from: start, to: end, insert: body, select: { start, end: start + body.length } };
  }
  const body = inner === '' ? PLACEHOLDERS.code : inner;
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  const open = `${ticks}${pad}`;
  return { from: start, to: end, insert: `${open}${body}${pad}${ticks}`, select: { start: start + open.length, end: start + open.length + body.length } };
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})[^`]*$/;

function isInsideFence(text: string, lines: TextRange): boolean {
  const above = previousLine(text, lines.start);
  const below = nextLine(text, lines.end);
  return above !== undefined && below !== undefined && FENCE_LINE.test(text.slice(above.start, above.end)) && FENCE_LINE.test(text.slice(below.start, below.end));
}

function toggleFence(text: string, lines: TextRange): TextEdit {
  const block = text.slice(lines.start, lines.end);
  const rows = block.split('\n');
  // The selection is the whole block, fences included.
  if (rows.length >= 2 && FENCE_LINE.test(rows[0] ?? '') && FENCE_LINE.test(rows[rows.length - 1] ?? '')) {
    const insert = rows.slice(1, -1).join('\n');
    return { from: lines.start, to: lines.end, insert, select: { start: lines.start, end: lines.start + insert.length } };
  }
  // The selection is the inside of a block: the lines around it are fences.
  const above = previousLine(text, lines.start);
  const below = nextLine(text, lines.end);
  if (above !== undefined && below !== undefined && isInsideFence(text, lines)) {
    return { from: above.start, to: below.end, insert: block, select: { start: above.start, end: above.start + block.length } };
  }
  const fence = '`'.repeat(Math.max(3, longestFence(block) + 1));
  if (block.trim() === '') {
    // An empty line: an empty block with the cursor inside.
    const inside = lines.start + fence.length + 1;
    return { from: lines.start, to: lines.end, insert: `${fence}\n\n${fence}`, select: { start: inside, end: inside } };
  }
  const insert = `${fence}\n${block}\n${fence}`;
  return { from: lines.start, to: lines.end, insert, select: { start: lines.start + fence.length + 1, end: lines.start + fence.length + 1 + block.length } };
}

function longestFence(block: string): number {
  let longest = 0;
  for (const line of block.split('\n')) {
    const match = /^ {0,3}(`+)/.exec(line);
    if (match?.[1] !== undefined && match[1].length > longest) longest = match[1].length;
  }
  return longest;
}

/**
 * The whole lines the selection touches: from the start of the first line to the end of the
 * last (without its newline). A selection that ends at the very start of a line leaves that
 * line out, as editors do.
 */
export function lineSpan(text: string, { start, end }: TextRange): TextRange {
  const last = end > start && text[end - 1] === '\n' ? end - 1 : end;
  const from = lineStartAt(text, start);
  const newline = text.indexOf('\n', last);
  return { start: from, end: newline < 0 ? text.length : newline };
}

/** Start of the line `at` is on (`lastIndexOf` with a negative index would still look at 0). */
function lineStartAt(text: string, at: number): number {
  return at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
}

function previousLine(text: string, lineStart: number): TextRange | undefined {
  if (lineStart === 0) return undefined;
  return { start: lineStartAt(text, lineStart - 1), end: lineStart - 1 };
}

function nextLine(text: string, lineEnd: number): TextRange | undefined {
  if (lineEnd >= text.length) return undefined;
  const newline = text.indexOf('\n', lineEnd + 1);
  return { start: lineEnd + 1, end: newline < 0 ? text.length : newline };
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;

/** Heading levels cycle: none → ## → ### → none; a `#` heading becomes `##`. */
function nextHeadingLevel(level: number): number {
  return level === 0 || level === 1 ? 2 : level === 2 ? 3 : 0;
}

function cycleHeading(text: string, selection: TextRange): TextEdit {
  const lines = lineSpan(text, selection);
  const block = text.slice(lines.start, lines.end);
  if (block.trim() === '') {
    const marker = '## ';
    const at = lines.start + marker.length;
    return { from: lines.start, to: lines.end, insert: `${marker}${PLACEHOLDERS.heading}`, select: { start: at, end: at + PLACEHOLDERS.heading.length } };
  }
  const rows = block.split('\n');
  const level = HEADING.exec(rows[0] ?? '')?.[1]?.length ?? 0;
  const next = nextHeadingLevel(level);
  const prefixes = rows.map((row) => (row.trim() === '' ? { old: '', fresh: '' } : { old: HEADING.exec(row)?.[0] ?? '', fresh: next === 0 ? '' : `${'#'.repeat(next)} ` }));
  return rewriteLines(selection, lines, rows, prefixes);
}

const BULLET = /^(\s*)[-*+][ \t]+/;
const NUMBER = /^(\s*)\d{1,9}[.)][ \t]+/;
const QUOTE = /^ {0,3}>[ \t]?/;

function toggleLinePrefix(text: string, selection: TextRange, style: 'bullets' | 'numbers' | 'quote'): TextEdit {
  const lines = lineSpan(text, selection);
  const rows = text.slice(lines.start, lines.end).split('\n');
  const filled = rows.filter((row) => row.trim() !== '');
  let prefixes: { old: string; fresh: string }[];
  if (style === 'quote') {
    const undo = filled.length > 0 && filled.every((row) => QUOTE.test(row));
    prefixes = rows.map((row) => (undo ? { old: QUOTE.exec(row)?.[0] ?? '', fresh: '' } : { old: '', fresh: row.trim() === '' ? '>' : '> ' }));
  } else {
    const own = style === 'bullets' ? BULLET : NUMBER;
    const other = style === 'bullets' ? NUMBER : BULLET;
    const undo = filled.length > 0 && filled.every((row) => own.test(row));
    let number = 0;
    prefixes = rows.map((row) => {
      if (row.trim() === '' && filled.length > 0) return { old: '', fresh: '' };
      const match = own.exec(row) ?? other.exec(row);
      const indent = /^\s*/.exec(row)?.[0] ?? '';
      if (undo) return { old: match?.[0] ?? '', fresh: match?.[1] ?? '' };
      number++;
      return { old: match?.[0] ?? indent, fresh: `${indent}${style === 'bullets' ? '-' : `${number}.`} ` };
    });
  }
  return rewriteLines(selection, lines, rows, prefixes);
}

/**
 * Replaces the prefix `old` of each row with `fresh`. A cursor stays with the text it was
 * in; a selection becomes the whole rewritten lines.
 */
function rewriteLines(selection: TextRange, lines: TextRange, rows: readonly string[], prefixes: readonly { old: string; fresh: string }[]): TextEdit {
  const out = rows.map((row, index) => {
    const prefix = prefixes[index] ?? { old: '', fresh: '' };
    return `${prefix.fresh}${row.slice(prefix.old.length)}`;
  });
  const insert = out.join('\n');
  if (selection.start === selection.end && rows.length === 1) {
    const prefix = prefixes[0] ?? { old: '', fresh: '' };
    const column = selection.start - lines.start;
    const at = lines.start + Math.max(prefix.fresh.length, column - prefix.old.length + prefix.fresh.length);
    return { from: lines.start, to: lines.end, insert, select: { start: at, end: at } };
  }
  return { from: lines.start, to: lines.end, insert, select: { start: lines.start, end: lines.start + insert.length } };
}

const URL_LIKE = /^(?:https?:\/\/|bittorrent:\/\/|magnet:\?)\S+$/i;

/** Whether `text` is an address worth making a link to (web, swarm or magnet). */
export function looksLikeUrl(text: string): boolean {
  return URL_LIKE.test(text.trim());
}

/** A link destination as Markdown writes it: in `<…>` when it has spaces or brackets. */
function destination(url: string): string {
  const clean = url.replace(/[\r\n<>]/g, '');
  return /[\s()]/.test(clean) ? `<${clean}>` : clean;
}

/**
 * A link: the selection becomes its text (or, when the selection is an address, its
 * target); `url` (say, an address on the clipboard) fills the target. The part left to
 * type is selected. Pressed on the text of a link, it takes the link away.
 */
export function linkEdit(text: string, selection: TextRange, url?: string): TextEdit {
  const { start, end } = trimmedOrWord(text, checkRange(text, selection));
  const inner = text.slice(start, end);
  const tail = /^\]\((?:<[^>\n]*>|[^)\s]*)\)/.exec(text.slice(end));
  if (text[start - 1] === '[' && text[start - 2] !== '!' && tail !== null && inner !== '') {
    return { from: start - 1, to: end + tail[0].length, insert: inner, select: { start: start - 1, end: start - 1 + inner.length } };
  }
  if (looksLikeUrl(inner)) {
    const insert = `[${PLACEHOLDERS.linkText}](${destination(inner)})`;
    return { from: start, to: end, insert, select: { start: start + 1, end: start + 1 + PLACEHOLDERS.linkText.length } };
  }
  const target = url !== undefined && looksLikeUrl(url) ? destination(url.trim()) : PLACEHOLDERS.linkUrl;
  const label = inner === '' ? PLACEHOLDERS.linkText : inner;
  const insert = `[${label}](${target})`;
  if (inner === '' || target !== PLACEHOLDERS.linkUrl) {
    // Nothing to type in the target: select the text, or (with a text) put the cursor after the link.
    if (inner !== '') return { from: start, to: end, insert, select: { start: start + insert.length, end: start + insert.length } };
    return { from: start, to: end, insert, select: { start: start + 1, end: start + 1 + label.length } };
  }
  const at = start + label.length + 3;
  return { from: start, to: end, insert, select: { start: at, end: at + target.length } };
}

/**
 * A picture `![alt](path)` in a paragraph of its own at the selection; a selected text
 * becomes its description (alt text), which is selected afterwards for editing.
 */
export function imageEdit(text: string, selection: TextRange, image: { readonly alt: string; readonly path: string }): TextEdit {
  const { start, end } = checkRange(text, selection);
  const selected = text.slice(start, end).trim();
  const alt = (selected !== '' && !selected.includes('\n') ? selected : image.alt).replace(/[[\]\r\n]/g, ' ').trim();
  const before = start === 0 || text.slice(0, start).endsWith('\n\n') ? '' : text[start - 1] === '\n' ? '\n' : '\n\n';
  const after = end === text.length || text.slice(end).startsWith('\n\n') ? '' : text[end] === '\n' ? '\n' : '\n\n';
  const insert = `${before}![${alt}](${destination(image.path)})${after}`;
  const at = start + before.length + 2;
  return { from: start, to: end, insert, select: { start: at, end: at + alt.length } };
}
