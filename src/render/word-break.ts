/**
 * Long words that can break (pure). Qt's labels wrap only between words, so a word wider
 * than the column (a 300-character word, a long address) ran past the right edge and was
 * cut off (issue #22). A zero-width space (U+200B, a break opportunity in Unicode's line
 * breaking, UAX #14) every BREAK_EVERY characters of a long word lets Qt break it where
 * the line ends; where the word fits, nothing shows. The shown text then differs from the
 * block's text by these spaces only: `shownOffset` maps an offset of the one to the other
 * (find in page selects in the shown text), and dumps remove them (`withoutBreaks`).
 */
import type { LayoutBlock } from './layout.js';

/** The break opportunity inserted. */
export const WORD_BREAK = '\u200b';
/** Words of this many UTF-16 units or more get break opportunities. */
export const LONG_WORD_UNITS = 24;
/** A break opportunity every this many characters (code points) of a long word. */
export const BREAK_EVERY = 12;

const LONG_WORD = new RegExp(`[^\\s\\u200b]{${LONG_WORD_UNITS},}`, 'gu');
const MARK = /^\p{M}/u;

/** The code-point offsets inside `word` after which a break goes. */
function breakPoints(word: string): number[] {
  const out: number[] = [];
  const chars = Array.from(word);
  let units = 0;
  for (let i = 0; i < chars.length - 1; i++) {
    units += (chars[i] ?? '').length;
    // Never between a character and the mark that modifies it.
    if ((i + 1) % BREAK_EVERY === 0 && !MARK.test(chars[i + 1] ?? '')) out.push(units);
  }
  return out;
}

/** `text` with a break opportunity every BREAK_EVERY characters of each long word. */
export function breakLongWords(text: string): string {
  if (text.length < LONG_WORD_UNITS) return text;
  return text.replace(LONG_WORD, (word) => {
    let out = '';
    let from = 0;
    for (const at of breakPoints(word)) {
      out += word.slice(from, at) + WORD_BREAK;
      from = at;
    }
    return out + word.slice(from);
  });
}

/** How many break opportunities breakLongWords puts before UTF-16 offset `offset` of `text`. */
export function breaksBefore(text: string, offset: number): number {
  let count = 0;
  for (const match of text.matchAll(LONG_WORD)) {
    if (match.index >= offset) break;
    for (const at of breakPoints(match[0])) if (match.index + at <= offset) count++;
  }
  return count;
}

/** `text` without the break opportunities (what the block says). */
export function withoutBreaks(text: string): string {
  return text.includes(WORD_BREAK) ? text.replaceAll(WORD_BREAK, '') : text;
}

/**
 * Where offset `offset` of the block's text (layout.ts blockText) is in the text its label
 * shows: headings and paragraphs break each run on its own (rich-text.ts), other blocks
 * their whole text.
 */
export function shownOffset(block: LayoutBlock, offset: number): number {
  if (block.kind !== 'heading' && block.kind !== 'paragraph') return offset + breaksBefore(block.kind === 'code' ? '' : textOfBlock(block), offset);
  let at = block.kind === 'paragraph' && block.marker !== '' ? block.marker.length + 2 : 0;
  let shift = 0;
  for (const run of block.runs) {
    if (offset <= at) break;
    shift += breaksBefore(run.text, offset - at);
    at += run.text.length;
  }
  return offset + shift;
}

function textOfBlock(block: LayoutBlock): string {
  return block.kind === 'literal' ? block.text : '';
}
