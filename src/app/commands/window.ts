/**
 * `swarmpress [URL]` and `swarmpress --kiosk URL`: the window. Without a display it says so
 * in one line and runs the headless node instead.
 *
 * The window runs the same node as `swarmpress serve` (app-node.ts), started right after the
 * first paint so that the welcome page never waits for it; commands of the same data folder
 * (`swarmpress publish`, …) are handed to it. Kiosk mode: fullscreen, read-only, the site
 * opened is followed and shown again as soon as a new version arrives. Besides the
 * reader and the editor, the window has File → New site and Edit → Settings (app-dialogs.ts).
 */
import fs from 'node:fs';
import { AppError } from '../../core/errors.js';
import type { LayoutPlan } from '../../render/layout.js';
import { PlanWorker } from '../../render/parse-off-thread.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import { MainWindow, type MainWindowCommands } from '../../widgets/main-window.js';
import { inputIdleMs, loadQt, onMemoryRelease, releaseMemorySoon, returnFreeMemory, type LoadedQt, type QtLoopMode } from '../../widgets/qt-runtime.js';
import { openExternally } from '../open-externally.js';
import { announcePage, announceReady, isAutomationEnabled, startAutomation } from '../automation.js';
import { crashIfTestAsks, startCrashLog, type CrashReport } from '../crash-log.js';
import { DEFAULT_KIOSK_IDLE_S, KioskPolicy, startIdleReturn } from '../kiosk.js';
import { editorAutomation } from '../writing/editor-automation.js';
import { ownPages, sitePublisher } from '../writing/site-publisher.js';
import { openNewSiteDialog, openSettingsDialog } from '../app-dialogs.js';
import { AppNode } from '../app-node.js';
import { prepareStoredPage, Reader, readerNode, type PreparedPage } from '../reader.js';
import { linkToRunningNode } from '../window-link.js';
import { SiteInfoPresenter, versionOfRow } from '../site-info.js';
import type { Command, CommonOptions } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';
import { AssetPages, FormDialogs, openWriting, sessionSettings, type OpenedWriting } from './window-parts.js';
import { serve } from './serve.js';

/** Loop mode for benchmarks only: SWARMPRESS_QT_LOOP=naive selects the 16 ms reference. */
const LOOP_ENV = 'SWARMPRESS_QT_LOOP';
/**
 * The layout thread ends after this long without a page to lay out, and the next page
 * starts a fresh one (~40 ms more for that page): a reader idling on a page, a kiosk all
 * day, keep ~8 MiB less (PlanWorker `idleMs`), and ~1.8 MiB more once glibc is asked to
 * return what the thread freed (returnFreeMemory).
 */
const LAYOUT_IDLE_MS = 10_000;

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
    // A page was asked for: the headless node could not show it, and would hide the mistake.
    if (command.url !== undefined) {
      throw new AppError('ERR_DISPLAY', `no display ($DISPLAY and $WAYLAND_DISPLAY are unset) to show ${command.url} on: 'swarmpress get URL' fetches it, 'swarmpress follow URL' follows it`);
    }
    process.stderr.write('swarmpress: no display ($DISPLAY and $WAYLAND_DISPLAY are unset): starting the headless node instead (swarmpress serve)\n');
    return serve(common, out);
  }
  checkDisplay();
  // One node per data folder: a window open there shows the page instead, a serve hands
  // its node over until this process ends (window-link.ts).
  const link = await linkToRunningNode(resolveDataDir(common.dataDir), command, out.json);
  if (link.kind === 'shown') return link.exitCode;
  // Signals first: Ctrl-C or SIGTERM while Qt loads must still end the app cleanly.
  let closeAll: (() => void) | undefined;
  let stopRequested = false;
  const closeWindow = (): void => {
    stopRequested = true;
    closeAll?.();
  };
  process.on('SIGINT', closeWindow);
  process.on('SIGTERM', closeWindow);
  const forgetSignals = (): void => {
    process.off('SIGINT', closeWindow);
    process.off('SIGTERM', closeWindow);
  };
  try {
    return await showWindow(command, common, out, (close) => {
      closeAll = close;
      return stopRequested;
    });
  } finally {
    forgetSignals();
    // The window's node has stopped: serve's may run again.
    if (link.kind === 'handed-over') link.release();
  }
}

