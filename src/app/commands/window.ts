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
import os from 'node:os';
import path from 'node:path';
import type { Qt } from '../../render/nodegui-subset.js';
import { assertNever } from '../../core/assert-never.js';
import { AppError } from '../../core/errors.js';
import { layoutDoc, type LayoutPlan } from '../../render/layout.js';
import { parseMarkdown } from '../../render/markdown.js';
import { PlanWorker } from '../../render/parse-off-thread.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import { Drafts } from '../../store/drafts.js';
import { MainWindow } from '../../widgets/main-window.js';
import { loadQt, onMemoryRelease, releaseMemorySoon, returnFreeMemory, type QtLoopMode, type TextCursors } from '../../widgets/qt-runtime.js';
import { folderSiteFiles } from '../../render/site-files.js';
import { ASSETS_DIR, readAssetPage, WELCOME_ADDRESS } from '../assets.js';
import { openExternally } from '../open-externally.js';
import { announcePage, announceReady, isAutomationEnabled, startAutomation } from '../automation.js';
import { DRAFT_MEDIA_FOLDER, DraftMedia } from '../writing/draft-media.js';
import type { SaveReport } from '../writing/draft-saver.js';
import { editorAutomation } from '../writing/editor-automation.js';
import { ownPages, sitePublisher } from '../writing/site-publisher.js';
import type { OwnPages, PostPublisher } from '../writing/publisher.js';
import { decodeBencode, type BencodeDict } from '../../core/bencode.js';
import type { FormDialog } from '../../widgets/form-dialog.js';
import type { AutomationHandlers } from '../automation.js';
import { openNewSiteDialog, openSettingsDialog } from '../app-dialogs.js';
import { AppNode } from '../app-node.js';
import { linkToRunningNode } from '../window-link.js';
import { prepareStoredPage, Reader } from '../reader.js';
import { SiteInfoPresenter, versionOfRow } from '../site-info.js';
import { Writing } from '../writing/writing.js';
import type { Command, CommonOptions } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';
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
/** Tests only: milliseconds in a minute of publish delay. */
const PUBLISH_MINUTE_ENV = 'SWARMPRESS_TEST_MINUTE_MS';

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

