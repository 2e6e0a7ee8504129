// When the window process hands memory back. The window's arenas are limited before the
// program loads (bin/swarmpress.js calls limitArenas, native/src/preload/preload.cpp); this
// file only decides when glibc and V8 are asked to return what they keep.
//
// Threading: JS thread only.

#include "memory_policy.h"

#include <malloc.h>
#include <uv.h>
#include <v8.h>

#include <cstdint>

namespace {

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
  if (!trim_timer_open) return;
  trim_timer_open = false;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate != nullptr) isolate->RemoveGCEpilogueCallback(OnFullGc, nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&trim_timer), nullptr);
}

}  // namespace

namespace swarmpress {

void bind_memory_policy(napi_env env, napi_value exports) {
  uv_loop_t* loop = nullptr;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (napi_get_uv_event_loop(env, &loop) == napi_ok && isolate != nullptr && uv_timer_init(loop, &trim_timer) == 0) {
    uv_unref(reinterpret_cast<uv_handle_t*>(&trim_timer));  // never keeps the process alive
    trim_timer_open = true;
    isolate->AddGCEpilogueCallback(OnFullGc, nullptr, v8::kGCTypeMarkSweepCompact);
  }
  napi_add_env_cleanup_hook(env, cleanup, nullptr);
  napi_property_descriptor props[] = {
      {"releaseMemory", nullptr, ReleaseMemory, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"returnFreeMemory", nullptr, ReturnFreeMemory, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
