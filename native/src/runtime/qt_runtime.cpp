// The Qt runtime of swarmpress on stock Node.
//
// 1. NodeGui's addon was written for Qode (a forked Node). It needs three symbols from the
//    executable: qode::qode_argc, qode::qode_argv and qode::InjectCustomRunLoop. This
//    module defines them with default visibility; JS loads it with RTLD_NOW | RTLD_GLOBAL
//    *before* @nodegui/nodegui, so the dynamic linker resolves NodeGui's undefined symbols
//    here. InjectCustomRunLoop only records the function: Node's own libuv loop stays the
//    main loop of the process.
//
// 2. Nothing runs Qt's event loop on stock Node, so this module drives it from libuv
//    without polling. Debian's Qt uses the GLib event dispatcher: every Qt event source
//    (X11 connection, posted events, QTimers, socket notifiers, cross-thread wake-ups)
//    lives in GLib's default main context. Each libuv iteration runs GLib's own protocol,
//    split across libuv's phases:
//      uv_prepare  -> g_main_context_prepare + query: which fds, how long to sleep
//                     fds become uv_poll watchers, the timeout a uv_timer (or a uv_idle
//                     when GLib has work ready now, so libuv does not block)
//      (libuv sleeps in epoll on Node's and GLib's fds together)
//      uv_check    -> g_main_context_check + dispatch, inside a Node callback scope so
//                     that promise jobs and nextTicks queued by Qt signal handlers run at
//                     once
//    With nothing happening, epoll sleeps: zero wake-ups, no timer tick.
//
// Threading: everything here runs on the JS thread. Other threads (Qt's X event reader)
// reach us only through GLib's wake-up fd, which is one of the polled fds.
// Limits: a nested Qt loop (QDialog::exec, QMenu::exec) blocks libuv until it returns; the
// app uses non-blocking dialogs for that reason.

#include <glib.h>
#include <malloc.h>
#include <node_api.h>
#include <uv.h>
#include <v8.h>

#include <QApplication>
#include <QEvent>
#include <QObject>
#include <QPointer>
#include <QWidget>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "image_decode.h"
#include "text_cursor.h"
#include "widget_look.h"

#define QODE_EXPORT __attribute__((visibility("default")))

namespace qode {
static char qode_arg0[] = "swarmpress";
static char* qode_argv_storage[] = {qode_arg0, nullptr};
// Read by NodeGui when it creates the QApplication; QApplication keeps a reference to argc,
// so both must live for the whole process.
QODE_EXPORT int qode_argc = 1;
QODE_EXPORT char** qode_argv = qode_argv_storage;
typedef int (*QodeCustomRunLoopFunc)();
static QodeCustomRunLoopFunc injected_run_loop = nullptr;
// NodeGui hands over a function that would block in QApplication::exec(). Stock Node keeps
// running libuv instead, and this module integrates Qt into it; the function is recorded
// only so that tests can see that NodeGui initialised through this module.
QODE_EXPORT void InjectCustomRunLoop(QodeCustomRunLoopFunc run_loop) { injected_run_loop = run_loop; }
}  // namespace qode

