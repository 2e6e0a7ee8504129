/** The benchmark's Markdown page: an ordinary long page with every common element. */

/** Markdown of about `bytes` bytes (ASCII), deterministic. */
export function benchDocument(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const section = `## Section ${i}

Some *emphasis*, **strong** text, a [link to page ${i}](page${i}.md) and \`inline code\`; then more ordinary words so that the paragraph runs to two or three lines in a window of the usual width, as posts do.

- a list item with a few words
- another item, **bold** in places
  - a nested item

> A quoted line from an earlier post, with a [reference](bittorrent://${'a'.repeat(64)}).

${i % 5 === 0 ? '| name | value | note |\n|:-----|------:|:----:|\n| alpha | 1 | first |\n| beta | 22 | second |\n\n' : ''}${i % 7 === 0 ? '```js\nfunction f(x) {\n  return x * 2; // a short example\n}\n```\n\n' : ''}`;
    parts.push(section);
    size += section.length;
  }
  return parts.join('');
}
