/**
 * The command line of DESIGN.md ("Command line"), parsed into a typed `Invocation`.
 * Parsing never touches the disk, the network or Qt; bad arguments throw UsageError with
 * one line that says what is wrong.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseTypedAddress } from '../core/address.js';
import { UsageError } from '../core/errors.js';
import { COMMAND_WORDS } from './command-words.js';
import { DEFAULT_KIOSK_IDLE_S, parseKioskIdle } from './kiosk.js';
import { helpText } from './usage.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface CommonOptions {
  readonly dataDir: string | undefined;
  readonly json: boolean;
  readonly listen: Endpoint | undefined;
  readonly dhtBootstrap: readonly Endpoint[] | undefined;
  readonly dht: boolean;
  readonly lan: boolean;
}

export type Command =
  | {
      readonly name: 'window'; readonly url: string | undefined; readonly kiosk: boolean;
      /** Kiosk only: seconds without input before it returns home (0: never), and more sites it may show. */
      readonly kioskIdleS?: number; readonly kioskAllow?: readonly string[];
    }
  | { readonly name: 'publish'; readonly dir: string; readonly site: string | undefined; readonly title: string | undefined; readonly replace: boolean; readonly yes: boolean }
  | { readonly name: 'post'; readonly file: string; readonly title: string | undefined; readonly replyTo: string | undefined; readonly site: string | undefined }
  | { readonly name: 'get'; readonly url: string; readonly out: string | undefined; readonly timeoutS: number | undefined }
  | { readonly name: 'follow' | 'unfollow' | 'block'; readonly target: string }
  | { readonly name: 'unblock' | 'mute' | 'unmute'; readonly target: string }
  | { readonly name: 'block-list'; readonly action: BlockListAction; readonly target: string | undefined }
  | { readonly name: 'serve' }
  | { readonly name: 'render'; readonly file: string; readonly png: string | undefined; readonly dump: boolean; readonly width: number }
  | { readonly name: 'identity'; readonly action: 'show' | 'new' | 'export' | 'import'; readonly file: string | undefined; readonly force: boolean }
  | { readonly name: 'sites' }
  | { readonly name: 'search'; readonly words: string }
  | { readonly name: 'history'; readonly url: string }
  | { readonly name: 'help'; readonly topic?: string }
  | { readonly name: 'version' };

/** What `swarmpress block-list` does: subscribe/unsubscribe URL|KEY, list, publish on|off. */
export type BlockListAction = 'subscribe' | 'unsubscribe' | 'list' | 'publish';

