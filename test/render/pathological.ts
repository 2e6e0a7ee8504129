/** Hostile Markdown inputs shared by the parser and widget tests (issue #5). */

function nestedEmphasis(depth: number): string {
  return `${'*a '.repeat(depth)}x${' a*'.repeat(depth)}`;
}

/** name -> source. Each must finish within the time limit or fall back, without a crash. */
export function pathologicalInputs(): ReadonlyMap<string, string> {
  const columns = 20_000;
  return new Map([
    ['5,000 nested quotes', `${'> '.repeat(5000)}deep`],
    ['5,000 nested lists', Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')],
    ['nested emphasis, 14 KB', nestedEmphasis(4700)],
    ['a run of 100,000 asterisks', '*'.repeat(100_000)],
    ['100,000 alternating delimiters', '*_'.repeat(50_000)],
    ['50,000 unclosed links', '[a'.repeat(50_000)],
    ['50,000 backticks runs', '`a``'.repeat(25_000)],
    ['a 20,000-column table', `${'a|'.repeat(columns - 1)}a\n${'-|'.repeat(columns - 1)}-\n${'b|'.repeat(columns - 1)}b\n`],
    ['a 1 MB single line', 'word '.repeat(200_000)],
    ['a 1 MB line without spaces', 'x'.repeat(1_000_000)],
    ['control characters', Array.from({ length: 4096 }, (_, i) => String.fromCharCode(i % 32)).join('') + '\t\v\n'],
    ['invalid UTF-8, decoded', Buffer.from([0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0a, 0xf4, 0x90, 0x80, 0x80]).toString('utf8').repeat(2000)],
    ['lone surrogates', '\ud800a\udfff'.repeat(1000)],
    ['2 MB of text (over the size cap)', 'para\n\n'.repeat(350_000)],
    ['HTML soup', '<div><script>alert(1)</script><img src=x onerror=y>&#0;&#xFFFFFF;&bogus;'.repeat(2000)],
  ]);
}
