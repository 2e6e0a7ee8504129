/**
 * The render benchmark (issue #5): a 1 MB Markdown page, with the time to the first
 * screenful, to the full layout and the memory (PSS) of swarmpress showing it, beside Qt's
 * own Markdown import in the same run (QTextDocument::setMarkdown in a QTextEdit,
 * native/bench/qt_markdown.cpp, the near-limit reference) and headless Chromium showing the
 * same page as HTML (the browser-engine reference). Every program runs in its own process
 * on the same X server.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Driven, PROGRAM_NODE, REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { XServer } from '../helpers/xvfb.js';
import { RELEASE_QUIET_MS } from '../../src/widgets/qt-runtime.js';
import { endGroup, htmlPage, startChromium } from './chromium.js';
import { settledPss } from './proc.js';
import { benchDocument } from './render-document.js';
import type { Figure } from './report.js';
import { sleep } from './stats.js';

const QT_REFERENCE = path.join(REPO_ROOT, 'native', 'bench', 'build', 'qt_markdown');
const WINDOW = { width: 960, height: 720 };

interface OwnRun {
  readonly startMs: number;
  readonly firstScreenMs: number;
  readonly positionedMs: number;
  readonly laidOutMs: number;
  readonly baselinePssKiB: number;
  readonly laidOutPssKiB: number;
  readonly scrolledPssKiB: number;
  readonly liveMax: number;
}

interface QtRun {
  readonly firstPaintMs: number;
  readonly laidOutMs: number;
  readonly pssKiB: number;
}

interface ChromiumRun {
  readonly screenshotMs: number;
  readonly pssKiB: number;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

async function measureOwn(x: XServer, file: string, settleMs: number): Promise<OwnRun> {
  const spawned = performance.now();
  const probe = new Driven(PROGRAM_NODE, ['dist/test/bench/render-probe.js', file], { cwd: REPO_ROOT, env: { ...process.env, DISPLAY: x.display } });
  try {
    await probe.waitFor((m) => m['phase'] === 'baseline', 'the empty window', 60_000);
    const startMs = performance.now() - spawned;
    const pid = probe.child.pid ?? 0;
    // Memory is read once the window has been quiet long enough to hand back what it freed.
    await sleep(RELEASE_QUIET_MS + settleMs);
    const baselinePssKiB = await settledPss(pid, settleMs, 10_000);
    probe.send({ go: true });
    const first = await probe.waitFor((m) => m['phase'] === 'first-screen', 'the first screenful', 120_000);
    const positioned = await probe.waitFor((m) => m['phase'] === 'positioned', 'the whole page in the view', 120_000);
    const laidOut = await probe.waitFor((m) => m['phase'] === 'laid-out', 'the full layout', 300_000);
    await sleep(RELEASE_QUIET_MS + settleMs);
    const laidOutPssKiB = await settledPss(pid, settleMs, 10_000);
    probe.send({ next: true });
    const scrolled = await probe.waitFor((m) => m['phase'] === 'scrolled', 'scrolling through the page', 300_000);
    await sleep(RELEASE_QUIET_MS + settleMs);
    const scrolledPssKiB = await settledPss(pid, settleMs, 10_000);
    probe.send({ quit: true });
    const exit = await probe.waitExit(30_000);
    if (exit.code !== 0) throw new Error(`the render probe exited with ${String(exit.code ?? exit.signal)}: ${probe.stderr}`);
    return { startMs, firstScreenMs: num(first['ms']), positionedMs: num(positioned['ms']), laidOutMs: num(laidOut['ms']), baselinePssKiB, laidOutPssKiB, scrolledPssKiB, liveMax: num(scrolled['liveMax']) };
  } finally {
    probe.child.kill('SIGKILL');
  }
}

function buildQtReference(): void {
  if (!fs.existsSync(QT_REFERENCE)) execFileSync('make', ['-C', path.join(REPO_ROOT, 'native', 'bench')], { stdio: 'ignore' });
}

async function measureQt(x: XServer, file: string, settleMs: number): Promise<QtRun> {
  const qt = new Driven(QT_REFERENCE, [file, String(WINDOW.width), String(WINDOW.height)], { env: { ...process.env, DISPLAY: x.display, QT_XCB_GL_INTEGRATION: 'none' } });
  try {
    const first = await qt.waitFor((m) => 'firstPaintMs' in m, 'the first paint of QTextEdit', 120_000);
    const laidOut = await qt.waitFor((m) => 'laidOutMs' in m, 'the layout of QTextDocument', 300_000);
    const pssKiB = await settledPss(qt.child.pid ?? 0, settleMs, 10_000);
    qt.send({ quit: true });
    await qt.waitExit(30_000);
    return { firstPaintMs: num(first['firstPaintMs']), laidOutMs: num(laidOut['laidOutMs']), pssKiB };
  } finally {
    qt.child.kill('SIGKILL');
  }
}

async function measureChromium(htmlFile: string, dir: string, settleMs: number): Promise<ChromiumRun> {
  const url = `file://${htmlFile}`;
  const shot = path.join(dir, 'chromium.png');
  const started = performance.now();
  const screenshot = startChromium([`--window-size=${WINDOW.width},${WINDOW.height}`, `--screenshot=${shot}`, url], path.join(dir, 'chromium-profile-1'));
  const exited = await new Promise<number | null>((resolve) => screenshot.once('exit', resolve));
  const screenshotMs = performance.now() - started;
  endGroup(screenshot);
  if (exited !== 0 || !fs.existsSync(shot)) throw new Error(`chromium --screenshot failed (exit ${String(exited)})`);
  const resident = startChromium([`--window-size=${WINDOW.width},${WINDOW.height}`, url], path.join(dir, 'chromium-profile-2'));
  try {
    await sleep(settleMs);
    const pssKiB = await settledPss(resident.pid ?? 0, settleMs, 30_000);
    return { screenshotMs, pssKiB };
  } finally {
    endGroup(resident);
  }
}

function writeDocuments(dir: string, bytes: number): { md: string; html: string } {
  const source = benchDocument(bytes);
  const md = path.join(dir, 'page.md');
  const html = path.join(dir, 'page.html');
  fs.writeFileSync(md, source);
  fs.writeFileSync(html, htmlPage(source, 'bench'));
  return { md, html };
}

/** Runs the render benchmark; `smoke` runs each program once on a small page (figures mean nothing). */
export async function benchRender(x: XServer, options: { smoke: boolean }): Promise<Figure[]> {
  const runs = options.smoke ? 1 : 3;
  const settleMs = options.smoke ? 200 : 1000;
  const dir = makeTempDir('swarmpress-bench-render-');
  try {
    const { md, html } = writeDocuments(dir, options.smoke ? 80_000 : 1_000_000);
    buildQtReference();
    const own: OwnRun[] = [];
    const qt: QtRun[] = [];
    const chromium: ChromiumRun[] = [];
    for (let run = 0; run < runs; run++) {
      own.push(await measureOwn(x, md, settleMs));
      qt.push(await measureQt(x, md, settleMs));
      chromium.push(await measureChromium(html, dir, settleMs));
    }
    const mib = (kib: number): number => kib / 1024;
    const size = options.smoke ? '80 KB' : '1 MB';
    return [
      {
        id: 'render-first-screen',
        title: `${size} page: file read to first screenful painted`,
        subject: { label: 'swarmpress', unit: 'ms', values: own.map((r) => r.firstScreenMs) },
        reference: { label: 'Qt QTextDocument::setMarkdown', unit: 'ms', values: qt.map((r) => r.firstPaintMs) },
        target: '≤ 100 ms',
      },
      {
        id: 'render-whole-page',
        title: `${size} page: file read to the whole page lexed and placed in the view (heights estimated until measured)`,
        subject: { label: 'swarmpress', unit: 'ms', values: own.map((r) => r.positionedMs) },
        reference: { label: 'Qt QTextDocument::setMarkdown (to first paint, after its parse)', unit: 'ms', values: qt.map((r) => r.firstPaintMs) },
      },
      {
        id: 'render-full-layout',
        title: `${size} page: file read to full layout (every block measured by Qt)`,
        subject: { label: 'swarmpress', unit: 'ms', values: own.map((r) => r.laidOutMs) },
        reference: { label: 'Qt QTextDocument::setMarkdown', unit: 'ms', values: qt.map((r) => r.laidOutMs) },
      },
      {
        id: 'render-pss',
        title: `${size} page: memory (PSS) once laid out`,
        subject: { label: 'swarmpress', unit: 'MiB', values: own.map((r) => mib(r.laidOutPssKiB)) },
        reference: { label: 'Qt QTextDocument::setMarkdown', unit: 'MiB', values: qt.map((r) => mib(r.pssKiB)) },
      },
      {
        id: 'render-pss-growth',
        title: `${size} page: memory growth over the window showing the welcome page, after scrolling through it all (each read ${RELEASE_QUIET_MS / 1000} s after the window fell quiet)`,
        subject: { label: 'swarmpress', unit: 'MiB', values: own.map((r) => mib(r.scrolledPssKiB - r.baselinePssKiB)) },
        target: '≤ 20 MB',
      },
      {
        id: 'render-live-widgets',
        title: `${size} page: most blocks that were widgets at once while scrolling`,
        subject: { label: 'swarmpress', unit: 'blocks', values: own.map((r) => r.liveMax) },
      },
      {
        id: 'render-browser-time',
        title: `${size} page: process start to first screen`,
        subject: { label: 'swarmpress (start to window + first screenful)', unit: 'ms', values: own.map((r) => r.startMs + r.firstScreenMs) },
        reference: { label: 'headless Chromium (start to --screenshot written)', unit: 'ms', values: chromium.map((r) => r.screenshotMs) },
      },
      {
        id: 'render-browser-pss',
        title: `${size} page: memory (PSS) showing the page`,
        subject: { label: 'swarmpress', unit: 'MiB', values: own.map((r) => mib(r.laidOutPssKiB)) },
        reference: { label: 'headless Chromium (all processes)', unit: 'MiB', values: chromium.map((r) => mib(r.pssKiB)) },
      },
    ];
  } finally {
    removeDir(dir);
  }
}