namespace {

struct FdWatch {
  uv_poll_t handle;
  int fd = -1;
  int uv_events = 0;
  int pending_events = 0;
  bool wanted = false;
  bool usable = true;  // uv_poll_init fails for fds epoll cannot watch (regular files)
};

// Qt 6 emits QGuiApplication::lastWindowClosed only while QApplication::exec() runs, and
// exec() never runs here. This filter notes when a top-level widget is shown, hidden or
// closed; after the events of an iteration were dispatched, the runtime counts the visible
// windows that would quit the app on close (Qt's own rule: WA_QuitOnClose, not a popup,
// tool tip or other transient window) and reports the step to zero.
class WindowWatcher : public QObject {
 public:
  bool changed = false;
  bool eventFilter(QObject* watched, QEvent* event) override {
    switch (event->type()) {
      case QEvent::Show:
      case QEvent::Hide:
      case QEvent::Close:
        if (watched->isWidgetType() && static_cast<QWidget*>(watched)->isWindow()) changed = true;
        break;
      default:
        break;
    }
    return false;
  }
};

int count_quitting_windows() {
  int count = 0;
  for (QWidget* widget : QApplication::topLevelWidgets()) {
    Qt::WindowType type = widget->windowType();
    if (type == Qt::Popup || type == Qt::ToolTip || type == Qt::Desktop || type == Qt::SplashScreen) continue;
    if (widget->isVisible() && widget->testAttribute(Qt::WA_QuitOnClose) && widget->parentWidget() == nullptr) count++;
  }
  return count;
}

struct Runtime {
  napi_env env = nullptr;
  uv_loop_t* loop = nullptr;
  GMainContext* context = nullptr;
  bool running = false;
  bool integrate = true;  // false: only watch windows (the naive reference loop runs Qt)
  bool prepared = false;
  gint max_priority = 0;
  std::vector<GPollFD> fds;
  gint nfds = 0;
  std::map<int, FdWatch*> watches;
  bool has_unwatchable_fd = false;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_timer_t timer;
  uv_idle_t idle;
  int open_handles = 0;
  napi_ref on_last_window_closed = nullptr;
  napi_ref resource = nullptr;
  napi_async_context async_context = nullptr;
  WindowWatcher* watcher = nullptr;
  bool had_windows = false;
  // Counters for tests and benchmarks.
  double iterations = 0;  // libuv iterations in which GLib was checked
  double dispatches = 0;  // iterations in which GLib had something to dispatch
};

Runtime* runtime = nullptr;  // one per process: there is one QApplication and one GLib context

// swarmpress switches Qt's GL integration off (QT_XCB_GL_INTEGRATION=none: it draws no GL
// and Mesa costs ~55 MB), while NodeGui asks for shared GL contexts; Qt then warns at every
// start that it cannot create one. That one message is expected and dropped; every other
// message goes to Qt's previous handler.
QtMessageHandler previous_message_handler = nullptr;
const char kNoGlWarning[] = "QXcbIntegration: Cannot create platform OpenGL context";

void filter_messages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  const char* gl = std::getenv("QT_XCB_GL_INTEGRATION");
  if (type == QtWarningMsg && gl != nullptr && std::strcmp(gl, "none") == 0 && message.startsWith(QLatin1String(kNoGlWarning))) {
    return;
  }
  if (previous_message_handler != nullptr) previous_message_handler(type, context, message);
}

void noop_timer(uv_timer_t*) {}
void noop_idle(uv_idle_t*) {}
void noop_poll(uv_poll_t*, int, int) {}

void on_handle_closed(uv_handle_t* handle) {
  Runtime* rt = static_cast<Runtime*>(handle->data);
  if (rt != nullptr) rt->open_handles--;
}

void on_watch_closed(uv_handle_t* handle) { delete static_cast<FdWatch*>(handle->data); }

int to_uv_events(gushort events) {
  int out = 0;
  if (events & (G_IO_IN | G_IO_PRI | G_IO_HUP | G_IO_ERR)) out |= UV_READABLE;
  if (events & G_IO_OUT) out |= UV_WRITABLE;
  if (events & G_IO_PRI) out |= UV_PRIORITIZED;
  return out;
}

// Makes libuv watch exactly the fds GLib asked for in the last query. Runs once per libuv
// iteration, so it allocates only when the set of fds changes (GLib's is small and stable:
// its wake-up eventfd and, depending on the platform plugin, the X connection).
void sync_watches(Runtime* rt) {
  for (auto& entry : rt->watches) {
    entry.second->wanted = false;
    entry.second->pending_events = 0;
  }
  for (gint i = 0; i < rt->nfds; i++) {
    int fd = rt->fds[i].fd;
    auto found = rt->watches.find(fd);
    FdWatch* watch;
    if (found == rt->watches.end()) {
      watch = new FdWatch();
      watch->fd = fd;
      watch->handle.data = watch;
      if (uv_poll_init(rt->loop, &watch->handle, fd) != 0) {
        watch->usable = false;
        watch->handle.data = nullptr;
      }
      rt->watches[fd] = watch;
    } else {
      watch = found->second;
    }
    watch->wanted = true;
    watch->pending_events |= to_uv_events(rt->fds[i].events);
  }
  rt->has_unwatchable_fd = false;
  for (auto& [fd, watch] : rt->watches) {
    if (!watch->wanted) continue;
    if (!watch->usable) {
      rt->has_unwatchable_fd = true;
      continue;
    }
    if (watch->uv_events != watch->pending_events) {
      uv_poll_start(&watch->handle, watch->pending_events, noop_poll);
      watch->uv_events = watch->pending_events;
    }
  }
  for (auto it = rt->watches.begin(); it != rt->watches.end();) {
    FdWatch* watch = it->second;
    if (watch->wanted) {
      ++it;
      continue;
    }
    if (watch->usable) {
      uv_poll_stop(&watch->handle);
      uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), on_watch_closed);
    } else {
      delete watch;
    }
    it = rt->watches.erase(it);
  }
}

