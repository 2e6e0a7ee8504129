/**
 * The Markdown the window shows for an item: its body (a picture or media file of the site
 * as an image block, plain text as a code block), a "Next →" link when it has a `next`, and
 * the replies known to the store under it, dated in local time like the status line. Titles
 * and names from peers are escaped so that they stay text (never links or markup of their
 * own). Pure: everything comes in as data.
 */
import { pageTitle } from '../core/front-matter.js';
import type { Item } from '../core/item.js';
import { localTime } from './when.js';

/** A reply to show under the item, and where it can be opened (if known). */
export interface ReplyLine {
  readonly title: string;
  readonly href?: string;
  readonly author: string;
  readonly createdMs: number;
  /** Depth below the item (1 = a direct reply). */
  readonly depth: number;
}

/** Markdown punctuation that could start markup inside a line. */
const INLINE_MARKUP = /[\\`*_[\]()<>#!|~&{}+-]/g;
const MAX_TITLE_CHARS = 200;

/** `text` as literal Markdown inline text (one line, markup escaped). */
export function escapeInline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_CHARS).replace(INLINE_MARKUP, (c) => `\\${c}`);
}

/** A fenced code block holding `text` literally (the fence longer than any backtick run in it). */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, '')}\n${fence}\n`;
}

/** The body of `item` as Markdown; `pagePath` is its path in the site (for its own file). */
export function itemMarkdown(item: Item, pagePath: string): string {
  if (item.body.kind === 'file') {
    const name = pagePath.split('/').at(-1) ?? pagePath;
    return `# ${escapeInline(item.title === '' ? name : item.title)}\n\n![${escapeInline(item.title)}](${encodeURI(name)})\n`;
  }
  if (item.mime === 'text/plain') return `# ${escapeInline(item.title)}\n\n${fenced(item.body.text)}`;
  // One title per post (issue #21): a page whose body has no heading is headed by the title
  // its author typed (front matter), the one the window title, library, search and threads show.
  const NO_HEADING = '\u0000';
  if (item.title.trim() !== '' && pageTitle(item.body.text, NO_HEADING) === NO_HEADING) return `# ${escapeInline(item.title)}\n\n${item.body.text}`;
  return item.body.text;
}

/** The page: the item's Markdown, "Next →" (an address or site path), and the replies. */
export function pageMarkdown(body: string, extras: { next?: string; replies: readonly ReplyLine[]; notice?: string }): string {
  const parts = [body.replace(/\s+$/, '')];
  if (extras.notice !== undefined) parts.unshift(`> **${escapeInline(extras.notice)}**\n\n---`);
  if (extras.next !== undefined) parts.push(`[Next →](<${extras.next.replace(/[<>\s]/g, encodeURIComponent)}>)`);
  if (extras.replies.length > 0) {
    const lines = extras.replies.map((reply) => {
      const indent = '  '.repeat(Math.max(0, Math.min(reply.depth, 8) - 1));
      const title = escapeInline(reply.title === '' ? 'Untitled reply' : reply.title);
      const shown = reply.href === undefined ? title : `[${title}](<${reply.href}>)`;
      return `${indent}- ${shown} — ${escapeInline(reply.author)}, ${localTime(reply.createdMs)}`;
    });
    parts.push(`---\n\n## Replies (${extras.replies.length})\n\n${lines.join('\n')}`);
  }
  const page = `${parts.join('\n\n')}\n`;
  // A page with nothing added is its item's text: the same string, not a copy of it (the
  // reader keeps both the item and its page; a 156 KB index was in memory twice).
  return page === body ? body : page;
}
