/**
 * The one serializer from layout runs to Qt's rich-text subset. Every piece of text that
 * came from a document is escaped here, and link targets never enter the markup: a link
 * is written as `#L<index>` and resolved through the plan's link table. Nothing else in
 * swarmpress may hand Qt a rich-text string built from peer data.
 */
import type { Run } from './layout.js';
import { breakLongWords } from './word-break.js';

/** Prefix of the placeholder hrefs that stand for the plan's links in rich text. */
export const LINK_HREF_PREFIX = '#L';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for Qt rich text; control characters other than tab and newline are dropped. */
export function escapeRichText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const COLOUR = /^#[0-9a-f]{6}$/;

/**
 * Serializes runs into rich text (only tags of ours, only escaped text). `linkColour` is a
 * theme constant (`#rrggbb`), never document data. With `breakWords`, long words get break
 * opportunities (word-break.ts) so that a label can wrap them.
 */
export function runsToRichText(runs: readonly Run[], linkColour?: string, breakWords = false): string {
  if (linkColour !== undefined && !COLOUR.test(linkColour)) throw new TypeError(`linkColour must be #rrggbb, not ${JSON.stringify(linkColour)}`);
  const linkStyle = linkColour === undefined ? '' : ` style="color:${linkColour}"`;
  let out = '';
  for (const run of runs) {
    let html = escapeRichText(breakWords ? breakLongWords(run.text) : run.text).replace(/\n/g, '<br>');
    if (run.code === true) html = `<code>${html}</code>`;
    if (run.strike === true) html = `<s>${html}</s>`;
    if (run.italic === true) html = `<i>${html}</i>`;
    if (run.bold === true) html = `<b>${html}</b>`;
    if (run.link !== undefined) html = `<a href="${LINK_HREF_PREFIX}${run.link}"${linkStyle}>${html}</a>`;
    out += html;
  }
  return out;
}

/** Reads the link index back from a placeholder href, or undefined for anything else. */
export function linkIndexOf(href: string): number | undefined {
  if (!href.startsWith(LINK_HREF_PREFIX)) return undefined;
  const digits = href.slice(LINK_HREF_PREFIX.length);
  if (!/^[0-9]{1,9}$/.test(digits)) return undefined;
  return Number(digits);
}
