/**
 * The one table of swarmpress's commands and options, rendered two ways: as `--help`
 * ({@link helpText}) and as the man page swarmpress(1) ({@link manPage}, written at build
 * time by tools/man.js). A command or option added here appears in both; cli.ts parses.
 */

/** A line of the synopsis: how a command is written, and what it does. */
export interface UsageRow {
  readonly usage: string;
  readonly summary: string;
}

export const SUMMARY = 'read and write Markdown sites that live in BitTorrent swarms';

export const COMMAND_ROWS: readonly UsageRow[] = [
  { usage: 'swarmpress [URL]', summary: 'open the window (reader + author), or show URL in the one open' },
  { usage: 'swarmpress --kiosk URL [--kiosk-idle SECONDS] [--kiosk-allow URL,...]', summary: 'fullscreen, read-only, only this site (and those allowed); back to URL after SECONDS without input (default 120, 0: never)' },
  { usage: 'swarmpress publish DIR [--site NAME] [--title T] [--replace [--yes]]', summary: 'publish or update a site from its folder (another folder only with --replace)' },
  { usage: 'swarmpress post FILE.md [--title T] [--reply-to URL|ID] [--site NAME]', summary: 'add a post to your site (or a reply to someone\'s) and publish it' },
  { usage: 'swarmpress get URL [--out DIR] [--timeout S]', summary: 'fetch a site (or a page of it) and keep it; --out writes its files to DIR' },
  { usage: 'swarmpress follow|unfollow|block|unblock URL-or-KEY', summary: 'keep a site current and seeded (or stop); block a site or author' },
  { usage: 'swarmpress mute|unmute URL-or-KEY', summary: 'hide (or show again) a site or author; it stays stored and seeded' },
  { usage: 'swarmpress block-list subscribe|unsubscribe URL-or-KEY', summary: "use (or stop using) someone's published blocks" },
  { usage: 'swarmpress block-list list', summary: 'subscribed lists, and whether yours is published' },
  { usage: 'swarmpress block-list publish on|off', summary: 'publish your own blocks with your sites (republishes them)' },
  { usage: 'swarmpress serve', summary: 'headless node: seed, follow, LAN discovery (a window takes it over)' },
  { usage: 'swarmpress render FILE.md --dump | --png OUT.png [--width N]', summary: 'lay out a Markdown file offscreen: its blocks as text, or a picture' },
  { usage: 'swarmpress sites', summary: 'your sites and the ones you follow, with their newest version' },
  { usage: 'swarmpress search WORDS', summary: 'search every page stored here' },
  { usage: 'swarmpress history URL', summary: 'the stored versions of a site' },
  { usage: 'swarmpress identity show|new|export FILE [--force]|import FILE', summary: 'your author key: show it, make it, or move it between machines' },
  { usage: 'swarmpress help [COMMAND]', summary: 'this text, or more about one command' },
];

export const OPTION_ROWS: readonly UsageRow[] = [
  { usage: '--data-dir DIR', summary: 'where data lives (default: $XDG_DATA_HOME/swarmpress or ~/.local/share/swarmpress)' },
  { usage: '--listen HOST:PORT', summary: 'where the BitTorrent session listens' },
  { usage: '--dht-bootstrap HOST:PORT[,...]', summary: 'DHT nodes to start from' },
  { usage: '--no-dht  --no-lan', summary: 'switch the DHT or LAN discovery off' },
  { usage: '--json', summary: 'machine-readable output, one JSON object per line' },
  { usage: '-h, --help  -V, --version', summary: 'this text; the versions of swarmpress, libtorrent and Node' },
];

export const EXIT_CODES: readonly UsageRow[] = [
  { usage: '0', summary: 'done' },
  { usage: '1', summary: 'failed' },
  { usage: '2', summary: 'bad arguments' },
  { usage: '3', summary: 'not available in this version' },
];

function column(rows: readonly UsageRow[], width: number): string {
  // A usage too long for the column has its summary on the next line, under the column.
  return rows.map(({ usage, summary }) => (usage.length > width ? `  ${usage}\n  ${' '.repeat(width)}  ${summary}` : `  ${usage.padEnd(width)}  ${summary}`)).join('\n');
}

/** The text of `swarmpress --help`. */
export function helpText(): string {
  return [
    `swarmpress — ${SUMMARY}`,
    '',
    'usage:',
    column(COMMAND_ROWS, 36),
    '',
    'common options:',
    column(OPTION_ROWS, 22),
    '',
    `exit codes: ${EXIT_CODES.map(({ usage, summary }) => `${usage} ${summary}`).join(', ')}`,
  ].join('\n');
}

/** Escapes text for roff: backslashes, hyphens (as minus signs) and a leading dot or quote. */
function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/, '\\&$1');
}

/** A synopsis: words in capitals are operands (italic), the rest is typed as it stands (bold). */
function roffUsage(usage: string): string {
  return usage.split(' ').map((word) => (/^[[(]?[A-Z][A-Z0-9.|_-]*[\])]?$/.test(word) && !word.startsWith('-') ? `\\fI${roff(word)}\\fR` : `\\fB${roff(word)}\\fR`)).join(' ');
}

function tagged(rows: readonly UsageRow[]): string[] {
  return rows.flatMap(({ usage, summary }) => ['.TP', roffUsage(usage), roff(summary)]);
}

/** The man page swarmpress(1), in roff (man macros), for `version` of the program. */
export function manPage(version: string, date: string): string {
  return [
    `.TH SWARMPRESS 1 "${date}" "swarmpress ${version}" "User Commands"`,
    '.SH NAME',
    `swarmpress \\- ${roff(SUMMARY)}`,
    '.SH SYNOPSIS',
    ...COMMAND_ROWS.flatMap(({ usage }) => [roffUsage(usage), '.br']),
    '.SH DESCRIPTION',
    'A native desktop reader and author for Markdown sites that live in BitTorrent swarms.',
    "A site's address is an ed25519 public key (BEP 46): \\fBbittorrent://\\fR\\fIKEY\\fR; each version is a torrent,",
    'announced by a signed BEP 44 record in the DHT. Readers keep and re\\-seed what they read and follow.',
    '.SH COMMANDS',
    ...tagged(COMMAND_ROWS),
    '.SH OPTIONS',
    ...tagged(OPTION_ROWS),
    '.SH EXIT STATUS',
    ...tagged(EXIT_CODES),
    '.SH FILES',
    '.TP',
    '\\fI$XDG_DATA_HOME/swarmpress/node.sock\\fR',
    'the control socket of the node running on the data folder (the window or \\fBswarmpress serve\\fR).',
    '.TP',
    '\\fI/usr/lib/systemd/user/swarmpress.service\\fR',
    'runs \\fBswarmpress serve\\fR with the session: \\fBsystemctl \\-\\-user enable \\-\\-now swarmpress\\fR.',
    '',
  ].join('\n');
}