void on_prepare(uv_prepare_t* handle) {
  Runtime* rt = static_cast<Runtime*>(handle->data);
  if (!rt->running || !rt->integrate || rt->prepared) return;
  g_main_context_prepare(rt->context, &rt->max_priority);
  gint timeout_ms = -1;
  for (;;) {
    gint needed = g_main_context_query(rt->context, rt->max_priority, &timeout_ms, rt->fds.data(),
                                       static_cast<gint>(rt->fds.size()));
    if (needed <= static_cast<gint>(rt->fds.size())) {
      rt->nfds = needed;
      break;
    }
    rt->fds.resize(static_cast<size_t>(needed));
  }
  rt->prepared = true;
  sync_watches(rt);
  // An fd epoll cannot watch (a regular file) is checked on a short timer instead.
  const gint kUnwatchableRecheckMs = 50;
  if (rt->has_unwatchable_fd && (timeout_ms < 0 || timeout_ms > kUnwatchableRecheckMs)) timeout_ms = kUnwatchableRecheckMs;
  if (timeout_ms == 0) {
    uv_timer_stop(&rt->timer);
    uv_idle_start(&rt->idle, noop_idle);
  } else {
    uv_idle_stop(&rt->idle);
    if (timeout_ms > 0) {
      uv_timer_start(&rt->timer, noop_timer, static_cast<uint64_t>(timeout_ms), 0);
    } else {
      uv_timer_stop(&rt->timer);
    }
  }
}

// Reports an exception that a JS handler threw while Qt dispatched an event, the way Node
// reports any other uncaught exception ('uncaughtException', or exit with the stack).
void report_pending_exception(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
  }
}

void call_last_window_closed(Runtime* rt);

// After Qt handled the events of an iteration (or JS showed or closed a window in another
// phase), reports the last quitting window going away.
void check_windows(Runtime* rt) {
  if (rt->watcher == nullptr || !rt->watcher->changed) return;
  rt->watcher->changed = false;
  bool has_windows = count_quitting_windows() > 0;
  bool closed_last = rt->had_windows && !has_windows;
  rt->had_windows = has_windows;
  if (closed_last) call_last_window_closed(rt);
}

void dispatch(Runtime* rt) {
  napi_handle_scope scope;
  if (napi_open_handle_scope(rt->env, &scope) != napi_ok) return;
  napi_value resource;
  napi_callback_scope callback_scope = nullptr;
  if (napi_get_reference_value(rt->env, rt->resource, &resource) == napi_ok) {
    napi_open_callback_scope(rt->env, resource, rt->async_context, &callback_scope);
  }
  try {
    g_main_context_dispatch(rt->context);
  } catch (const std::exception& e) {
    // NodeGui's addon is built with C++ exceptions for N-API errors; one escaping a Qt
    // signal handler must not unwind further through Qt and libuv.
    napi_throw_error(rt->env, "ERR_QT_CALLBACK", e.what());
  } catch (...) {
    napi_throw_error(rt->env, "ERR_QT_CALLBACK", "an exception escaped a Qt event handler");
  }
  report_pending_exception(rt->env);
  // Closing the outermost callback scope runs queued nextTicks and promise jobs.
  if (callback_scope != nullptr) napi_close_callback_scope(rt->env, callback_scope);
  report_pending_exception(rt->env);
  napi_close_handle_scope(rt->env, scope);
}

