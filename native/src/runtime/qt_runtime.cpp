// The Qt runtime of swarmpress on stock Node: this file only wires its parts together.
//   qode_shims.cpp      the symbols NodeGui's addon expects from Qode's executable
//   glib_loop.cpp       Qt's events run from Node's libuv loop (start, stop, stats)
//   window_watcher.cpp  the last window closing; widgets deleted at exit (destroyWidgets)
//   memory_policy.cpp   when glibc and V8 hand memory back (releaseMemory, returnFreeMemory)
//   message_filter.cpp  the one expected Qt warning dropped
//   text_cursor.cpp, widget_look.cpp, widget_geometry.cpp  what NodeGui 0.61 does not expose
//   image_decode.cpp    pictures decoded at the size shown, shared, freed explicitly
//   crash_log.cpp       fatal signals and V8's fatal errors written to the data folder's crash log
//   user_input.cpp      the time since the last real input (the kiosk's idle return)
// Threading: JS thread only; one per process (there is one QApplication).

#include <node_api.h>

#include "crash_log.h"
#include "glib_loop.h"
#include "image_decode.h"
#include "memory_policy.h"
#include "message_filter.h"
#include "text_cursor.h"
#include "user_input.h"
#include "widget_geometry.h"
#include "widget_look.h"
#include "window_watcher.h"

namespace {
bool loaded = false;

napi_value Init(napi_env env, napi_value exports) {
  if (loaded) {
    // One Qt application per process; a worker thread cannot own it.
    napi_throw_error(env, "ERR_QT_RUNTIME_LOADED", "the Qt runtime is already loaded by another thread of this process");
    return nullptr;
  }
  loaded = true;
  swarmpress::install_message_filter();
  swarmpress::bind_glib_loop(env, exports);
  swarmpress::bind_window_watcher(env, exports);
  swarmpress::bind_memory_policy(env, exports);
  swarmpress::bind_text_cursor(env, exports);
  swarmpress::bind_widget_look(env, exports);
  swarmpress::bind_widget_geometry(env, exports);
  swarmpress::bind_crash_log(env, exports);
  swarmpress::bind_user_input(env, exports);
  swarmpress::bind_image_decode(env, exports);
  return exports;
}
}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
