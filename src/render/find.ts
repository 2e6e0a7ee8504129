/** Find in page over the plain text of a page's blocks (pure). */

export interface FindMatch {
  /** Index of the block. */
  readonly block: number;
  /** Offset of the match in the block's text, in UTF-16 units. */
  readonly offset: number;
  readonly length: number;
}

/** Most matches reported (the reader steps through them; more is noise). */
export const MAX_FIND_MATCHES = 10_000;

/** Every case-insensitive occurrence of `query` in `texts`, in reading order. */
export function findInPlan(texts: readonly string[], query: string): FindMatch[] {
  const needle = query.toLocaleLowerCase();
  if (needle.trim() === '') return [];
  const out: FindMatch[] = [];
  texts.forEach((text, block) => {
    if (out.length >= MAX_FIND_MATCHES) return;
    // Lower-casing keeps UTF-16 lengths for almost all scripts; where it does not, offsets shift slightly.
    const hay = text.toLocaleLowerCase();
    for (let at = hay.indexOf(needle); at >= 0 && out.length < MAX_FIND_MATCHES; at = hay.indexOf(needle, at + needle.length)) {
      out.push({ block, offset: at, length: query.length });
    }
  });
  return out;
}
