/**
 * Text direction of a block, from its first strong character (Unicode bidi rules P2–P3,
 * simplified to the scripts readers meet: Hebrew, Arabic, Syriac, Thaana, NKo and their
 * presentation forms are right-to-left; any letter of another script is left-to-right).
 */

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|\ud802[\udc00-\udfff]|\ud83a[\udc00-\udfff]/;
const STRONG = /[\p{L}]/u;

/** True when the first strong character of `text` is right-to-left. */
export function isRightToLeft(text: string): boolean {
  let seen = 0;
  for (const c of text) {
    if (RTL.test(c)) return true;
    if (STRONG.test(c)) return false;
    // A block that starts with thousands of digits or symbols is taken as left-to-right.
    if (++seen > 4096) return false;
  }
  return false;
}
