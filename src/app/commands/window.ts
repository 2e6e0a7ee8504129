/**
 * `swarmpress [URL]` and `swarmpress --kiosk URL`: the window. Without a display it says so
 * in one line and runs the headless node instead.
 */
import fs from 'node:fs';
import { assertNever } from '../../core/assert-never.js';
import { AppError } from '../../core/errors.js';
import { layoutDoc, type LayoutPlan } from '../../render/layout.js';
import { parseMarkdown } from '../../render/markdown.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import { MainWindow } from '../../widgets/main-window.js';
import { loadQt, type QtLoopMode } from '../../widgets/qt-runtime.js';
import { folderSiteFiles } from '../../render/site-files.js';
import { ASSETS_DIR, readAssetPage, WELCOME_ADDRESS } from '../assets.js';
import { openExternally } from '../open-externally.js';
import { announceReady, isAutomationEnabled, startAutomation } from '../automation.js';
import type { Command, CommonOptions } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';
import { serve } from './serve.js';

/** Loop mode for benchmarks only: SWARMPRESS_QT_LOOP=naive selects the 16 ms reference. */
const LOOP_ENV = 'SWARMPRESS_QT_LOOP';

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['DISPLAY'] ?? '') !== '' || (env['WAYLAND_DISPLAY'] ?? '') !== '';
}

/**
 * Qt aborts the process (and dumps core) when it cannot reach the X server, so a local
 * display whose socket is missing is refused first with a clear message.
 */
export function checkDisplay(env: NodeJS.ProcessEnv = process.env): void {
  const display = env['DISPLAY'] ?? '';
  const local = /^(?:unix)?:(\d+)(?:\.\d+)?$/.exec(display);
  if ((env['WAYLAND_DISPLAY'] ?? '') !== '' || local === null) return;
  if (!fs.existsSync(`/tmp/.X11-unix/X${local[1] ?? ''}`)) {
    throw new AppError('ERR_DISPLAY', `cannot open the window: no X server is running on display ${display}`);
  }
}

export async function openWindow(command: Extract<Command, { name: 'window' }>, common: CommonOptions, out: Output): Promise<number> {
  if (!hasDisplay()) {
    process.stderr.write('swarmpress: no display ($DISPLAY and $WAYLAND_DISPLAY are unset): starting the headless node instead (swarmpress serve)\n');
    return serve(common, out);
  }
  checkDisplay();
  // Signals first: Ctrl-C or SIGTERM while Qt loads must still end the app cleanly.
  let window: MainWindow | undefined;
  let stopRequested = false;
  const closeWindow = (): void => {
    stopRequested = true;
    window?.close();
  };
  process.on('SIGINT', closeWindow);
  process.on('SIGTERM', closeWindow);
  const forgetSignals = (): void => {
    process.off('SIGINT', closeWindow);
    process.off('SIGTERM', closeWindow);
  };
  try {
    return await showWindow(command, common, out, (created) => {
      window = created;
      return stopRequested;
    });
  } finally {
    forgetSignals();
  }
}

async function showWindow(
  command: Extract<Command, { name: 'window' }>,
  common: CommonOptions,
  out: Output,
  /** Hands the window over before it is shown; true when the app should close at once. */
  onCreated: (window: MainWindow) => boolean,
): Promise<number> {
  ensureDataDir(resolveDataDir(common.dataDir));
  const loop: QtLoopMode = process.env[LOOP_ENV] === 'naive' ? 'naive' : 'integrated';
  const loaded = loadQt({ loop });
  let plan: LayoutPlan = layoutDoc(parseMarkdown(readAssetPage('welcome.md') ?? '# swarmpress\n\nThe welcome page is missing from this installation.'));
  const window = new MainWindow(
    loaded.qt,
    { kiosk: command.kiosk },
    {
      onNavigate: (address) => {
        window.setStatus(`Opening ${address}: reading sites from the swarm arrives with issue #7.`);
      },
      onLink: (index) => {
        const link = plan.links[index];
        if (link === undefined) return;
        const target = link.target;
        switch (target.kind) {
          case 'relative': {
            const page = target.path === '' ? undefined : readAssetPage(target.path);
            if (page === undefined) {
              window.setStatus(`No page ${target.path} here.`);
            } else {
              plan = layoutDoc(parseMarkdown(page));
              window.showPage(plan, `${WELCOME_ADDRESS}/${target.path}`, { files: folderSiteFiles(ASSETS_DIR, target.path) });
              window.setStatus('');
            }
            return;
          }
          case 'fragment':
            return;
          case 'swarm':
            window.setStatus(`${target.href}: reading sites from the swarm arrives with issue #7.`);
            return;
          case 'external':
            // Reached only when no opener is wired (onOpenExternal below handles web links).
            window.setStatus(`Web link (not opened): ${target.display}`);
            return;
          case 'inert':
            window.setStatus(`This link is not followed: ${target.reason}.`);
            return;
          default:
            assertNever(target, 'link target');
        }
      },
      // The page asked the reader first (the full URL, punycode host): now hand it over.
      onOpenExternal: (href) => {
        openExternally(href).then(
          () => {
            window.setStatus(`Opened ${href} in your browser.`);
          },
          (error: unknown) => {
            window.setStatus(error instanceof Error ? error.message : String(error));
          },
        );
      },
      onPlay: (_path, file) => {
        openExternally(file).then(
          () => {
            window.setStatus(`Playing ${file} with your media player.`);
          },
          (error: unknown) => {
            window.setStatus(error instanceof Error ? error.message : String(error));
          },
        );
      },
    },
  );
  const stopAtOnce = onCreated(window);
  window.showPage(plan, WELCOME_ADDRESS, { files: folderSiteFiles(ASSETS_DIR, 'welcome.md') });
  if (command.url !== undefined) window.setStatus(`Opening ${command.url}: reading sites from the swarm arrives with issue #7.`);
  const automation = isAutomationEnabled() ? startAutomation(window, () => loaded.stats()) : undefined;
  const startedAt = performance.now();
  window.onNextPaint(() => {
    const paintedMs = performance.now() - startedAt;
    if (automation !== undefined) announceReady({ pid: process.pid, loop, sinceWindowMs: paintedMs, sinceStartMs: performance.now() });
  });

  return new Promise<number>((resolve) => {
    const finish = (): void => {
      automation?.();
      loaded.stop();
      resolve(EXIT_OK);
    };
    loaded.onLastWindowClosed(finish);
    window.show();
    if (out.json) out.print({ event: 'window', pid: process.pid }, 'window open');
    // Ctrl-C and SIGTERM close the window like the user would, which ends the app.
    if (stopAtOnce) window.close();
  });
}
