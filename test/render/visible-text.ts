/** The visible text of an HTML rendering, for comparing with the widget dump. */
import { decodeEntities } from '../../src/core/entities.js';

/** Strips tags (comments and raw text included), decodes references, drops whitespace. */
export function visibleText(html: string): string {
  return squeeze(decodeEntities(html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '')));
}

/** Text without any whitespace (line breaking and block separation differ between renderers). */
export function squeeze(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, '');
}

/** True when every character of `needle` occurs in `hay` in the same order. */
export function isSubsequence(needle: string, hay: string): boolean {
  const chars = Array.from(needle);
  let at = 0;
  for (const c of hay) {
    if (at < chars.length && c === chars[at]) at++;
  }
  return at === chars.length;
}