void on_check(uv_check_t* handle) {
  Runtime* rt = static_cast<Runtime*>(handle->data);
  if (rt->running && !rt->integrate) {
    check_windows(rt);
    return;
  }
  if (!rt->running || !rt->prepared) return;
  rt->prepared = false;
  rt->iterations++;
  // libuv told us only that *something* woke the loop; GLib wants per-fd readiness.
  if (rt->nfds > 0) g_poll(rt->fds.data(), static_cast<guint>(rt->nfds), 0);
  if (g_main_context_check(rt->context, rt->max_priority, rt->fds.data(), rt->nfds)) {
    rt->dispatches++;
    dispatch(rt);
  }
  if (rt->running) check_windows(rt);
}

void call_last_window_closed(Runtime* rt) {
  if (rt->on_last_window_closed == nullptr) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(rt->env, &scope) != napi_ok) return;
  napi_value callback, global, result, resource;
  napi_callback_scope callback_scope = nullptr;
  if (napi_get_reference_value(rt->env, rt->resource, &resource) == napi_ok) {
    napi_open_callback_scope(rt->env, resource, rt->async_context, &callback_scope);
  }
  if (napi_get_reference_value(rt->env, rt->on_last_window_closed, &callback) == napi_ok &&
      callback != nullptr && napi_get_global(rt->env, &global) == napi_ok) {
    napi_call_function(rt->env, global, callback, 0, nullptr, &result);
  }
  report_pending_exception(rt->env);
  if (callback_scope != nullptr) napi_close_callback_scope(rt->env, callback_scope);
  report_pending_exception(rt->env);
  napi_close_handle_scope(rt->env, scope);
}

void close_handle(Runtime* rt, uv_handle_t* handle) {
  rt->open_handles++;
  uv_close(handle, on_handle_closed);
}

void stop_runtime(Runtime* rt) {
  if (!rt->running) return;
  rt->running = false;
  rt->prepared = false;
  if (rt->watcher != nullptr) {
    QCoreApplication::instance()->removeEventFilter(rt->watcher);
    delete rt->watcher;
    rt->watcher = nullptr;
  }
  for (auto& entry : rt->watches) {
    FdWatch* watch = entry.second;
    if (watch->usable) {
      uv_poll_stop(&watch->handle);
      uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), on_watch_closed);
    } else {
      delete watch;
    }
  }
  rt->watches.clear();
  close_handle(rt, reinterpret_cast<uv_handle_t*>(&rt->prepare));
  close_handle(rt, reinterpret_cast<uv_handle_t*>(&rt->check));
  close_handle(rt, reinterpret_cast<uv_handle_t*>(&rt->timer));
  close_handle(rt, reinterpret_cast<uv_handle_t*>(&rt->idle));
  if (rt->integrate) g_main_context_release(rt->context);
  if (rt->on_last_window_closed != nullptr) {
    napi_delete_reference(rt->env, rt->on_last_window_closed);
    rt->on_last_window_closed = nullptr;
  }
}

napi_value throw_error(napi_env env, const char* code, const char* message) {
  napi_throw_error(env, code, message);
  return nullptr;
}

