/**
 * Markdown source -> our closed AST (core/doc.ts), through marked's lexer.
 *
 * Hostile input: the source is capped in size, and block-quote nesting is clamped *before*
 * lexing, because marked recurses once per level (about 2,000 nested `>` overflow its
 * stack — FACTS.md). The conversion itself is bounded by MAX_NESTING. The app lexes off the
 * UI thread, with a time limit (parse-off-thread.ts).
 */
import { Marked, type Token, type Tokens } from 'marked';
import { decodeEntities } from '../core/entities.js';
import type { Align, Block, Doc, Inline, ListItem } from '../core/doc.js';

/** Largest Markdown source shown in full, in UTF-16 code units (~1 MB of ASCII). */
export const MAX_SOURCE_CHARS = 1_048_576;
/** Deepest nesting of quotes and lists that is shown as structure; deeper is flattened. */
export const MAX_NESTING = 32;

/** One lexer instance per module: marked's global instance is never touched. */
const lexer = new Marked({ gfm: true, breaks: false, async: false });

/** Cuts `>` markers beyond MAX_NESTING at the start of each line. */
export function clampQuoteNesting(source: string): string {
  const prefix = new RegExp(`^((?: {0,3}>[ \\t]?){${MAX_NESTING}})(?:[ \\t]*>)+`, 'gm');
  return source.replace(prefix, '$1');
}

/**
 * Widest indentation marked sees, in characters: room for MAX_NESTING levels of list at the
 * widest usual step (4). A list nested 1,000 deep is 1 MB of indentation that marked lexed
 * for 15 s into 450 MB (issue #25); deeper lines are drawn at this depth.
 */
export const MAX_INDENT_CHARS = 4 * MAX_NESTING;

/** Cuts the leading spaces and tabs of each line to MAX_INDENT_CHARS. */
export function clampIndentation(source: string): string {
  const deep = new RegExp(`^([ \t]{${MAX_INDENT_CHARS}})[ \t]+`, 'gm');
  return source.replace(deep, '$1');
}

/** Parses Markdown into a `Doc`. Never throws for any string input. */
export function parseMarkdown(source: string): Doc {
  const notices: string[] = [];
  let text = source;
  if (text.length > MAX_SOURCE_CHARS) {
    text = text.slice(0, MAX_SOURCE_CHARS);
    notices.push(`The document is longer than ${MAX_SOURCE_CHARS} characters; only the beginning is shown.`);
  }
  text = clampIndentation(clampQuoteNesting(text.replace(/\0/g, '\ufffd')));
  let tokens: Token[];
  try {
    tokens = lexer.lexer(text);
  } catch (error) {
    notices.push(`The document could not be read as Markdown (${String(error)}); it is shown as plain text.`);
    return { blocks: [{ type: 'code', lang: '', text }], notices };
  }
  return { blocks: toBlocks(tokens, 0), notices };
}

function toBlocks(tokens: readonly Token[], depth: number): Block[] {
  const out: Block[] = [];
  for (const token of tokens) {
    const block = toBlock(token, depth);
    if (block !== undefined) out.push(block);
  }
  return out;
}

function toBlock(token: Token, depth: number): Block | undefined {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(t['depth']))) as 1 | 2 | 3 | 4 | 5 | 6;
      return { type: 'heading', level, children: toInlines(t.tokens, depth) };
    }
    case 'paragraph':
      return { type: 'paragraph', children: toInlines(t.tokens, depth) };
    case 'text':
      // Block-level text occurs in tight list items.
      return { type: 'paragraph', children: t.tokens ? toInlines(t.tokens, depth) : [plain(String(t['text']))] };
    case 'code':
      return { type: 'code', lang: String(t['lang'] ?? '').slice(0, 64), text: String(t['text']) };
    case 'hr':
      return { type: 'rule' };
    case 'html':
      return { type: 'html', text: String(t['text']) };
    case 'blockquote':
      if (depth >= MAX_NESTING) return { type: 'paragraph', children: [plain(String(t['text']))] };
      return { type: 'blockquote', children: toBlocks(t.tokens ?? [], depth + 1) };
    case 'list':
      return toList(t as Tokens.List, depth);
    case 'table':
      return toTable(t as Tokens.Table, depth);
    default:
      // A token type this version of the converter does not know: keep its text visible.
      return { type: 'paragraph', children: [plain(t.raw)] };
  }
}

