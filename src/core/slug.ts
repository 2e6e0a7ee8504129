/**
 * The one slug function of swarmpress: a title or file name made into a name that is safe
 * in a path on every system and in a URL, the same wherever it is made (a post's file
 * name, a picture's, a site's folder in its torrent). Pure.
 *
 * Letters lose their accents (NFKD, then the combining marks dropped: "naïve café" →
 * "naive-cafe", not "nai-ve-cafe"), everything else but ASCII letters and digits becomes
 * one dash, and the result is cut at `maxChars` without a dash left at either end.
 */

/** Longest slug unless told otherwise. */
export const DEFAULT_SLUG_CHARS = 60;

/** `text` as lower-case ASCII letters, digits and single dashes; `fallback` when nothing is left. */
export function slugify(text: string, options: { readonly maxChars?: number; readonly fallback?: string } = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_SLUG_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a whole number above 0, not ${maxChars}`);
  const slug = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxChars).replace(/-+$/, '');
  return slug === '' ? options.fallback ?? 'post' : slug;
}
