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
  | { readonly name: 'publish'; readonly dir: string; readonly site: string | undefined }
  | { readonly name: 'post'; readonly file: string; readonly title: string | undefined; readonly replyTo: string | undefined; readonly site: string | undefined }
  | { readonly name: 'get'; readonly url: string; readonly out: string | undefined; readonly timeoutS: number | undefined }
  | { readonly name: 'follow' | 'unfollow' | 'block'; readonly target: string }
  | { readonly name: 'unblock' | 'mute' | 'unmute'; readonly target: string }
  | { readonly name: 'block-list'; readonly action: BlockListAction; readonly target: string | undefined }
  | { readonly name: 'serve' }
  | { readonly name: 'render'; readonly file: string; readonly png: string | undefined; readonly dump: boolean; readonly width: number }
  | { readonly name: 'identity'; readonly action: 'show' | 'export' | 'import'; readonly file: string | undefined }
  | { readonly name: 'help' }
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
} as const satisfies ParseArgsConfig['options'];

type OptionName = keyof typeof OPTIONS;

const COMMON: readonly OptionName[] = ['help', 'version', 'json', 'data-dir', 'listen', 'dht-bootstrap', 'no-dht', 'no-lan'];

/** Options each command accepts besides the common ones, and how many operands it takes. */
const COMMANDS = {
  window: { options: ['kiosk', 'kiosk-idle', 'kiosk-allow'], operands: [0, 1] },
  publish: { options: ['site'], operands: [1, 1] },
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
  identity: { options: [], operands: [1, 2] },
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
      return { name, dir: operand, site: values.site };
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
      if (action !== 'show' && action !== 'export' && action !== 'import') {
        throw new UsageError(`'swarmpress identity' takes show, export FILE or import FILE, not '${action}'`);
      }
      const file = operands[1];
      if ((action === 'show') !== (file === undefined)) {
        throw new UsageError(action === 'show' ? "'swarmpress identity show' takes no file" : `'swarmpress identity ${action}' needs a FILE`);
      }
      return { name, action, file };
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