// start(onLastWindowClosed?: () => void, integrateLoop = true): void
// With integrateLoop false, only the window watch runs: whoever calls this drives Qt.
napi_value Start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  napi_value callback = nullptr;
  if (argc >= 1) {
    napi_valuetype type;
    napi_typeof(env, argv[0], &type);
    if (type == napi_function) {
      callback = argv[0];
    } else if (type != napi_undefined) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "onLastWindowClosed must be a function or undefined");
      return nullptr;
    }
  }
  bool integrate = true;
  if (argc >= 2) {
    napi_valuetype type;
    napi_typeof(env, argv[1], &type);
    if (type != napi_boolean && type != napi_undefined) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "integrateLoop must be a boolean or undefined");
      return nullptr;
    }
    if (type == napi_boolean) napi_get_value_bool(env, argv[1], &integrate);
  }
  if (runtime->running) return throw_error(env, "ERR_QT_RUNTIME_RUNNING", "the Qt runtime is already running");
  if (runtime->open_handles > 0) {
    return throw_error(env, "ERR_QT_RUNTIME_CLOSING", "the Qt runtime is still closing; start it on a later tick");
  }
  if (QCoreApplication::instance() == nullptr) {
    return throw_error(env, "ERR_QT_NO_APPLICATION", "no QApplication: load @nodegui/nodegui before starting the runtime");
  }
  Runtime* rt = runtime;
  rt->env = env;
  if (napi_get_uv_event_loop(env, &rt->loop) != napi_ok) return nullptr;
  rt->context = g_main_context_default();
  rt->integrate = integrate;
  if (integrate && !g_main_context_acquire(rt->context)) {
    return throw_error(env, "ERR_QT_RUNTIME_CONTEXT", "GLib's main context is owned by another thread");
  }
  if (rt->resource == nullptr) {
    napi_value resource, name;
    napi_create_object(env, &resource);
    napi_create_string_utf8(env, "swarmpress:qt-event", NAPI_AUTO_LENGTH, &name);
    napi_create_reference(env, resource, 1, &rt->resource);
    napi_async_init(env, resource, name, &rt->async_context);
  }
  if (callback != nullptr) napi_create_reference(env, callback, 1, &rt->on_last_window_closed);
  uv_prepare_init(rt->loop, &rt->prepare);
  uv_check_init(rt->loop, &rt->check);
  uv_timer_init(rt->loop, &rt->timer);
  uv_idle_init(rt->loop, &rt->idle);
  rt->prepare.data = rt->check.data = rt->timer.data = rt->idle.data = rt;
  // prepare/check only observe iterations; what keeps the process alive is GLib's fds.
  uv_unref(reinterpret_cast<uv_handle_t*>(&rt->prepare));
  uv_unref(reinterpret_cast<uv_handle_t*>(&rt->check));
  uv_prepare_start(&rt->prepare, on_prepare);
  uv_check_start(&rt->check, on_check);
  rt->watcher = new WindowWatcher();
  rt->watcher->changed = true;
  rt->had_windows = count_quitting_windows() > 0;
  QCoreApplication::instance()->installEventFilter(rt->watcher);
  rt->running = true;
  if (!integrate) return nullptr;
  // Let libuv wake up once now even if nothing else is pending, so the first prepare runs.
  uv_idle_start(&rt->idle, noop_idle);
  return nullptr;
}

// stop(): void — idempotent. Closes every libuv handle of the runtime; the process can
// then exit when nothing else keeps libuv alive.
napi_value Stop(napi_env env, napi_callback_info) {
  stop_runtime(runtime);
  return nullptr;
}

// destroyWidgets(): void — deletes every widget that has no parent (and so all widgets).
// Called from Node's 'exit' event, while JS can still run: when Node later tears the
// environment down, NodeGui's finalizers would delete these widgets themselves, and the
// `destroyed` signal handlers NodeGui connected would then call into a JS engine that is
// gone (std::terminate). NodeGui's wrappers hold QPointers, so after this they delete
// nothing.
napi_value DestroyWidgets(napi_env env, napi_callback_info) {
  stop_runtime(runtime);
  if (QCoreApplication::instance() == nullptr) return nullptr;
  // Deleting one top-level widget can delete others (a dialog with a parent window goes
  // with its window), so every pointer is guarded and checked before its delete.
  QList<QPointer<QWidget>> widgets;
  for (QWidget* widget : QApplication::topLevelWidgets()) widgets.append(QPointer<QWidget>(widget));
  for (const QPointer<QWidget>& widget : widgets) {
    if (!widget.isNull()) delete widget.data();
  }
  report_pending_exception(env);
  return nullptr;
}

napi_value set_number(napi_env env, napi_value object, const char* key, double value) {
  napi_value number;
  napi_create_double(env, value, &number);
  napi_set_named_property(env, object, key, number);
  return object;
}

// stats(): { running, iterations, dispatches, watchedFds, injectedRunLoop }
napi_value Stats(napi_env env, napi_callback_info) {
  napi_value out, flag;
  napi_create_object(env, &out);
  napi_get_boolean(env, runtime->running, &flag);
  napi_set_named_property(env, out, "running", flag);
  napi_get_boolean(env, qode::injected_run_loop != nullptr, &flag);
  napi_set_named_property(env, out, "injectedRunLoop", flag);
  set_number(env, out, "iterations", runtime->iterations);
  set_number(env, out, "dispatches", runtime->dispatches);
  set_number(env, out, "watchedFds", static_cast<double>(runtime->watches.size()));
  return out;
}

