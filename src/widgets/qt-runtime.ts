/**
 * Loads Qt for this process: the runtime module of swarmpress first (Qode's symbols and the
 * Qt <-> libuv loop integration, native/src/runtime/qt_runtime.cpp), then NodeGui.
 *
 * Order matters: NodeGui's addon leaves three Qode symbols undefined and creates the
 * QApplication as soon as it is loaded, so the runtime module must already be loaded with
 * RTLD_GLOBAL. This file is the only place that touches either native module's raw export.
 *
 * Threading: everything runs on the JS thread; Qt events are dispatched from libuv's check
 * phase, inside a callback scope, so promise jobs queued by Qt handlers run immediately.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type * as NodeGui from '@nodegui/nodegui';
import { AppError } from '../core/errors.js';

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
  readonly qt: typeof NodeGui;
  readonly loop: QtLoopMode;
  /** Runs `handler` when the last window of the app was closed. */
  onLastWindowClosed(handler: () => void): void;
  /** Stops running Qt's events, so that the process can exit; idempotent. */
  stop(): void;
  stats(): QtRuntimeStats;
}

const RUNTIME_PATH = fileURLToPath(new URL('../../../native/build/Release/swarmpress_qt_runtime.node', import.meta.url));
const NAIVE_INTERVAL_MS = 16;

let loaded: LoadedQt | undefined;

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
  const qt = createRequire(import.meta.url)('@nodegui/nodegui') as typeof NodeGui;
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
  };
  return loaded;
}
