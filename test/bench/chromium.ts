/**
 * Headless Chromium (Debian's package), the browser-engine reference of the benchmarks:
 * a Markdown page turned into HTML by marked, Chromium started in its own process group
 * (so that its whole tree can be measured and ended), and the time from spawning it to the
 * first contentful paint of the page as Chromium's own Paint Timing reports it, read over
 * the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no extra package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Marked } from 'marked';
import { sleep } from './stats.js';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs Chromium in its own process group, so that the whole tree can be ended by that group's id. */
export function startChromium(args: readonly string[], userDataDir: string): ChildProcess {
  return spawn('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, ...args], { stdio: 'ignore', detached: true });
}

export function endGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** `markdown` as the HTML page a browser would be given (marked, GFM, a plain reading style). */
export function htmlPage(markdown: string, title: string): string {
  const body = new Marked({ gfm: true, async: false }).parse(markdown) as string;
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><meta charset="utf-8"><title>${escaped}</title><style>body{font:15px sans-serif;max-width:900px;margin:20px 28px}code,pre{font-family:monospace}</style>${body}`;
}

/** A DevTools protocol client over Chromium's pipe (fd 3 in, fd 4 out, messages end with NUL). */
class PipeClient {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #id = 0;
  #pending = '';

  constructor(child: ChildProcess) {
    this.#child = child;
    const output = child.stdio[4];
    output?.on('data', (chunk: Buffer) => {
      this.#pending += chunk.toString();
      let end;
      while ((end = this.#pending.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.#pending.slice(0, end)) as Record<string, unknown>;
        this.#pending = this.#pending.slice(end + 1);
        const id = message['id'];
        if (typeof id === 'number') {
          this.#waiting.get(id)?.(message);
          this.#waiting.delete(id);
        }
      }
    });
  }

  call(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.#id;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (message) => {
        if (message['error'] !== undefined) reject(new Error(`${method}: ${JSON.stringify(message['error'])}`));
        else resolve((message['result'] ?? {}) as Record<string, unknown>);
      });
      const input = this.#child.stdio[3] as NodeJS.WritableStream | null;
      input?.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    });
  }
}

/**
 * Starts Chromium on `url` and waits for the page's first contentful paint. `spawnToPaintMs`
 * is the wall-clock time from just before the spawn to that paint (the page's
 * performance.timeOrigin + its first-contentful-paint entry); Chromium keeps running, the
 * caller ends it with endGroup.
 */
export async function openWithPaintTiming(url: string, userDataDir: string, window: { width: number; height: number }, timeoutMs = 60_000): Promise<{ child: ChildProcess; spawnToPaintMs: number }> {
  const spawnedAt = performance.timeOrigin + performance.now();
  const child = spawn('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-pipe', `--window-size=${window.width},${window.height}`, url], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    const client = new PipeClient(child);
    const deadline = Date.now() + timeoutMs;
    let sessionId: string | undefined;
    const probe = `(() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return location.href === ${JSON.stringify(url)} && e !== undefined ? performance.timeOrigin + e.startTime : null; })()`;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`headless Chromium did not paint ${url} within ${timeoutMs} ms`);
      if (sessionId === undefined) {
        const targets = (await client.call('Target.getTargets'))['targetInfos'] as { type: string; targetId: string; url: string }[];
        const page = targets.find((target) => target.type === 'page');
        if (page !== undefined) sessionId = (await client.call('Target.attachToTarget', { targetId: page.targetId, flatten: true }))['sessionId'] as string;
      } else {
        const answer = await client.call('Runtime.evaluate', { expression: probe, returnByValue: true }, sessionId);
        const value = (answer['result'] as { value?: unknown } | undefined)?.value;
        if (typeof value === 'number') return { child, spawnToPaintMs: value - spawnedAt };
      }
      await sleep(20);
    }
  } catch (error) {
    endGroup(child);
    throw error;
  }
}
