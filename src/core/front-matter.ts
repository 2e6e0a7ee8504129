/**
 * The front matter of a Markdown page in an author's site folder: the item fields that
 * Markdown itself cannot say (a reply's link to what it answers, the next part of a
 * series, a credit, tags), as blog tools write them:
 *
 * ```
 * ---
 * title: Re: Hello
 * related: reply 3f…(64 hex) bittorrent://<key>/posts/hello.md
 * next: bittorrent://<key>/posts/part-2.md
 * source: Ana, ana@example.org
 * tags: travel, rain
 * ---
 * # The page itself…
 * ```
 *
 * One `key: value` per line. `title`, `source`, `next` (an item id in hex and/or an
 * address) and `related` (repeatable: `REL ID [HREF]`) become item fields; any other key
 * goes to the item's `meta`. The body is the text after the closing `---`. A page without
 * front matter is all body. Never throws for a string.
 */
import { fromHex, toHex } from './bytes.js';
import { ITEM_ID_BYTES, MAX_META_ENTRIES, type ItemLink, type RelatedItem } from './item.js';
import { fail, ok, type Result } from './result.js';

/** Most lines of front matter. */
export const MAX_FRONT_MATTER_LINES = 256;
const FENCE = /^---[ \t]*$/;
const KEY = /^[a-z][a-z0-9_-]{0,63}$/;

/** What a page's front matter says. */
export interface FrontMatter {
  readonly title?: string;
  readonly source?: string;
  readonly next?: ItemLink;
  readonly related: readonly RelatedItem[];
  readonly meta: ReadonlyMap<string, string>;
}

export interface PageSource {
  readonly front: FrontMatter;
  /** The Markdown after the front matter (the whole text when there is none). */
  readonly body: string;
}

export type FrontMatterErrorCode = 'ERR_FRONT_MATTER';

function isAddress(text: string): boolean {
  return /^(bittorrent|magnet):/i.test(text);
}

/** Splits `text` into its front matter and its body. */
export function parsePage(text: string): Result<PageSource, FrontMatterErrorCode> {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  const lines = text.split('\n');
  if (lines.length < 2 || !FENCE.test((lines[0] ?? '').replace(/\r$/, ''))) return ok({ front: { related: [], meta: new Map() }, body: text });
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line.replace(/\r$/, '')));
  if (end < 0) return fail('ERR_FRONT_MATTER', 'the front matter that starts with --- on line 1 has no closing --- line');
  if (end - 1 > MAX_FRONT_MATTER_LINES) return fail('ERR_FRONT_MATTER', `the front matter has more than ${MAX_FRONT_MATTER_LINES} lines`);
  let title: string | undefined;
  let source: string | undefined;
  let next: ItemLink | undefined;
  const related: RelatedItem[] = [];
  const meta = new Map<string, string>();
  for (let index = 1; index < end; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const where = `front matter line ${index + 1}`;
    const colon = line.indexOf(':');
    const key = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase();
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (!KEY.test(key)) return fail('ERR_FRONT_MATTER', `${where}: expected 'key: value' with a key of letters, digits, '-' or '_'`);
    switch (key) {
      case 'title':
        title = value;
        break;
      case 'source':
        source = value;
        break;
      case 'next': {
        const id = fromHex(value.toLowerCase(), ITEM_ID_BYTES);
        if (id !== undefined) next = { id };
        else if (isAddress(value)) next = { href: value };
        else return fail('ERR_FRONT_MATTER', `${where}: 'next' takes an item id (64 hex digits) or a bittorrent:/magnet: address`);
        break;
      }
      case 'related': {
        const [rel, idText, href, ...rest] = value.split(/\s+/);
        const id = fromHex((idText ?? '').toLowerCase(), ITEM_ID_BYTES);
        if (rel === undefined || rel === '' || id === undefined || rest.length > 0 || (href !== undefined && !isAddress(href))) {
          return fail('ERR_FRONT_MATTER', `${where}: 'related' takes REL ID [ADDRESS], e.g. 'related: reply <64 hex digits> bittorrent://…'`);
        }
        related.push({ id, rel, ...(href === undefined ? {} : { href }) });
        break;
      }
      default:
        if (meta.has(key)) return fail('ERR_FRONT_MATTER', `${where}: '${key}' is given twice`);
        if (meta.size >= MAX_META_ENTRIES) return fail('ERR_FRONT_MATTER', `${where}: more than ${MAX_META_ENTRIES} meta keys`);
        meta.set(key, value);
    }
  }
  const front: FrontMatter = {
    ...(title === undefined ? {} : { title }),
    ...(source === undefined ? {} : { source }),
    ...(next === undefined ? {} : { next }),
    related,
    meta,
  };
  return ok({ front, body: lines.slice(end + 1).join('\n') });
}

/** The front matter text of `front` (what `swarmpress post` writes above a post). */
export function formatFrontMatter(front: FrontMatter): string {
  const lines = ['---'];
  if (front.title !== undefined) lines.push(`title: ${oneLine(front.title)}`);
  if (front.source !== undefined) lines.push(`source: ${oneLine(front.source)}`);
  for (const entry of front.related) {
    lines.push(`related: ${oneLine(entry.rel).replace(/\s+/g, '-')} ${toHex(entry.id)}${entry.href === undefined ? '' : ` ${entry.href}`}`);
  }
  if (front.next !== undefined) lines.push(`next: ${front.next.id === undefined ? (front.next.href ?? '') : toHex(front.next.id)}`);
  for (const [key, value] of front.meta) lines.push(`${key}: ${oneLine(value)}`);
  lines.push('---');
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * The title of a page without a `title:`: its first ATX heading (`# Title`), else
 * `fallback` (the file's name).
 */
export function pageTitle(body: string, fallback: string): string {
  for (const line of body.split('\n', 200)) {
    const match = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/.exec(line);
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return fallback;
}
