// glib_loop.cpp: Qt's events (GLib's default main context) run from Node's libuv loop.
#pragma once
#include <node_api.h>

namespace swarmpress {
// Creates the loop's state (once per process) and adds start, stop and stats to `exports`.
void bind_glib_loop(napi_env env, napi_value exports);
// Stops the loop and closes its libuv handles (idempotent).
void stop_qt_loop();
// Reports an exception a JS handler left pending while Qt dispatched an event, the way Node
// reports any other uncaught exception.
void report_pending_exception(napi_env env);
}  // namespace swarmpress
