/**
 * The automation channel of the window, for tests and benchmarks that drive the real app
 * (enabled by SWARMPRESS_AUTOMATION=1). Commands arrive as JSON lines on stdin; answers and
 * events leave as JSON lines on stdout, each with an `automation` key:
 *   {"cmd":"dump"}               -> {"automation":"dump", ...widget tree}
 *   {"cmd":"grab","path":"x.png"} -> {"automation":"grab","ok":true}
 *   {"cmd":"stats"}              -> {"automation":"stats", ...loop counters}
 *   {"cmd":"close"}              closes the window (the app then exits)
 * Events: {"automation":"ready"} after the first page was painted.
 */
import readline from 'node:readline';
import type { QtRuntimeStats } from '../widgets/qt-runtime.js';
import type { MainWindow } from '../widgets/main-window.js';

export const AUTOMATION_ENV = 'SWARMPRESS_AUTOMATION';

export function isAutomationEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[AUTOMATION_ENV] === '1';
}

function send(message: Readonly<Record<string, unknown>>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Starts answering automation commands for `window`; returns a function that stops it. */
export function startAutomation(window: MainWindow, stats: () => QtRuntimeStats): () => void {
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    let request: { cmd?: unknown; path?: unknown };
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
        send({ automation: 'grab', ok: typeof request.path === 'string' && window.grab(request.path) });
        break;
      case 'stats':
        send({ automation: 'stats', ...stats() });
        break;
      case 'close':
        window.close();
        break;
      default:
        send({ automation: 'error', message: `unknown command ${JSON.stringify(request.cmd)}` });
    }
  });
  return () => {
    lines.close();
  };
}

/** Tells the driver that the window shows its first page. */
export function announceReady(details: Readonly<Record<string, unknown>>): void {
  send({ automation: 'ready', ...details });
}