function toList(list: Tokens.List, depth: number): Block {
  if (depth >= MAX_NESTING) return { type: 'paragraph', children: [plain(list.raw)] };
  const start = typeof list.start === 'number' && Number.isSafeInteger(list.start) ? list.start : 1;
  const items: ListItem[] = list.items.map((item) => {
    const children = item.tokens.filter((token) => token.type !== 'checkbox');
    return { checked: item.task ? Boolean(item.checked) : null, children: toBlocks(children, depth + 1) };
  });
  return { type: 'list', ordered: list.ordered, start, items };
}

/**
 * A table's rows, converted one by one while marked's tokens of each row are let go: a
 * 960 KB table of 120,000 rows is ~90 MB of tokens, and holding them all while its cells
 * are built doubled the layout thread's peak (issue #25).
 */
function toTable(table: Tokens.Table, depth: number): Block {
  const align: Align[] = table.align.map((a) => a ?? null);
  const tokens = table.rows as (Tokens.TableCell[] | undefined)[];
  const rows: Inline[][][] = new Array<Inline[][]>(tokens.length);
  for (let index = 0; index < tokens.length; index++) {
    rows[index] = (tokens[index] ?? []).map((cell) => toInlines(cell.tokens, depth));
    tokens[index] = undefined;
  }
  return { type: 'table', align, header: table.header.map((cell) => toInlines(cell.tokens, depth)), rows };
}

function plain(text: string): Inline {
  return { type: 'text', text };
}

function toInlines(tokens: readonly Token[] | undefined, depth: number): Inline[] {
  const out: Inline[] = [];
  for (const token of tokens ?? []) {
    // A text token inside a tight list item carries its own inline tokens: splice them in.
    if (token.type === 'text' && (token as Tokens.Generic).tokens?.length) {
      out.push(...toInlines(token.tokens, depth));
    } else if (token.type === 'text' || token.type === 'escape') {
      // A line ending inside a paragraph is a soft break (CommonMark 6.8), not text.
      const lines: string[] = (token.type === 'text' ? decodeEntities(String(token.text)) : String(token.text)).split(/[ \t]*\n[ \t]*/);
      lines.forEach((line: string, index: number) => {
        if (index > 0) out.push({ type: 'break', hard: false });
        if (line !== '') out.push(plain(line));
      });
    } else {
      out.push(toInline(token, depth));
    }
  }
  // Exactly as long as it is: a pushed-to array keeps room for 16 more (V8), and a table has a
  // few hundred thousand of these one-element arrays.
  return out.length < 16 ? out.slice() : out;
}

function toInline(token: Token, depth: number): Inline {
  const t = token as Tokens.Generic;
  const nested = (): Inline[] => (depth >= MAX_NESTING ? [plain(String(t['text'] ?? t.raw))] : toInlines(t.tokens, depth + 1));
  switch (t.type) {
    case 'strong':
      return { type: 'strong', children: nested() };
    case 'em':
      return { type: 'emphasis', children: nested() };
    case 'del':
      return { type: 'strike', children: nested() };
    case 'codespan':
      // Code spans are literal: no character references (CommonMark 6.1, example 35).
      return { type: 'code', text: String(t['text']) };
    case 'br':
      return { type: 'break', hard: true };
    case 'link':
      return { type: 'link', href: String(t['href']), title: String(t['title'] ?? ''), children: nested() };
    case 'image':
      return { type: 'image', src: String(t['href']), alt: decodeEntities(String(t['text'])), title: String(t['title'] ?? '') };
    case 'html':
      return { type: 'html', text: String(t['text']) };
    default:
      return plain(t.raw);
  }
}
