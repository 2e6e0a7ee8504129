// window_watcher.cpp: notices the last window that quits the app going away (Qt 6 says so
// only inside QApplication::exec(), which never runs here), and deletes the widgets at exit.
#pragma once
#include <node_api.h>

namespace swarmpress {
class WindowFilter;

// Notes top-level widgets shown, hidden and closed, from start() to stop().
class WindowWatch {
 public:
  // Installs the event filter on the QApplication (which must exist).
  void start();
  void stop();
  // After the events of a loop iteration were handled: true once, when the last window
  // that quits the app on close (Qt's own rule) was hidden or closed since the last call.
  bool last_window_closed();

 private:
  WindowFilter* filter_ = nullptr;
  bool had_windows_ = false;
};

// Adds destroyWidgets to `exports`.
void bind_window_watcher(napi_env env, napi_value exports);
}  // namespace swarmpress