/** What the window's steps share: made in order by showWindow, read late by the window's commands. */
interface WindowApp {
  readonly command: Extract<Command, { name: 'window' }>;
  readonly dataDir: string;
  readonly loop: QtLoopMode;
  readonly worker: PlanWorker;
  readonly appNode: AppNode;
  readonly prepared: PreparedPage | undefined;
  readonly loaded: LoadedQt;
  readonly layout: (source: string) => Promise<LayoutPlan>;
  /** The editor; none in kiosk mode. */
  readonly writing: OpenedWriting | undefined;
  readonly dialogs: FormDialogs;
  readonly assets: AssetPages;
  /** What the last run's crash log said, reported once (crash-log.ts). */
  readonly lastCrash: CrashReport | undefined;
  /** Kiosk mode's policy (its own site, the allowed ones); none outside kiosk mode. */
  readonly kiosk: KioskPolicy | undefined;
  /** Stops the kiosk's return home after idle time, once started. */
  stopKiosk: (() => void) | undefined;
  /** Set once made (the window's commands run only after). */
  window: MainWindow | undefined;
  reader: Reader | undefined;
  siteInfo: SiteInfoPresenter | undefined;
}

async function showWindow(
  command: Extract<Command, { name: 'window' }>,
  common: CommonOptions,
  out: Output,
  /** Hands over what closes every window, before they are shown; true when the app should close at once. */
  onCreated: (closeAll: () => void) => boolean,
): Promise<number> {
  const app = prepareApp(command, common);
  const window = new MainWindow(app.loaded.qt, { kiosk: command.kiosk }, { ...readingCommands(app), ...authoringCommands(app) });
  app.window = window;
  const reader = openReader(app, window);
  app.reader = reader;
  app.siteInfo = new SiteInfoPresenter({
    view: window,
    node: () => app.appNode.node,
    shown: () => {
      const shown = reader.shown;
      return shown?.siteKey === undefined ? undefined : { siteKey: shown.siteKey, infohash: shown.infohash };
    },
  });
  const stopAtOnce = onCreated(() => {
    closeEverything(app);
  });
  app.writing?.showDrafts(true);
  app.assets.showFirst(window, command.url);
  if (app.lastCrash !== undefined) window.setStatus(app.lastCrash.message);
  const automation = isAutomationEnabled() ? startWindowAutomation(app, window) : undefined;
  // `swarmpress [URL]` run again on this data folder (a `bittorrent:` link the desktop opens).
  app.appNode.onOpenRequest((url) => {
    if (url !== undefined) {
      app.assets.showing = false;
      reader.navigate(url);
    }
    window.bringToFront();
  });
  openFirstPage(app, window, reader, automation !== undefined);
  return runUntilClosed(app, window, out, stopAtOnce, automation);
}

/**
 * What comes before the window: the data folder, the layout thread (it loads the lexer and
 * warms it up on the other core while this one loads Qt, so that the first page is not laid
 * out by a cold thread), the stored copy of the page to open (its first screens laid out
 * meanwhile), Qt, and the editor.
 */
function prepareApp(command: Extract<Command, { name: 'window' }>, common: CommonOptions): WindowApp {
  const dataDir = resolveDataDir(common.dataDir);
  ensureDataDir(dataDir);
  const worker = new PlanWorker({ idleMs: LAYOUT_IDLE_MS, onThreadEnded: returnFreeMemory });
  void worker.warmUp();
  const loop: QtLoopMode = process.env[LOOP_ENV] === 'naive' ? 'naive' : 'integrated';
  const appNode = new AppNode(common);
  // The control socket first: a second link opened while Qt loads comes to this window.
  void appNode.listen();
  // Started with a site's address, its stored copy is read and composed now, and the layout
  // thread lays out its first screens while this thread loads Qt: the window's first frame
  // then shows the page, instead of an empty frame followed by the page (warm start to the
  // page's first paint: ~353 ms against 362-381 ms; measured).
  const prepared = command.url === undefined ? undefined : prepareStoredPage(appNode, command.url, (source) => {
    worker.prefetchFirstScreens(source);
  });
  const loaded = loadQt({ loop });
  const lastCrash = startCrashLog(dataDir);
  const layout = (source: string): Promise<LayoutPlan> => worker.layout(source);
  // The one clock of the window's app: drafts, saves and posts are dated by it.
  const now = Date.now;
  const app: WindowApp = {
    command, dataDir, loop, worker, appNode, prepared, loaded, layout,
    writing: command.kiosk
      ? undefined
      : openWriting(loaded.qt, loaded.textCursors, dataDir, () => app.window, sitePublisher(() => appNode.start(), now), ownPages(() => appNode.start(), dataDir), layout, now),
    dialogs: new FormDialogs(),
    assets: new AssetPages(command.url),
    lastCrash,
    kiosk: command.kiosk && command.url !== undefined ? new KioskPolicy(command.url, command.kioskAllow) : undefined,
    stopKiosk: undefined,
    window: undefined,
    reader: undefined,
    siteInfo: undefined,
  };
  return app;
}

