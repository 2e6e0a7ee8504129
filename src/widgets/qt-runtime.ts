/**
 * Loads Qt for this process: the runtime module of swarmpress first (Qode's symbols and the
 * Qt <-> libuv loop integration, native/src/runtime/glib_loop.cpp), then NodeGui.
 *
 * Order matters: NodeGui's addon leaves three Qode symbols undefined and creates the
 * QApplication as soon as it is loaded, so the runtime module must already be loaded with
 * RTLD_GLOBAL. This file is the only place that touches either native module's raw export.
 *
 * Threading: everything runs on the JS thread; Qt events are dispatched from libuv's check
 * phase, inside a callback scope, so promise jobs queued by Qt handlers run immediately.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type * as NodeGui from '@nodegui/nodegui';
import type { PaletteColours, Qt, QtAdditions } from '../render/nodegui-subset.js';
import { AppError } from '../core/errors.js';
import { requireWithCodeCache } from './code-cache.js';

/** Counters of the loop integration (for tests and benchmarks). */
export interface QtRuntimeStats {
  readonly running: boolean;
  /** NodeGui handed its run loop to our `qode::InjectCustomRunLoop`. */
  readonly injectedRunLoop: boolean;
  /** libuv iterations in which GLib's context was checked. */
  readonly iterations: number;
  /** Iterations in which Qt had something to dispatch. */
  readonly dispatches: number;
  /** File descriptors of GLib's context watched by libuv now. */
  readonly watchedFds: number;
}

/** The native contract of `swarmpress_qt_runtime.node`. */
interface QtRuntimeNative {
  /**
   * Starts driving Qt from libuv; `onLastWindowClosed` runs when Qt's last window closes.
   * With `integrateLoop` false only the window watch runs and the caller drives Qt.
   */
  start(onLastWindowClosed?: () => void, integrateLoop?: boolean): void;
  /** Stops driving Qt; idempotent. */
  stop(): void;
  stats(): QtRuntimeStats;
  /** Stops, then deletes every widget; for Node's 'exit' event only. */
  destroyWidgets(): void;
  /** Asks V8 for a memory-reducing collection (incremental) and glibc to return free pages; true when glibc returned some. */
  releaseMemory(): boolean;
  /** Asks glibc alone to return free pages (no collection); true when it returned some. */
  returnFreeMemory(): boolean;
  /** Sets palette colours of the widget whose `swarmpressId` property is `id` (widget_look.cpp). */
  setColours(id: number, colours: PaletteColours): void;
  /** Decodes an image at width × height; a handle, or 0 (image_decode.cpp). */
  decodeImage(data: Uint8Array, width: number, height: number): number;
  /** Shows picture `handle` in the QLabel whose `swarmpressId` property is `id`. */
  showImage(id: number, handle: number): void;
  freeImage(handle: number): void;
  imageStats(): { images: number; pixels: number };
  /** [anchor, position] of the QPlainTextEdit whose `swarmpressId` property is `id`. */
  textCursor(id: number): [number, number];
  /** Selects anchor..position in that edit. */
  textSelect(id: number, anchor: number, position: number): void;
  /** Replaces [from, to) with `text` as one undo step, then selects anchor..position. */
  textReplace(id: number, from: number, to: number, text: string, anchor: number, position: number): void;
  /** Every visible window and control on the screen (widget_geometry.cpp). */
  widgetGeometry(): WidgetGeometry;
  /** Crash handlers that append a reason and the native stack to `path` (crash_log.cpp). */
  installCrashLog(path: string): void;
  /** Crashes the process on purpose (tests of the crash log only). */
  crashForTest(kind: 'segv' | 'abort'): never;
  /** Milliseconds since the last keyboard, mouse or touch input in any window (user_input.cpp). */
  inputIdleMs(): number;
}

/** A rectangle in global screen coordinates, in pixels. */
export interface GeometryRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A control as widgetGeometry reports it. */
export interface ControlGeometry {
  readonly name: string;
  readonly className: string;
  readonly text: string;
  readonly rect: GeometryRect;
  /** What the control's ancestors leave visible of it. */
  readonly clip: GeometryRect;
  /** Along which axes an ancestor scroll area can bring a clipped part into view. */
  readonly scrolls: { readonly horizontal: boolean; readonly vertical: boolean };
}

/** Where the app's visible windows and their controls are (tests of small screens, automation). */
export interface WidgetGeometry {
  readonly screen?: GeometryRect;
  readonly available?: GeometryRect;
  readonly windows: readonly {
    readonly name: string;
    readonly className: string;
    readonly title: string;
    readonly frame: GeometryRect;
    readonly geometry: GeometryRect;
    readonly fullScreen: boolean;
    readonly controls: readonly ControlGeometry[];
  }[];
}