async function showWindow(
  command: Extract<Command, { name: 'window' }>,
  common: CommonOptions,
  out: Output,
  /** Hands over what closes every window, before they are shown; true when the app should close at once. */
  onCreated: (closeAll: () => void) => boolean,
): Promise<number> {
  const dataDir = resolveDataDir(common.dataDir);
  ensureDataDir(dataDir);
  // The layout thread starts first: it loads the lexer and warms it up on the other core
  // while this one loads Qt, so that the first page is not laid out by a cold thread.
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
  const forgetStoreRelease = onMemoryRelease(() => {
    appNode.releaseMemory();
  });
  const layout = (source: string): Promise<LayoutPlan> => worker.layout(source);
  const writing: ReturnType<typeof openWriting> | undefined = command.kiosk
    ? undefined
    : openWriting(loaded.qt, loaded.textCursors, dataDir, (): MainWindow | undefined => window, sitePublisher(() => appNode.start()), ownPages(() => appNode.start(), dataDir), layout);
  /** The form dialogs open now, by name (one of each at a time). */
  const dialogs = new Map<string, FormDialog>();
  const openDialog = (name: string, open: (onClosed: () => void) => FormDialog): void => {
    const shown = dialogs.get(name);
    if (shown !== undefined && !shown.isClosed) {
      shown.show();
      return;
    }
    dialogs.set(name, open(() => dialogs.delete(name)));
  };
  /** Whether the window shows a page of the installation (the welcome page) rather than of a site. */
  let showsAsset = true;
  // Started with an address, the window opens empty and shows that page as soon as it can:
  // laying out and painting the welcome page first made the page wait (~60 ms, measured).
  let plan: LayoutPlan = command.url === undefined
    ? layoutDoc(parseMarkdown(readAssetPage('welcome.md') ?? '# swarmpress\n\nThe welcome page is missing from this installation.'))
    : { title: '', blocks: [], links: [], notices: [] };
  const window: MainWindow = new MainWindow(
    loaded.qt,
    { kiosk: command.kiosk },
    {
      onNavigate: (address) => {
        showsAsset = false;
        reader.navigate(address);
      },
      onBack: () => {
        showsAsset = false;
        reader.back();
      },
      onForward: () => {
        showsAsset = false;
        reader.forward();
      },
      onReload: () => void reader.reload(),
      onFollow: () => { reader.toggleFollow(); },
      onBlock: () => void reader.block(),
      onMute: () => { reader.toggleMute(); },
      onBlockList: () => void reader.toggleBlockList(),
      onReply: () => { reader.reply(); },
      onOpenLibraryEntry: (id) => {
        showsAsset = false;
        reader.openLibraryEntry(id);
      },
      onSearch: (query) => { reader.search(query); },
      onLibraryShown: () => { reader.refreshLibrary(); },
      onUnblock: (id) => { reader.unblock(id); },
      ...(command.kiosk ? {} : {
        onSiteInfo: () => { siteInfo.open(); },
        onOpenVersion: (id: string) => {
          const infohash = versionOfRow(id);
          if (infohash === undefined) return;
          showsAsset = false;
          reader.openVersion(infohash);
        },
        onSiteInfoClosed: () => { siteInfo.closed(); },
      }),
      onLink: (index) => {
        if (!showsAsset) {
          reader.link(index);
          return;
        }
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
            showsAsset = false;
            reader.navigate(target.href);
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
      ...(writing === undefined ? {} : {
        onNewPost: () => {
          writing.writing.newPost();
        },
        onEdit: () => {
          reader.edit();
        },
        onNewSite: () => {
          openDialog('new-site', (onClosed) => openNewSiteDialog(loaded.qt, {
            appNode,
            onCreated: (name, url) => {
              window.setStatus(`Your new site '${name}' is published at ${url}: choose it in the editor when you write a post.`);
              reader.refreshLibrary();
            },
            onClosed,
          }));
        },
        onSettings: () => {
          openDialog('settings', (onClosed) => openSettingsDialog(loaded.qt, {
            appNode,
            dataDir,
            onApplied: (message) => {
              window.setStatus(message);
            },
            onClosed,
          }));
        },
      }),
      onOpenDraft: (id) => {
        try {
          writing?.writing.openDraft(id);
        } catch (error) {
          window.setStatus(error instanceof Error ? error.message : String(error));
        }
      },
    },
  );
  const reader: Reader = new Reader({
    window,
    node: appNode,
    layout,
    layoutInStages: (source, onFirstScreens) => worker.layoutInStages(source, onFirstScreens),
    kiosk: command.kiosk,
    ...(prepared === undefined ? {} : { prepared }),
    ...(isAutomationEnabled() ? { onPageShown: announcePage } : {}),
    onReply: (target) => {
      writing?.writing.newPost({ id: target.id, href: target.href, title: target.title });
    },
    onEdit: (target) => {
      writing?.writing.editPage(target.site, target.path).catch((error: unknown) => {
        window.setStatus(`This page cannot be edited: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
  });
  const siteInfo = new SiteInfoPresenter({
    window,
    node: () => appNode.node,
    shown: () => {
      const shown = reader.shown;
      return shown?.siteKey === undefined ? undefined : { siteKey: shown.siteKey, infohash: shown.infohash };
    },
  });
  const stopAtOnce = onCreated(() => {
    for (const dialog of dialogs.values()) dialog.close();
    writing?.writing.close();
    window.close();
  });
  writing?.showDrafts(true);
  if (command.url === undefined) {
    window.showPage(plan, WELCOME_ADDRESS, { files: folderSiteFiles(ASSETS_DIR, 'welcome.md') });
  } else {
    window.showPage(plan, command.url);
    window.setStatus(`Opening ${command.url}…`);
  }
  const automation = isAutomationEnabled()
    ? startAutomation(window, () => loaded.stats(), {
      ...(writing === undefined ? {} : editorAutomation(writing.writing, writing.saves)),
      ...dialogAutomation(dialogs),
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
    })
    : undefined;
  // `swarmpress [URL]` run again on this data folder (a `bittorrent:` link the desktop opens).
  appNode.onOpenRequest((url) => {
    if (url !== undefined) {
      showsAsset = false;
      reader.navigate(url);
    }
    window.bringToFront();
  });
  const startedAt = performance.now();
  // A prepared page is opened before the window is first shown: its first screens, laid
  // out meanwhile, are then in the first frame.
  const navigateAtOnce = command.url !== undefined && prepared !== undefined;
  if (navigateAtOnce) {
    showsAsset = false;
    reader.navigate(command.url);
  }
  window.onNextPaint(() => {
    const paintedMs = performance.now() - startedAt;
    if (automation !== undefined) announceReady({ pid: process.pid, loop, sinceWindowMs: paintedMs, sinceStartMs: performance.now() });
    // The address given is opened now: a stored copy is shown from the store while the
    // node starts (the reader waits for the node only for the network).
    if (command.url !== undefined && !navigateAtOnce) {
      showsAsset = false;
      reader.navigate(command.url);
    }
    // The node starts after the first paint: the window never waits for libtorrent. With
    // an address, the reader starts it once a stored copy is on screen, or at once.
    (command.url === undefined ? appNode.start() : appNode.started()).then(
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

  return new Promise<number>((resolve) => {
    const finish = (): void => {
      siteInfo.close();
      reader.close();
      writing?.close();
      worker.close();
      forgetStoreRelease();
      automation?.();
      loaded.stop();
      appNode.close().then(() => {
        resolve(EXIT_OK);
      }, (error: unknown) => {
        process.stderr.write(`swarmpress: the node did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
        resolve(EXIT_OK);
      });
    };
    loaded.onLastWindowClosed(finish);
    window.show();
    if (out.json) out.print({ event: 'window', pid: process.pid }, 'window open');
    // Ctrl-C and SIGTERM close the window like the user would, which ends the app.
    if (stopAtOnce) window.close();
  });
}

/**
 * Automation of the form dialogs (automation.ts):
 *   {"cmd":"dialog","name":"settings"|"new-site","do":"dump"|"grab","path"?:P}
 */
function dialogAutomation(dialogs: ReadonlyMap<string, FormDialog>): AutomationHandlers {
  return {
    dialog: (request) => {
      const name = typeof request['name'] === 'string' ? request['name'] : '';
      const dialog = dialogs.get(name);
      if (dialog === undefined || dialog.isClosed) throw new Error(`no dialog '${name}' is open`);
      if (request['do'] === 'grab' && typeof request['path'] === 'string') return { ok: dialog.grab(request['path']) };
      if (request['do'] === 'dump') return { ...dialog.dump() };
      throw new TypeError("'do' must be dump or grab (with a path)");
    },
  };
}

/** The settings libtorrent reports in its saved session state (those that differ from its defaults), as numbers and strings. */
function sessionSettings(state: Uint8Array): Record<string, number | string> {
  const decoded = decodeBencode(state);
  const root = decoded.ok && decoded.value instanceof Map ? (decoded.value as BencodeDict) : undefined;
  const settings = root?.get('settings');
  const out: Record<string, number | string> = {};
  if (!(settings instanceof Map)) return out;
  for (const [name, value] of settings as BencodeDict) {
    if (typeof value === 'bigint') out[name] = Number(value);
    else if (value instanceof Uint8Array) out[name] = Buffer.from(value).toString('utf8');
  }
  return out;
}

/**
 * The editor's wiring: drafts in the data folder (the store's drafts API, which needs no
 * database), pictures beside them, previews laid out in the app's worker thread, and the
 * publisher that adds the post to the author's site through the app's node.
 */
function openWriting(
  qt: Qt,
  textCursors: TextCursors,
  dataDir: string,
  mainWindow: () => MainWindow | undefined,
  publisher: PostPublisher,
  pages: OwnPages,
  layout: (source: string) => Promise<LayoutPlan>,
): { writing: Writing; saves: Map<string, SaveReport & { count: number }>; showDrafts: (atStart?: boolean) => void; close: () => void } {
  const saves = new Map<string, SaveReport & { count: number }>();
  const showDrafts = (atStart = false): void => {
    const window = mainWindow();
    if (window === undefined) return;
    const drafts = writing.list();
    window.setDrafts(drafts.map((draft) => ({
      id: draft.id,
      label: `${draft.edit === undefined ? '' : `Editing ${draft.edit.path} (${draft.edit.site}): `}${draft.title.trim() === '' ? 'Untitled' : draft.title.trim()} — ${new Date(draft.savedMs).toLocaleString()}`,
    })));
    if (atStart && drafts.length > 0) {
      window.setStatus(`You have ${drafts.length === 1 ? 'an unpublished draft' : `${drafts.length} unpublished drafts`}: File → Drafts.`);
    }
  };
  const writing: Writing = new Writing({
    qt,
    textCursors,
    drafts: new Drafts(dataDir),
    media: new DraftMedia(path.join(dataDir, DRAFT_MEDIA_FOLDER)),
    publisher,
    pages,
    layout,
    imageFolder: picturesFolder(),
    onDraftsChanged: () => {
      showDrafts();
    },
    onSaved: (id, report) => {
      saves.set(id, { ...report, count: (saves.get(id)?.count ?? 0) + 1 });
    },
    ...(process.env[PUBLISH_MINUTE_ENV] === undefined ? {} : { publishMinuteMs: Number(process.env[PUBLISH_MINUTE_ENV]) }),
  });
  return {
    writing,
    saves,
    showDrafts,
    close: () => {
      writing.close();
    },
  };
}

/** Where pictures usually are: ~/Pictures when there is one, else the home folder. */
function picturesFolder(): string {
  const pictures = path.join(os.homedir(), 'Pictures');
  return fs.existsSync(pictures) ? pictures : os.homedir();
}
