/**
 * The automation channel of the window, for tests and benchmarks that drive the real app
 * (enabled by SWARMPRESS_AUTOMATION=1). Commands arrive as JSON lines on stdin; answers and
 * events leave as JSON lines on stdout, each with an `automation` key:
 *   {"cmd":"dump"}               -> {"automation":"dump", ...widget tree}
 *   {"cmd":"grab","path":"x.png"} -> {"automation":"grab","ok":true}
 *     (with "window":"site-info": the site information dialog instead of the main window)
 *   {"cmd":"stats"}              -> {"automation":"stats", ...loop counters, mallocArenas, memory, heapSpaces}
 *   {"cmd":"geometry"}           -> {"automation":"geometry", screen, available, windows: [...controls]}
 *     (every visible window and control on the screen: qt-runtime.ts widgetGeometry)
 *   {"cmd":"close"}              closes the window (the app then exits)
 * Events: {"automation":"ready"} after the first page was painted;
 * {"automation":"page","address","title","source","sinceStartMs"} after a page of a site was
 * first painted.
 * More commands come from `extra` handlers (the editor's: writing/editor-automation.ts); a
 * handler's answer is tagged with its command, a failure as {"automation":<cmd>,"error":…}.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { widgetGeometry, type QtRuntimeStats } from '../widgets/qt-runtime.js';
import { lineSplitter } from './lines.js';
import type { MainWindow } from '../widgets/main-window.js';

export const AUTOMATION_ENV = 'SWARMPRESS_AUTOMATION';

export function isAutomationEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[AUTOMATION_ENV] === '1';
}

const PRELOAD_PATH = fileURLToPath(new URL('../../../native/build/Release/swarmpress_preload.node', import.meta.url));

/** How many malloc arenas the process has (bin/swarmpress.js limits them), or -1 if unknown. */
function mallocArenas(): number {
  try {
    return (createRequire(import.meta.url)(PRELOAD_PATH) as { mallocArenas: () => number }).mallocArenas();
  } catch {
    return -1;
  }
}

function send(message: Readonly<Record<string, unknown>>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** A request as it arrived (parsed JSON). */
export type AutomationRequest = Readonly<Record<string, unknown>>;
/** Commands besides the built-in ones: the handler returns the answer's fields. */
export type AutomationHandlers = Readonly<Record<string, (request: AutomationRequest) => AutomationRequest | Promise<AutomationRequest>>>;

function runHandler(name: string, handler: AutomationHandlers[string], request: AutomationRequest): void {
  const fail = (error: unknown): void => {
    send({ automation: name, error: error instanceof Error ? error.message : String(error) });
  };
  try {
    Promise.resolve(handler(request)).then((answer) => {
      send({ automation: name, ...answer });
    }, fail);
  } catch (error) {
    fail(error);
  }
}

/** Starts answering automation commands for `window`; returns a function that stops it. */
export function startAutomation(window: MainWindow, stats: () => QtRuntimeStats, extra: AutomationHandlers = {}): () => void {
  // Lines are split by lineSplitter rather than node:readline, which the window would load
  // (and keep) for the automation channel alone; node:v8 likewise is loaded for `stats` only.
  const onData = lineSplitter((line) => {
    let request: AutomationRequest & { cmd?: unknown; path?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      send({ automation: 'error', message: 'not JSON' });
      return;
    }
    switch (request.cmd) {
      case 'dump':
        send({ automation: 'dump', ...window.dump() });
        break;
      case 'grab':
        send({ automation: 'grab', ok: typeof request.path === 'string' && (request['window'] === 'site-info' ? window.grabSiteInfo(request.path) : window.grab(request.path)) });
        break;
      case 'stats':
        send({
          automation: 'stats',
          ...stats(),
          mallocArenas: mallocArenas(),
          memory: process.memoryUsage(),
          heapSpaces: Object.fromEntries((createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).getHeapSpaceStatistics().map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size, physical: space.physical_space_size }])),
        });
        break;
      case 'geometry':
        send({ automation: 'geometry', ...widgetGeometry() });
        break;
      case 'close':
        window.close();
        break;
      default: {
        const name = typeof request.cmd === 'string' ? request.cmd : '';
        const handler = Object.hasOwn(extra, name) ? extra[name] : undefined;
        if (handler !== undefined) runHandler(name, handler, request);
        else send({ automation: 'error', message: `unknown command ${JSON.stringify(request.cmd)}` });
      }
    }
  });
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', onData);
  return () => {
    process.stdin.off('data', onData);
    process.stdin.pause();
  };
}

/** Tells the driver that the window shows its first page. */
export function announceReady(details: Readonly<Record<string, unknown>>): void {
  send({ automation: 'ready', ...details });
}

/** Tells the driver that a page of a site was first painted. */
export function announcePage(details: Readonly<Record<string, unknown>>): void {
  send({ automation: 'page', ...details, sinceStartMs: performance.now() });
}