/** A selection in a text edit: `anchor` stays put, `position` is where the cursor is (equal: no selection). */
export interface TextSelection {
  readonly anchor: number;
  readonly position: number;
}

/**
 * The cursor and selection of a QPlainTextEdit, which NodeGui 0.61 does not expose
 * (native/src/runtime/text_cursor.cpp). Offsets are UTF-16 units into `toPlainText()`, like
 * JS string indexes. Misuse (a range outside the text) throws RangeError.
 */
export interface TextCursors {
  selection(edit: NodeGui.QPlainTextEdit): TextSelection;
  select(edit: NodeGui.QPlainTextEdit, selection: TextSelection): void;
  /** Replaces [from, to) with `text` (one undo step), then selects `selection` of the new text. */
  replace(edit: NodeGui.QPlainTextEdit, from: number, to: number, text: string, selection: TextSelection): void;
}

/** The dynamic Qt property by which the runtime module finds a widget (native/src/runtime/widget_ids.h). */
const WIDGET_ID_PROPERTY = 'swarmpressId';

const widgetIds = new WeakMap<NodeGui.QWidget, number>();
let nextWidgetId = 1;

/** The id by which the runtime module finds `widget`, given to it on first use. */
function idOf(widget: NodeGui.QWidget): number {
  let id = widgetIds.get(widget);
  if (id === undefined) {
    id = nextWidgetId++;
    widget.setProperty(WIDGET_ID_PROPERTY, id);
    widgetIds.set(widget, id);
  }
  return id;
}

function makeTextCursors(runtime: QtRuntimeNative): TextCursors {
  return {
    selection: (edit) => {
      const [anchor, position] = runtime.textCursor(idOf(edit));
      return { anchor, position };
    },
    select: (edit, { anchor, position }) => {
      runtime.textSelect(idOf(edit), anchor, position);
    },
    replace: (edit, from, to, text, { anchor, position }) => {
      runtime.textReplace(idOf(edit), from, to, text, anchor, position);
    },
  };
}

/**
 * How Qt's events are run. `integrated` is the real one; `naive` (a 16 ms
 * `processEvents()` timer) exists only as the reference point of the idle-CPU benchmark.
 */
export type QtLoopMode = 'integrated' | 'naive';

export interface QtOptions {
  /** Qt platform plugin: `xcb` for a window on $DISPLAY, `offscreen` for headless rendering. */
  readonly platform?: 'xcb' | 'offscreen';
  readonly loop?: QtLoopMode;
}

/** Qt, loaded and running in this process. */
export interface LoadedQt {
  readonly qt: Qt;
  readonly loop: QtLoopMode;
  /** Runs `handler` when the last window of the app was closed. */
  onLastWindowClosed(handler: () => void): void;
  /** Stops running Qt's events, so that the process can exit; idempotent. */
  stop(): void;
  stats(): QtRuntimeStats;
  /** Cursor and selection of plain-text edits. */
  readonly textCursors: TextCursors;
}

/**
 * How long the window must be quiet after widgets and page data were freed in bulk before
 * memory is handed back. V8 and glibc keep freed memory for reuse: after a 1 MB page was
 * scrolled through, the window stayed ~50 MiB above its baseline until V8's own memory
 * reducer ran ~20 s later, and glibc kept ~10 MiB of Qt's freed widgets for good (bench
 * render-pss-growth).
 */
export const RELEASE_QUIET_MS = 2000;

const NODEGUI_BUNDLE = fileURLToPath(new URL('../../../dist/vendor/nodegui.cjs', import.meta.url));
const RUNTIME_PATH = fileURLToPath(new URL('../../../native/build/Release/swarmpress_qt_runtime.node', import.meta.url));
const NAIVE_INTERVAL_MS = 16;

let loaded: LoadedQt | undefined;
/** The runtime module, once Qt is loaded. */
let native: QtRuntimeNative | undefined;
let releaseTimer: NodeJS.Timeout | undefined;
let releases = 0;
const releasers = new Set<() => void>();

/** How many times memory was handed back so far (tests). */
export function memoryReleases(): number {
  return releases;
}

/**
 * Adds `release` to what runs when memory is handed back, before V8 and glibc are asked
 * (what it frees is then returned too): caches of other parts of the program. Returns what
 * removes it.
 */
export function onMemoryRelease(release: () => void): () => void {
  releasers.add(release);
  return () => releasers.delete(release);
}

/**
 * Memory was freed in bulk (widgets deleted, a long page replaced): once nothing more was
 * freed for RELEASE_QUIET_MS, V8 and glibc are asked to hand it back (see RELEASE_QUIET_MS).
 * Cheap to call often; does nothing before Qt is loaded.
 */