export interface Invocation {
  readonly command: Command;
  readonly common: CommonOptions;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  'dht-bootstrap': { type: 'string' },
  'no-dht': { type: 'boolean' },
  'no-lan': { type: 'boolean' },
  kiosk: { type: 'string' },
  'kiosk-idle': { type: 'string' },
  'kiosk-allow': { type: 'string' },
  site: { type: 'string' },
  title: { type: 'string' },
  'reply-to': { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  png: { type: 'string' },
  dump: { type: 'boolean' },
  width: { type: 'string' },
  replace: { type: 'boolean' },
  yes: { type: 'boolean' },
  force: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type OptionName = keyof typeof OPTIONS;

const COMMON: readonly OptionName[] = ['help', 'version', 'json', 'data-dir', 'listen', 'dht-bootstrap', 'no-dht', 'no-lan'];

/** Options each command accepts besides the common ones, and how many operands it takes. */
const COMMANDS = {
  window: { options: ['kiosk', 'kiosk-idle', 'kiosk-allow'], operands: [0, 1] },
  publish: { options: ['site', 'title', 'replace', 'yes'], operands: [1, 1] },
  post: { options: ['title', 'reply-to', 'site'], operands: [1, 1] },
  get: { options: ['out', 'timeout'], operands: [1, 1] },
  follow: { options: [], operands: [1, 1] },
  unfollow: { options: [], operands: [1, 1] },
  block: { options: [], operands: [1, 1] },
  unblock: { options: [], operands: [1, 1] },
  mute: { options: [], operands: [1, 1] },
  unmute: { options: [], operands: [1, 1] },
  'block-list': { options: [], operands: [1, 2] },
  serve: { options: [], operands: [0, 0] },
  render: { options: ['png', 'dump', 'width'], operands: [1, 1] },
  identity: { options: ['force'], operands: [1, 2] },
  sites: { options: [], operands: [0, 0] },
  search: { options: [], operands: [1, 64] },
  history: { options: [], operands: [1, 1] },
  help: { options: [], operands: [0, 1] },
} as const satisfies Record<string, { options: readonly OptionName[]; operands: readonly [number, number] }>;

type CommandName = keyof typeof COMMANDS;

/**
 * COMMAND_WORDS (read before the program loads) names exactly the commands besides the
 * window: a word it lacks or a word too fails to compile.
 */
type MissingWord = Exclude<Exclude<CommandName, 'window'>, (typeof COMMAND_WORDS)[number]>;
const commandWords: [MissingWord] extends [never] ? readonly Exclude<CommandName, 'window'>[] : never = COMMAND_WORDS;

function isCommandName(word: string): word is CommandName {
  return (commandWords as readonly string[]).includes(word);
}

/** Largest width accepted for offscreen rendering, in pixels. */
export const MAX_RENDER_WIDTH = 8192;
const DEFAULT_RENDER_WIDTH = 800;

/** Parses `HOST:PORT` (IPv6 as `[addr]:port`). */
export function parseEndpoint(text: string, option: string): Endpoint {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):([0-9]{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (match === null || host === undefined || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`${option} expects HOST:PORT (for example 127.0.0.1:6881), not '${text}'`);
  }
  return { host, port };
}

function parseWholeNumber(text: string, option: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${option} expects a whole number from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}

/** Parses the arguments after `swarmpress` (without node and the script). */
export function parseCommandLine(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  const name: CommandName = first !== undefined && isCommandName(first) ? first : 'window';
  const operands = name === 'window' ? positionals : positionals.slice(1);
  const spec = COMMANDS[name];
  const allowed = new Set<string>([...COMMON, ...spec.options]);
  for (const key of Object.keys(values)) {
    if (!allowed.has(key)) throw new UsageError(`--${key} does not go with '${name === 'window' ? 'swarmpress' : `swarmpress ${name}`}'`);
  }
  const common: CommonOptions = {
    dataDir: values['data-dir'],
    json: values.json === true,
    listen: values.listen === undefined ? undefined : parseEndpoint(values.listen, '--listen'),
    dhtBootstrap: values['dht-bootstrap']?.split(',').map((part) => parseEndpoint(part.trim(), '--dht-bootstrap')),
    dht: values['no-dht'] !== true,
    lan: values['no-lan'] !== true,
  };
  if (values.help === true) return { command: { name: 'help' }, common };
  if (values.version === true) return { command: { name: 'version' }, common };
  const [min, max] = spec.operands;
  if (operands.length < min || operands.length > max) {
    const what = name === 'window' ? `unknown command '${operands[0] ?? ''}'` : `'swarmpress ${name}' takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${operands.length}`;
    throw new UsageError(`${what} (see 'swarmpress --help')`);
  }
  return { command: toCommand(name, operands, values), common };
}

function toCommand(name: CommandName, operands: readonly string[], values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']): Command {
  const operand = operands[0] ?? '';
  switch (name) {
    case 'window': {
      if (values.kiosk !== undefined && operands.length > 0) throw new UsageError('give the address either after --kiosk or alone, not both');
      const url = values.kiosk ?? operands[0];
      // A word that is neither a command nor an address is a mistyped command far more often
      // than a page to open: say so, rather than open a window (or, without a display, a
      // headless node) that cannot use it.
      const parsed = url === undefined ? undefined : parseTypedAddress(url);
      // A bittorrent: or magnet: link the desktop hands over (swarmpress.desktop) opens the
      // window even when it is malformed: its status line says what is wrong with it, where
      // an error on stderr would go unseen by whoever clicked the link.
      const link = values.kiosk === undefined && url !== undefined && /^(bittorrent|magnet):/i.test(url);
      if (parsed !== undefined && !parsed.ok && !link) {
        throw new UsageError(values.kiosk !== undefined ? `--kiosk expects a swarm address: ${parsed.error.message}` : `unknown command '${url ?? ''}', and not a swarm address either (see 'swarmpress --help')`);
      }
      if (values.kiosk === undefined) {
        if (values['kiosk-idle'] !== undefined || values['kiosk-allow'] !== undefined) throw new UsageError('--kiosk-idle and --kiosk-allow go with --kiosk URL');
        return { name, url, kiosk: false };
      }
      const idle = values['kiosk-idle'] === undefined ? DEFAULT_KIOSK_IDLE_S : parseKioskIdle(values['kiosk-idle']);
      if (typeof idle === 'string') throw new UsageError(idle);
      const allow = (values['kiosk-allow'] ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
      for (const address of allow) {
        const checked = parseTypedAddress(address);
        if (!checked.ok) throw new UsageError(`--kiosk-allow expects swarm addresses: ${checked.error.message}`);
      }
      return { name, url, kiosk: true, kioskIdleS: idle, kioskAllow: allow };
    }
    case 'publish':
      if (values.yes === true && values.replace !== true) throw new UsageError('--yes confirms --replace: give both, or neither');
      return { name, dir: operand, site: values.site, title: values.title, replace: values.replace === true, yes: values.yes === true };
    case 'post':
      return { name, file: operand, title: values.title, replyTo: values['reply-to'], site: values.site };
    case 'get':
      return { name, url: operand, out: values.out, timeoutS: values.timeout === undefined ? undefined : parseWholeNumber(values.timeout, '--timeout', 1, 86_400) };
    case 'follow':
    case 'unfollow':
    case 'block':
    case 'unblock':
    case 'mute':
    case 'unmute':
      return { name, target: operand };
    case 'block-list':
      return blockListCommand(operands);
    case 'serve':
      return { name };
    case 'render': {
      const dump = values.dump === true;
      if (dump === (values.png !== undefined)) throw new UsageError("'swarmpress render' needs exactly one of --dump and --png OUT.png");
      const width = values.width === undefined ? DEFAULT_RENDER_WIDTH : parseWholeNumber(values.width, '--width', 100, MAX_RENDER_WIDTH);
      return { name, file: operand, png: values.png, dump, width };
    }
    case 'identity': {
      const action = operand;
      if (action !== 'show' && action !== 'new' && action !== 'export' && action !== 'import') {
        throw new UsageError(`'swarmpress identity' takes show, new, export FILE or import FILE, not '${action}'`);
      }
      const file = operands[1];
      const takesFile = action === 'export' || action === 'import';
      if (takesFile === (file === undefined)) {
        throw new UsageError(takesFile ? `'swarmpress identity ${action}' needs a FILE` : `'swarmpress identity ${action}' takes no file`);
      }
      if (values.force === true && action !== 'export') throw new UsageError("--force goes only with 'swarmpress identity export FILE'");
      return { name, action, file, force: values.force === true };
    }
    case 'sites':
      return { name };
    case 'search':
      return { name, words: operands.join(' ') };
    case 'history':
      return { name, url: operand };
    case 'help': {
      if (operands[0] !== undefined && !(operands[0] in HELP_TOPICS)) throw new UsageError(`there is no command '${operands[0]}' (see 'swarmpress help')`);
      return operands[0] === undefined ? { name } : { name, topic: operands[0] };
    }
  }
}

function blockListCommand(operands: readonly string[]): Command {
  const [action, target] = operands;
  switch (action) {
    case 'subscribe':
    case 'unsubscribe':
      if (target === undefined) throw new UsageError(`'swarmpress block-list ${action}' needs the URL or key of the site whose list it is`);
      return { name: 'block-list', action, target };
    case 'list':
      if (target !== undefined) throw new UsageError("'swarmpress block-list list' takes nothing more");
      return { name: 'block-list', action, target };
    case 'publish':
      if (target !== 'on' && target !== 'off') throw new UsageError("'swarmpress block-list publish' takes on or off");
      return { name: 'block-list', action, target };
    default:
      throw new UsageError(`'swarmpress block-list' takes subscribe URL|KEY, unsubscribe URL|KEY, list or publish on|off, not '${action ?? ''}'`);
  }
}

/** The text of `swarmpress --help`, rendered from the table that the man page is made from too (usage.ts). */
export const HELP = helpText();

/** What `swarmpress help COMMAND` prints about each command. */
export const HELP_TOPICS: Readonly<Record<string, string>> = {
  window: `swarmpress [URL]  |  swarmpress --kiosk URL [--kiosk-idle SECONDS] [--kiosk-allow URL,...]
  Opens the window: a reader of swarm sites and the editor of your own (or shows URL in
  the window already open). With --kiosk, it covers the screen, is read-only, shows only
  that site (and those allowed), and goes back to URL after SECONDS without input.`,
  publish: `swarmpress publish DIR [--site NAME] [--title T] [--replace [--yes]]
  Publishes the folder DIR as the next version of your site NAME (default: your main site)
  and prints its address. Every visible file is published; hidden files are left out.
  A site is published from one folder, the one the window and 'swarmpress post' write to:
  publishing another folder is refused, because the pages it lacks would disappear.
  --replace makes DIR the site's folder instead: it lists the pages that would disappear,
  and does it only with --yes. --title sets the title readers see.
  When the folder has no index.md, a home page listing the posts is made for it; a list
  of every post (posts/index.md) and an Atom feed (feed.xml) are made unless you wrote them.`,
  post: `swarmpress post FILE.md [--title T] [--reply-to URL|ID] [--site NAME]
  Adds FILE.md to your site's folder as posts/DATE-TITLE.md and publishes the site.`,
  get: `swarmpress get URL [--out DIR] [--timeout S]
  Finds, downloads and verifies the page URL names and prints it; with --out, writes the
  whole version to DIR.`,
  follow: `swarmpress follow|unfollow URL-or-KEY
  Keeps a site up to date and seeded here (or stops).`,
  unfollow: `swarmpress unfollow URL-or-KEY
  Stops following a site.`,
  block: `swarmpress block|unblock URL-or-KEY
  Never shows, stores or seeds a site or author again (or lifts that).`,
  unblock: `swarmpress unblock URL-or-KEY
  Lifts a block.`,
  mute: `swarmpress mute|unmute URL-or-KEY
  Hides a site or author; it stays stored and seeded.`,
  unmute: `swarmpress unmute URL-or-KEY
  Shows a muted site or author again.`,
  'block-list': `swarmpress block-list subscribe|unsubscribe URL-or-KEY | list | publish on|off
  Uses (or stops using) someone's published blocks; lists them; publishes your own.`,
  serve: `swarmpress serve
  A node without a window: seeds your sites and what you follow, follows updates, and
  takes the commands of this data folder while it runs.`,
  render: `swarmpress render FILE.md --dump | --png OUT.png [--width N]
  Draws a Markdown file offscreen, as a widget tree or a picture.`,
  identity: `swarmpress identity show | new | export FILE [--force] | import FILE
  Your key: show it, make a new one (never replacing one that exists), write a backup
  (an existing file only with --force, and never another key's), or install a backup.`,
  sites: `swarmpress sites
  Your own sites and the sites you follow, each with its newest stored version (seq,
  items, when it was published and when it arrived here).`,
  search: `swarmpress search WORDS
  Searches every page stored here (your sites, followed and read ones).`,
  history: `swarmpress history URL
  The stored versions of a site, newest first: infohash, seq, items, time.`,
  help: `swarmpress help [COMMAND]
  The list of commands, or more about one.`,
};