// A thread ended (the idle layout thread): what it freed went back to its malloc arena,
// which keeps free pages for reuse. Only glibc is asked to return them (malloc_trim walks
// every arena); no V8 collection, so this costs well under a millisecond.
napi_value ReturnFreeMemory(napi_env env, napi_callback_info) {
  napi_value released;
  napi_get_boolean(env, malloc_trim(0) == 1, &released);
  return released;
}

// After a long page was replaced or scrolled through, the reader is idle: V8 is asked to
// collect with its memory-reducing flags now (incremental, not a pause; on its own it does
// so ~20 s later, measured), and glibc returns the free pages Qt's widgets left at the top
// of its heaps and in its arenas.
napi_value ReleaseMemory(napi_env env, napi_callback_info info) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate != nullptr) isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kModerate);
  return ReturnFreeMemory(env, info);
}

// V8's full collections free what the program let go of: the malloc'd backing stores of
// ArrayBuffers (files read at start, code caches, page sources) and, through finalizers
// that run just after, NodeGui's native objects. glibc keeps those pages for reuse, and a
// trim made before such a collection (ReleaseMemory's own, which only asks V8 to collect)
// cannot return them: ~0.6 MB of PSS stayed with the 1,000-post index open and idle
// (measured: a malloc_trim from gdb 20 s later returned it). So glibc is asked once more a
// second after the last full collection. Full collections come seconds apart or more, and a
// trim takes well under a millisecond.
constexpr uint64_t kTrimAfterFullGcMs = 1000;
uv_timer_t trim_timer;
bool trim_timer_open = false;

void TrimAfterFullGc(uv_timer_t*) { malloc_trim(0); }

void OnFullGc(v8::Isolate*, v8::GCType, v8::GCCallbackFlags, void*) {
  // The JS thread, which owns the loop: restarting the timer pushes the trim back.
  if (trim_timer_open) uv_timer_start(&trim_timer, TrimAfterFullGc, kTrimAfterFullGcMs, 0);
}

void cleanup(void*) {
  // Process exit or worker teardown: stop watching; libuv closes what is left.
  if (runtime != nullptr && runtime->running) {
    runtime->running = false;
    if (runtime->integrate) g_main_context_release(runtime->context);
  }
  if (trim_timer_open) {
    trim_timer_open = false;
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    if (isolate != nullptr) isolate->RemoveGCEpilogueCallback(OnFullGc, nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&trim_timer), nullptr);
  }
}

napi_value Init(napi_env env, napi_value exports) {
  bool is_main_thread = runtime == nullptr;
  if (!is_main_thread) {
    // One Qt application per process; a worker thread cannot own it.
    napi_throw_error(env, "ERR_QT_RUNTIME_LOADED", "the Qt runtime is already loaded by another thread of this process");
    return nullptr;
  }
  runtime = new Runtime();
  // The window process: at most two malloc arenas from now on. glibc gives every thread
  // that allocates an arena of its own (the threads of Qt, libtorrent and libuv's pool
  // come later), and the free space left in each is memory the process keeps: 4 MB of
  // its PSS with a 1,000-post index open (measured with MALLOC_ARENA_MAX=2). The headless
  // node never loads this module and keeps glibc's default.
  mallopt(M_ARENA_MAX, 2);
  previous_message_handler = qInstallMessageHandler(filter_messages);
  uv_loop_t* loop = nullptr;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (napi_get_uv_event_loop(env, &loop) == napi_ok && isolate != nullptr && uv_timer_init(loop, &trim_timer) == 0) {
    uv_unref(reinterpret_cast<uv_handle_t*>(&trim_timer));  // never keeps the process alive
    trim_timer_open = true;
    isolate->AddGCEpilogueCallback(OnFullGc, nullptr, v8::kGCTypeMarkSweepCompact);
  }
  runtime->fds.resize(16);
  napi_add_env_cleanup_hook(env, cleanup, nullptr);
  napi_property_descriptor props[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"stop", nullptr, Stop, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"stats", nullptr, Stats, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"destroyWidgets", nullptr, DestroyWidgets, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"releaseMemory", nullptr, ReleaseMemory, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"returnFreeMemory", nullptr, ReturnFreeMemory, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  swarmpress::bind_text_cursor(env, exports);
  swarmpress::bind_widget_look(env, exports);
  swarmpress::bind_image_decode(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
