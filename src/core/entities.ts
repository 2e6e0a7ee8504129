/**
 * Decodes the HTML character references that Markdown text may contain (`&amp;`, `&#58;`,
 * `&#x3A;`). marked leaves them encoded in its tokens; the reader must see the characters.
 * Covers numeric references and the named ones that occur in ordinary prose; an unknown
 * name stays as written. Invalid code points become U+FFFD (CommonMark, "Entity and
 * numeric character references").
 */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  trade: '\u2122', hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', laquo: '\u00ab', raquo: '\u00bb',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', middot: '\u00b7', times: '\u00d7',
  divide: '\u00f7', deg: '\u00b0', euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', cent: '\u00a2',
  sect: '\u00a7', para: '\u00b6', bull: '\u2022', larr: '\u2190', rarr: '\u2192', uarr: '\u2191', darr: '\u2193',
};

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

function fromCodePoint(code: number): string {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** Replaces character references in `text` by the characters they name. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    return (name !== undefined ? NAMED[name] : undefined) ?? whole;
  });
}