export function releaseMemorySoon(): void {
  if (native === undefined) return;
  if (releaseTimer !== undefined) {
    releaseTimer.refresh();
    return;
  }
  releaseTimer = setTimeout(() => {
    releaseTimer = undefined;
    releases++;
    for (const release of releasers) {
      try {
        release();
      } catch {
        // Best effort: what could not be released stays; the rest still is.
      }
    }
    native?.releaseMemory();
  }, RELEASE_QUIET_MS);
  releaseTimer.unref();
}

/**
 * A thread ended (the idle layout thread): glibc is asked to return the pages it freed,
 * which its malloc arena would otherwise keep for reuse (~1.8 MiB of PSS when the idle
 * layout thread ended with a 1,000-post index open; measured). V8 is not asked to collect:
 * this costs no CPU worth counting. Does nothing before Qt is loaded.
 */
export function returnFreeMemory(): void {
  native?.returnFreeMemory();
}

/** Where every visible window and control of the app is; throws before Qt is loaded. */
export function widgetGeometry(): WidgetGeometry {
  return loadedRuntime().widgetGeometry();
}

/**
 * Appends a one-line reason and the native stack of a crash (a fatal signal, a V8 fatal
 * error) to `path` from now on. Throws before Qt is loaded.
 */
export function installCrashLog(path: string): void {
  loadedRuntime().installCrashLog(path);
}

/** Crashes the process on purpose: only for the test of the crash log. */
export function crashForTest(kind: 'segv' | 'abort'): never {
  return loadedRuntime().crashForTest(kind);
}

/** Milliseconds since the last keyboard, mouse or touch input in any window of the app. */
export function inputIdleMs(): number {
  return loadedRuntime().inputIdleMs();
}

function loadedRuntime(): QtRuntimeNative {
  if (native === undefined) throw new AppError('ERR_QT_NOT_LOADED', 'Qt is not loaded yet');
  return native;
}

/** Loads Qt once per process and starts running its events. Later calls return the same. */
export function loadQt(options: QtOptions = {}): LoadedQt {
  if (loaded !== undefined) return loaded;
  // NodeGui asks Qt for shared GL contexts, which loads Mesa (~55 MB RSS) for nothing: the
  // renderer draws no GL. Respect an explicit choice of the user.
  process.env['QT_XCB_GL_INTEGRATION'] ??= 'none';
  if (options.platform !== undefined) process.env['QT_QPA_PLATFORM'] = options.platform;
  const runtimeModule = { exports: {} as QtRuntimeNative };
  try {
    process.dlopen(runtimeModule, RUNTIME_PATH, os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL);
  } catch (error) {
    throw new AppError('ERR_QT_RUNTIME_MISSING', `the Qt runtime module could not be loaded from ${RUNTIME_PATH} (run 'make build'): ${String(error)}`);
  }
  const runtime = runtimeModule.exports;
  native = runtime;
  // NodeGui's JavaScript as one file when `make build` bundled it (tools/bundle.js): ~100 ms
  // less to start than its ~240 modules.
  // From V8's code cache of it (code-cache.ts).
  const nodegui = (fs.existsSync(NODEGUI_BUNDLE) ? requireWithCodeCache(NODEGUI_BUNDLE) : createRequire(import.meta.url)('@nodegui/nodegui')) as Omit<Qt, keyof QtAdditions>;
  const additions: QtAdditions = {
    setColours: (widget, colours) => {
      runtime.setColours(idOf(widget), colours);
    },
    decodeImage: (data, width, height) => runtime.decodeImage(data, width, height),
    showImage: (label, handle) => {
      runtime.showImage(idOf(label), handle);
    },
    freeImage: (handle) => {
      runtime.freeImage(handle);
    },
    imageStats: () => runtime.imageStats(),
  };
  // NodeGui's exports stay as they are; swarmpress's additions sit on top of them.
  const qt: Qt = Object.assign(Object.create(nodegui) as typeof nodegui, additions);
  // Widgets must be gone before Node tears down the N-API environments, or NodeGui's
  // finalizers delete them and their signal handlers call into a finished JS engine.
  process.once('exit', () => {
    runtime.destroyWidgets();
  });
  const handlers: (() => void)[] = [];
  const fire = (): void => {
    for (const handler of handlers) handler();
  };
  const loop = options.loop ?? 'integrated';
  let stop: () => void;
  runtime.start(fire, loop === 'integrated');
  if (loop === 'integrated') {
    stop = () => {
      runtime.stop();
    };
  } else {
    const app = qt.QApplication.instance();
    const timer = setInterval(() => {
      app.processEvents();
    }, NAIVE_INTERVAL_MS);
    stop = () => {
      clearInterval(timer);
      runtime.stop();
    };
  }
  loaded = {
    qt,
    loop,
    onLastWindowClosed: (handler) => {
      handlers.push(handler);
    },
    stop,
    stats: () => runtime.stats(),
    textCursors: makeTextCursors(runtime),
  };
  return loaded;
}
