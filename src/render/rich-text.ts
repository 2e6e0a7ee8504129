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

// Bidi overrides (LRO, RLO) display the characters after them in the reverse order, up to
// the end of the paragraph: an RLO before or inside a link makes its text read as another
// (issue #25: "moc.knab" shows as "bank.com"), while the confirmation shows the real target.
// Nothing in ordinary text needs them (the bidi algorithm orders RTL text itself).
const BIDI_OVERRIDES = /[\u202d\u202e]/g;
// In a link's text, every explicit direction character (embeddings, overrides, isolates,
// marks): a link reads in the order of its characters.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

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
    const text = run.text.replace(run.link === undefined ? BIDI_OVERRIDES : BIDI_CONTROLS, '');
    let html = escapeRichText(breakWords ? breakLongWords(text) : text).replace(/\n/g, '<br>');
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