/** What the window asks of the reader: navigation, links, the site actions, the library; web links and media go to the system. */
function readingCommands(app: WindowApp): MainWindowCommands {
  const reader = (): Reader | undefined => app.reader;
  const status = (text: string): void => {
    app.window?.setStatus(text);
  };
  /** The window leaves the installation's pages for the reader's. */
  const toReader = (): Reader | undefined => {
    app.assets.showing = false;
    return reader();
  };
  const openOutside = (target: string, done: string): void => {
    openExternally(target).then(() => {
      status(done);
    }, (error: unknown) => {
      status(error instanceof Error ? error.message : String(error));
    });
  };
  return {
    onNavigate: (address) => toReader()?.navigate(address),
    onBack: () => toReader()?.back(),
    onForward: () => toReader()?.forward(),
    onReload: () => void reader()?.reload(),
    onQuit: () => {
      closeEverything(app);
    },
    onFollow: () => reader()?.actions.toggleFollow(),
    onBlock: () => void reader()?.actions.block(),
    onMute: () => reader()?.actions.toggleMute(),
    onBlockList: () => void reader()?.actions.toggleBlockList(),
    onReply: () => reader()?.actions.reply(),
    onOpenLibraryEntry: (id) => toReader()?.openLibraryEntry(id),
    onSearch: (query) => reader()?.search(query),
    onLibraryShown: () => reader()?.refreshLibrary(),
    onUnblock: (id) => reader()?.actions.unblock(id),
    onLink: (index) => {
      const window = app.window;
      if (!app.assets.showing) reader()?.link(index);
      else if (window !== undefined) app.assets.link(window, index, (href) => toReader()?.navigate(href));
    },
    // The page asked the reader first (the full URL, punycode host): now hand it over.
    onOpenExternal: (href) => {
      openOutside(href, `Opened ${href} in your browser.`);
    },
    onPlay: (_path, file) => {
      openOutside(file, `Playing ${file} with your media player.`);
    },
    onOpenDraft: (id) => {
      try {
        app.writing?.writing.openDraft(id);
      } catch (error) {
        status(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/**
 * Kiosk mode's difference, in one place: a kiosk is read-only, so it has none of these —
 * site information and its history, writing and editing, new sites, settings.
 */
function authoringCommands(app: WindowApp): Partial<MainWindowCommands> {
  const writing = app.writing;
  if (app.command.kiosk || writing === undefined) return {};
  const { appNode, dataDir, dialogs } = app;
  const qt = app.loaded.qt;
  return {
    onSiteInfo: () => app.siteInfo?.open(),
    onOpenVersion: (id: string) => {
      const infohash = versionOfRow(id);
      if (infohash === undefined) return;
      app.assets.showing = false;
      app.reader?.openVersion(infohash);
    },
    onSiteInfoClosed: () => app.siteInfo?.closed(),
    onNewPost: () => {
      writing.writing.newPost();
    },
    onEdit: () => app.reader?.actions.edit(),
    onNewSite: () => {
      dialogs.show('new-site', (onClosed) => openNewSiteDialog(qt, {
        appNode,
        onCreated: (name, url) => {
          app.window?.setStatus(`Your new site '${name}' is published at ${url}: choose it in the editor when you write a post.`);
          app.reader?.refreshLibrary();
        },
        onClosed,
      }));
    },
    onSettings: () => {
      dialogs.show('settings', (onClosed) => openSettingsDialog(qt, {
        appNode,
        dataDir,
        onApplied: (message) => app.window?.setStatus(message),
        onClosed,
      }));
    },
  };
}

/** Closes every window of the app (Ctrl+Q, Ctrl-C, SIGTERM), which ends it. */
function closeEverything(app: WindowApp): void {
  app.dialogs.closeAll();
  app.writing?.writing.close();
  app.window?.close();
}

/** A kiosk goes back to its home page after its idle time without input (kiosk.ts). */
function startKioskIdleReturn(app: WindowApp, window: MainWindow, reader: Reader): void {
  const kiosk = app.kiosk;
  if (kiosk === undefined) return;
  app.stopKiosk = startIdleReturn({
    idleMs: (app.command.kioskIdleS ?? DEFAULT_KIOSK_IDLE_S) * 1000,
    idleFor: inputIdleMs,
    onIdle: () => {
      if (window.addressShown !== kiosk.home || (window.page?.scrollY ?? 0) > 0) reader.navigate(kiosk.home);
    },
  });
}

/** The reader of the window, over the app's node; replies and edits open the editor. */
function openReader(app: WindowApp, window: MainWindow): Reader {
  return new Reader({
    view: window,
    node: readerNode(app.appNode),
    layout: app.layout,
    layoutInStages: (source, onFirstScreens) => app.worker.layoutInStages(source, onFirstScreens),
    kiosk: app.command.kiosk,
    ...(app.kiosk === undefined ? {} : { refuse: (address: string) => (app.kiosk?.allows(address) === true ? undefined : app.kiosk?.refusal(address)) }),
    ...(app.prepared === undefined ? {} : { prepared: app.prepared }),
    ...(isAutomationEnabled() ? { onPageShown: announcePage } : {}),
    onReply: (target) => {
      app.writing?.writing.newPost({ id: target.id, href: target.href, title: target.title });
    },
    onEdit: (target) => {
      app.writing?.writing.editPage(target.site, target.path).catch((error: unknown) => {
        window.setStatus(`This page cannot be edited: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
  });
}

/** The automation channel (automation.ts): the window, the editor, the dialogs and the node. */
function startWindowAutomation(app: WindowApp, window: MainWindow): () => void {
  const { appNode, writing } = app;
  return startAutomation(window, () => app.loaded.stats(), {
    ...(writing === undefined ? {} : editorAutomation(writing.writing, writing.saves)),
    ...app.dialogs.automation(),
    node: async () => {
      const node = await appNode.start();
      const paused = new Set(node.pausedVersions);
      return {
        dataDir: node.dataDir,
        port: node.session.listenPort,
        seeding: node.seeding.length,
        versions: node.seeding.map((hex) => ({ infohash: hex, paused: paused.has(hex) })),
        cache: node.store.cacheUsage(),
        sessionSettings: sessionSettings(node.session.saveState()),
      };
    },
  });
}

/**
 * Opens the address given, and starts the node after the first paint: the window never
 * waits for libtorrent. A prepared page is opened before the window is first shown (its
 * first screens, laid out meanwhile, are then in the first frame); another address once
 * the window painted (a stored copy is shown from the store while the node starts).
 */
function openFirstPage(app: WindowApp, window: MainWindow, reader: Reader, announce: boolean): void {
  const url = app.command.url;
  const startedAt = performance.now();
  const navigateAtOnce = url !== undefined && app.prepared !== undefined;
  if (navigateAtOnce) {
    app.assets.showing = false;
    reader.navigate(url);
  }
  window.onNextPaint(() => {
    const paintedMs = performance.now() - startedAt;
    if (announce) announceReady({ pid: process.pid, loop: app.loop, sinceWindowMs: paintedMs, sinceStartMs: performance.now() });
    crashIfTestAsks();
    startKioskIdleReturn(app, window, reader);
    if (url !== undefined && !navigateAtOnce) {
      app.assets.showing = false;
      reader.navigate(url);
    }
    // With an address, the reader starts the node once a stored copy is on screen, or at once.
    (url === undefined ? app.appNode.start() : app.appNode.started()).then(
      () => {
        reader.refreshLibrary();
        // What starting the node read and built (its versions from the store, libtorrent's
        // torrents) is handed back once the window is quiet.
        releaseMemorySoon();
      },
      (error: unknown) => {
        window.setStatus(`The swarm node did not start: ${error instanceof Error ? error.message : String(error)}. Pages cannot be fetched or published.`);
      },
    );
  });
}

/** Shows the window; once its last window closed, closes everything in order and settles. */
function runUntilClosed(app: WindowApp, window: MainWindow, out: Output, stopAtOnce: boolean, automation: (() => void) | undefined): Promise<number> {
  const forgetStoreRelease = onMemoryRelease(() => {
    app.appNode.releaseMemory();
  });
  return new Promise<number>((resolve) => {
    const finish = (): void => {
      app.stopKiosk?.();
      app.siteInfo?.close();
      app.reader?.close();
      app.writing?.close();
      app.worker.close();
      forgetStoreRelease();
      automation?.();
      app.loaded.stop();
      app.appNode.close().then(() => {
        resolve(EXIT_OK);
      }, (error: unknown) => {
        process.stderr.write(`swarmpress: the node did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
        resolve(EXIT_OK);
      });
    };
    app.loaded.onLastWindowClosed(finish);
    window.show();
    if (out.json) out.print({ event: 'window', pid: process.pid }, 'window open');
    // Ctrl-C and SIGTERM close the window like the user would, which ends the app.
    if (stopAtOnce) window.close();
  });
}
