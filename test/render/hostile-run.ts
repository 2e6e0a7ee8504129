/**
 * Runs a page of the hostile corpus in the real window (hostile-probe.ts) or through
 * `swarmpress render --png`, and watches the process's memory all along: PSS summed over
 * its process tree from /proc/PID/smaps_rollup every SAMPLE_MS. A process that passes the
 * ceiling is killed at once (on today's main a page took 6 GB in 12 s: the machine must
 * not find out how far it goes).
 */
import path from 'node:path';
import { Driven, PROGRAM_NODE, REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { treeMemory } from '../bench/proc.js';
import type { HostilePage } from './hostile-pages.js';

/** The ceiling for any page: 300 MB of PSS. */
export const PSS_CEILING_KIB = Math.floor((300 * 1000 * 1000) / 1024);
const SAMPLE_MS = 50;

/** What one run of a page did. */
export interface HostileRun {
  /** Highest PSS seen, in KiB. */
  readonly peakPssKiB: number;
  /** True when the ceiling was passed (the process was killed then). */
  readonly exceeded: boolean;
  /** Why the run did not finish, when it did not ('' when it did). */
  readonly failure: string;
  /** The window: the page's first screenful painted, in ms from reading the file (NaN for render). */
  readonly firstPaintMs: number;
  /** Start of the process to its end (render) or to the whole page visited (window), in ms. */
  readonly totalMs: number;
  /** The probe's last message. */
  readonly last: Readonly<Record<string, unknown>>;
  /** The window: the probe's "shown" message (the plan's blocks, tables and notices), or {}. */
  readonly shown: Readonly<Record<string, unknown>>;
}

async function watch(child: Driven, done: Promise<unknown>, ceilingKiB: number, timeoutMs: number): Promise<{ peak: number; exceeded: boolean; failure: string }> {
  const pid = child.child.pid ?? 0;
  let peak = 0;
  let exceeded = false;
  let failure = '';
  const state = { finished: false, error: '' };
  done.then(() => (state.finished = true), (error: unknown) => {
    state.finished = true;
    state.error = String(error instanceof Error ? error.message : error);
  });
  const deadline = Date.now() + timeoutMs;
  while (!state.finished) {
    peak = Math.max(peak, treeMemory(pid).pssKiB);
    if (peak > ceilingKiB) {
      exceeded = true;
      failure = `PSS passed ${Math.round(ceilingKiB / 1024)} MiB`;
      break;
    }
    if (Date.now() > deadline) {
      failure = `not done within ${timeoutMs / 1000} s`;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  child.child.kill('SIGKILL');
  await child.exited;
  return { peak, exceeded, failure: failure || state.error };
}

/** Shows `page` in the real window on `display`; see the file comment. */
export async function runInWindow(page: HostilePage, display: string, options: { ceilingKiB?: number; timeoutMs?: number } = {}): Promise<HostileRun> {
  const probe = new Driven(PROGRAM_NODE, [path.join(REPO_ROOT, 'dist', 'test', 'render', 'hostile-probe.js'), page.file], { cwd: REPO_ROOT, env: { ...process.env, DISPLAY: display } });
  const spawned = performance.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const done = probe.waitFor((m) => m['phase'] === 'scrolled', `the whole of ${page.name} visited`, timeoutMs);
  const watched = await watch(probe, done, options.ceilingKiB ?? PSS_CEILING_KIB, timeoutMs);
  const first = probe.messages.find((m) => m['phase'] === 'first-paint');
  return {
    peakPssKiB: watched.peak,
    exceeded: watched.exceeded,
    failure: watched.failure,
    firstPaintMs: typeof first?.['ms'] === 'number' ? first['ms'] : Number.NaN,
    totalMs: performance.now() - spawned,
    last: probe.messages.at(-1) ?? {},
    shown: probe.messages.find((m) => m['phase'] === 'shown') ?? {},
  };
}

/** `swarmpress render page --png out` (offscreen), watched the same way. */
export async function runRenderPng(page: HostilePage, out: string, options: { ceilingKiB?: number; timeoutMs?: number } = {}): Promise<HostileRun & { readonly code: number | null; readonly stderr: string }> {
  const render = new Driven(PROGRAM_NODE, [SWARMPRESS_BIN, 'render', page.file, '--png', out, '--json'], { cwd: REPO_ROOT, env: { ...process.env, DISPLAY: '' } });
  const spawned = performance.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const watched = await watch(render, render.exited, options.ceilingKiB ?? PSS_CEILING_KIB, timeoutMs);
  const exit = await render.exited;
  return {
    peakPssKiB: watched.peak,
    exceeded: watched.exceeded,
    failure: watched.failure || (exit.code === 0 ? '' : `exit ${String(exit.code ?? exit.signal)}: ${render.stderr.trim().split('\n').at(-1) ?? ''}`),
    firstPaintMs: Number.NaN,
    totalMs: performance.now() - spawned,
    last: render.messages.at(-1) ?? {},
    shown: {},
    code: exit.code,
    stderr: render.stderr,
  };
}
