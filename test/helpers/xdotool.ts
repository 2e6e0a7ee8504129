/**
 * Real X input for GUI tests, as a person gives it: xdotool types into the focused window,
 * presses keys and clicks the mouse on a private Xvfb display. Every call is asynchronous,
 * so a test that drives a window of its own process keeps Qt's events running meanwhile.
 */
import { execFile } from 'node:child_process';

const CALL_TIMEOUT_MS = 20_000;

/** Runs xdotool with `args` on `display`; resolves with its output. */
export function xdotool(display: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('xdotool', args, { env: { ...process.env, DISPLAY: display }, timeout: CALL_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`xdotool ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Escapes `text` for xdotool's --name regular expression. */
function literal(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The id of the visible window whose title is exactly `title`; waits for it to appear. */
export async function findWindow(display: string, title: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await xdotool(display, 'search', '--onlyvisible', '--name', `^${literal(title)}$`).catch(() => '');
    const id = found.split('\n')[0] ?? '';
    if (id !== '') return id;
    if (Date.now() > deadline) throw new Error(`no window titled ${JSON.stringify(title)} appeared within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Gives window `id` the keyboard focus (no window manager runs on Xvfb: X's own focus). */
export async function focusWindow(display: string, id: string): Promise<void> {
  await xdotool(display, 'windowfocus', '--sync', id);
}

/**
 * Types `text` into the focused window, `delayMs` between keys. A `\n` presses Return
 * (xdotool itself would send the Linefeed key, which Qt does not read as Return).
 */
export async function typeText(display: string, text: string, delayMs = 12): Promise<void> {
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (index > 0) await xdotool(display, 'key', 'Return');
    if (line !== '') await xdotool(display, 'type', '--delay', String(delayMs), '--', line);
  }
}

/** Presses key combinations in turn, e.g. `ctrl+b`, `End`, `shift+Up`. */
export async function pressKeys(display: string, ...keys: string[]): Promise<void> {
  await xdotool(display, 'key', '--delay', '20', ...keys);
}

/** Clicks the left mouse button at screen position (x, y). */
export async function clickAt(display: string, x: number, y: number): Promise<void> {
  await xdotool(display, 'mousemove', '--sync', String(x), String(y), 'click', '1');
}
