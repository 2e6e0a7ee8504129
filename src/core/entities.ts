/**
 * Decodes the HTML character references that Markdown text may contain (`&amp;`, `&#58;`,
 * `&#x3A;`, `&HilbertSpace;`). marked leaves them encoded in its tokens; the reader must
 * see the characters. Named references use the full HTML5 table (the `entities` package,
 * strict: a name counts only with its semicolon, as CommonMark says); an unknown name
 * stays as written. Invalid code points become U+FFFD (CommonMark, "Entity and numeric
 * character references").
 */
import { decodeHTMLStrict } from 'entities';

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

function fromCodePoint(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** Replaces character references in `text` by the characters they name. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined) => {
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    return decodeHTMLStrict(whole);
  });
}
